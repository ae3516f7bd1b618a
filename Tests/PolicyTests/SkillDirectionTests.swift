import CSVStream
import Roster
import Testing

@testable import Policy

/// Direction B (四), §3, §5.3, duplicates and the choice of direction.
@Suite struct SkillDirectionTests {
  struct TitleCase: Sendable {
    var title: TitleLevel
    var held: SkillLevel?
    var conclusion: Conclusion
    var target: SkillLevel?
    var codes: [String]
  }

  /// 四（一）1–4, and 首席技师 only over 特级技师.
  @Test(arguments: [
    TitleCase(
      title: .assistant, held: nil, conclusion: .eligible, target: .seniorWorker, codes: []),
    TitleCase(
      title: .intermediate, held: nil, conclusion: .eligible, target: .technician, codes: []),
    TitleCase(
      title: .associateSenior, held: nil, conclusion: .eligible, target: .seniorTechnician,
      codes: []),
    TitleCase(
      title: .fullSenior, held: nil, conclusion: .eligible, target: .specialTechnician,
      codes: ["B-CHIEF-NEEDS-SPECIAL", "B-NO-SERVICE-POINT"]),
    TitleCase(
      title: .fullSenior, held: .specialTechnician, conclusion: .eligible,
      target: .chiefTechnician, codes: ["B-NO-SERVICE-POINT"]),
    TitleCase(
      title: .clerk, held: nil, conclusion: .ineligible, target: nil, codes: ["B-TITLE-LOW"]),
    TitleCase(
      title: .intermediate, held: .technician, conclusion: .notApplicable, target: .technician,
      codes: ["B-ALREADY-HELD"]),
    TitleCase(
      title: .assistant, held: .seniorTechnician, conclusion: .notApplicable,
      target: .seniorWorker, codes: ["B-ALREADY-HELD"]),
  ])
  func titleToSkill(_ row: TitleCase) {
    let applicant = Fixtures.titleHolder {
      $0.titleLevel = row.title
      $0.skillLevel = row.held
    }
    let verdict = Fixtures.evaluator().evaluate(applicant).skill
    #expect(verdict.conclusion == row.conclusion)
    #expect(verdict.target == row.target)
    #expect(verdict.reasons.codes == row.codes)
  }

  @Test func noTitleIsTitleLow() {
    let applicant = Fixtures.titleHolder { $0.titleLevel = nil }
    let verdict = Fixtures.evaluator().evaluate(applicant).skill
    #expect(verdict.conclusion == .ineligible)
    #expect(verdict.reasons.codes == ["B-TITLE-LOW"])
  }

