import Testing

@testable import CSVStream

/// The checks a row writer uses to skip looking at every byte of a cell it knows the parts of:
/// `hasPlainEdges` and `containsSpecialByte` together answer as `isPlain`, `mayContainSpecialByte`
/// never misses a special byte, and `formatCleanCell` formats a cell without special bytes as
/// `formatCell` does.
@Suite struct CleanCellTests {
  static let cells: [String] = {
    var cells = [
      "", "a", "ab", "abc", "plain", "中文", "张三", "绍兴示范厂", "with,comma", "a\"b", "nul\u{0}x",
      "tab\there", "cr\rlf\n", " leading", "trailing ", "=SUM(A1)", "+1", "-12", "@x", "＝1",
      "＋1", "－1", "＠1", "\u{FEFF}bom", "sep=;", "SEP=,", "<table>", "123456789012",
      "12345678901", "33060219900101123X", "2026-09-30", "(note) x", "（提示）x", "a b c",
      "年度继续教育学时62（含技能培训0）不足90学时（二（一）3）",
      // Each kind of lead byte, with and without a blank at the end: `formatCleanCell` tells
      // a cell starting with a multi-byte character other than a full-width one plain at once.
      "中文 ", "中", "é", "é ", "ée", "𠮷", "𠮷 ", "（提示）附件2中没有", "，", "中 文", "a ", " 中",
    ]
    // Every length past the word and vector steps, with one special byte at every place.
    for length in [7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 100] {
      let plain = String(repeating: "x", count: length)
      cells.append(plain)
      for special in ["\"", ",", "\u{1}", "\n", " ", "\u{1F}"] {
        for place in [0, length / 2, length - 1] {
          var bytes = Array(plain.utf8)
          bytes[place] = special.utf8.first ?? 0
          cells.append(String(decoding: bytes, as: UTF8.self))
        }
      }
    }
    return cells
  }()

  /// The two checks together are `isPlain`, and a cell they pass is written as it is.
  @Test(arguments: cells)
  func edgesAndSpecialBytesAnswerAsPlain(_ cell: String) {
    var written: [UInt8] = []
    CSVFormat.appendRow(["x", cell], to: &written)
    let writtenAsItIs = written == Array("x,\(cell)\r\n".utf8)
    let bytes = Array(cell.utf8)
    bytes.withUnsafeBufferPointer { bytes in
      let special = CSVFormat.containsSpecialByte(bytes)
      let plain = CSVFormat.hasPlainEdges(bytes) && !special
      #expect(plain == CSVFormat.isPlain(bytes))
      // Plain is a promise only one way: a signed number such as `-12` is written as it is too.
      if plain { #expect(writtenAsItIs) }
      #expect(special == bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x2C })
      if special { #expect(CSVFormat.mayContainSpecialByte(bytes)) }
      if !bytes.contains(where: { $0 < 0x2D }) {
        #expect(!CSVFormat.mayContainSpecialByte(bytes))
      }
    }
  }

  /// A cell with no special byte comes out of `formatCleanCell` as out of `formatCell`, and
  /// `withBytes` hands over the bytes from where it is asked.
  @Test(arguments: cells)
  func cleanCellsFormatAsAnyCell(_ cell: String) {
    let bytes = Array(cell.utf8)
    guard !bytes.withUnsafeBufferPointer(CSVFormat.containsSpecialByte) else { return }
    let clean = CSVRowBuffer(capacity: 16)
    let general = CSVRowBuffer(capacity: 16)
    for buffer in [clean, general] {
      buffer.append("a,")
      buffer.append(cell)
    }
    #expect(clean.withBytes(from: 2) { Array($0) } == bytes)
    clean.formatCleanCell(from: 2)
    general.formatCell(from: 2)
    var cleanRow: [UInt8] = []
    var generalRow: [UInt8] = []
    clean.moveRow(to: &cleanRow)
    general.moveRow(to: &generalRow)
    #expect(cleanRow == generalRow)
    var expected: [UInt8] = []
    CSVFormat.appendRow(["a", cell], to: &expected)
    #expect(cleanRow + Array("\r\n".utf8) == expected)
  }
}
