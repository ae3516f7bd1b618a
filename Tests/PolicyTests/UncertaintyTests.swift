import CSVStream
import Roster
import Testing

@testable import Policy

/// RULES.md A.4: a missing or unreadable value is 需复核 exactly when it could change the
/// outcome; at the top of the ladder it cannot.
@Suite struct UncertaintyTests {
  func problem(_ column: RosterColumn, _ kind: FieldProblemKind, _ raw: String) -> FieldProblem {
    FieldProblem(column: column, kind: kind, raw: raw, detail: "无法识别")
  }

  @Test func unreadableWorkedYearsCouldChangeTheTarget() {
    var applicant = Fixtures.skillHolder {
      $0.skillLevel = .seniorWorker
      $0.skillDate = Fixtures.date("2025-06-01")
    }
    applicant.problems = [problem(.yearsInWork, .hours, "五年")]
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .review)
    #expect(verdict.reasons.codes.contains("DATA-HOURS"))
  }

  @Test func unreadableTrainingHoursLeaveAShortTotalUndecided() {
    var applicant = Fixtures.skillHolder { $0.continuingEducationHours = 70 }
    applicant.problems = [problem(.skillTrainingHours, .hours, "三十")]
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .review)
    #expect(!verdict.reasons.codes.contains("A-CE-TOTAL"))
  }

  @Test func aMissingLevelMattersBelowTheTopOfTheDirectRoute() {
    let below = Fixtures.skillHolder {
      $0.skillLevel = nil
      $0.honours = ["浙江工匠"]
    }
    let verdict = Fixtures.evaluator().evaluate(below).title
    #expect(verdict.conclusion == .review)
    #expect(verdict.target == .intermediate)
    #expect(verdict.reasons.codes == ["DATA-MISSING"])
    let top = Fixtures.skillHolder {
      $0.skillLevel = nil
      $0.honours = ["中华技能大奖"]
    }
    #expect(Fixtures.evaluator().evaluate(top).title.conclusion == .eligible)
  }

  @Test func theDateDoesNotMatterForATopLevelHolderStillInTheField() {
    let applicant = Fixtures.skillHolder {
      $0.skillLevel = .specialTechnician
      $0.skillDate = nil
      $0.isStillInRelatedField = true
    }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .eligible)
    #expect(verdict.target == .fullSenior)
  }

  @Test func aRowWithNoDirectionButSomethingToCheckIsReviewed() {
    var applicant = Applicant(
      location: SourceLocation(file: "r.csv", line: 2), idNumber: "330602199001011231",
      name: "林晓测")
    applicant.problems = [problem(.direction, .flag, "C")]
    let verdict = Fixtures.evaluator().evaluate(applicant)
    #expect(verdict.title.conclusion == .review)
    #expect(verdict.skill.conclusion == .review)
    #expect(verdict.reasons.codes == ["DATA-FLAG", "NO-DIRECTION"])
  }

  @Test func aRepeatedIDIsReviewedEvenWhenTheLevelIsAlreadyHeld() {
    let applicant = Fixtures.titleHolder { $0.skillLevel = .technician }
    let context = EvaluationContext(firstOccurrence: SourceLocation(file: "a.csv", line: 2))
    let verdict = Fixtures.evaluator().evaluate(applicant, context: context).skill
    #expect(verdict.conclusion == .review)
    #expect(verdict.reasons.codes.first == "DUPLICATE")
  }

  @Test(arguments: ["省〝百千万〞高技能领军人才培养工程杰出技能人才", "省「百千万」高技能领军人才培养工程杰出技能人才"])
  func honourQuoteMarksAreIgnored(_ honour: String) {
    let applicant = Fixtures.skillHolder {
      $0.skillLevel = .juniorWorker
      $0.honours = [honour]
    }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .eligible)
    #expect(verdict.target == .associateSenior)
  }
}
