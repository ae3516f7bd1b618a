/// Properties every input must satisfy, checked by the fuzzer (`Fuzz/run.sh`) and, over the seed
/// corpus, by `FuzzReplayTests` in the normal test build:
/// - reading never crashes and throws nothing but `notCSV` for bytes in memory;
/// - reading in small blocks and batches gives exactly what reading in one block gives
///   (records, lines, damage, encoding, delimiter);
/// - forcing the detected encoding changes nothing;
/// - records are well formed: start lines increase, damage lies at or after the start line,
///   a damaged record is one unquoted field, UTF-8 input never produces U+FFFD;
/// - writing the records with `CSVFormat` and reading them back gives the same fields, changed
///   only as documented (`CSVFormat.textReadBack`), and no cell read back could start a
///   spreadsheet formula.
enum ReaderProperties {
  /// Everything a reader reports about one input.
  struct Outcome: Equatable {
    var records: [CSVRecord] = []
    var error: CSVError?
    var encoding: InputEncoding?
    var delimiter = UInt8(ascii: ",")
    var skippedSeparatorLine = false
    var hadByteOrderMark = false
  }

  /// Reads `input` from memory with `options`.
  static func read(_ input: [UInt8], options: CSVReaderOptions) -> Outcome {
    let reader = CSVReader(bytes: input, displayName: "fuzz.csv", options: options)
    var outcome = Outcome()
    do {
      while let batch = try reader.nextBatch() { outcome.records += batch }
    } catch {
      outcome.error = error
    }
    outcome.encoding = reader.encoding
    outcome.delimiter = reader.delimiter
    outcome.skippedSeparatorLine = reader.skippedSeparatorLine
    outcome.hadByteOrderMark = reader.hadByteOrderMark
    return outcome
  }

  /// Small limits, so that short inputs reach the field limit and both ways of resuming.
  static func smallLimits(_ encoding: InputEncoding, blockSize: Int, batchSize: Int)
    -> CSVReaderOptions
  {
    var options = CSVReaderOptions(
      encoding: encoding, blockSize: blockSize, batchSize: batchSize, maxFieldBytes: 40)
    options.rewindSlack = 24
    return options
  }

  /// Descriptions of every property `input` violates (empty when all hold).
  static func violations(of input: [UInt8]) -> [String] {
    var problems: [String] = []
    for encoding in [InputEncoding.auto, .utf8, .gb18030, .utf16le] {
      let whole = read(input, options: smallLimits(encoding, blockSize: 8192, batchSize: 4096))
      problems += wellFormed(whole, input: input, label: "\(encoding) whole")
      for (blockSize, batchSize) in [(4, 1), (7, 3), (64, 2)] {
        let pieces = read(
          input, options: smallLimits(encoding, blockSize: blockSize, batchSize: batchSize))
        if pieces != whole {
          problems.append(
            "\(encoding): blocks of \(blockSize) differ from one block: "
              + difference(whole, pieces))
        }
      }
    }
    let plain = read(input, options: CSVReaderOptions(blockSize: 8192))
    problems += wellFormed(plain, input: input, label: "default options")
    if plain.error == nil, let detected = plain.encoding {
      let forced = read(input, options: CSVReaderOptions(encoding: detected, blockSize: 8192))
      if forced.records != plain.records || forced.delimiter != plain.delimiter {
        problems.append("forcing the detected \(detected) differs: " + difference(plain, forced))
      }
    }
    if plain.error == nil {
      problems += roundTrip(plain.records.map(\.fields))
    }
    return problems
  }

