import CSVStream
import Foundation
import Roster
import Testing

@testable import Screening

/// The enterprise and bureau tools around `screen`: `check`, `template`, `explain` and
/// `policy show/check/export`, run as the built binary on files written for each test.
@Suite struct ToolCommandTests {
  // MARK: - Helpers

  /// An invented ID number with a valid GB 11643 check digit.
  static func id(_ first17: String) -> String {
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    let sum = zip(first17.utf8, weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
    return first17 + String(Array("10X98765432")[sum % 11])
  }

  static let alice = id("33060219850312123")
  static let bob = id("33068119900101123")
  static let carol = id("33062419881111456")

  static let header = [
    "身份证号", "姓名", "所在区县", "申报方向", "职业工种", "职业技能等级", "取证日期", "近3年年度考核", "继续教育学时",
    "公需科目学时", "事业单位在编", "是否仍在相关岗位",
  ]

  /// A direction-A row that meets every rule (钢筋工, 高级技师 since 2020-06-30).
  static func goodRow(_ id: String, _ name: String) -> [String] {
    [id, name, "越城区", "A", "钢筋工", "高级技师", "2020-06-30", "合格、合格、优秀", "90", "18", "否", "是"]
  }

  static func writeRoster(
    _ folder: URL, _ name: String, header: [String] = header, _ rows: [[String]]
  )
    throws -> URL
  {
    let url = folder.appendingPathComponent(name)
    try TestSupport.writeRoster(url, header: header, rows: rows)
    return url
  }

  static func run(_ arguments: [String], in folder: URL? = nil, input: Data? = nil) throws
    -> TestSupport.Result
  {
    let result = try TestSupport.run(arguments, in: folder, input: input)
    #expect(!result.standardError.contains("Fatal error"), "\(result.standardError)")
    return result
  }

  // MARK: - template

  @Test func templateWritesEveryColumnAndAnExampleRowWithAValidID() throws {
    let folder = try TestSupport.temporaryDirectory()
    let file = folder.appendingPathComponent("花名册.csv")
    let result = try Self.run(["template", "--out", file.path])
    #expect(result.status == 0, "\(result.standardError)")
    let bytes = try Data(contentsOf: file)
    #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
    #expect(try TestSupport.header(file) == RosterColumn.allCases.map(\.header))
    let rows = try TestSupport.rows(file)
    #expect(rows.count == 1)
    let example = try #require(rows.first)
    #expect(example[1] == "示例（请删除本行）")
    let idCell = example[0].trimmingCharacters(in: .whitespaces)
    #expect(ValueParser.idNumber(idCell) == .valid)
    let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions]
    #expect((permissions as? NSNumber)?.intValue == 0o600)
  }

  @Test func templateNeverOverwritesAFile() throws {
    let folder = try TestSupport.temporaryDirectory()
    let file = folder.appendingPathComponent("filled.csv")
    try Data("身份证号,姓名\n".utf8).write(to: file)
    let result = try Self.run(["template", "--out", file.path])
    #expect(result.status == 2)
    #expect(result.standardError.contains("未覆盖"))
    #expect(try String(contentsOf: file, encoding: .utf8) == "身份证号,姓名\n")
  }

  @Test func templateOnStandardOutputInEveryEncoding() throws {
    let folder = try TestSupport.temporaryDirectory()
    for encoding in OutputEncoding.allCases {
      let process = Process()
      process.executableURL = try TestSupport.binary
      process.arguments = ["template", "--output-encoding", encoding.rawValue]
      let pipe = Pipe()
      process.standardOutput = pipe
      try process.run()
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
      #expect(data.starts(with: [0xEF, 0xBB, 0xBF]) == (encoding == .utf8BOM))
      let file = folder.appendingPathComponent("\(encoding.rawValue).csv")
      try data.write(to: file)
      let forced: InputEncoding = encoding == .gb18030 ? .gb18030 : .utf8
      let records = try CSVReader(path: file.path, options: CSVReaderOptions(encoding: forced))
        .readAll()
      #expect(records.first?.fields == RosterColumn.allCases.map(\.header))
      #expect(records.dropFirst().first?.fields[1] == "示例（请删除本行）")
    }
  }