  @Test func servicePointsListTheSameDistrictFirst() {
    let applicant = Fixtures.titleHolder { $0.district = "诸暨市" }
    let verdict = Fixtures.evaluator().evaluate(applicant).skill
    #expect(verdict.servicePoints.map(\.institution) == ["诸暨市中等专业学校", "浙江省通用砂浆研究院"])
    let elsewhere = Fixtures.titleHolder { $0.district = "越城区" }
    #expect(
      Fixtures.evaluator().evaluate(elsewhere).skill.servicePoints.map(\.institution) == [
        "诸暨市中等专业学校", "浙江省通用砂浆研究院",
      ])
  }

  @Test func aLevelNoPointEvaluatesIsSaidWithoutChangingTheVerdict() {
    let applicant = Fixtures.titleHolder {
      $0.titleLevel = .associateSenior
      $0.titleSeries = "建设工程"
      $0.targetOccupation = "架子工"
    }
    let verdict = Fixtures.evaluator().evaluate(applicant).skill
    #expect(verdict.conclusion == .eligible)
    #expect(verdict.servicePoints.isEmpty)
    #expect(verdict.reasons.codes == ["B-NO-SERVICE-POINT"])
  }

  @Test func theOccupationComesFromTheTargetColumnElseTheOccupationColumn() {
    let fallback = Fixtures.titleHolder {
      $0.targetOccupation = nil
      $0.occupation = "架子工"
    }
    #expect(Fixtures.evaluator().evaluate(fallback).skill.occupation == "架子工")
    let none = Fixtures.titleHolder { $0.targetOccupation = nil }
    let verdict = Fixtures.evaluator().evaluate(none).skill
    #expect(verdict.conclusion == .review)
    #expect(verdict.reasons.codes == ["B-OCC-MISSING"])
  }

  @Test func anOccupationOfAnotherSeriesIsReviewed() {
    let applicant = Fixtures.titleHolder { $0.titleSeries = "农业技术" }
    let verdict = Fixtures.evaluator().evaluate(applicant).skill
    #expect(verdict.conclusion == .review)
    #expect(verdict.reasons.codes == ["B-OCC-SERIES-MISMATCH"])
    #expect(
      Fixtures.evaluator().evaluate(Fixtures.titleHolder { $0.titleSeries = "工程" }).skill
        .conclusion == .eligible)
  }

  /// The masks that tell a series mismatch must agree with comparing the series' keys, for
  /// every name the coverage table knows and every Annex 1 candidate list.
  @Test func seriesCoverageMasksAgreeWithComparingKeys() throws {
    let policy = ResolvedPolicy(Fixtures.defaultPolicy, on: Fixtures.date("2026-09-30"))
    let names = policy.seriesNames + [policy.policy.teacherSeries, "工程", "农业"]
    let lists = Array(policy.occupations.dictionary.values)
    #expect(!lists.isEmpty)
    var mismatches = 0
    for name in names {
      let coverage = try #require(policy.seriesCoverage[name])
      let written = WrittenSeries(name)
      #expect(coverage.coversTeacher == written.coversKey(policy.teacherSeriesKey))
      for list in lists {
        let mask = try #require(list.seriesMask)
        let covered = list.seriesKeys.contains(where: written.coversKey)
        #expect((coverage.covered & mask != 0) == covered, "\(name) \(list.seriesText)")
        if !covered { mismatches += 1 }
      }
    }
    #expect(mismatches > 0)
  }

  @Test func aRelatedDiplomaExemptsFromTheTheoryExam() {
    let applicant = Fixtures.titleHolder { $0.hasRelatedDiploma = true }
    #expect(Fixtures.evaluator().evaluate(applicant).skill.exemptFromTheory == true)
    #expect(Fixtures.evaluator().evaluate(Fixtures.titleHolder()).skill.exemptFromTheory == nil)
  }

  @Test func aHeldLevelGivesThePromotionDateOneYearOn() {
    let applicant = Fixtures.titleHolder {
      $0.titleLevel = .associateSenior
      $0.skillLevel = .technician
      $0.skillDate = Fixtures.date("2026-03-15")
    }
    let verdict = Fixtures.evaluator().evaluate(applicant).skill
    #expect(verdict.target == .seniorTechnician)
    #expect(
      verdict.promotion
        == FutureTarget(level: .seniorTechnician, date: Fixtures.date("2027-03-15")))
  }

  @Test func integrityListMakesBothDirectionsIneligible() {
    var applicant = Fixtures.skillHolder()
    applicant.direction = nil
    applicant.titleLevel = .assistant
    applicant.targetOccupation = "钢筋工"
    let verdict = Fixtures.evaluator().evaluate(
      applicant, context: EvaluationContext(onIntegrityList: true))
    #expect(verdict.title.conclusion == .ineligible)
    #expect(verdict.skill.conclusion == .ineligible)
    #expect(verdict.reasons.codes.first == "INTEGRITY")
  }

  @Test func aRepeatedIDIsReviewedNamingTheFirstRow() {
    let first = SourceLocation(file: "a.csv", line: 7)
    let verdict = Fixtures.evaluator().evaluate(
      Fixtures.skillHolder(), context: EvaluationContext(firstOccurrence: first))
    #expect(verdict.title.conclusion == .review)
    #expect(verdict.reasons.codes == ["DUPLICATE"])
    #expect(verdict.reasons.first?.values["first"] == "a.csv:7")
  }

  @Test func aRowWithNeitherDirectionIsNotApplicableInBoth() {
    let applicant = Applicant(
      location: SourceLocation(file: "r.csv", line: 4), idNumber: "330602199001011231",
      name: "林晓测")
    let verdict = Fixtures.evaluator().evaluate(applicant)
    #expect(verdict.title.conclusion == .notApplicable)
    #expect(verdict.skill.conclusion == .notApplicable)
    #expect(verdict.reasons.codes == ["NO-DIRECTION"])
  }

  @Test func aNamedDirectionJudgesOnlyThatDirection() {
    var applicant = Fixtures.skillHolder()
    applicant.titleLevel = .intermediate
    applicant.direction = .skillToTitle
    let verdict = Fixtures.evaluator().evaluate(applicant)
    #expect(verdict.title.conclusion == .eligible)
    #expect(verdict.skill.conclusion == .notApplicable)
  }

  /// 三: technical-school classes count as an education level.
  @Test(arguments: [("中级工班", "中专"), ("高级工班", "大专"), ("预备技师班", "本科"), ("技师班", "本科")])
  func equivalentEducation(_ schoolClass: String, _ education: String) {
    let applicant = Fixtures.skillHolder { $0.schoolClass = schoolClass }
    #expect(Fixtures.evaluator().evaluate(applicant).equivalentEducation == education)
  }

  @Test func everySpecifiedCodeHasTextWithItsClause() {
    let policy = Fixtures.evaluator().policy
    for code in ReasonCode.specified {
      let text = policy.policy.reasons[code]
      #expect(text != nil, "no text for \(code)")
      #expect(text?.chinese.isEmpty == false, "no Chinese text for \(code)")
      #expect(text?.english.isEmpty == false, "no English text for \(code)")
    }
    #expect(policy.clause(for: .continuingEducationTotal) == "二（一）3")
    #expect(policy.clause(for: .integrity) == "五（三）")
  }
}

