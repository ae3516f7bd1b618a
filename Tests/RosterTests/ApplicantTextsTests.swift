import CSVStream
import Testing

@testable import Roster

/// `Applicant`'s ID number, name and employer share one byte buffer that is emptied, not freed,
/// between rows: setting them in any order, to longer or shorter texts, must give back exactly
/// the texts set, and a copy of an applicant must not see later changes to the original.
@Suite struct ApplicantTextsTests {
  enum Part: CaseIterable { case idNumber, name, employer }

  /// Sets a part through its property, or as the parser does, from bytes (`set(_:to:)`).
  static func set(
    _ part: Part, _ text: String, in applicant: inout Applicant, fromBytes: Bool = false
  ) {
    if fromBytes {
      let bytes = Array(text.utf8)
      bytes.withUnsafeBufferPointer { bytes in
        switch part {
        case .idNumber: applicant.texts.set(.idNumber, to: bytes)
        case .name: applicant.texts.set(.name, to: bytes)
        case .employer: applicant.texts.set(.employer, to: bytes)
        }
      }
      return
    }
    switch part {
    case .idNumber: applicant.idNumber = text
    case .name: applicant.name = text
    case .employer: applicant.employer = text
    }
  }

  static func texts(_ applicant: Applicant) -> [String] {
    [applicant.idNumber, applicant.name, applicant.employer]
  }

  static func utf8(_ applicant: Applicant) -> [[UInt8]] {
    applicant.withTextUTF8 { [Array($0), Array($1), Array($2)] }
  }

  static let orders: [[Part]] = [
    [.idNumber, .name, .employer], [.employer, .name, .idNumber], [.name, .employer, .idNumber],
    [.employer, .idNumber, .name],
  ]

  @Test(arguments: orders, [false, true])
  func partsSetInAnyOrderGiveBackTheirTexts(order: [Part], fromBytes: Bool) {
    let first = ["330602199001011231", "张三", "绍兴测试示范有限公司第七车间"]
    let second = ["3306021990", "欧阳晓测试", "E"]
    var applicant = Applicant(location: SourceLocation(file: "a.csv", line: 2))
    var expected = ["", "", ""]
    for texts in [first, second, first, ["", "", ""]] {
      for part in order {
        let index = Part.allCases.firstIndex(of: part) ?? 0
        Self.set(part, texts[index], in: &applicant, fromBytes: fromBytes)
        expected[index] = texts[index]
        #expect(Self.texts(applicant) == expected)
        #expect(Self.utf8(applicant) == expected.map { Array($0.utf8) })
      }
    }
  }

  @Test func resetEmptiesTheTextsAndLeavesNothingForTheNextRow() {
    var applicant = Applicant(
      location: SourceLocation(file: "a.csv", line: 2), idNumber: "330602199001011231",
      name: "张三")
    applicant.employer = "绍兴测试示范有限公司第七车间"
    applicant.reset(location: SourceLocation(file: "a.csv", line: 3))
    #expect(Self.texts(applicant) == ["", "", ""])
    applicant.employer = "厂"
    #expect(Self.texts(applicant) == ["", "", "厂"])
    #expect(Self.utf8(applicant) == [[], [], Array("厂".utf8)])
  }

  @Test func aCopyKeepsItsTextsWhenTheOriginalChanges() {
    var original = Applicant(
      location: SourceLocation(file: "a.csv", line: 2), idNumber: "330602199001011231",
      name: "张三")
    original.employer = "绍兴测试示范有限公司"
    let copy = original
    original.reset(location: SourceLocation(file: "a.csv", line: 3))
    original.idNumber = "330683198806064537"
    original.name = "李四"
    original.employer = "嵊州测试示范厂"
    #expect(Self.texts(copy) == ["330602199001011231", "张三", "绍兴测试示范有限公司"])
    #expect(Self.texts(original) == ["330683198806064537", "李四", "嵊州测试示范厂"])
  }

  /// A worker reads row after row into one applicant: each row's texts are exactly its own,
  /// whether the row before had longer ones, shorter ones or none.
  @Test func rowsReadIntoOneApplicantGiveEachRowsTexts() throws {
    let parser = try ApplicantParserTests.parser()
    let rows: [[RosterColumn: String]] = [
      [.idNumber: "330602199001011231", .name: "张三", .employer: "绍兴测试示范有限公司第七车间"],
      [.idNumber: "33060219900101123", .name: "李四"],
      [.name: "欧阳晓测试", .employer: "E"],
      [.idNumber: "\t330683198806064537", .name: "　王五　", .employer: "Ｅ公司"],
      [.idNumber: "330602199001011231", .employer: "绍兴测试示范有限公司"],
    ]
    var applicant = Applicant(location: SourceLocation(file: "x.csv", line: 1))
    var cache = ApplicantParser.Cache()
    for (line, values) in rows.enumerated() {
      let record = ApplicantParserTests.row(values, line: line + 2)
      #expect(parser.parse(record, into: &applicant, cache: &cache) == nil)
      let alone = try ApplicantParserTests.applicant(parser.parse(record))
      #expect(Self.texts(applicant) == Self.texts(alone))
      #expect(Self.utf8(applicant) == Self.texts(alone).map { Array($0.utf8) })
    }
    #expect(Self.texts(applicant) == ["330602199001011231", "", "绍兴测试示范有限公司"])
  }
}