  /// The workflow of the enterprise guide: template, check finds the example row, delete it and
  /// fill a real row, check is clean.
  @Test func checkAsksForTheTemplateExampleRowToBeDeleted() throws {
    let folder = try TestSupport.temporaryDirectory()
    let file = folder.appendingPathComponent("花名册.csv")
    #expect(try Self.run(["template", "--out", file.path]).status == 0)
    let first = try Self.run(["check", file.path])
    #expect(first.status == 1)
    #expect(first.standardOutput.contains("【示例行，请删除】1 处"))
    #expect(first.standardOutput.contains("花名册.csv:2: 模板的示例行，请删除（示例（请删除本行））"))

    var row = RosterTemplate.exampleRow
    row[0] = Self.alice
    row[1] = "林测甲"
    try TestSupport.writeRoster(file, header: RosterTemplate.header, rows: [row])
    let second = try Self.run(["check", file.path])
    #expect(second.status == 0, "\(second.standardOutput)")
    #expect(second.standardOutput.contains("未发现问题"))
  }

  /// The example row is known by its ID number alone, or by its name alone however it is
  /// spelt once normalised (ASCII brackets, blanks around); a name that only starts so is not.
  @Test func checkFindsTheExampleRowByItsNameOrItsIDNumber() throws {
    let folder = try TestSupport.temporaryDirectory()
    let file = folder.appendingPathComponent("花名册.csv")
    let rows: [(id: String, name: String)] = [
      (Self.alice, "示例(请删除本行)"),
      (RosterTemplate.exampleIDNumber, "林测甲"),
      (Self.bob, " 示例（请删除本行） "),
      (Self.carol, "示例（请删除）"),
    ]
    try TestSupport.writeRoster(
      file, header: RosterTemplate.header,
      rows: rows.map { row in
        var cells = RosterTemplate.exampleRow
        cells[0] = row.id
        cells[1] = row.name
        return cells
      })
    let result = try Self.run(["check", file.path])
    #expect(result.standardOutput.contains("【示例行，请删除】3 处"), "\(result.standardOutput)")
    for (line, isExample) in [(2, true), (3, true), (4, true), (5, false)] {
      #expect(result.standardOutput.contains("花名册.csv:\(line): 模板的示例行") == isExample)
    }
  }

  /// An applicant made in code, not read by the parser, is the example by the name as the
  /// template writes it as well as by its normalised spelling.
  @Test func anApplicantMadeInCodeIsTheExampleByEitherSpelling() {
    let location = SourceLocation(file: "a.csv", line: 2)
    for (name, isExample) in [
      (RosterTemplate.exampleName, true), ("示例(请删除本行)", true), ("示例（请删除）", false),
    ] {
      let applicant = Applicant(location: location, idNumber: Self.alice, name: name)
      #expect(RosterTemplate.isExample(applicant) == isExample, "\(name)")
    }
    let byID = Applicant(location: location, idNumber: RosterTemplate.exampleIDNumber, name: "林测甲")
    #expect(RosterTemplate.isExample(byID))
  }

  // MARK: - check

  @Test func checkOfACleanRosterExitsZeroAndSaysSo() throws {
    let folder = try TestSupport.temporaryDirectory()
    let file = try Self.writeRoster(
      folder, "clean.csv", [Self.goodRow(Self.alice, "林测甲"), Self.goodRow(Self.bob, "周测乙")])
    let result = try Self.run(["check", file.path])
    #expect(result.status == 0, "\(result.standardOutput)")
    #expect(result.standardOutput.contains("UTF-8（带 BOM），表头在第 1 行，数据 2 行，识别 12 列"))
    #expect(result.standardOutput.contains("结果：未发现问题"))
  }

  @Test func checkNamesEveryColumnARuleNeedsThatTheHeaderLacks() throws {
    let folder = try TestSupport.temporaryDirectory()
    let header = Array(Self.header.prefix(8)) + Array(Self.header.suffix(2))
    let row = Self.goodRow(Self.alice, "林测甲")
    let file = try Self.writeRoster(
      folder, "no-hours.csv", header: header, [Array(row.prefix(8)) + Array(row.suffix(2))])
    let result = try Self.run(["check", file.path])
    #expect(result.status == 1)
    #expect(result.standardOutput.contains(":1 继续教育学时: 表头中没有这一列"))
    #expect(result.standardOutput.contains(":1 公需科目学时: 表头中没有这一列"))
  }

  @Test func explainSearchesTheOtherInputsWhenOneCannotBeRead() throws {
    let folder = try TestSupport.temporaryDirectory()
    let workbook = folder.appendingPathComponent("a.csv")
    try Data("PK\u{03}\u{04}not really a roster".utf8).write(to: workbook)
    let good = try Self.writeRoster(folder, "b.csv", [Self.goodRow(Self.alice, "林测甲")])
    let result = try Self.run([
      "explain", workbook.path, good.path, "--id", Self.alice, "--as-of", "2026-09-30",
    ])
    #expect(result.status == 0)
    #expect(result.standardError.contains("a.csv"))
    #expect(result.standardOutput.contains("林测甲"))
    let alone = try Self.run(["explain", workbook.path, "--id", Self.alice])
    #expect(alone.status == 2)
  }