/// The service points of every Annex 2 occupation and rank, for districts written as the table
/// writes them, shorter or longer, and not in it at all, are those `sameDistrictFirst` orders:
/// the orders made in advance and the table order handed back for a district with no point
/// change nothing, whether the rows are handed over or read through the occupation's facts.
@Suite struct ServicePointOrderTests {
  @Test func everyOccupationRankAndDistrictListsAsSameDistrictFirst() {
    let evaluator = Fixtures.evaluator()
    let policy = evaluator.policy
    let districts = [
      "诸暨市", "诸暨", "越城区", "柯桥", "上虞区", "新昌县", "嵊州市", "绍兴市", "杭州市", "",
      " 诸暨市 ",
    ]
    var occupations = Set(Fixtures.defaultPolicy.annex2.map(\.occupation))
    occupations.insert("不存在的工种")
    var compared = 0
    for occupation in occupations {
      let points = policy.pointsByLevel(for: OccupationKey(occupation))
      let facts = policy.facts(forOccupation: occupation)
      for level in SkillLevel.allCases {
        for district in districts {
          let listed = evaluator.servicePoints(in: points, level: level, district: district)
          // The same list when the rows are read through the occupation's facts.
          #expect(
            evaluator.servicePoints(of: facts, level: level, district: district) == listed,
            "facts: \(occupation) \(level) \(district)")
          var expected: [ServicePoint] = []
          if let points, (1...5).contains(level.rank) {
            expected =
              district.isEmpty
              ? points.pointsByRank[level.rank]
              : PointsByLevel.sameDistrictFirst(
                points.byRank[level.rank], districtKey: LookupKey.make(district))
          }
          #expect(listed == expected, "\(occupation) \(level) \(district)")
          compared += listed.isEmpty ? 0 : 1
        }
      }
    }
    #expect(compared > 100)
  }
}