  private static func wellFormed(_ outcome: Outcome, input: [UInt8], label: String) -> [String] {
    var problems: [String] = []
    if let error = outcome.error, case .notCSV = error {
    } else if let error = outcome.error {
      problems.append("\(label): unexpected error \(error)")
    }
    var previousLine = 0
    for record in outcome.records {
      let line = record.location.line
      if line <= previousLine {
        problems.append("\(label): record at line \(line) after line \(previousLine)")
      }
      previousLine = line
      if record.fields.isEmpty || record.fields.count != record.quoted.count {
        problems.append("\(label): line \(line): \(record.fields.count) fields, quoted flags")
      }
      if let damage = record.damage {
        if damage.failingLine < line || damage.column.map({ $0 < 1 }) == true {
          problems.append("\(label): line \(line): damage placed at \(damage)")
        }
        if record.fields.count != 1 || record.quoted != [false]
          || damage.message.contains(where: \.isNewline)
        {
          problems.append("\(label): line \(line): damaged record shape \(record)")
        }
      }
      let replacement = "\u{FFFD}"
      if outcome.encoding == .utf8, !containsReplacementCharacter(input),
        record.fields.contains(where: { $0.contains(replacement) })
      {
        problems.append("\(label): line \(line): U+FFFD in a field")
      }
    }
    return problems
  }

  /// Writes `rows` as `CSVFormat` does, reads them back, and compares each cell with
  /// `readBack` of the cell written.
  static func roundTrip(
    _ rows: [[String]], readBack: (String) -> String = CSVFormat.textReadBack
  ) -> [String] {
    var bytes: [UInt8] = []
    for row in rows { CSVFormat.appendRow(row, to: &bytes) }
    let back = read(bytes, options: CSVReaderOptions(maxFieldBytes: Int.max))
    if let error = back.error { return ["round trip: reading the written rows failed: \(error)"] }
    let expected = rows.map { $0.map(readBack) }
    let actual = back.records.map(\.fields)
    var problems: [String] = []
    if actual != expected {
      let index = firstDifference(actual, expected)
      let got = index < actual.count ? "\(actual[index])" : "nothing"
      let wanted = index < expected.count ? "\(expected[index])" : "nothing"
      problems.append("round trip: row \(index + 1) reads back as \(got), expected \(wanted)")
    }
    if back.records.contains(where: { $0.damage != nil }) {
      problems.append("round trip: written rows read back damaged")
    }
    for cell in actual.joined() where !isSafeCell(cell) {
      problems.append("round trip: unsafe cell \(cell.debugDescription)")
    }
    return problems
  }

  /// A cell as read back from a written file: no control characters but tab, CR and LF, and no
  /// formula trigger at the start unless it is a plain number or the tab of an ID number.
  static func isSafeCell(_ cell: String) -> Bool {
    if cell.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
      return false
    }
    guard let first = cell.unicodeScalars.first, formulaTriggers.contains(first) else {
      return true
    }
    if first == "\t" { return CSVFormat.isLongDigitString(String(cell.dropFirst())) }
    return CSVFormat.neutralised(cell) == cell
  }

  static let formulaTriggers: Set<Unicode.Scalar> = [
    "=", "+", "-", "@", "\t", "\r", "\n", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}",
  ]

  private static func containsReplacementCharacter(_ input: [UInt8]) -> Bool {
    let sequence: [UInt8] = [0xEF, 0xBF, 0xBD]
    guard input.count >= 3 else { return false }
    return (0...(input.count - 3)).contains { input[$0..<$0 + 3].elementsEqual(sequence) }
  }

  private static func firstDifference<Element: Equatable>(_ left: [Element], _ right: [Element])
    -> Int
  {
    let common = min(left.count, right.count)
    return (0..<common).first { left[$0] != right[$0] } ?? common
  }

  private static func difference(_ expected: Outcome, _ actual: Outcome) -> String {
    if expected.error != actual.error {
      return "error \(String(describing: expected.error)) vs \(String(describing: actual.error))"
    }
    if expected.records != actual.records {
      let index = firstDifference(expected.records, actual.records)
      let left = index < expected.records.count ? "\(expected.records[index])" : "nothing"
      let right = index < actual.records.count ? "\(actual.records[index])" : "nothing"
      return "record \(index + 1): \(left) vs \(right)"
    }
    return
      "encoding \(String(describing: expected.encoding))/\(String(describing: actual.encoding))"
      + " delimiter \(expected.delimiter)/\(actual.delimiter)"
      + " sep \(expected.skippedSeparatorLine)/\(actual.skippedSeparatorLine)"
      + " mark \(expected.hadByteOrderMark)/\(actual.hadByteOrderMark)"
  }
}