  struct Expected: Sendable, CustomTestStringConvertible {
    var heading: String
    var line: String
    var testDescription: String { heading }
  }

  static let messyHeader = [
    "序号", "身份证号", "姓名", "技能等级", "发证日期", "工种", "近3年年度考核", "继续教育学时", "公需科目学时", "荣誉", "事业编制",
  ]

  static var messyRows: [[String]] {
    [
      ["1", "3.30602E+17", "王测一", "高级技师", "2020-06-30", "钢筋工", "合格、合格、合格", "90", "18", "", "否"],
      ["2", bob, "李测二", "七级", "2023-02-30", "钢筋工", "合格、合格", "九十", "18", "县级先进个人", "也许"],
      ["3", bob, "李测二", "高级工", "2020-01-01", "电焊工", "合格、合格、合格", "90", "18", "", "否"],
      ["4", carol, "周测三", "技师"],
      ["5", "", "", "高级工", "2020-01-01", "钢筋工", "合格、合格、合格", "90", "18", "", "否"],
      [
        "6", id("33060219850312000"), "吴测四", "技师", "2019/6/1", "钢筋工", "合格、合格、合格", "90", "", "", "否",
      ],
    ]
  }

  /// Every kind of data problem is named with file:line, the column as written and the value.
  @Test(arguments: [
    Expected(heading: "【身份证号无效】1 处", line: "messy.csv:2 身份证号: 科学计数法，已被Excel损坏（3.30602E+17）"),
    Expected(heading: "【等级无法识别】1 处", line: "messy.csv:3 技能等级: 技能等级只有一级至五级及特级、首席技师（七级）"),
    Expected(heading: "【日期无法识别】1 处", line: "messy.csv:3 发证日期: 日期不存在（2023-02-30）"),
    Expected(heading: "【学时或年限无法识别】1 处", line: "messy.csv:3 继续教育学时: 无法识别的学时（九十）"),
    Expected(heading: "【是/否或申报方向无法识别】1 处", line: "messy.csv:3 事业编制: 无法识别的是/否值（也许）"),
    Expected(heading: "【身份证号重复】1 处", line: "messy.csv:4 身份证号: 与 messy.csv:3 重复（\(bob)）"),
    Expected(heading: "【职业工种不在附件1中】1 处", line: "messy.csv:4 工种: 不在附件1"),
    Expected(heading: "【列数与表头不一致】1 处", line: "messy.csv:5: 字段数为 4，表头为 11"),
    Expected(heading: "【没有身份证号和姓名】1 处", line: "messy.csv:6: 身份证号和姓名均为空"),
    Expected(heading: "【缺少规则需要的数据】2 处", line: "messy.csv:7 公需科目学时: "),
    Expected(heading: "【未识别的列】1 处", line: "messy.csv:1 序号: 未识别的列（第1列）"),
    Expected(heading: "【未识别的荣誉】1 处", line: "messy.csv:3 荣誉: 政策荣誉表中没有此荣誉"),
  ])
  func checkNamesEveryProblem(_ expected: Expected) throws {
    let folder = try TestSupport.temporaryDirectory()
    let file = try Self.writeRoster(folder, "messy.csv", header: Self.messyHeader, Self.messyRows)
    let result = try Self.run(["check", "messy.csv"], in: folder)
    #expect(result.status == 1)
    #expect(result.standardOutput.contains(expected.heading), "\(result.standardOutput)")
    #expect(result.standardOutput.contains(expected.line), "\(result.standardOutput)")
    #expect(FileManager.default.fileExists(atPath: file.path))
  }

  @Test func checkCountsProblemsAndRowsAndKeepsNoticesOutOfTheExitStatus() throws {
    let folder = try TestSupport.temporaryDirectory()
    _ = try Self.writeRoster(folder, "messy.csv", header: Self.messyHeader, Self.messyRows)
    let messy = try Self.run(["check", "messy.csv"], in: folder)
    #expect(messy.standardOutput.contains("涉及 6 行（共检查 6 行）"), "\(messy.standardOutput)")
    #expect(messy.standardOutput.contains("（另有 2 条提示）"))
    #expect(messy.standardOutput.contains("怎么改：把身份证号列设为“文本”格式"))

    let noticesOnly = try Self.writeRoster(
      folder, "notices.csv", header: ["序号"] + Self.header,
      [["1"] + Self.goodRow(Self.alice, "林测甲")])
    let result = try Self.run(["check", noticesOnly.path])
    #expect(result.status == 0, "\(result.standardOutput)")
    #expect(result.standardOutput.contains("【未识别的列】1 处 —— 提示，不影响结果"))
  }

