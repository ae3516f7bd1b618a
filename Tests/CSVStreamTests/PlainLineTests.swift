import Testing

@testable import CSVStream

/// `LibCSVParser.parsePlainLine` splits lines without libcsv; every line it takes must give the
/// fields and quote flags libcsv gives, and it must take the plain lines a roster is made of.
@Suite struct PlainLineTests {
  /// A small deterministic generator (SplitMix64), so failures can be replayed.
  struct Generator {
    var state: UInt64

    mutating func next(_ bound: Int) -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var value = state
      value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
      value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
      value ^= value >> 31
      return Int(value % UInt64(bound))
    }
  }

  static let pieces = [
    "a", "张三", "1", " ", "\t", ",", ";", "\"", "\"\"", "\"x\"", "=", "\u{0}", "\r", "\n",
    "123456789012345", "绍兴“示范”厂",
  ]

  /// The record libcsv makes of `line` followed by `terminator`, or `nil` when it makes none
  /// from it (an error, a field over the limit, or a quoted field still open).
  static func libcsvRecord(
    _ line: [UInt8], terminator: String, delimiter: UInt8, maxFieldBytes: Int
  ) -> CSVRecord? {
    let parser = LibCSVParser(maxFieldBytes: maxFieldBytes)
    parser.delimiter = delimiter
    let bytes = line + Array(terminator.utf8)
    let consumed = bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return 0 }
      return parser.parse(base, count: buffer.count)
    }
    guard consumed == bytes.count, !parser.fieldTooLarge, parser.recordComplete else { return nil }
    return parser.takeRecord(at: SourceLocation(file: "t", line: 1))
  }

  static func plainRecord(_ line: [UInt8], delimiter: UInt8, maxFieldBytes: Int) -> CSVRecord? {
    let parser = LibCSVParser(maxFieldBytes: maxFieldBytes)
    parser.delimiter = delimiter
    let taken = line.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return false }
      return parser.parsePlainLine(base, count: buffer.count)
    }
    return taken ? parser.takeRecord(at: SourceLocation(file: "t", line: 1)) : nil
  }

  @Test(arguments: [
    (UInt8(ascii: ","), 1 << 20), (UInt8(ascii: ","), 6), (UInt8(ascii: "\t"), 1 << 20),
    (UInt8(ascii: ";"), 3),
  ])
  func plainLinesSplitAsLibcsvSplitsThem(delimiter: UInt8, maxFieldBytes: Int) {
    var generator = Generator(state: UInt64(delimiter) << 32 | UInt64(maxFieldBytes))
    var taken = 0
    for _ in 0..<20_000 {
      var line: [UInt8] = []
      for _ in 0..<generator.next(12) {
        line += Array(Self.pieces[generator.next(Self.pieces.count)].utf8)
      }
      // A line handed over never holds a line end: the reader cuts segments at them.
      guard !line.contains(UInt8(ascii: "\r")), !line.contains(UInt8(ascii: "\n")) else {
        continue
      }
      guard let plain = Self.plainRecord(line, delimiter: delimiter, maxFieldBytes: maxFieldBytes)
      else { continue }
      taken += 1
      for terminator in ["\n", "\r\n", "\r"] {
        let expected = Self.libcsvRecord(
          line, terminator: terminator, delimiter: delimiter, maxFieldBytes: maxFieldBytes)
        #expect(
          plain.fields == expected?.fields && plain.quoted == expected?.quoted,
          "\(String(decoding: line, as: UTF8.self).debugDescription)")
      }
    }
    #expect(taken > 1_000)
  }

  @Test(arguments: [
    ("a,b,c", ["a", "b", "c"], [false, false, false]),
    (
      "\"330602199001011234\",张三,,", ["330602199001011234", "张三", "", ""],
      [true, false, false, false]
    ),
    ("\"\",\"a\"\"b\",\"c,d\"", ["", "a\"b", "c,d"], [true, true, true]),
    (",", ["", ""], [false, false]),
  ])
  func rosterLinesAreTaken(line: String, fields: [String], quoted: [Bool]) throws {
    let record = try #require(
      Self.plainRecord(Array(line.utf8), delimiter: UInt8(ascii: ","), maxFieldBytes: 1 << 20))
    #expect(record.fields == fields)
    #expect(record.quoted == quoted)
  }

  @Test(arguments: ["a\"b", "\"a\"b", "\"open", "\"a\" ", "", "abcdefg"])
  func otherLinesAreLeftToLibcsv(line: String) {
    #expect(
      Self.plainRecord(Array(line.utf8), delimiter: UInt8(ascii: ","), maxFieldBytes: 6) == nil)
  }
}
