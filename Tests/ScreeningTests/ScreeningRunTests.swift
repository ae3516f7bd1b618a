import CSVStream
import Foundation
import Policy
import Roster
import RosterSynthesis
import Testing

@testable import Screening

@Suite struct ScreeningRunTests {
  static let header = [
    "身份证号", "姓名", "所在区县", "职业工种", "职业技能等级", "取证日期", "近3年年度考核", "继续教育学时", "公需科目学时",
  ]
  static let eligibleCells = ["诸暨市", "钢筋工", "高级技师", "2020-06-30", "合格、合格、合格", "90", "18"]

  /// Every output file of two runs, byte for byte; none of them empty.
  static func expectSameFiles(_ one: URL, _ other: URL, _ runs: String) throws {
    for name in [
      "verdicts.csv", "rejects.csv", "skipped.csv", "summary-series-district.csv",
      "summary-skill-district.csv", "reasons.csv", "summary.json",
    ] {
      let a = try Data(contentsOf: one.appendingPathComponent(name))
      let b = try Data(contentsOf: other.appendingPathComponent(name))
      #expect(a == b, "\(name) differs between \(runs)")
      #expect(!a.isEmpty, "\(name) is empty")
    }
  }

  @Test func theOutputIsTheSameForOneJobAndForEight() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("generated.csv")
    try SyntheticRoster(seed: 11, badRate: 0.05)
      .write(rows: 50_000, to: roster.path, encoding: .utf8BOM, policy: TestSupport.defaultPolicy)
    let one = folder.appendingPathComponent("one")
    let eight = folder.appendingPathComponent("eight")
    let first = try ScreeningRun.run(
      TestSupport.configuration(inputs: [roster.path], out: one, jobs: 1, batchSize: 300))
    let second = try ScreeningRun.run(
      TestSupport.configuration(inputs: [roster.path], out: eight, jobs: 8, batchSize: 300))
    #expect(first.recordsRead == 50_000)
    #expect(first.recordsRead == first.verdicts + first.rejects)
    #expect(second.verdicts == first.verdicts)
    #expect(first.duplicates > 0)
    try Self.expectSameFiles(one, eight, "--jobs 1 and --jobs 8")
  }

  /// Several inputs with different columns and encodings, in small batches: the state a worker
  /// keeps from batch to batch (its memos, text numbers and held-back rows) must not carry
  /// anything from one input into another, whichever worker judges which batch.
  @Test func severalInputsGiveTheSameOutputForOneJobAndForFour() throws {
    let folder = try TestSupport.temporaryDirectory()
    let first = folder.appendingPathComponent("a.csv")
    try SyntheticRoster(seed: 12, badRate: 0.05)
      .write(rows: 3000, to: first.path, encoding: .utf8BOM, policy: TestSupport.defaultPolicy)
    let narrow = folder.appendingPathComponent("b.csv")
    try TestSupport.writeRoster(
      narrow, header: Self.header.reversed(),
      rows: [
        Array((["330602199001011231", "周测"] + Self.eligibleCells).reversed()),
        Array((["330602199001011231", "周测"] + Self.eligibleCells).reversed()),
        Array((["330603198805052217", "吴测"] + Self.eligibleCells).reversed()),
      ])
    let third = folder.appendingPathComponent("c.csv")
    try SyntheticRoster(seed: 13, badRate: 0.1)
      .write(rows: 2000, to: third.path, encoding: .gb18030, policy: TestSupport.defaultPolicy)
    let inputs = [first.path, narrow.path, third.path, first.path]
    var outputs: [URL] = []
    for jobs in [1, 4] {
      let out = folder.appendingPathComponent("jobs\(jobs)")
      let report = try ScreeningRun.run(
        TestSupport.configuration(inputs: inputs, out: out, jobs: jobs, batchSize: 37))
      #expect(report.recordsRead == report.verdicts + report.rejects + report.skipped.total)
      #expect(report.failedInputs.isEmpty)
      outputs.append(out)
    }
    try Self.expectSameFiles(outputs[0], outputs[1], "--jobs 1 and --jobs 4")
  }

  @Test func everyRecordEndsAsOneVerdictOrOneReject() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("r.csv")
    try TestSupport.writeRoster(
      roster, header: Self.header,
      rows: [
        ["330681199001011237", "林晓测"] + Self.eligibleCells,
        ["330681199001011237", "缺列"],
        Array(repeating: "", count: Self.header.count),
        ["33060219880303721X", "王测例"] + Self.eligibleCells,
      ])
    let out = folder.appendingPathComponent("out")
    let report = try ScreeningRun.run(TestSupport.configuration(inputs: [roster.path], out: out))
    #expect(report.recordsRead == 4)
    #expect(report.verdicts == 2)
    #expect(report.rejects == 1)
    #expect(report.skipped.blankRows == 1)
    let rejects = try TestSupport.rows(out.appendingPathComponent("rejects.csv"))
    #expect(rejects.map { $0[0] } == ["\(roster.path):3"])
    let verdicts = try TestSupport.rows(out.appendingPathComponent("verdicts.csv"))
    #expect(verdicts.map { $0[0] } == ["\(roster.path):2", "\(roster.path):5"])
    #expect(verdicts.map { $0[5] } == ["符合", "符合"])
    let summary =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any]
    let reconciliation = summary?["reconciliation"] as? [String: Any]
    #expect(reconciliation?["holds"] as? Bool == true)
    #expect(reconciliation?["recordsRead"] as? Int == 4)
  }

  @Test func aRepeatedIDAcrossFilesNamesTheFirstOccurrence() throws {
    let folder = try TestSupport.temporaryDirectory()
    let first = folder.appendingPathComponent("a.csv")
    let second = folder.appendingPathComponent("b.csv")
    try TestSupport.writeRoster(
      first, header: Self.header, rows: [["330681199001011237", "林晓测"] + Self.eligibleCells])
    try TestSupport.writeRoster(
      second, header: Self.header,
      rows: [
        ["33060219880303721X", "王测例"] + Self.eligibleCells,
        ["330681199001011237", "林晓测"] + Self.eligibleCells,
      ])
    let out = folder.appendingPathComponent("out")
    let report = try ScreeningRun.run(
      TestSupport.configuration(inputs: [first.path, second.path], out: out))
    #expect(report.duplicates == 1)
    let verdicts = try TestSupport.rows(out.appendingPathComponent("verdicts.csv"))
    #expect(verdicts.map { $0[5] } == ["符合", "符合", "需复核"])
    #expect(verdicts[2][17] == "DUPLICATE")
    #expect(verdicts[2][18].contains("\(first.path):2"))
  }

  @Test func anApplicantOnTheIntegrityListIsIneligible() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("r.csv")
    try TestSupport.writeRoster(
      roster, header: Self.header,
      rows: [
        ["330681199001011237", "林晓测"] + Self.eligibleCells,
        ["33060219880303721X", "王测例"] + Self.eligibleCells,
      ])
    let list = folder.appendingPathComponent("list.txt")
    try Data("33060219880303721X\n".utf8).write(to: list)
    let out = folder.appendingPathComponent("out")
    try ScreeningRun.run(
      TestSupport.configuration(
        inputs: [roster.path], out: out, integrity: IntegrityList.load(path: list.path)))
    let verdicts = try TestSupport.rows(out.appendingPathComponent("verdicts.csv"))
    #expect(verdicts.map { $0[5] } == ["符合", "不符合"])
    #expect(verdicts[1][17] == "INTEGRITY")
    #expect(verdicts[1][18].contains("五（三）"))
  }

  @Test func anIntegrityListWithAHeaderIsReadByColumn() throws {
    let folder = try TestSupport.temporaryDirectory()
    let list = folder.appendingPathComponent("list.csv")
    try Data("\u{FEFF}姓名,身份证号\r\n王测例,33060219880303721X\r\n".utf8).write(to: list)
    let loaded = try IntegrityList.load(path: list.path)
    #expect(loaded.count == 1)
    #expect(loaded.contains("33060219880303721X"))
  }

  @Test func englishOutputHasEnglishHeadersAndReasons() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("r.csv")
    try TestSupport.writeRoster(
      roster, header: Self.header,
      rows: [
        ["330681199001011237", "林晓测", "诸暨市", "钢筋工", "高级工", "2026-01-01", "合格、合格、合格", "90", "18"]
      ])
    let out = folder.appendingPathComponent("out")
    try ScreeningRun.run(
      TestSupport.configuration(inputs: [roster.path], out: out, language: .english))
    let header = try TestSupport.header(out.appendingPathComponent("verdicts.csv"))
    #expect(header.first == "Source")
    #expect(header.contains("Reason codes"))
    let verdicts = try TestSupport.rows(out.appendingPathComponent("verdicts.csv"))
    #expect(verdicts[0][5] == "ineligible")
    #expect(verdicts[0][18].contains("2028-01-01"))
    #expect(!verdicts[0][18].contains("取得"))
  }

  @Test(arguments: OutputEncoding.allCases)
  func eachOutputEncodingReadsBack(_ encoding: OutputEncoding) throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("r.csv")
    try TestSupport.writeRoster(
      roster, header: Self.header, rows: [["330681199001011237", "林䶮𠮷"] + Self.eligibleCells])
    let out = folder.appendingPathComponent("out")
    try ScreeningRun.run(
      TestSupport.configuration(inputs: [roster.path], out: out, encoding: encoding))
    let file = out.appendingPathComponent("verdicts.csv")
    let bytes = try Data(contentsOf: file)
    #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]) == (encoding == .utf8BOM))
    let forced: InputEncoding = encoding == .gb18030 ? .gb18030 : .utf8
    let verdicts = try TestSupport.rows(file, encoding: forced)
    #expect(verdicts[0][2] == "林䶮𠮷")
    #expect(verdicts[0][5] == "符合")
    #expect(verdicts[0][1].trimmingCharacters(in: .whitespaces) == "330681199001011237")
  }

  @Test func outputFilesAreReadableByTheirOwnerOnly() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("r.csv")
    try TestSupport.writeRoster(
      roster, header: Self.header, rows: [["330681199001011237", "林晓测"] + Self.eligibleCells])
    let out = folder.appendingPathComponent("out")
    try ScreeningRun.run(TestSupport.configuration(inputs: [roster.path], out: out))
    let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
    #expect(files.count == 7)
    for name in files {
      let attributes = try FileManager.default.attributesOfItem(
        atPath: out.appendingPathComponent(name).path)
      #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(name)")
    }
    let folderAttributes = try FileManager.default.attributesOfItem(atPath: out.path)
    #expect((folderAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
  }

  @Test func aFolderInputReadsItsRostersInNameOrder() throws {
    let folder = try TestSupport.temporaryDirectory()
    let inbox = folder.appendingPathComponent("inbox")
    try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
    try TestSupport.writeRoster(
      inbox.appendingPathComponent("b.csv"), header: Self.header,
      rows: [["33060219880303721X", "王测例"] + Self.eligibleCells])
    try TestSupport.writeRoster(
      inbox.appendingPathComponent("a.csv"), header: Self.header,
      rows: [["330681199001011237", "林晓测"] + Self.eligibleCells])
    try Data("not a roster".utf8).write(to: inbox.appendingPathComponent("notes.txt"))
    let inputs = try ScreeningInputs.expand([inbox.path])
    #expect(inputs.map { URL(fileURLWithPath: $0).lastPathComponent } == ["a.csv", "b.csv"])
    let out = folder.appendingPathComponent("out")
    try ScreeningRun.run(TestSupport.configuration(inputs: inputs, out: out))
    let verdicts = try TestSupport.rows(out.appendingPathComponent("verdicts.csv"))
    #expect(verdicts.map { $0[2] } == ["林晓测", "王测例"])
  }

  @Test func aRosterWithoutRequiredColumnsFailsThatFileAndNamesTheColumns() throws {
    let folder = try TestSupport.temporaryDirectory()
    let bad = folder.appendingPathComponent("bad.csv")
    try TestSupport.writeRoster(bad, header: ["编号", "单位"], rows: [["1", "某单位"]])
    let good = folder.appendingPathComponent("good.csv")
    try TestSupport.writeRoster(
      good, header: Self.header, rows: [["330681199001011237", "林晓测"] + Self.eligibleCells])
    let out = folder.appendingPathComponent("out")
    let report = try ScreeningRun.run(
      TestSupport.configuration(inputs: [bad.path, good.path], out: out))
    #expect(report.failedInputs.map(\.path) == [bad.path])
    #expect(report.failedInputs.first?.failure?.contains("身份证号") == true)
    #expect(report.verdicts == 1)
  }

  @Test func anExistingFolderThatIsNotAResultIsNotOverwritten() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("r.csv")
    try TestSupport.writeRoster(
      roster, header: Self.header, rows: [["330681199001011237", "林晓测"] + Self.eligibleCells])
    let out = folder.appendingPathComponent("precious")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try Data("keep me".utf8).write(to: out.appendingPathComponent("thesis.docx"))
    #expect(throws: ScreeningError.self) {
      try ScreeningRun.run(TestSupport.configuration(inputs: [roster.path], out: out))
    }
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("thesis.docx").path))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(leftovers.sorted() == ["precious", "r.csv"])
    let again = folder.appendingPathComponent("result")
    try ScreeningRun.run(TestSupport.configuration(inputs: [roster.path], out: again))
    try ScreeningRun.run(TestSupport.configuration(inputs: [roster.path], out: again))
    #expect(try TestSupport.rows(again.appendingPathComponent("verdicts.csv")).count == 1)
  }

  @Test func quartersEndOnTheirLastDay() {
    #expect(ScreeningDate.lastDay(ofQuarter: "2026Q3")?.description == "2026-09-30")
    #expect(ScreeningDate.lastDay(ofQuarter: "2024q1")?.description == "2024-03-31")
    #expect(ScreeningDate.lastDay(ofQuarter: "2026Q5") == nil)
    #expect(ScreeningDate.parse("2023-02-30") == nil)
  }
}