  @Test func checkFindsAnIDRepeatedAcrossInputs() throws {
    let folder = try TestSupport.temporaryDirectory()
    let first = try Self.writeRoster(folder, "a.csv", [Self.goodRow(Self.alice, "林测甲")])
    let second = try Self.writeRoster(
      folder, "b.csv", [Self.goodRow(Self.bob, "周测乙"), Self.goodRow(Self.alice, "林测甲")])
    let result = try Self.run(["check", first.path, second.path])
    #expect(result.status == 1)
    #expect(result.standardOutput.contains("b.csv:3 身份证号: 与 \(first.path):2 重复（\(Self.alice)）"))
  }

  @Test func checkReportsAColumnTheRulesNeedOnceForTheFile() throws {
    let folder = try TestSupport.temporaryDirectory()
    let header = Self.header.filter { $0 != "近3年年度考核" }
    let rows = [Self.goodRow(Self.alice, "林测甲"), Self.goodRow(Self.bob, "周测乙")].map { row in
      row.enumerated().filter { Self.header[$0.offset] != "近3年年度考核" }.map(\.element)
    }
    let file = try Self.writeRoster(folder, "short.csv", header: header, rows)
    let result = try Self.run(["check", file.path])
    #expect(result.status == 1)
    #expect(result.standardOutput.contains("【缺少规则需要的列】1 处"), "\(result.standardOutput)")
    #expect(result.standardOutput.contains("近3年年度考核: 表头中没有这一列"))
    #expect(result.standardOutput.contains("2 行因此需复核"))
  }

  @Test func checkReportsBrokenQuotesAtTheRecordWhereTheyStart() throws {
    let folder = try TestSupport.temporaryDirectory()
    let file = folder.appendingPathComponent("quotes.csv")
    let text =
      "身份证号,姓名,职业工种\n\(Self.alice),林测甲,钢筋工\n\(Self.bob),\"周测乙,钢筋工\n\(Self.carol),吴测,钢筋工\n"
    try Data(text.utf8).write(to: file)
    let result = try Self.run(["check", file.path])
    #expect(result.status == 1)
    #expect(result.standardOutput.contains("【CSV 格式错误】1 处"), "\(result.standardOutput)")
    #expect(result.standardOutput.contains("quotes.csv:3: 引号未闭合"))
  }

  @Test func checkNamesTheAcceptedHeadersWhenARequiredColumnIsMissing() throws {
    let folder = try TestSupport.temporaryDirectory()
    let file = folder.appendingPathComponent("wrong.csv")
    try Data("编号,单位,职业工种\n1,某单位,钢筋工\n".utf8).write(to: file)
    let result = try Self.run(["check", file.path])
    #expect(result.status == 1)
    #expect(result.standardOutput.contains("【缺少必需的列】1 处"), "\(result.standardOutput)")
    #expect(result.standardOutput.contains("公民身份号码"))
    #expect(result.standardOutput.contains("申报人姓名"))
  }

  @Test func checkReportsAFileWithOnlyAHeader() throws {
    let folder = try TestSupport.temporaryDirectory()
    let file = try Self.writeRoster(folder, "empty-roster.csv", [])
    let result = try Self.run(["check", file.path])
    #expect(result.status == 1)
    #expect(result.standardOutput.contains("【没有数据行】1 处"), "\(result.standardOutput)")
    #expect(result.standardOutput.contains("empty-roster.csv:1: 只有表头，没有数据行"))
  }

