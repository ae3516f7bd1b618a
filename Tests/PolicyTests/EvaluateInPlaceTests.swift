import CSVStream
import Roster
import Testing

@testable import Policy

/// `Evaluator.evaluate(_:context:into:)` over one verdict reused row after row must give what
/// the returning `evaluate` gives: nothing of an earlier applicant may stay behind.
@Suite struct EvaluateInPlaceTests {
  static let contexts: [EvaluationContext] = [
    EvaluationContext(),
    EvaluationContext(onIntegrityList: true),
    EvaluationContext(firstOccurrence: SourceLocation(file: "名单.csv", line: 7)),
  ]

  @Test(arguments: contexts)
  func reusedVerdictMatchesAFreshOne(context: EvaluationContext) throws {
    var reused = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    let scenarios = try ScenarioTests.loadScenarios()
    #expect(!scenarios.isEmpty)
    // Forwards and backwards, so every scenario follows a different one each way.
    for scenario in scenarios + scenarios.reversed() {
      let header = CSVRecord(
        location: SourceLocation(file: scenario.file, line: 1), fields: scenario.row.map(\.0))
      let record = CSVRecord(
        location: SourceLocation(file: scenario.file, line: 2), fields: scenario.row.map(\.1))
      let parser = ApplicantParser(header: try RosterHeader(record: header))
      guard case .applicant(let applicant) = parser.parse(record) else { continue }
      let evaluator = Fixtures.evaluator(asOf: scenario.asOf)
      evaluator.evaluate(applicant, context: context, into: &reused)
      #expect(reused == evaluator.evaluate(applicant, context: context), "\(scenario)")
    }
  }

  @Test func rowWithoutDirectionClearsTheEarlierVerdict() {
    let evaluator = Fixtures.evaluator()
    var reused = evaluator.evaluate(Fixtures.titleHolder())
    #expect(reused.skill.conclusion != .notApplicable)
    let empty = Applicant(location: SourceLocation(file: "名单.csv", line: 3))
    evaluator.evaluate(empty, into: &reused)
    #expect(reused == evaluator.evaluate(empty))
    #expect(reused.skill.conclusion == .review || reused.skill.conclusion == .notApplicable)
    #expect(reused.reasons.contains { $0.code == .noDirection })
  }
}

/// `skillTargetLevel` must pick what `skillTarget` picks for every title and held level.
@Suite struct SkillTargetLevelTests {
  @Test(arguments: TitleLevel.allCases)
  func agreesWithSkillTarget(title: TitleLevel) {
    let evaluator = Fixtures.evaluator()
    for held in [nil] + SkillLevel.allCases.map(Optional.some) {
      let full = evaluator.skillTarget(title: title, held: held)
      let reduced = evaluator.skillTargetLevel(title: title, held: held)
      #expect(reduced.skill == full.chosen?.skill, "\(title) \(String(describing: held))")
      #expect(reduced.blocked == !full.blocked.isEmpty, "\(title) \(String(describing: held))")
    }
  }
}
