import Testing

@testable import CSVStream

/// `CSVRowBuffer` assembles a row piece by piece and formats cells in place; the bytes must be
/// exactly what `CSVFormat.appendRow` writes for the same cells.
@Suite struct CSVWriterRowBufferTests {
  static let cells = [
    "plain", "with,comma", "with \"quotes\"", "line\nbreak", " leading", "trailing ", "",
    "=SUM(A1)", "-12", "＝1+1", "@x", "330602199001011234", "33060219900101123X", "sep=;",
    "<table>", "nul\u{0}byte", "\u{FEFF}bom", "中文，全角", "𠮷䶮", String(repeating: "长", count: 3000),
    "1234567890,123", "绍兴示范厂, 第3车间", "a,", ",", "a\tb", "a\r\nb",
  ]

  /// Every cell in its own row, a cell split in two pieces, and rows past the first capacity.
  @Test(arguments: cells)
  func formatsLikeAppendRow(_ cell: String) {
    let buffer = CSVRowBuffer(capacity: 16)
    var assembled: [UInt8] = []
    for _ in 0..<3 {
      buffer.append("a")
      buffer.formatCell(from: 0)
      buffer.append(UInt8(ascii: ","))
      let start = buffer.count
      let middle = cell.index(cell.startIndex, offsetBy: cell.count / 2)
      buffer.append(String(cell[..<middle]))
      Array(cell[middle...].utf8).withUnsafeBufferPointer { buffer.append($0) }
      buffer.formatCell(from: start)
      buffer.append(Array("\r\n".utf8))
      buffer.moveRow(to: &assembled)
      #expect(buffer.count == 0)
    }
    var expected: [UInt8] = []
    for _ in 0..<3 { CSVFormat.appendRow(["a", cell], to: &expected) }
    #expect(assembled == expected)
  }

  /// Pieces of every length up to past the short-copy limit, each after an odd number of bytes
  /// already held, arrive whole and in order, including across a growth of the buffer.
  @Test func appendsPiecesOfEveryLength() {
    let buffer = CSVRowBuffer(capacity: 16)
    var expected: [UInt8] = []
    for length in 0...40 {
      let piece = (0..<length).map { UInt8(truncatingIfNeeded: length &* 7 &+ $0 &+ 1) }
      piece.withUnsafeBufferPointer { buffer.append($0) }
      buffer.append(UInt8(length))
      expected += piece
      expected.append(UInt8(length))
    }
    var row: [UInt8] = []
    buffer.moveRow(to: &row)
    #expect(row == expected)
  }

  /// Bytes appended within reserved room arrive as `append(_:)` would append them, short and
  /// long, past the first capacity.
  @Test func appendsWithinReservedRoom() {
    let buffer = CSVRowBuffer(capacity: 16)
    var expected: [UInt8] = []
    for length in [0, 1, 3, 7, 8, 16, 17, 32, 33, 100] {
      let piece = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ length) }
      buffer.reserve(piece.count)
      piece.withUnsafeBufferPointer { buffer.appendWithinCapacity($0) }
      expected += piece
    }
    var row: [UInt8] = []
    buffer.moveRow(to: &row)
    #expect(row == expected)
  }
}
