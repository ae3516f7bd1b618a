import CSVStream
import Foundation
import Testing

@testable import Roster

func record(_ fields: [String], line: Int = 1, file: String = "roster.csv") -> CSVRecord {
  CSVRecord(location: SourceLocation(file: file, line: line), fields: fields)
}

@Suite struct RosterHeaderTests {
  @Test func mapsCanonicalHeadersInAnyOrder() throws {
    let header = try RosterHeader(record: record(["职业工种", "姓名", "取证日期", "身份证号"]))
    #expect(header.columnIndex == [.occupation: 0, .name: 1, .skillDate: 2, .idNumber: 3])
    #expect(header.fieldCount == 4)
    #expect(header.unknownHeaders.isEmpty)
    #expect(header.location == SourceLocation(file: "roster.csv", line: 1))
  }

  @Test(arguments: [
    ("公民身份号码", RosterColumn.idNumber), ("证件号码", .idNumber), ("身份证号码", .idNumber),
    ("身份证", .idNumber), ("ID number", .idNumber), ("id NUMBER", .idNumber),
    ("名字", .name), ("Name", .name),
    ("单位名称", .employer), ("所在单位", .employer),
    ("区县", .district), ("所属区县", .district), ("县（市、区）", .district), ("县(市、区)", .district),
    ("职业(工种)", .occupation), ("职业（工种）", .occupation), ("工种", .occupation),
    ("技能等级", .skillLevel), ("职业资格等级", .skillLevel),
    ("发证日期", .skillDate), ("取得时间", .skillDate), ("技能等级取得时间", .skillDate),
    ("取证日期（年月日）", .skillDate),
    ("近三年年度考核", .assessments), ("年度考核", .assessments),
    ("职称级别", .titleLevel), ("现职称等级", .titleLevel),
    ("荣誉称号", .honours), ("获得荣誉", .honours),
    ("是否事业单位在编", .publicInstitutionStaff),
    ("继续教育学时（学时）", .continuingEducationHours),
    ("申报方向（A/B）", .direction),
    ("\u{3000}姓名\u{3000}", .name), ("\u{00A0}身份证号\u{00A0}", .idNumber),
    ("\u{FEFF}身份证号", .idNumber), ("姓 名", .name), ("*姓名", .name), ("职业【工种】", .occupation),
  ])
  func matchesAliasesAndPadding(header: String, column: RosterColumn) {
    #expect(RosterColumn.matching(header: header) == column)
  }

  @Test func everyColumnHasEnglishHeaderAndAliasesThatNameOnlyIt() {
    var owner: [String: RosterColumn] = [:]
    for column in RosterColumn.allCases {
      #expect(!column.englishHeader.isEmpty)
      for name in column.acceptedHeaders {
        let key = RosterColumn.headerKey(ValueParser.normalise(name))
        #expect(owner[key] == nil || owner[key] == column, "\(name) names two columns")
        owner[key] = column
        #expect(RosterColumn.matching(header: name) == column)
      }
    }
  }

  @Test func keepsUnknownColumnsAside() throws {
    let header = try RosterHeader(record: record(["序号", "姓名", "", "身份证号", "备注"]))
    #expect(header.columnIndex == [.name: 1, .idNumber: 3])
    #expect(header.unknownHeaders.map(\.index) == [0, 4])
    #expect(header.unknownHeaders.map(\.name) == ["序号", "备注"])
    #expect(header.fieldCount == 5)
  }

  @Test func headerNamedTwiceIsAnErrorNamingBothPositions() {
    #expect(
      throws: RosterError.duplicateColumn(
        file: "roster.csv", line: 3, name: "身份证号", firstColumn: 2, secondColumn: 4)
    ) {
      try RosterHeader(record: record(["姓名", "身份证号", "单位", "公民身份号码"], line: 3))
    }
    #expect(
      throws: RosterError.duplicateColumn(
        file: "roster.csv", line: 1, name: "姓名", firstColumn: 1, secondColumn: 2)
    ) {
      try RosterHeader(record: record(["姓名", "\u{3000}姓 名", "身份证号"]))
    }
  }

  @Test func missingRequiredColumnsListFoundAndExpected() {
    let expected = RosterError.missingRequiredColumns(
      file: "roster.csv", line: 1, missing: ["身份证号"], found: ["姓名", "工作单位", "备注"])
    #expect(throws: expected) {
      try RosterHeader(record: record([" 姓名", "工作单位", "", "备注"]))
    }
    #expect(
      throws: RosterError.missingRequiredColumns(
        file: "roster.csv", line: 1, missing: ["身份证号", "姓名"], found: ["序号"])
    ) {
      try RosterHeader(record: record(["序号"]))
    }
  }

  @Test func errorDescriptionsNameFileLineAndColumns() {
    let missing = RosterError.missingRequiredColumns(
      file: "a.csv", line: 2, missing: ["身份证号"], found: ["姓名", "单位"])
    #expect(missing.description.hasPrefix("a.csv:2: "))
    #expect(missing.description.contains("公民身份号码"))
    #expect(missing.description.contains("姓名、单位"))
    let duplicate = RosterError.duplicateColumn(
      file: "a.csv", line: 1, name: "姓名", firstColumn: 1, secondColumn: 5)
    #expect(duplicate.description.hasPrefix("a.csv:1: 表头第1列和第5列都是“姓名”"))
  }

  @Test(arguments: [
    (["身份证号", "姓名"], true),
    (["姓名", "单位名称", "备注"], true),
    (["公民身份号码", "职业(工种)"], true),
    (["2024年绍兴市职业发展贯通申报花名册", "", ""], false),
    (["姓名"], false),
    (["单位", "职业工种", "技能等级"], false),
    (["张三", TestIDs.valid], false),
  ])
  func recognisesHeaderRows(fields: [String], isHeader: Bool) {
    #expect(RosterHeader.looksLikeHeader(record(fields)) == isHeader)
  }
}

@Suite struct InputFormatDocTests {
  @Test func documentListsEveryColumnWithItsHeadersAndAliases() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let doc = try String(
      contentsOf: root.appendingPathComponent("docs/input-format.md"), encoding: .utf8)
    for column in RosterColumn.allCases {
      for name in column.acceptedHeaders {
        #expect(doc.contains(name), "docs/input-format.md does not mention \(name)")
      }
    }
  }
}

@Suite struct RosterColumnIdentityTests {
  @Test func columnsAreEqualAndHashedByCaseInAllCasesOrder() {
    let columns = RosterColumn.allCases
    #expect(columns.map(\.ordinal) == Array(0..<columns.count))
    #expect(Set(columns).count == columns.count)
    for (left, right) in zip(columns, columns.dropFirst()) { #expect(left != right) }
    for column in columns {
      #expect(RosterColumn(rawValue: column.rawValue) == column)
      #expect(RosterColumn(rawValue: column.rawValue)?.hashValue == column.hashValue)
    }
    let index = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
    #expect(columns.allSatisfy { index[$0] == $0.ordinal })
  }
}
