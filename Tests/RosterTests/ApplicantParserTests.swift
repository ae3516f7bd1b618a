import CSVStream
import Foundation
import Testing

@testable import Roster

@Suite struct ApplicantParserTests {
  /// Every known column, canonical headers, in declaration order, plus one unknown column.
  static let headerFields = RosterColumn.allCases.map(\.header) + ["备注"]

  static func parser() throws -> ApplicantParser {
    ApplicantParser(header: try RosterHeader(record: record(headerFields)))
  }

  /// A row with every column blank except those given.
  static func row(_ values: [RosterColumn: String], line: Int = 2, extra: String = "") -> CSVRecord
  {
    var fields = RosterColumn.allCases.map { values[$0] ?? "" }
    fields.append(extra)
    return record(fields, line: line)
  }

  static func applicant(_ outcome: RowOutcome) throws -> Applicant {
    guard case .applicant(let applicant) = outcome else {
      Issue.record("expected an applicant, got \(outcome)")
      throw ParseFailure()
    }
    return applicant
  }

  static func reject(_ outcome: RowOutcome) throws -> RowReject {
    guard case .reject(let reject) = outcome else {
      Issue.record("expected a reject, got \(outcome)")
      throw ParseFailure()
    }
    return reject
  }

  struct ParseFailure: Error {}

  /// A cell in a table of forms is read the same whether it is found as written or after
  /// normalising, and padding or full-width forms still go the normalising way.
  @Test func formsReadAsWrittenGiveTheNormalisedReading() throws {
    let parser = try Self.parser()
    var checked = 0
    for padding in ["", " ", "\u{3000}"] {
      for (form, level) in ValueParser.skillTable.dictionary where !form.isEmpty {
        let row = Self.row([.name: "甲", .skillLevel: padding + form + padding])
        #expect(try Self.applicant(parser.parse(row)).skillLevel == level, "\(form)")
        checked += 1
      }
      for (form, level) in ValueParser.titleTable.dictionary where !form.isEmpty {
        let row = Self.row([.name: "甲", .titleLevel: padding + form + padding])
        #expect(try Self.applicant(parser.parse(row)).titleLevel == level, "\(form)")
        checked += 1
      }
      for (form, direction) in ValueParser.directionTable.dictionary where !form.isEmpty {
        let row = Self.row([.name: "甲", .direction: padding + form + padding])
        let applicant = try Self.applicant(parser.parse(row))
        #expect(applicant.direction == direction, "\(form)")
        #expect(applicant.problems.isEmpty)
        checked += 1
      }
      for (form, flag) in ValueParser.flagTable.dictionary {
        let row = Self.row([
          .name: "甲", .publicInstitutionStaff: padding + form + padding,
          .technicalSchoolTeacher: form, .stillInRelatedField: form, .relatedDiploma: form,
        ])
        let applicant = try Self.applicant(parser.parse(row))
        #expect(applicant.isPublicInstitutionStaff == flag, "\(form)")
        #expect(applicant.isTechnicalSchoolTeacher == flag)
        #expect(applicant.isStillInRelatedField == flag)
        #expect(applicant.hasRelatedDiploma == flag)
        checked += 1
      }
    }
    #expect(checked > 150)
    let fullWidth = try Self.applicant(parser.parse(Self.row([.name: "甲", .skillLevel: "２"])))
    #expect(fullWidth.skillLevel == .technician)
  }

