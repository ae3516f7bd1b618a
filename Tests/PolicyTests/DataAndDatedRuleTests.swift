import CSVStream
import Roster
import Testing

@testable import Policy

/// Unreadable values, policy lists the bureau fills in, and values that change over time.
@Suite struct DataAndDatedRuleTests {
  struct ProblemCase: Sendable {
    var column: RosterColumn
    var kind: FieldProblemKind
    var raw: String
    var clear: @Sendable (inout Applicant) -> Void
  }

  /// A cell that cannot be read is a REVIEW reason naming the column and the raw value.
  @Test(arguments: [
    ProblemCase(column: .idNumber, kind: .id, raw: "330602199001011230") { _ in },
    ProblemCase(column: .continuingEducationHours, kind: .hours, raw: "九十") {
      $0.continuingEducationHours = nil
    },
    ProblemCase(column: .publicInstitutionStaff, kind: .flag, raw: "也许") {
      $0.isPublicInstitutionStaff = nil
    },
    ProblemCase(column: .skillDate, kind: .date, raw: "2023-02-30") { $0.skillDate = nil },
  ])
  func anUnreadableValueIsReviewedNamingColumnAndValue(_ row: ProblemCase) {
    var applicant = Fixtures.skillHolder(row.clear)
    applicant.problems = [
      FieldProblem(column: row.column, kind: row.kind, raw: row.raw, detail: "无法识别")
    ]
    let evaluator = Fixtures.evaluator()
    let verdict = evaluator.evaluate(applicant).title
    #expect(verdict.conclusion == .review)
    let reason = verdict.reasons.first { $0.code.rawValue == row.kind.rawValue }
    #expect(reason != nil)
    let text = reason.map { evaluator.policy.text(for: $0) } ?? ""
    #expect(text.contains(row.column.header))
    #expect(text.contains(row.raw))
  }

  @Test func anEmptyCellARuleNeedsIsDataMissing() {
    let applicant = Fixtures.skillHolder { $0.skillDate = nil }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .review)
    #expect(verdict.reasons.codes == ["DATA-MISSING"])
    #expect(verdict.reasons.first?.values["column"] == "取证日期")
  }

  @Test func anAccessTypeOccupationSendsTheApplicantToARegisteredBody() {
    var policy = Fixtures.defaultPolicy
    policy.accessOccupations = ["钢筋工"]
    let evaluator = Evaluator(policy: ResolvedPolicy(policy, on: Fixtures.date("2026-09-30")))
    let verdict = evaluator.evaluate(Fixtures.titleHolder()).skill
    #expect(verdict.conclusion == .eligible)
    #expect(verdict.reasons.codes == ["B-ACCESS-OCC"])
  }

  /// A threshold the bureau raises from a date: screenings before it keep the old value.
  @Test func theRuleInForceOnTheScreeningDateIsApplied() throws {
    var policy = Fixtures.defaultPolicy
    let old = try #require(policy.continuingEducation.first)
    var ended = old
    ended.validity = Validity(from: nil, until: Fixtures.date("2026-12-31"))
    var raised = old
    raised.totalHours = 100
    raised.validity = Validity(from: Fixtures.date("2027-01-01"), until: nil)
    policy.continuingEducation = [ended, raised]
    let applicant = Fixtures.skillHolder()
    let before = Evaluator(policy: ResolvedPolicy(policy, on: Fixtures.date("2026-12-31")))
    let after = Evaluator(policy: ResolvedPolicy(policy, on: Fixtures.date("2027-01-01")))
    #expect(before.evaluate(applicant).title.conclusion == .eligible)
    let later = after.evaluate(applicant).title
    #expect(later.conclusion == .ineligible)
    #expect(later.reasons.first?.values["required"] == "100")
  }

  @Test func anAnnexRowOutOfForceIsNotUsed() throws {
    var policy = Fixtures.defaultPolicy
    let index = try #require(policy.annex1.firstIndex { $0.occupations.contains("钢筋工") })
    policy.annex1[index].validity = Validity(from: nil, until: Fixtures.date("2025-12-31"))
    let evaluator = Evaluator(policy: ResolvedPolicy(policy, on: Fixtures.date("2026-09-30")))
    let verdict = evaluator.evaluate(Fixtures.skillHolder()).title
    #expect(verdict.reasons.codes == ["A-OCC-UNMAPPED"])
  }
}
