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

  /// A copy kept of one row's applicant still has that row's texts after the next row is read
  /// into the original by the parser, whose fast path writes the bytes in place.
  @Test func aKeptApplicantKeepsItsRowWhenTheParserReadsTheNext() throws {
    let parser = try ApplicantParserTests.parser()
    let first: [RosterColumn: String] = [
      .idNumber: "330602199001011231", .name: "张三", .employer: "绍兴测试示范有限公司第七车间",
    ]
    let second: [RosterColumn: String] = [
      .idNumber: "330683198806064537", .name: "李四", .employer: "嵊州测试示范厂",
    ]
    var applicant = Applicant(location: SourceLocation(file: "x.csv", line: 1))
    var cache = ApplicantParser.Cache()
    #expect(parser.parse(ApplicantParserTests.row(first), into: &applicant, cache: &cache) == nil)
    let kept = applicant
    #expect(
      parser.parse(ApplicantParserTests.row(second, line: 3), into: &applicant, cache: &cache)
        == nil)
    let firstTexts = ["330602199001011231", "张三", "绍兴测试示范有限公司第七车间"]
    #expect(Self.texts(kept) == firstTexts)
    #expect(Self.utf8(kept) == firstTexts.map { Array($0.utf8) })
    #expect(Self.texts(applicant) == ["330683198806064537", "李四", "嵊州测试示范厂"])
  }

  /// An empty ID number, a 15-digit one and a 200-byte employer, set employer first, so that
  /// the name and then the ID number grow the buffer past its room while the parts after them
  /// move: every getter and every part's UTF-8 is the text set.
  @Test(arguments: [false, true])
  func partsGrowingPastTheRoomWhileOthersMoveKeepTheirTexts(fromBytes: Bool) {
    let employer = String(repeating: "绍兴测试", count: 16) + "abcdefgh"
    #expect(employer.utf8.count == 200)
    var applicant = Applicant(location: SourceLocation(file: "a.csv", line: 2))
    var expected = ["", "", ""]
    let steps: [(Part, String)] = [
      (.idNumber, ""), (.employer, employer), (.name, "欧阳晓测试"), (.idNumber, "330602900101123"),
      (.name, String(repeating: "名", count: 40)), (.idNumber, ""), (.employer, "E"),
      (.idNumber, "330602199001011231"),
    ]
    for (part, text) in steps {
      Self.set(part, text, in: &applicant, fromBytes: fromBytes)
      expected[Part.allCases.firstIndex(of: part) ?? 0] = text
      #expect(Self.texts(applicant) == expected, "\(part) \(text.utf8.count)")
      #expect(Self.utf8(applicant) == expected.map { Array($0.utf8) })
    }
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