  @Test func readsEveryColumn() throws {
    let outcome = try Self.parser().parse(
      Self.row(
        [
          .idNumber: " 33060219850312045x", .name: "\u{3000}王小明", .employer: "绍兴某机械有限公司",
          .district: "越城区", .direction: "A", .occupation: "车工（数控）", .skillLevel: "三级/高级工",
          .skillDate: "２０１９年６月", .yearsInWork: "5年", .assessments: "优秀，合格，合格",
          .continuingEducationHours: "９０学时", .publicSubjectHours: "18",
          .skillTrainingHours: "12.5", .publicInstitutionStaff: "否", .technicalSchoolTeacher: "N",
          .stillInRelatedField: "是", .honours: "浙江工匠、省技术能手", .titleSeries: "工程",
          .titleLevel: "初级（助理级）", .targetOccupation: "电工", .relatedDiploma: "√",
          .schoolClass: "高级工班",
        ], extra: "无关备注"))
    let a = try Self.applicant(outcome)
    #expect(a.location == SourceLocation(file: "roster.csv", line: 2))
    #expect(a.idNumber == TestIDs.validX)
    #expect(a.idStatus == .valid)
    #expect(a.name == "王小明")
    #expect(a.employer == "绍兴某机械有限公司")
    #expect(a.district == "越城区")
    #expect(a.direction == .skillToTitle)
    #expect(a.occupation == "车工(数控)")
    #expect(a.skillLevel == .seniorWorker)
    #expect(a.skillDate == CivilDate(year: 2019, month: 6, day: 30))
    #expect(a.skillDateIsMonthOnly)
    #expect(a.yearsInWork == 5)
    #expect(a.assessments == ["优秀", "合格", "合格"])
    #expect(a.continuingEducationHours == 90)
    #expect(a.publicSubjectHours == 18)
    #expect(a.skillTrainingHours == 12.5)
    #expect(a.isPublicInstitutionStaff == false)
    #expect(a.isTechnicalSchoolTeacher == false)
    #expect(a.isStillInRelatedField == true)
    #expect(a.honours == ["浙江工匠", "省技术能手"])
    #expect(a.titleSeries == "工程")
    #expect(a.titleLevel == .assistant)
    #expect(a.targetOccupation == "电工")
    #expect(a.hasRelatedDiploma == true)
    #expect(a.schoolClass == "高级工班")
    #expect(a.problems.isEmpty)
  }

  @Test func emptyOptionalCellsStayNilWithoutProblems() throws {
    let a = try Self.applicant(try Self.parser().parse(Self.row([.name: "李四"])))
    #expect(a.idNumber.isEmpty)
    #expect(a.idStatus == .missing)
    #expect(a.employer.isEmpty)
    #expect(a.direction == nil)
    #expect(a.occupation == nil)
    #expect(a.skillDate == nil)
    #expect(!a.skillDateIsMonthOnly)
    #expect(a.assessments == nil)
    #expect(a.continuingEducationHours == nil)
    #expect(a.isPublicInstitutionStaff == nil)
    #expect(a.honours.isEmpty)
    #expect(a.titleLevel == nil)
    #expect(a.problems.isEmpty)
  }

