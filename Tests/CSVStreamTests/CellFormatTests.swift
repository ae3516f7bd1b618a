import Testing

@testable import CSVStream

/// `CSVFormat.appendCell` copies most cells as they are after a word-at-a-time check, and
/// `formatCell(in:from:)` leaves them in place; every cell must still come out as the documented
/// rules (written here plainly) say.
@Suite struct CellFormatTests {
  /// The formatting rules of `CSVFormat`, one after another, on the cell's bytes.
  static func expected(_ cell: [UInt8]) -> [UInt8] {
    guard !cell.isEmpty else { return [] }
    let quote = UInt8(ascii: "\"")
    let bytes = cell.map { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D ? 0x20 : $0 }
    let text = String(decoding: bytes, as: UTF8.self)
    let formulaStarts: [String] = ["=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠"]
    let isNumber = text.wholeMatch(of: /[+-]?([0-9]+(\.[0-9]+)?|\.[0-9]+)/) != nil
    let marked = formulaStarts.contains { bytes.starts(with: $0.utf8) } && !isNumber
    if !marked, text.wholeMatch(of: /[0-9]{12,}[Xx]?/) != nil {
      return [quote, 0x09] + bytes + [quote]
    }
    let separators: [UInt8] = [0x2C, quote, 0x09, 0x0A, 0x0D]
    var needsQuotes = bytes.contains { separators.contains($0) } || bytes.last == 0x20
    if !marked {
      needsQuotes =
        needsQuotes || bytes.first == 0x20 || bytes.first == UInt8(ascii: "<")
        || bytes.starts(with: [0xEF, 0xBB, 0xBF])
        || bytes.prefix(4).map { $0 | 0x20 } == Array("sep=".utf8)
    }
    let body = (marked ? [UInt8(ascii: "'")] : []) + bytes
    guard needsQuotes else { return body }
    return [quote] + body.flatMap { $0 == quote ? [quote, quote] : [$0] } + [quote]
  }

  static func formatted(_ cell: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    cell.withUnsafeBufferPointer { CSVFormat.appendCell($0, to: &out) }
    return out
  }

  /// The cell as `CSVRowBuffer.appendCell(_:)` writes it after other bytes, or `nil` when that
  /// differs from `formatted(_:)` or when `CSVFormat.form(of:)` says the wrong form of it: plain
  /// for a cell written otherwise, or quoted for one not written as it is between two quotes.
  static func appended(_ cell: [UInt8]) -> [UInt8]? {
    let row = CSVRowBuffer(capacity: 16)
    row.append(Array("a,".utf8))
    cell.withUnsafeBufferPointer { row.appendCell($0) }
    var out: [UInt8] = []
    row.moveRow(to: &out)
    let formatted = formatted(cell)
    guard out == Array("a,".utf8) + formatted else { return nil }
    switch cell.withUnsafeBufferPointer(CSVFormat.form(of:)) {
    case .plain: return formatted == cell ? formatted : nil
    case .quoted: return formatted == [0x22] + cell + [0x22] ? formatted : nil
    case .other: return formatted
    }
  }

  static let pieces = [
    "a", "张三", "1", "12345", " ", "\t", ",", "\"", "\r", "\n", "\u{0}", "\u{1F}", "=", "+", "-",
    "@", "<", "sep=", "SEP=", "s", "\u{FEFF}", "＝", "＋", ".", "x", "X", "绍兴“示范”厂", "（提示）",
    "＠", "－", "：", "Se", "p=", "sEp", "\u{FEFE}", "\u{FF0D}",
  ]

