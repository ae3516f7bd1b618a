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