  struct Unreadable: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var message: String
    var testDescription: String { name }
  }

  @Test(arguments: [
    Unreadable(
      name: "book.csv", bytes: [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 6, 0], message: "Excel 工作簿（xlsx）"),
    Unreadable(
      name: "old.csv", bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0],
      message: "Excel 工作簿（xls）"),
    Unreadable(name: "empty.csv", bytes: [], message: "找不到表头"),
    Unreadable(name: "numbers.csv", bytes: Array("a,b\n1,2\n".utf8), message: "表头"),
  ])
  func checkExitsWithTwoForAFileItCannotRead(_ unreadable: Unreadable) throws {
    let folder = try TestSupport.temporaryDirectory()
    let file = folder.appendingPathComponent(unreadable.name)
    try Data(unreadable.bytes).write(to: file)
    let good = try Self.writeRoster(folder, "good.csv", [Self.goodRow(Self.alice, "林测甲")])
    let result = try Self.run(["check", file.path, good.path])
    #expect(result.status == 2)
    #expect(result.standardOutput.contains("无法读取"), "\(result.standardOutput)")
    #expect(result.standardOutput.contains(unreadable.message), "\(result.standardOutput)")
    #expect(result.standardOutput.contains("good.csv：UTF-8"))
  }

  @Test func checkOfAMissingFileExitsWithTwo() throws {
    let result = try Self.run(["check", "no-such-roster.csv"])
    #expect(result.status == 2)
    #expect(result.standardError.contains("no-such-roster.csv"))
  }

  @Test func checkAsCSVListsEveryProblemWithItsSourceColumnProblemAndValue() throws {
    let folder = try TestSupport.temporaryDirectory()
    _ = try Self.writeRoster(folder, "messy.csv", header: Self.messyHeader, Self.messyRows)
    let out = folder.appendingPathComponent("problems.csv")
    let result = try Self.run(
      ["check", "messy.csv", "--format", "csv", "--out", out.path], in: folder)
    #expect(result.status == 1)
    #expect(try Data(contentsOf: out).starts(with: [0xEF, 0xBB, 0xBF]))
    #expect(try TestSupport.header(out) == ["来源", "列", "问题", "值"])
    let rows = try TestSupport.rows(out)
    #expect(rows.count == 13)
    #expect(rows.contains(["messy.csv:2", "身份证号", "身份证号无效：科学计数法，已被Excel损坏", "3.30602E+17"]))
    #expect(rows.contains(["messy.csv:3", "发证日期", "日期无法识别：日期不存在", "2023-02-30"]))
    let permissions = try FileManager.default.attributesOfItem(atPath: out.path)[.posixPermissions]
    #expect((permissions as? NSNumber)?.intValue == 0o600)

    let standardOutput = try Self.run(["check", "messy.csv", "--format", "csv"], in: folder)
    #expect(standardOutput.status == 1)
    #expect(Data(standardOutput.standardOutput.utf8) == (try Data(contentsOf: out)))
  }

  @Test func checkSpeaksEnglishWhenAsked() throws {
    let folder = try TestSupport.temporaryDirectory()
    _ = try Self.writeRoster(folder, "messy.csv", header: Self.messyHeader, Self.messyRows)
    let result = try Self.run(["check", "messy.csv", "--lang", "en"], in: folder)
    #expect(result.status == 1)
    #expect(result.standardOutput.contains("[Invalid ID numbers] 1"))
    #expect(result.standardOutput.contains("How to fix:"))
    let csv = try Self.run(["check", "messy.csv", "--lang", "en", "--format", "csv"], in: folder)
    #expect(csv.standardOutput.hasPrefix("\u{FEFF}Source,Column,Problem,Value"))
  }

  @Test func checkReadsGB18030AndStandardInput() throws {
    let folder = try TestSupport.temporaryDirectory()
    let out = folder.appendingPathComponent("gb.csv")
    let writer = try CSVWriter(path: out.path, encoding: .gb18030)
    try writer.write(row: Self.header)
    try writer.write(row: Self.goodRow(Self.alice, "林测甲"))
    try writer.close()
    let result = try Self.run(["check", out.path])
    #expect(result.status == 0, "\(result.standardOutput)")
    #expect(result.standardOutput.contains("GB18030"))

    let text = "身份证号,姓名,职业技能等级\n\(Self.bob),周测乙,七级\n"
    let piped = try Self.run(["check", "-"], input: Data(text.utf8))
    #expect(piped.status == 1)
    #expect(piped.standardOutput.contains("stdin:2 职业技能等级: "))
  }

  // MARK: - explain

  @Test func explainTellsTheVerdictStepByStepWithClausesAndHeadersAsWritten() throws {
    let folder = try TestSupport.temporaryDirectory()
    let header = Self.header.map { $0 == "职业技能等级" ? "技能等级" : $0 == "取证日期" ? "发证日期" : $0 }
    var row = Self.goodRow(Self.alice, "林测甲")
    row[5] = "技师"
    row[6] = "2024-03-01"
    _ = try Self.writeRoster(folder, "roster.csv", header: header, [row])
    let result = try Self.run(
      ["explain", "roster.csv", "--id", Self.alice, "--as-of", "2026-09-30"], in: folder)
    #expect(result.status == 0, "\(result.standardError)")
    let text = result.standardOutput
    for expected in [
      "林测甲，身份证号 \(Self.alice)，roster.csv:2",
      "职业技能等级：技师（表头“技能等级”）",
      "取证日期：2024-03-01（表头“发证日期”）",
      "[满足] 二（一）2 年度考核",
      "[满足] 二（一）3 继续教育：继续教育 90 + 技能培训 0 = 90 学时",
      "[满足] 二（二）1 正常申报助理级",
      "[不满足] 二（二）2 正常申报中级：需技师及以上满3年；将于 2027-03-01 满足",
      "[说明] 二（二）2 下一等级：中级：将于 2027-03-01 满足年限",
      "附件1第21行",
      "[满足] 二（一）6 事业单位在编：否",
      "[不适用] 五（三） 诚信：未提供诚信名单",
      "职称申报：符合 —— 可申报助理级（正常申报），职称系列 建设工程",
    ] {
      #expect(text.contains(expected), "missing: \(expected)\n\(text)")
    }
  }

  /// The conclusion `explain` gives is the one `screen` writes for the same row and date.
  @Test func explainAgreesWithScreen() throws {
    let folder = try TestSupport.temporaryDirectory()
    let out = folder.appendingPathComponent("out")
    let screen = try Self.run([
      "screen", "samples/roster-utf8.csv", "--as-of", "2026-09-30", "--out", out.path,
      "--no-progress",
    ])
    #expect(screen.status == 0, "\(screen.standardError)")
    let verdicts = try TestSupport.rows(out.appendingPathComponent("verdicts.csv"))
    var explained = 0
    var seen = Set<String>()
    for row in verdicts.prefix(25) {
      let id = row[1].trimmingCharacters(in: .whitespaces)
      guard ValueParser.idNumber(id) == .valid, seen.insert(id).inserted else { continue }
      let result = try Self.run([
        "explain", "samples/roster-utf8.csv", "--id", id, "--as-of", "2026-09-30", "--format",
        "json",
      ])
      #expect(result.status == 0, "\(result.standardError)")
      let json = try #require(
        try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
          as? [String: Any])
      let occurrences = try #require(json["occurrences"] as? [[String: Any]])
      let first = try #require(occurrences.first)
      #expect(first["source"] as? String == row[0])
      let title = try #require(first["title"] as? [String: Any])
      let skill = try #require(first["skill"] as? [String: Any])
      #expect(title["conclusionText"] as? String == row[5], "\(id)")
      #expect((title["target"] as? String ?? "") == row[6], "\(id)")
      #expect(skill["conclusionText"] as? String == row[11], "\(id)")
      let codes = (first["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
      #expect(codes.joined(separator: ";") == row[17], "\(id)")
      explained += 1
    }
    #expect(explained >= 10)
  }

  @Test func explainShowsEveryOccurrenceAndTheLaterOnesAreDuplicates() throws {
    let folder = try TestSupport.temporaryDirectory()
    _ = try Self.writeRoster(folder, "a.csv", [Self.goodRow(Self.alice, "林测甲")])
    _ = try Self.writeRoster(
      folder, "b.csv", [Self.goodRow(Self.bob, "周测乙"), Self.goodRow(Self.alice, "林测甲")])
    let result = try Self.run(
      ["explain", "a.csv", "b.csv", "--id", Self.alice, "--as-of", "2026-09-30"], in: folder)
    #expect(result.status == 0)
    #expect(result.standardOutput.contains("第 1 处，共 2 处"))
    #expect(result.standardOutput.contains("第 2 处，共 2 处（重复）"))
    #expect(result.standardOutput.contains("[需复核] 重复：同一身份证号已在 a.csv:2 出现"))
    #expect(result.standardOutput.contains("身份证号重复，首次出现于a.csv:2"))
  }

  @Test func explainOfAnUnknownIDExitsWithOneNamingTheInputs() throws {
    let folder = try TestSupport.temporaryDirectory()
    _ = try Self.writeRoster(folder, "a.csv", [Self.goodRow(Self.alice, "林测甲")])
    _ = try Self.writeRoster(folder, "b.csv", [Self.goodRow(Self.bob, "周测乙")])
    let result = try Self.run(["explain", "a.csv", "b.csv", "--id", Self.carol], in: folder)
    #expect(result.status == 1)
    #expect(result.standardOutput.isEmpty)
    #expect(result.standardError.contains("没有找到身份证号 \(Self.carol)"))
    #expect(result.standardError.contains("a.csv, b.csv"))
  }

  @Test func explainAsJSONHasStableKeysAndTheIntegrityList() throws {
    let folder = try TestSupport.temporaryDirectory()
    _ = try Self.writeRoster(folder, "a.csv", [Self.goodRow(Self.alice, "林测甲")])
    try Data("\(Self.alice)\n".utf8).write(to: folder.appendingPathComponent("list.txt"))
    let result = try Self.run(
      [
        "explain", "a.csv", "--id", Self.alice.lowercased(), "--quarter", "2026Q3", "--format",
        "json", "--integrity-list", "list.txt",
      ], in: folder)
    #expect(result.status == 0, "\(result.standardError)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    #expect(
      Set(json.keys) == [
        "asOf", "idNumber", "inputs", "integrityListChecked", "language", "occurrences",
        "policyDocument",
      ])
    #expect(json["asOf"] as? String == "2026-09-30")
    #expect(json["integrityListChecked"] as? Bool == true)
    let occurrence = try #require((json["occurrences"] as? [[String: Any]])?.first)
    #expect(
      Set(occurrence.keys) == [
        "directions", "equivalentEducation", "idNumber", "name", "reasons", "skill", "source",
        "steps", "title", "values",
      ])
    let title = try #require(occurrence["title"] as? [String: Any])
    #expect(
      Set(title.keys) == [
        "conclusion", "conclusionText", "nextDate", "nextLevel", "routes", "series", "specialty",
        "target",
      ])
    #expect(title["conclusion"] as? String == "ineligible")
    let steps = try #require(occurrence["steps"] as? [[String: Any]])
    #expect(
      steps.allSatisfy { Set($0.keys) == ["clause", "detail", "outcome", "section", "title"] })
    #expect(
      steps.contains { $0["clause"] as? String == "五（三）" && $0["outcome"] as? String == "not-met" })
    let codes = (occurrence["reasons"] as? [[String: Any]] ?? []).compactMap {
      $0["code"] as? String
    }
    #expect(codes.contains("INTEGRITY"))
  }

  @Test func explainRefusesADateGivenTwice() throws {
    let result = try Self.run([
      "explain", "samples/roster-utf8.csv", "--id", Self.alice, "--as-of", "2026-09-30",
      "--quarter", "2026Q3",
    ])
    #expect(result.status == 2)
    #expect(result.standardError.contains("--quarter"))
  }

  // MARK: - policy

  @Test func policyShowPrintsEveryTableWithClauses() throws {
    let result = try Self.run(["policy", "show", "--as-of", "2026-09-30"])
    #expect(result.status == 0)
    for expected in [
      "政策：绍市人社发〔2023〕3号", "基准日：2026-09-30", "二（一）3 每年继续教育不少于 90 学时，其中公需科目不少于 18 学时",
      "二（二）1 高级工及以上，取得后满 2 年 → 助理级", "二（三）3 → 正高级：世界技能大赛金牌", "世赛金牌 → 世界技能大赛金牌",
      "四（一）4 正高级 → 首席技师（须已取得特级技师）", "高级工班 → 大专", "六、附件1", "第21行 建设工程", "七、附件2",
      "诸暨技师学院（诸暨市） 联系人 杨波 15925816201", "车工、铣工：中级工、高级工、技师、高级技师",
    ] {
      #expect(result.standardOutput.contains(expected), "missing: \(expected)")
    }
  }

  @Test func policyExportWritesTheBundleOnceAndSaysWhatToEdit() throws {
    let folder = try TestSupport.temporaryDirectory().appendingPathComponent("my-policy")
    let first = try Self.run(["policy", "export", folder.path])
    #expect(first.status == 0)
    #expect(first.standardOutput.contains("policy.yaml"))
    #expect(first.standardOutput.contains("talent-screen policy check \(folder.path)"))
    for name in ["policy.yaml", "annex1-occupations.csv", "annex2-service-points.csv"] {
      #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path))
    }
    let second = try Self.run(["policy", "export", folder.path])
    #expect(second.status == 2)
    #expect(second.standardError.contains("未覆盖"))
  }

  static func exportedPolicy() throws -> URL {
    let folder = try TestSupport.temporaryDirectory().appendingPathComponent("policy")
    #expect(try Self.run(["policy", "export", folder.path]).status == 0)
    return folder
  }

  static func edit(_ folder: URL, _ name: String, _ change: (String) -> String) throws {
    let url = folder.appendingPathComponent(name)
    let text = try String(contentsOf: url, encoding: .utf8)
    let changed = change(text)
    #expect(changed != text)
    try Data(changed.utf8).write(to: url)
  }

  @Test func policyCheckOfTheBundledPolicyWarnsAboutAnnex2OccupationsMissingFromAnnex1() throws {
    let folder = try Self.exportedPolicy()
    let result = try Self.run(["policy", "check", folder.path])
    #expect(result.status == 1)
    #expect(result.standardOutput.contains("政策可以加载"))
    #expect(result.standardOutput.contains("附件2的职业工种不在附件1中"))
    #expect(result.standardOutput.contains("annex2-service-points.csv:3 职业工种: “电工”"))
    #expect(!result.standardOutput.contains("两个系列"))
    #expect(!result.standardOutput.contains("别名"))
  }

  @Test func policyCheckOfACleanBundleExitsZero() throws {
    let folder = try Self.exportedPolicy()
    let annex2 = folder.appendingPathComponent("annex2-service-points.csv")
    let header = "\u{FEFF}序号,机构,所在区县,职业工种,等级,联系人,联系电话,生效日期,失效日期\r\n"
    try Data((header + "1,示例技师学院,越城区,钢筋工,3、2,林测,0575-00000000,,\r\n").utf8).write(to: annex2)
    let result = try Self.run(["policy", "check", folder.path])
    #expect(result.status == 0, "\(result.standardOutput)")
    #expect(result.standardOutput.contains("未发现可疑之处"))
  }

  @Test func policyCheckNamesTheFileAndLineOfAMistake() throws {
    let folder = try Self.exportedPolicy()
    try Self.edit(folder, "policy.yaml") {
      $0.replacingOccurrences(of: "{ level: 高级工, years: 2,", with: "{ level: 高级工, years: 两,")
    }
    let result = try Self.run(["policy", "check", folder.path])
    #expect(result.status == 2)
    #expect(result.standardError.contains("policy.yaml:52"), "\(result.standardError)")
    #expect(result.standardError.contains("normal_route[0].years"))
  }

  @Test func policyCheckWarnsAboutSuspiciousAliasesAndTwoSeries() throws {
    let folder = try Self.exportedPolicy()
    try Self.edit(folder, "policy.yaml") {
      $0.replacingOccurrences(
        of: "    享受国务院政府特殊津贴: 享受国务院政府特殊津贴的高技能人才\n",
        with: "    享受国务院政府特殊津贴: 享受国务院政府特殊津贴的高技能人才\n"
          + "    世赛 金牌: 世界技能大赛银牌\n    全国技术能手称号获得者: 省技术能手\n")
    }
    try Self.edit(folder, "annex1-occupations.csv") { $0 + "98,能源工程,测试专业,钢筋工,,\r\n" }
    let result = try Self.run(["policy", "check", folder.path])
    #expect(result.status == 1, "\(result.standardError)")
    let text = result.standardOutput
    #expect(text.contains("重复的荣誉别名"), "\(text)")
    #expect(text.contains("别名“世赛 金牌”与第"))
    #expect(text.contains("只有一个会生效"))
    #expect(text.contains("可能指错的荣誉别名"))
    #expect(text.contains("含有另一荣誉“全国技术能手”的全称"))
    #expect(text.contains("同一职业工种对应两个系列"))
    #expect(text.contains("“钢筋工”同时对应建设工程（第21行）和能源工程（第98行）"))
  }

  // MARK: - help

  struct Help: Sendable, CustomTestStringConvertible {
    var command: [String]
    var phrases: [String]
    var testDescription: String { command.joined(separator: " ") }
  }

  @Test(arguments: [
    Help(
      command: ["check"],
      phrases: [
        "Check rosters before handing them in", "Exit status: 0", "talent-screen check 花名册.csv",
      ]
    ),
    Help(
      command: ["template"],
      phrases: ["example row", "delete the example row", "talent-screen template --out 花名册.csv"]),
    Help(
      command: ["explain"],
      phrases: [
        "step by step", "the ID is in none of the inputs",
        "talent-screen explain 花名册.csv --id 330602198008088886 --as-of 2026-09-30",
      ]),
    Help(command: ["policy"], phrases: ["Show, check or export", "talent-screen policy show"]),
    Help(
      command: ["policy", "show"],
      phrases: ["in force on a date", "talent-screen policy show --as-of 2026-09-30"]),
    Help(
      command: ["policy", "check"],
      phrases: [
        "file:line", "1 loads but there are warnings", "talent-screen policy check my-policy",
      ]
    ),
    Help(
      command: ["policy", "export"],
      phrases: ["never overwritten", "talent-screen policy export my-policy"]),
  ])
  func helpSaysWhatTheCommandDoesWithAnExample(_ help: Help) throws {
    let result = try Self.run(help.command + ["--help"])
    #expect(result.status == 0)
    for phrase in help.phrases {
      #expect(result.standardOutput.contains(phrase), "missing: \(phrase)")
    }
  }

  @Test func theTopLevelHelpListsTheNewCommands() throws {
    let result = try Self.run(["--help"])
    for name in ["check", "template", "explain", "policy"] {
      #expect(result.standardOutput.contains("  \(name) "), "missing \(name)")
    }
  }
}
