import Testing

@testable import CSVStream

/// `formatCleanCell` tells a cell that starts with a multi-byte character (not a full-width
/// one) and does not end in a space plain without a call: clean cells (no control character,
/// quote or comma, as it requires) on both sides of that line come out as `formatCell` writes
/// them.
@Suite struct CleanCellLeadByteTests {
  @Test(arguments: [
    "中文", "中文 ", "中", "年度继续教育学时62（含技能培训0）不足90学时（二（一）3）", "é", "é ", "ée",
    "𠮷", "𠮷 ", "（提示）附件2中没有", "＝1", "＋1", "－1", "＠1", "\u{FEFF}bom", "，",
    "中 文", "a", "a ", " 中",
  ])
  func cellsStartingWithAnyLeadByte(_ cell: String) {
    let clean = CSVRowBuffer(capacity: 16)
    let general = CSVRowBuffer(capacity: 16)
    for buffer in [clean, general] {
      buffer.append("x,")
      buffer.append(cell)
    }
    clean.formatCleanCell(from: 2)
    general.formatCell(from: 2)
    var cleanRow: [UInt8] = []
    var generalRow: [UInt8] = []
    clean.moveRow(to: &cleanRow)
    general.moveRow(to: &generalRow)
    #expect(cleanRow == generalRow)
    var expected: [UInt8] = []
    CSVFormat.appendRow(["x", cell], to: &expected)
    #expect(cleanRow + [UInt8(ascii: "\r"), UInt8(ascii: "\n")] == expected)
  }
}