  @Test(arguments: [
    (RosterColumn.idNumber, "330602198503120012", FieldProblemKind.id, "校验码不符"),
    (.idNumber, "3.30602E+17", .id, "科学计数法，已被Excel损坏"),
    (.idNumber, "330602850312001", .id, "15位旧身份证号，无法校验"),
    (.skillDate, "2023-02-30", .date, "日期不存在"),
    (.skillLevel, "七级", .level, "技能等级只有一级至五级及特级、首席技师"),
    (.titleLevel, "初级", .level, "“初级”未说明是员级还是助理级"),
    (.continuingEducationHours, "九十", .hours, "无法识别的学时"),
    (.publicSubjectHours, "十八学时", .hours, "无法识别的学时"),
    (.skillTrainingHours, "很多", .hours, "无法识别的学时"),
    (.yearsInWork, "五年", .hours, "无法识别的年限"),
    (.publicInstitutionStaff, "不详", .flag, "无法识别的是/否值"),
    (.technicalSchoolTeacher, "?", .flag, "无法识别的是/否值"),
    (.stillInRelatedField, "在岗", .flag, "无法识别的是/否值"),
    (.relatedDiploma, "大专", .flag, "无法识别的是/否值"),
    (.direction, "C", .flag, "无法识别的申报方向（应为 A/职称 或 B/技能）"),
  ])
  func badValueBecomesProblemAndRestOfRowIsRead(
    column: RosterColumn, raw: String, kind: FieldProblemKind, detail: String
  ) throws {
    var values: [RosterColumn: String] = [
      .idNumber: TestIDs.valid, .name: "赵六", .skillLevel: "技师", .skillDate: "2019-06-30",
      .continuingEducationHours: "96", .publicSubjectHours: "20", .direction: "B",
      .publicInstitutionStaff: "是", .titleLevel: "中级", .yearsInWork: "4",
    ]
    values[column] = "\u{3000}" + raw + " "
    let a = try Self.applicant(try Self.parser().parse(Self.row(values)))
    #expect(a.problems == [FieldProblem(column: column, kind: kind, raw: raw, detail: detail)])
    #expect(a.problem(in: column)?.kind == kind)
    #expect(a.name == "赵六")
    if column != .skillLevel { #expect(a.skillLevel == .technician) }
    if column != .skillDate { #expect(a.skillDate == CivilDate(year: 2019, month: 6, day: 30)) }
    if column != .continuingEducationHours { #expect(a.continuingEducationHours == 96) }
    if column != .direction { #expect(a.direction == .titleToSkill) }
    if column != .titleLevel { #expect(a.titleLevel == .intermediate) }
    switch column {
    case .idNumber: #expect(a.idStatus != .valid)
    case .skillDate: #expect(a.skillDate == nil)
    case .skillLevel: #expect(a.skillLevel == nil)
    case .titleLevel: #expect(a.titleLevel == nil)
    case .continuingEducationHours: #expect(a.continuingEducationHours == nil)
    case .publicSubjectHours: #expect(a.publicSubjectHours == nil)
    case .yearsInWork: #expect(a.yearsInWork == nil)
    case .publicInstitutionStaff: #expect(a.isPublicInstitutionStaff == nil)
    case .direction: #expect(a.direction == nil)
    default: break
    }
  }

  @Test func problemsKeepTheRawTextAsWritten() throws {
    let a = try Self.applicant(
      try Self.parser().parse(Self.row([.name: "钱七", .skillDate: "２０２３-02-30"])))
    #expect(a.problems.map(\.raw) == ["２０２３-02-30"])
  }

  @Test func blankOrBothDirectionLeavesDirectionOpen() throws {
    let a = try Self.applicant(try Self.parser().parse(Self.row([.name: "孙八", .direction: "双向"])))
    #expect(a.direction == nil)
    #expect(a.problems.isEmpty)
  }

  @Test func rowWithOnlyAnIDOrOnlyANameIsKept() throws {
    let idOnly = try Self.applicant(try Self.parser().parse(Self.row([.idNumber: TestIDs.second])))
    #expect(idOnly.idNumber == TestIDs.second)
    #expect(idOnly.name.isEmpty)
    let nameOnly = try Self.applicant(try Self.parser().parse(Self.row([.name: "周九"])))
    #expect(nameOnly.idStatus == .missing)
  }

  @Test func wrongFieldCountIsRejectedNamingBothCounts() throws {
    let parser = try Self.parser()
    let short = record(["张三", TestIDs.valid, "x"], line: 7)
    let reject = try Self.reject(parser.parse(short))
    #expect(reject.location == SourceLocation(file: "roster.csv", line: 7))
    #expect(reject.reason == "字段数为 3，表头为 \(Self.headerFields.count)")
    #expect(reject.raw == "张三,\(TestIDs.valid),x")
    let row = Self.row([.name: "张三"])
    let long = CSVRecord(location: row.location, fields: row.fields + ["多余"])
    let longReject = try Self.reject(parser.parse(long))
    #expect(
      longReject.reason == "字段数为 \(Self.headerFields.count + 1)，表头为 \(Self.headerFields.count)")
  }

  @Test func rowWithoutIDAndNameIsRejected() throws {
    let outcome = try Self.parser().parse(
      Self.row([.employer: "某公司", .skillLevel: "技师", .idNumber: "\u{3000}", .name: " "]))
    let reject = try Self.reject(outcome)
    #expect(reject.reason == "身份证号和姓名均为空")
    #expect(reject.englishReason == "no ID number and no name")
    #expect(reject.raw.contains("某公司"))
  }

  @Test(arguments: [
    [""], [" ", "\u{3000}"], Array(repeating: "", count: headerFields.count),
  ])
  func blankRecordIsRejectedAsBlankRow(fields: [String]) throws {
    let reject = try Self.reject(try Self.parser().parse(record(fields, line: 9)))
    #expect(reject.reason == "空行")
    #expect(reject.location.line == 9)
  }

  @Test func parsesConcurrentlyWithTheSameResults() async throws {
    let parser = try Self.parser()
    let rows = (0..<200).map { index in
      Self.row(
        [
          .idNumber: TestIDs.make(birth: "19900101", sequence: String(format3(index))),
          .name: "测试\(index)", .skillDate: index % 2 == 0 ? "2019.06" : "2023-02-30",
        ],
        line: index + 2)
    }
    let sequential = rows.map { parser.parse($0) }
    let concurrent = await withTaskGroup(of: (Int, RowOutcome).self) { group in
      for (index, row) in rows.enumerated() {
        group.addTask { (index, parser.parse(row)) }
      }
      var results = [RowOutcome?](repeating: nil, count: rows.count)
      for await (index, outcome) in group { results[index] = outcome }
      return results
    }
    for (index, outcome) in sequential.enumerated() {
      let expected = try Self.applicant(outcome)
      let actual = try Self.applicant(try #require(concurrent[index]))
      #expect(actual.idNumber == expected.idNumber)
      #expect(actual.idStatus == .valid)
      #expect(actual.skillDate == expected.skillDate)
      #expect(actual.problems == expected.problems)
      #expect(actual.problems.isEmpty == (index % 2 == 0))
    }
  }

  private func format3(_ value: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: 3 - text.count) + text
  }
}

/// Cells already in normal form are read straight from their bytes; an ideographic space around
/// the same cell sends it through `normalise` and the general readers. Both must give the same
/// applicant, field problems included.
@Suite struct ApplicantParserDirectReadingTests {
  static let cells: [(RosterColumn, String)] = [
    (.name, "张三"), (.employer, "绍兴某某机械有限公司"), (.district, "越城区"),
    (.occupation, "电工"), (.titleSeries, "工程"), (.targetOccupation, "钳工"),
    (.schoolClass, "高级工班"),
    (.skillDate, "2019-06-30"), (.skillDate, "2019/6/30"), (.skillDate, "2019.06.30"),
    (.skillDate, "2019年6月30日"), (.skillDate, "2019年6月"), (.skillDate, "2019.06"),
    (.skillDate, "2019-6"), (.skillDate, "2019-02-30"), (.skillDate, "2019-13-01"),
    (.skillDate, "1899-01-01"), (.skillDate, "20190630"), (.skillDate, "2019-06-30 00:00:00"),
    (.skillDate, "2019年6月30"), (.skillDate, "2019-06/30"),
    (.yearsInWork, "3"), (.yearsInWork, "3.5"), (.continuingEducationHours, "90"),
    (.publicSubjectHours, "0"), (.skillTrainingHours, "1234567890123456"),
    (.continuingEducationHours, "90学时"),
    (.assessments, "合格、合格、优秀"), (.assessments, "优秀,良好,合格"), (.assessments, "称职 称职 称职"),
    (.assessments, "合格；基本合格；合格"), (.assessments, "、、"), (.honours, "全国技术能手"),
    (.honours, "世界技能大赛 金牌、省级技术能手"), (.honours, "a / b ,"),
    (.idNumber, TestIDs.valid), (.idNumber, TestIDs.validX), (.idNumber, "\t" + TestIDs.valid),
    (.idNumber, TestIDs.validX.lowercased()), (.idNumber, "330602198503120012"),
    (.idNumber, "3.30602E+17"), (.idNumber, "330602850312001"), (.idNumber, TestIDs.valid + " \t"),
    (.idNumber, String(TestIDs.valid.dropLast()) + "Y"),
    (.idNumber, "３" + TestIDs.valid.dropFirst()),
    (.idNumber, String(TestIDs.valid.dropLast(2)) + "\u{00B7}"),
    (.idNumber, "\t" + TestIDs.valid.dropLast()), (.idNumber, TestIDs.valid.dropFirst() + " "),
  ]

  @Test(arguments: cells)
  func directReadingMatchesTheGeneralReaders(column: RosterColumn, cell: String) throws {
    let parser = try ApplicantParserTests.parser()
    var values: [RosterColumn: String] = [.name: "李四"]
    values[column] = cell
    let direct = try ApplicantParserTests.applicant(
      parser.parse(ApplicantParserTests.row(values)))
    values[column] = "\u{3000}" + cell + "\u{3000}"
    let general = try ApplicantParserTests.applicant(
      parser.parse(ApplicantParserTests.row(values)))
    #expect(String(describing: direct) == String(describing: general))
  }

  /// Rows read one after another into one variable come out as `parse(_:)` reads each alone:
  /// nothing of an earlier row is left behind, and a reject leaves the variable alone.
  @Test func readingIntoOneVariableMatchesReadingEachRow() throws {
    let parser = try ApplicantParserTests.parser()
    let rows: [CSVRecord] = [
      ApplicantParserTests.row(
        [
          .idNumber: "330602199001011234", .name: "张三", .employer: "绍兴示范厂",
          .district: "越城区", .direction: "A", .occupation: "电工", .skillLevel: "高级工",
          .skillDate: "2019-05-01", .yearsInWork: "6", .assessments: "合格、优秀",
          .continuingEducationHours: "96", .publicSubjectHours: "20", .skillTrainingHours: "12",
          .publicInstitutionStaff: "是", .technicalSchoolTeacher: "否", .stillInRelatedField: "是",
          .honours: "省技术能手", .titleSeries: "工程", .titleLevel: "中级",
          .targetOccupation: "焊工", .relatedDiploma: "是", .schoolClass: "高级工班",
        ], line: 2),
      ApplicantParserTests.row([.name: "李四"], line: 3),
      ApplicantParserTests.row([:], line: 4),
      record(["330602199001011234", "王五"], line: 5),
      ApplicantParserTests.row(
        [.idNumber: "33060219900101123", .name: "赵六", .skillDate: "2019-02-30", .skillLevel: "九级"],
        line: 6),
      ApplicantParserTests.row(
        [.idNumber: "330602199001011234", .honours: "金牌；银牌", .direction: "B"], line: 7),
      ApplicantParserTests.row([.name: " 钱七 ", .employer: "Ｅ公司", .yearsInWork: "五年"], line: 8),
    ]
    var applicant = Applicant(location: SourceLocation(file: "x.csv", line: 1), name: "先前")
    for record in rows {
      let before = String(describing: applicant)
      let reject = parser.parse(record, into: &applicant)
      switch parser.parse(record) {
      case .applicant(let alone):
        #expect(reject == nil)
        #expect(String(describing: applicant) == String(describing: alone))
      case .reject(let alone):
        #expect(reject == alone)
        #expect(String(describing: applicant) == before)
      }
    }
  }

  /// The cached cells' properties (district, occupations, series, class, assessments, honours)
  /// are kept from row to row and cleared only after a row leaves them unset: each row read
  /// into one variable through one cache still matches the same row read alone, whether its
  /// cell repeats the last row's, changes it, is blank or holds only blanks.
  @Test func cachedCellsKeptFromTheLastRowMatchReadingEachRowAlone() throws {
    let parser = try ApplicantParserTests.parser()
    let full: [RosterColumn: String] = [
      .idNumber: "330602199001011234", .name: "张三", .district: "越城区", .occupation: "电工",
      .titleSeries: "工程", .targetOccupation: "焊工", .schoolClass: "高级工班",
      .assessments: "合格、优秀", .honours: "省技术能手",
    ]
    let other: [RosterColumn: String] = [
      .idNumber: "330602199001011234", .name: "李四", .district: "柯桥区",
      .occupation: "化学检验员（石油化工方向）", .titleSeries: "工程", .targetOccupation: "焊工",
      .schoolClass: "技师班", .assessments: "优秀；优秀", .honours: "金牌；银牌",
    ]
    let blanks = full.mapValues { _ in "  " }.merging([.name: "王五"]) { $1 }
    let rows = [full, full, other, [.name: "赵六"], blanks, full, blanks, other, other]
    var applicant = Applicant(location: SourceLocation(file: "x.csv", line: 1))
    var cache = ApplicantParser.Cache()
    for (number, values) in rows.enumerated() {
      let row = ApplicantParserTests.row(values, line: number + 2)
      #expect(parser.parse(row, into: &applicant, cache: &cache) == nil)
      let alone = try ApplicantParserTests.applicant(parser.parse(row))
      // Only a cache numbers the texts it gives.
      #expect((applicant.occupationNumber >= 0) == (applicant.occupation != nil))
      var seen = applicant
      seen.occupationNumber = -1
      seen.targetOccupationNumber = -1
      #expect(String(describing: seen) == String(describing: alone), "row \(number + 2)")
    }
    #expect(applicant.occupation == "化学检验员(石油化工方向)")
    #expect(applicant.honours == ["金牌", "银牌"])
  }

  /// Records a reader read together share one storage, each starting part-way into it: every
  /// cell is still read from its own record, as from a record holding only its fields.
  @Test func recordsSharingAReadersStorageReadTheirOwnCells() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let names = ["张三", "李四", "王五", "赵六", "钱七"]
    let occupations = ["电工", "焊工", "钳工", "车工", "Ｅ工"]
    var lines = [ApplicantParserTests.headerFields.joined(separator: ",")]
    for (number, name) in names.enumerated() {
      var cells = RosterColumn.allCases.map { _ in "" }
      cells[RosterColumn.allCases.firstIndex(of: .name) ?? 0] = name
      cells[RosterColumn.allCases.firstIndex(of: .occupation) ?? 0] = occupations[number]
      cells[RosterColumn.allCases.firstIndex(of: .yearsInWork) ?? 0] = String(number + 3)
      cells.append("备注\(number)")
      lines.append(cells.joined(separator: ","))
    }
    let file = directory.appendingPathComponent("roster.csv")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
    let records = try CSVReader(path: file.path).readAll()
    let parser = ApplicantParser(header: try RosterHeader(record: #require(records.first)))
    let rows = records.dropFirst()
    try #require(rows.count == names.count)
    var cache = ApplicantParser.Cache()
    var aloneCache = ApplicantParser.Cache()
    for (number, row) in rows.enumerated() {
      var applicant = Applicant(location: row.location)
      #expect(parser.parse(row, into: &applicant, cache: &cache) == nil)
      #expect(applicant.name == names[number])
      #expect(applicant.occupation == ValueParser.normalise(occupations[number]))
      #expect(applicant.yearsInWork == Double(number + 3))
      var alone = Applicant(location: row.location)
      let copy = record(row.fields, line: row.location.line, file: row.location.file)
      #expect(parser.parse(copy, into: &alone, cache: &aloneCache) == nil)
      #expect(String(describing: applicant) == String(describing: alone))
    }
  }
}
