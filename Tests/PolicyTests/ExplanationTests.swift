import CSVStream
import Roster
import RosterSynthesis
import Testing

@testable import Policy

/// `Evaluator.explain`: the same decisions as `evaluate`, narrated step by step with clauses.
@Suite struct ExplanationTests {
  /// Synthetic roster rows, read through the roster parser as the screening reads them.
  static func syntheticApplicants(count: Int, seed: UInt64, badRate: Double) throws -> [Applicant] {
    let roster = SyntheticRoster(seed: seed, badRate: badRate)
    let occupations = Fixtures.defaultPolicy.annex1.flatMap(\.occupations)
    let header = try RosterHeader(
      record: CSVRecord(
        location: SourceLocation(file: "synthetic.csv", line: 1), fields: SyntheticRoster.header))
    let parser = ApplicantParser(header: header)
    var applicants: [Applicant] = []
    for index in 0..<count {
      let record = CSVRecord(
        location: SourceLocation(file: "synthetic.csv", line: index + 2),
        fields: roster.row(index, occupations: occupations))
      if case .applicant(let applicant) = parser.parse(record) { applicants.append(applicant) }
    }
    return applicants
  }

  struct Run: Sendable, CustomTestStringConvertible {
    var seed: UInt64
    var asOf: String
    var badRate: Double
    var testDescription: String { "seed \(seed) as of \(asOf), bad rate \(badRate)" }
  }

  /// The explanation's verdict (conclusions, targets, routes, series, dates, reasons) is the one
  /// `evaluate` gives, for every generated row, with and without outside facts.
  @Test(arguments: [
    Run(seed: 11, asOf: "2026-09-30", badRate: 0.1),
    Run(seed: 12, asOf: "2024-03-31", badRate: 0.3),
  ])
  func conclusionsEqualEvaluate(_ run: Run) throws {
    let evaluator = Fixtures.evaluator(asOf: run.asOf)
    let applicants = try Self.syntheticApplicants(
      count: 1_500, seed: run.seed, badRate: run.badRate)
    #expect(applicants.count == 1_500)
    var conclusions = Set<Conclusion>()
    for (index, applicant) in applicants.enumerated() {
      var context = EvaluationContext()
      if index % 13 == 0 { context.onIntegrityList = true }
      if index % 17 == 0 { context.firstOccurrence = SourceLocation(file: "a.csv", line: 2) }
      let expected = evaluator.evaluate(applicant, context: context)
      for language in Language.allCases {
        let explanation = evaluator.explain(applicant, context: context, language: language)
        #expect(explanation.verdict == expected, "row \(applicant.location)")
      }
      conclusions.insert(expected.title.conclusion)
      conclusions.insert(expected.skill.conclusion)
    }
    #expect(conclusions == Set(Conclusion.allCases))
  }