  @Test func generatedCellsFollowTheRules() {
    var state: UInt64 = 0x5EED
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    var mismatches: [String] = []
    for _ in 0..<50_000 {
      var cell: [UInt8] = []
      for _ in 0..<next(9) { cell += Array(Self.pieces[next(Self.pieces.count)].utf8) }
      var inPlace = Array("a,\"b\",".utf8)
      let start = inPlace.count
      inPlace += cell
      CSVFormat.formatCell(in: &inPlace, from: start)
      let row = CSVRowBuffer(capacity: 16)
      row.append(Array("a,\"b\",".utf8))
      cell.withUnsafeBufferPointer { row.append($0) }
      row.formatCell(from: start)
      var fromRow: [UInt8] = []
      row.moveRow(to: &fromRow)
      let expected = Self.expected(cell)
      if Self.formatted(cell) != expected || inPlace != Array("a,\"b\",".utf8) + expected
        || fromRow != inPlace || Self.appended(cell) != expected
      {
        mismatches.append(String(decoding: cell, as: UTF8.self).debugDescription)
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  @Test(arguments: [
    "绍兴市越城区人民医院", "A-CE-TOTAL;B-NO-SERVICE-POINT", "高级 2028-03-31", "330602199001011234",
    "12345678901", "a b", "a,b", "a ", " a", "-5", "=1", "sep=;", "<b>", "x\u{0}y",
    "33060219900101123X", "123456789012", "123456789012 ", "@x,y", "=1,2", "绍兴示范厂第七车,",
    "绍兴示范, 厂",
  ])
  func chosenCellsFollowTheRules(cell: String) {
    let bytes = Array(cell.utf8)
    #expect(Self.formatted(bytes) == Self.expected(bytes))
    #expect(Self.appended(bytes) == Self.expected(bytes))
  }

  /// A byte that matters, or one next to such a byte in value, at every place of cells of every
  /// length up to 72, among plain text of one kind: each part of the scan (the two words of a
  /// short cell, the sixteen-byte steps, the last sixteen bytes read again) must find it.
  @Test(arguments: ["a", "张", "9", ".", "a b", "é", "\u{7F}"])
  func everyPlaceOfASpecialByteIsFound(filler: String) {
    let fill = Array(repeating: Array(filler.utf8), count: 72).flatMap { $0 }
    let bytes: [UInt8] = [0x2C, 0x22, 0x00, 0x01, 0x0A, 0x1F, 0x20, 0x21, 0x23, 0x2B, 0x2D, 0xFF]
    var mismatches: [String] = []
    for length in 1...72 {
      let plain = Array(fill.prefix(length))
      if Self.formatted(plain) != Self.expected(plain) { mismatches.append("\(plain)") }
      for place in 0..<length {
        for special in bytes {
          var cell = plain
          cell[place] = special
          let row = CSVRowBuffer(capacity: 16)
          cell.withUnsafeBufferPointer { row.append($0) }
          row.formatCell(from: 0)
          var inPlace: [UInt8] = []
          row.moveRow(to: &inPlace)
          if inPlace != Self.expected(cell) || Self.appended(cell) != inPlace {
            mismatches.append("\(cell)")
          }
        }
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  /// Cells that start with full-width text or an `s` are copied as they are, not sent down the
  /// slow path, unless they start with a byte order mark, a full-width formula sign or `sep=`.
  @Test(arguments: [
    ("（提示）年度继续教育学时不足", true), ("：说明", true), ("see", true), ("Sep", true),
    ("sep", true), ("sep=;", false), ("SEP=", false), ("\u{FEFF}a", false), ("＝1", false),
    ("＋1", false), ("－1", false), ("＠x", false), ("（提示）a,b", false), ("see ", false),
  ])
  func plainStartsAreRecognised(cell: String, isPlain: Bool) {
    let bytes = Array(cell.utf8)
    #expect(bytes.withUnsafeBufferPointer { CSVFormat.isPlain($0) } == isPlain)
    #expect(Self.formatted(bytes) == Self.expected(bytes))
  }

  /// A quote, comma or control byte anywhere in a long cell, in either half of a 32-byte step or
  /// in the tail, makes it not plain; bytes just above those (`-`, `.`, `/`) and text do not.
  @Test func specialBytesAreFoundAtEveryPlace() {
    let text = Array(String(repeating: "示范a1-./", count: 8).utf8)
    #expect(text.withUnsafeBufferPointer { CSVFormat.isPlain($0) })
    for length in [40, 64, 75] {
      for place in 1..<(length - 1) {
        for special in [UInt8(ascii: "\""), UInt8(ascii: ","), 0x01, 0x0A, 0x1F] {
          var cell = Array(text.prefix(length))
          cell[place] = special
          #expect(!cell.withUnsafeBufferPointer { CSVFormat.isPlain($0) }, "\(length) \(place)")
        }
      }
    }
  }

  /// A cell formatted in a row buffer that needs quotes, with its comma, quote, line break or
  /// control byte after any number of bytes of text that `needsOnlyQuotes` passes over sixteen
  /// at a time, or in a cell too short for that.
  @Test(arguments: ["绍兴示范厂第七车间abc", "ab"])
  func quotedCellsFollowTheRulesWhereverTheirSeparatorIs(text: String) {
    let text = Array(text.utf8)
    var mismatches: [String] = []
    for place in 0...text.count {
      for special in [",", "\"", "\n", "\r", "\t", "\u{1}", "\u{1F}", ", "] {
        for tail in ["", "绍兴示范", "x,y", "x\"y"] {
          let cell =
            Array(text[..<place]) + Array(special.utf8) + Array(text[place...])
            + Array(tail.utf8)
          let row = CSVRowBuffer(capacity: 16)
          cell.withUnsafeBufferPointer { row.append($0) }
          row.formatCell(from: 0)
          var inPlace: [UInt8] = []
          row.moveRow(to: &inPlace)
          if inPlace != Self.expected(cell) || Self.appended(cell) != inPlace {
            mismatches.append(String(decoding: cell, as: UTF8.self).debugDescription)
          }
        }
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }
}
