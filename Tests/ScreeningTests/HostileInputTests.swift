import CSVStream
import Foundation
import Policy
import Roster
import Testing

@testable import Screening

/// Rosters as Excel, WPS and home-grown HR systems really make them: every artefact is skipped
/// or rejected, counted, and the reconciliation still holds.
@Suite struct HostileInputTests {
  static let header = ScreeningRunTests.header
  static let person = ["330681199001011237", "林晓测"] + ScreeningRunTests.eligibleCells
  static let other = ["33060219880303721X", "王测例"] + ScreeningRunTests.eligibleCells

  func screen(_ text: String, encoding: String.Encoding = .utf8) throws -> (RunReport, URL) {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("roster.csv")
    guard let data = text.data(using: encoding) else { throw TestFailure("cannot encode") }
    try data.write(to: roster)
    let out = folder.appendingPathComponent("out")
    let report = try ScreeningRun.run(TestSupport.configuration(inputs: [roster.path], out: out))
    #expect(
      report.recordsRead == report.verdicts + report.rejects + report.skipped.total,
      "reconciliation")
    return (report, out)
  }

  func line(_ cells: [String]) -> String { cells.joined(separator: ",") + "\r\n" }

  @Test func excelArtefactsAreSkippedAndCounted() throws {
    let text =
      "2026年第三季度 高技能人才名单,,,,,,,,\r\n" + ",,,,,,,,\r\n" + line(Self.header) + line(Self.person)
      + ",,,,,,,,\r\n" + line(Self.header) + line(Self.other) + "合计,2人,,,,,,,\r\n" + "\r\n\r\n"
    let (report, out) = try screen(text)
    #expect(report.verdicts == 2)
    #expect(report.rejects == 0)
    #expect(
      report.skipped
        == SkippedRows(titleRows: 1, blankRows: 2, repeatedHeaders: 1, totalRows: 1))
    let verdicts = try TestSupport.rows(out.appendingPathComponent("verdicts.csv"))
    #expect(verdicts.map { $0[0].split(separator: ":").last } == ["4", "7"])
    let skipped = try TestSupport.rows(out.appendingPathComponent("skipped.csv"))
    #expect(skipped.map { $0[0].split(separator: ":").last } == ["1", "2", "5", "6", "8"])
    #expect(skipped.map { $0[1] } == ["表头上方的标题行", "空行", "空行", "重复的表头", "合计行"])
  }

  /// A total row's ID cell may hold bytes just past the digits (`:` is 0x3A): only six digits
  /// or more keep a row from being examined as a total row.
  @Test func aTotalRowWithNearDigitsInItsIDCellIsSkipped() throws {
    let empty = Array(repeating: "", count: Self.header.count - 2)
    let text =
      line(Self.header) + line(Self.person) + line(["::::::::", "合计"] + empty)
      + line(["12345;78", "合计"] + empty) + line(["1234567", "合计"] + empty)
    let (report, _) = try screen(text)
    #expect(
      report.skipped == SkippedRows(titleRows: 0, blankRows: 0, repeatedHeaders: 0, totalRows: 1))
    #expect(report.verdicts + report.rejects == 3)
  }

  @Test func aGB18030FileIsConfirmedByItsHeader() throws {
    let text = line(Self.header) + line(Self.person)
    let (report, _) = try screen(text, encoding: .init(rawValue: 0x8000_0632))
    #expect(report.verdicts == 1)
    #expect(report.inputs.first?.encoding == "gb18030")
  }

  @Test func aHeaderOnlyFileIsWarnedAbout() throws {
    let (report, _) = try screen(line(Self.header))
    #expect(report.recordsRead == 0)
    #expect(report.failedInputs.isEmpty)
    #expect(report.inputs.first?.warnings.first?.contains("没有数据行") == true)
  }

  @Test(arguments: ["", "\u{FEFF}", "\r\n\r\n"])
  func anEmptyFileFailsClearly(_ text: String) throws {
    let (report, _) = try screen(text)
    #expect(report.failedInputs.count == 1)
    #expect(report.failedInputs.first?.failure?.contains("文件为空") == true)
  }

  @Test func excelDamagedIDsAreFlaggedPerRowAndWarnedOncePerFile() throws {
    var damaged = Self.person
    damaged[0] = "3.30681E+17"
    var truncated = Self.other
    truncated[0] = "330602198803037000"
    let (report, out) = try screen(line(Self.header) + line(damaged) + line(truncated))
    let verdicts = try TestSupport.rows(out.appendingPathComponent("verdicts.csv"))
    #expect(verdicts.map { $0[17] } == ["DATA-ID", "DATA-ID"])
    #expect(report.inputs.first?.warnings.count == 1)
    #expect(report.inputs.first?.warnings.first?.hasPrefix("2 行身份证号疑似被 Excel 损坏") == true)
  }

  @Test func aFileThatIsNotARosterFailsButTheOthersAreStillScreened() throws {
    let folder = try TestSupport.temporaryDirectory()
    let bad = folder.appendingPathComponent("a.csv")
    try Data("订单号,金额\r\n1,2\r\n".utf8).write(to: bad)
    let good = folder.appendingPathComponent("b.csv")
    try Data((line(Self.header) + line(Self.person)).utf8).write(to: good)
    let out = folder.appendingPathComponent("out")
    let report = try ScreeningRun.run(
      TestSupport.configuration(inputs: [bad.path, good.path], out: out))
    #expect(report.failedInputs.map(\.path) == [bad.path])
    #expect(report.verdicts == 1)
    let summary = try String(
      contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
    #expect(summary.contains("\"status\" : \"FAILED\""))
  }

  @Test func aBrokenQuoteRejectsOneRecordAndTheRestIsStillScreened() throws {
    var broken = Self.other
    broken[1] = "\"王测例"
    let text = line(Self.header) + line(Self.person) + line(broken) + line(Self.person)
    let (report, out) = try screen(text)
    #expect(report.verdicts == 2)
    #expect(report.rejects == 1)
    let rejects = try TestSupport.rows(out.appendingPathComponent("rejects.csv"))
    #expect(rejects.first?[0].hasSuffix(":3") == true)
    #expect(rejects.first?[2].contains("王测例") == true)
    let verdicts = try TestSupport.rows(out.appendingPathComponent("verdicts.csv"))
    #expect(verdicts.map { $0[0].split(separator: ":").last } == ["2", "4"])
    #expect(verdicts[1][17] == "DUPLICATE")
  }

  @Test func aUTF8FileWithOneRowInAnotherEncodingRejectsThatRow() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("mixed.csv")
    var bytes = Array((line(Self.header) + line(Self.person)).utf8)
    bytes += Array("33060219880303721X,".utf8) + [0xCD, 0xF5, 0xB2, 0xE2, 0xC0, 0xFD]
    bytes += Array(",诸暨市,钢筋工,高级技师,2020-06-30,合格、合格、合格,90,18\r\n".utf8)
    bytes += Array(line(Self.other).utf8)
    try Data(bytes).write(to: roster)
    let out = folder.appendingPathComponent("out")
    let report = try ScreeningRun.run(TestSupport.configuration(inputs: [roster.path], out: out))
    #expect(report.verdicts == 2)
    #expect(report.rejects == 1)
    let rejects = try TestSupport.rows(out.appendingPathComponent("rejects.csv"))
    #expect(rejects.first?[0].hasSuffix(":3") == true)
    #expect(rejects.first?[2].contains("\\xCD") == true)
  }

  @Test func anExcelUnicodeTextExportIsRead() throws {
    let text =
      "\u{FEFF}"
      + ([Self.header, Self.person].map { $0.joined(separator: "\t") + "\r\n" })
      .joined()
    let (report, _) = try screen(text, encoding: .utf16LittleEndian)
    #expect(report.verdicts == 1)
    #expect(report.inputs.first?.encoding == "utf-16le")
  }

  @Test func aWorkbookRenamedToCSVFailsWithAdvice() throws {
    let (report, _) = try screen("PK\u{03}\u{04}rest of a zip file")
    #expect(report.failedInputs.first?.failure?.contains("另存为") == true)
  }

  @Test func aRepeatedHeaderInAnotherSpellingIsSkipped() throws {
    var other = Self.header
    other[0] = "公民身份号码"
    other[1] = "姓　名"
    let text = line(Self.header) + line(Self.person) + line(other) + line(Self.other)
    let (report, out) = try screen(text)
    #expect(report.verdicts == 2)
    #expect(report.skipped.repeatedHeaders == 1)
    let skipped = try TestSupport.rows(out.appendingPathComponent("skipped.csv"))
    #expect(skipped.map { $0[0].split(separator: ":").last } == ["3"])
  }

  @Test func aSubfolderNamedLikeARosterIsNotAnInput() throws {
    let folder = try TestSupport.temporaryDirectory()
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("old.csv"), withIntermediateDirectories: true)
    try Data((line(Self.header) + line(Self.person)).utf8)
      .write(to: folder.appendingPathComponent("a.csv"))
    let inputs = try ScreeningInputs.expand([folder.path])
    #expect(inputs.map { URL(fileURLWithPath: $0).lastPathComponent } == ["a.csv"])
  }
}
