import CSVStream
import Roster
import Testing

@testable import Policy

/// Reason values kept in a worker's memo must be those a fresh evaluation makes, whatever other
/// rows came before: keys that share a slot, hours that are not whole and a memo handed from
/// row to row all give each row its own values.
@Suite struct ReasonValuesMemoTests {
  @Test func hoursKeysAreWholeNumbersOnly() {
    #expect(HoursMemo<Int>.key(12) == 12 << 32)
    #expect(HoursMemo<Int>.key(62, 7) == 62 << 32 | 7)
    #expect(HoursMemo<Int>.key(12.5) == nil)
    #expect(HoursMemo<Int>.key(12, 0.5) == nil)
    #expect(HoursMemo<Int>.key(-1) == nil)
    #expect(HoursMemo<Int>.key(Double(UInt32.max)) == nil)
    #expect(HoursMemo<Int>.key(.nan) == nil)
    #expect(HoursMemo<Int>.key(12, .nan) == nil)
    #expect(HoursMemo<Int>.key(.infinity) == nil)
    #expect(HoursMemo<Int>.key(-0.0) == 0)
  }

  /// A memo that serves one row (the one-shot `evaluate`, as `check` calls it) makes no table:
  /// its first value is given, not kept; from the second on they are kept.
  @Test func theFirstValueIsNotKept() {
    var memo = HoursMemo<String>(slots: 512)
    var made = 0
    let key = HoursMemo<String>.key(40) ?? 0
    for _ in 0..<3 {
      #expect(
        memo.value(for: key) {
          made += 1
          return "40"
        } == "40")
    }
    #expect(made == 2)
  }

  @Test func keysSharingASlotKeepTheirOwnValues() {
    var memo = HoursMemo<String>(slots: 4)
    var made = 0
    for round in 0..<3 {
      for total in 0..<10 {
        let key = HoursMemo<String>.key(Double(total), Double(round)) ?? 0
        let value = memo.value(for: key) {
          made += 1
          return "\(total)/\(round)"
        }
        #expect(value == "\(total)/\(round)")
      }
    }
    #expect(made == 30)
    // The last key of a slot is found again without making its value.
    let last = HoursMemo<String>.key(9, 2) ?? 0
    #expect(memo.value(for: last) { "made again" } == "9/2")
  }

  /// Every short total, with and without skill training, and hours that are not whole, judged
  /// with one memo in two orders: each verdict as a fresh evaluation gives it.
  @Test func continuingEducationReasonsMatchAFreshEvaluation() {
    let evaluator = Fixtures.evaluator()
    var memo = EvaluationMemo()
    var reused = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    var cases: [(education: Double, training: Double?, public: Double)] = []
    for education in stride(from: 0.0, through: 95, by: 1) {
      for training in [nil, 0, 1, 3, 12.5] as [Double?] {
        cases.append((education, training, education.truncatingRemainder(dividingBy: 25) + 0.5))
        cases.append((education, training, education.truncatingRemainder(dividingBy: 25)))
      }
    }
    var totals = 0
    var publics = 0
    for row in cases + cases.reversed() {
      let applicant = Fixtures.skillHolder {
        $0.continuingEducationHours = row.education
        $0.skillTrainingHours = row.training
        $0.publicSubjectHours = row.public
      }
      evaluator.evaluate(applicant, into: &reused, memo: &memo)
      let fresh = evaluator.evaluate(applicant)
      #expect(reused == fresh, "\(row)")
      let reasons = reused.title.reasons
      if let total = reasons.first(where: { $0.code == .continuingEducationTotal }) {
        totals += 1
        let sum = row.education + (row.training ?? 0)
        #expect(total.values["total"] == Evaluator.hours(sum), "\(row)")
        #expect(total.values["training"] == Evaluator.hours(row.training ?? 0), "\(row)")
        #expect(total.values["required"] == "90", "\(row)")
      }
      if let publicHours = reasons.first(where: { $0.code == .continuingEducationPublic }) {
        publics += 1
        #expect(publicHours.values == ["public": Evaluator.hours(row.public), "required": "18"])
      }
    }
    #expect(totals > 500 && publics > 500)
  }
}

/// The pool tells its codes by their numbers: each of its codes is found, a look-alike spelling
/// of one is not, nor any other known code.
@Suite struct ValuesPoolCodeTests {
  @Test func codesAreFoundByTheirNumbersOnly() {
    for code in ValuesPool.Code.allCases {
      #expect(ValuesPool.Code(code.code) == code)
    }
    let others = ReasonCode.known.filter { known in
      !ValuesPool.Code.allCases.contains { $0.code == known }
    }
    #expect(others.count == ReasonCode.known.count - ValuesPool.Code.allCases.count)
    #expect(others.allSatisfy { ValuesPool.Code($0) == nil })
    #expect(ValuesPool.Code(ReasonCode("B-PROMOTION-DATE")) == .promotionDate)
    #expect(ValuesPool.Code(ReasonCode("B-PROMOTION-DAT\u{0045}\u{0301}")) == nil)
  }
}
