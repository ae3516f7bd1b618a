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

/// A memo kept across rows must not change any verdict: a list seen before gives what it gave
/// the first time, and lists past the memo's limit are still judged.
@Suite struct EvaluationMemoTests {
  static let lists: [[String]?] = [
    nil, [], ["合格", "优秀", "合格"], ["合格", "合格"], ["不合格", "合格", "合格"],
    ["称职", "基本称职", "不称职"], ["优秀"], ["未考核", "合格", "合格"], ["ＡＢＣ"],
  ]

  @Test func memoGivesWhatAFreshEvaluationGives() {
    let evaluator = Fixtures.evaluator()
    var memo = EvaluationMemo()
    var reused = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    // Many distinct lists (past the limit), each met three times — the last time in new storage
    // — so the remembered, the unremembered and the found-by-words paths all run.
    let many = Self.lists + (1...40).map { ["合格", "第\($0)年"] }
    for list in many + many.reversed() + many.map({ $0?.map { $0 } }) {
      let applicant = Fixtures.skillHolder { $0.assessments = list }
      evaluator.evaluate(applicant, context: EvaluationContext(), into: &reused, memo: &memo)
      #expect(reused == evaluator.evaluate(applicant), "\(String(describing: list))")
    }
    #expect(memo.assessments.count == EvaluationMemo.assessmentLimit)
  }

  @Test func failingListIsRememberedWithItsReason() {
    let evaluator = Fixtures.evaluator()
    var memo = EvaluationMemo()
    var verdict = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    let applicant = Fixtures.skillHolder { $0.assessments = ["不合格", "合格", "合格"] }
    for _ in 0..<3 {
      evaluator.evaluate(applicant, into: &verdict, memo: &memo)
      #expect(verdict.title.conclusion == .ineligible)
      #expect(verdict.title.reasons.contains { $0.code == .assessmentFail })
    }
    #expect(memo.assessments.count == 1)
  }
}