  /// Hand-made rows that reach the branches synthetic rows rarely do.
  @Test func unusualRowsAlsoAgree() {
    let evaluator = Fixtures.evaluator()
    let rows: [Applicant] = [
      Fixtures.skillHolder { $0.skillLevel = .chiefTechnician },
      Fixtures.skillHolder {
        $0.skillLevel = .specialTechnician
        $0.isStillInRelatedField = false
      },
      Fixtures.skillHolder {
        $0.skillLevel = nil
        $0.honours = ["世赛金牌", "县级先进个人"]
      },
      Fixtures.skillHolder {
        $0.skillLevel = .juniorWorker
        $0.yearsInWork = 9
      },
      Fixtures.skillHolder {
        $0.skillDate = nil
        $0.yearsInWork = 2.5
      },
      Fixtures.skillHolder {
        $0.isTechnicalSchoolTeacher = true
        $0.titleSeries = "技工院校教师"
        $0.schoolClass = "预备技师班"
      },
      Fixtures.titleHolder {
        $0.titleLevel = .fullSenior
        $0.skillLevel = .specialTechnician
      },
      Fixtures.titleHolder {
        $0.titleLevel = .fullSenior
        $0.skillLevel = .technician
      },
      Fixtures.titleHolder { $0.skillLevel = .seniorTechnician },
      Fixtures.titleHolder {
        $0.targetOccupation = nil
        $0.titleSeries = "信息技术工程"
      },
      Fixtures.titleHolder { $0.titleLevel = .clerk },
      Applicant(location: SourceLocation(file: "a.csv", line: 9), idNumber: "", name: "空白"),
      Fixtures.skillHolder {
        $0.problems.append(
          FieldProblem(column: .direction, kind: .flag, raw: "C", detail: "无法识别的申报方向"))
      },
    ]
    let contexts = [
      EvaluationContext(),
      EvaluationContext(onIntegrityList: true),
      EvaluationContext(firstOccurrence: SourceLocation(file: "a.csv", line: 2)),
    ]
    for applicant in rows {
      for context in contexts {
        #expect(
          evaluator.explain(applicant, context: context).verdict
            == evaluator.evaluate(applicant, context: context))
      }
    }
  }

  /// Every step of a direction cites its clause, and the clauses of RULES.md appear where the
  /// rules they govern are tested.
  @Test func stepsCiteTheirClauses() {
    let evaluator = Fixtures.evaluator()
    let applicant = Fixtures.skillHolder {
      $0.honours = ["世赛金牌"]
      $0.schoolClass = "高级工班"
      $0.titleLevel = .intermediate
      $0.titleSeries = "建设工程"
    }
    let explanation = evaluator.explain(applicant)
    let sections: [Explanation.Section] = [.title, .skill, .equivalence]
    for step in explanation.steps where sections.contains(step.section) {
      #expect(!step.clause.isEmpty, "\(step.title): \(step.detail)")
    }
    let clauses = Set(explanation.steps.map(\.clause))
    for clause in [
      "五（三）", "二（一）2", "二（一）3", "二（二）1", "二（二）2", "二（二）3", "二（二）4", "二（三）3", "二（一）6",
      "四（一）2", "四（二）", "三",
    ] {
      #expect(clauses.contains(clause), "no step cites \(clause)")
    }
    #expect(explanation.directions == [.skillToTitle, .titleToSkill])
  }

  @Test func anHonourMatchedThroughAnAliasSaysSo() throws {
    let explanation = Fixtures.evaluator().explain(
      Fixtures.skillHolder {
        $0.skillLevel = .seniorWorker
        $0.honours = ["世赛金牌"]
      })
    let step = try #require(explanation.steps.first { $0.clause == "二（三）3" })
    #expect(step.detail.contains("世界技能大赛金牌"))
    #expect(step.detail.contains("别名"))
    #expect(step.outcome == .met)
    let choice = try #require(explanation.steps.first { $0.title == "途径比较" })
    #expect(choice.detail.contains("正高级"))
    #expect(choice.detail.contains("直接申报"))
    #expect(explanation.verdict.title.target == .fullSenior)
  }

  /// 技师 since 2024-03-01, as of 2026-09-30: 助理级 is met, 中级 on 2027-03-01.
  @Test func theNextTargetAndItsDateAreGiven() throws {
    let explanation = Fixtures.evaluator().explain(
      Fixtures.skillHolder {
        $0.skillLevel = .technician
        $0.skillDate = Fixtures.date("2024-03-01")
      })
    let assistant = try #require(explanation.steps.first { $0.clause == "二（二）1" })
    #expect(assistant.outcome == .met)
    let intermediate = try #require(explanation.steps.first { $0.clause == "二（二）2" })
    #expect(intermediate.outcome == .notMet)
    #expect(intermediate.detail.contains("2027-03-01"))
    let next = try #require(explanation.steps.first { $0.title == "下一等级" })
    #expect(next.detail.contains("中级"))
    #expect(next.detail.contains("2027-03-01"))
    #expect(explanation.verdict.title.next?.date == Fixtures.date("2027-03-01"))
  }

  @Test func failedConditionsMakeTheConclusionStepNotMet() throws {
    let explanation = Fixtures.evaluator().explain(
      Fixtures.skillHolder {
        $0.assessments = ["合格", "基本合格", "合格"]
        $0.continuingEducationHours = 60
      })
    let assessment = try #require(explanation.steps.first { $0.clause == "二（一）2" })
    #expect(assessment.outcome == .notMet)
    #expect(assessment.detail.contains("基本合格"))
    let hours = try #require(explanation.steps.first { $0.clause == "二（一）3" })
    #expect(hours.outcome == .notMet)
    #expect(hours.detail.contains("60"))
    let conclusion = try #require(explanation.steps(in: .title).last)
    #expect(conclusion.outcome == .notMet)
    #expect(conclusion.detail.contains("不符合"))
    #expect(conclusion.detail.contains("二（一）2"))
  }

  @Test func directionBNamesTheChiefTechnicianRuleAndTheSeriesCheck() throws {
    let explanation = Fixtures.evaluator().explain(
      Fixtures.titleHolder {
        $0.titleLevel = .fullSenior
        $0.skillLevel = .technician
        $0.titleSeries = "信息技术工程"
      })
    let chief = try #require(
      explanation.steps.first { $0.clause == "四（一）4" && $0.detail.contains("首席技师") })
    #expect(chief.detail.contains("特级技师"))
    let series = try #require(explanation.steps.first { $0.title == "职业与职称系列对应" })
    #expect(series.outcome == .review)
    #expect(series.detail.contains("建设工程"))
    #expect(explanation.verdict.skill.target == .specialTechnician)
    #expect(explanation.verdict.skill.conclusion == .review)
  }

  @Test func valuesNameTheHeaderAsWrittenInTheFile() throws {
    var applicant = Fixtures.skillHolder()
    applicant.problems.append(
      FieldProblem(column: .skillDate, kind: .date, raw: "2023-02-30", detail: "日期不存在"))
    let explanation = Fixtures.evaluator().explain(
      applicant,
      headers: [.idNumber: "公民身份号码", .name: "姓名", .skillLevel: "技能等级", .skillDate: "发证日期"])
    #expect(explanation.values.map(\.header) == ["公民身份号码", "姓名", "技能等级", "发证日期"])
    let level = try #require(explanation.values.first { $0.column == .skillLevel })
    #expect(level.value == "高级技师")
    let date = try #require(explanation.values.first { $0.column == .skillDate })
    #expect(date.problem?.raw == "2023-02-30")
  }

  @Test func theIntegrityListFailsBothDirections() throws {
    let explanation = Fixtures.evaluator().explain(
      Fixtures.titleHolder { $0.direction = nil },
      context: EvaluationContext(onIntegrityList: true))
    let step = try #require(explanation.steps.first { $0.clause == "五（三）" })
    #expect(step.outcome == .notMet)
    #expect(explanation.verdict.skill.conclusion == .ineligible)
  }

  @Test func englishStepsAreInEnglish() {
    let explanation = Fixtures.evaluator().explain(Fixtures.skillHolder(), language: .english)
    #expect(explanation.steps.contains { $0.title == "Annual assessments" })
    #expect(
      explanation.steps.contains { $0.title == "Title verdict" && $0.detail.hasPrefix("eligible") })
  }
}
