import CSVStream
import Roster
import Testing

@testable import Policy

/// `ResolvedPolicy.facts(forOccupation:)`, the one lookup a direction-B row makes by occupation,
/// answers as the three table lookups it stands for.
@Suite struct OccupationFactsTests {
  /// The default policy with two access-type occupations, one written with a bracket.
  static let policy: ResolvedPolicy = {
    var policy = Fixtures.defaultPolicy
    policy.accessOccupations = ["电工", "焊工（电焊）"]
    return ResolvedPolicy(policy, on: Fixtures.date("2026-09-30"))
  }()

  static var occupations: [String] {
    let named =
      Fixtures.defaultPolicy.annex1.flatMap(\.occupations)
      + Fixtures.defaultPolicy.annex2.map(\.occupation)
    return named + [
      "电工（高压电工）", "电工(低压)", "焊工（电焊）", "焊工", "钢筋工【初级】", " 钢筋工", "车工",
      "不存在的工种", "ＡＢＣ", "",
    ]
  }

  @Test func factsMatchTheTablesForEveryOccupation() throws {
    let policy = Self.policy
    var names = Set<String>()
    for occupation in Self.occupations where names.insert(occupation).inserted {
      let key = OccupationKey(occupation)
      let facts = policy.facts(forOccupation: occupation)
      #expect(facts.candidates === policy.candidateList(for: key), "\(occupation)")
      #expect(
        facts.points?.all.map(\.point) == policy.pointsByLevel(for: key)?.all.map(\.point),
        "\(occupation)")
      #expect(facts.isAccess == policy.isAccessOccupation(key), "\(occupation)")
    }
    #expect(names.count > 100)
  }

  @Test func accessOccupationsAreFoundByNameAndBeforeABracket() {
    let policy = Self.policy
    #expect(policy.facts(forOccupation: "电工").isAccess)
    #expect(policy.facts(forOccupation: "电工（高压电工）").isAccess)
    #expect(policy.facts(forOccupation: "焊工（电焊）").isAccess)
    #expect(!policy.facts(forOccupation: "焊工").isAccess)
    #expect(!policy.facts(forOccupation: "钢筋工").isAccess)
    #expect(policy.facts(forOccupation: "钢筋工").candidates != nil)
    #expect(policy.facts(forOccupation: "不存在的工种").candidates == nil)
  }

  /// The memo's facts are the policy's, for listed occupations and for the unlisted ones it
  /// keeps, asked again in the same and in other storage and after other occupations.
  @Test func memoFactsMatchThePolicyAsked() {
    let policy = Self.policy
    var memo = EvaluationMemo()
    let names = Self.occupations.filter { !$0.isEmpty }
    for round in 0..<3 {
      for occupation in round == 1 ? names.reversed() : names {
        // A copy in storage of its own from the second round on.
        let asked =
          round == 0 ? occupation : String(decoding: Array(occupation.utf8), as: UTF8.self)
        let facts = memo.facts(forOccupation: asked, in: policy)
        let expected = policy.facts(forOccupation: occupation)
        #expect(facts.candidates === expected.candidates, "\(occupation)")
        #expect(
          facts.points?.all.map(\.point) == expected.points?.all.map(\.point), "\(occupation)")
        #expect(facts.isAccess == expected.isAccess, "\(occupation)")
      }
    }
  }

  /// Facts kept by the parser's entry number are the text's, never the number's: numbers are
  /// given again to other texts (as a cell memo does once it has forgotten its cells), texts
  /// come again in storage of their own, and numbers out of range keep nothing.
  @Test func numberedFactsFollowTheTextNotTheNumber() {
    let policy = Self.policy
    var memo = EvaluationMemo()
    let names = Self.occupations.filter { !$0.isEmpty }
    for round in 0..<4 {
      for (index, occupation) in names.enumerated() {
        let asked =
          round < 2 ? occupation : String(decoding: Array(occupation.utf8), as: UTF8.self)
        let number: Int32 = [Int32(index % 5), Int32(index % 7), -1, 5000][round]
        let expected = policy.facts(forOccupation: occupation)
        // The candidates read in place, asked first so that they are also found before the
        // facts are kept.
        #expect(
          memo.seriesCandidates(forOccupation: asked, number: number, in: policy)
            == expected.candidates?.candidates, "\(occupation) \(number)")
        let facts = memo.facts(forOccupation: asked, number: number, in: policy)
        #expect(facts.candidates === expected.candidates, "\(occupation) \(number)")
        #expect(
          facts.points?.all.map(\.point) == expected.points?.all.map(\.point),
          "\(occupation) \(number)")
        #expect(facts.isAccess == expected.isAccess, "\(occupation) \(number)")
      }
    }
  }

  /// Rows read through a parser whose cell cache forgets every few texts, so that its entry
  /// numbers pass from one occupation to another, judged with one memo: each verdict is the
  /// one a fresh evaluation gives.
  @Test(arguments: [2, 3, 512])
  func rowsNumberedByAForgetfulCacheAreJudgedAsFreshOnes(limit: Int) throws {
    let evaluator = Fixtures.evaluator()
    let columns: [RosterColumn] = [
      .idNumber, .name, .district, .direction, .occupation, .skillLevel, .skillDate,
      .titleSeries, .titleLevel, .targetOccupation,
    ]
    let header = CSVRecord(
      location: SourceLocation(file: "名单.csv", line: 1), fields: columns.map(\.header))
    let parser = ApplicantParser(header: try RosterHeader(record: header))
    let occupations = ["钢筋工", "电工", "焊工", "电工（高压电工）", "不在附件里的工种", "车工", "钳工", "砌筑工"]
    var cache = ApplicantParser.Cache(limit: limit)
    var memo = EvaluationMemo()
    var verdict = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    var applicant = Applicant(location: SourceLocation(file: "", line: 0))
    var judged = 0
    for line in 2..<120 {
      let occupation = occupations[(line * 5) % occupations.count]
      let target = line % 3 == 0 ? occupations[(line * 3) % occupations.count] : ""
      let fields = [
        "330602199001011231", "林晓测", "诸暨市", line % 2 == 0 ? "A" : "B", occupation, "高级技师",
        "2020-06-30", line % 4 == 0 ? "工程" : "建设工程", "中级", target,
      ]
      let record = CSVRecord(location: SourceLocation(file: "名单.csv", line: line), fields: fields)
      #expect(parser.parse(record, into: &applicant, cache: &cache) == nil)
      if limit < 8 { #expect(applicant.occupationNumber < Int32(limit)) }
      evaluator.evaluate(applicant, into: &verdict, memo: &memo)
      #expect(verdict == evaluator.evaluate(applicant), "line \(line)")
      judged += 1
    }
    #expect(judged == 118)
  }

  /// An unlisted occupation's facts are kept: asked again, the memo hands back the same object.
  @Test func unlistedOccupationFactsAreKept() {
    let policy = Self.policy
    var memo = EvaluationMemo()
    for unlisted in ["钢筋工（初级）", "电工（高压电工）"] {
      #expect(policy.occupationFacts[unlisted] == nil)
      let first = memo.facts(forOccupation: unlisted, in: policy)
      #expect(first.candidates != nil || first.isAccess)
      #expect(memo.facts(forOccupation: unlisted, in: policy) === first)
    }
    #expect(memo.facts(forOccupation: "不存在的工种", in: policy).candidates == nil)
  }
}
