import Roster
import Testing

@testable import Policy

/// Direction A (二), clause by clause, at the boundaries.
@Suite struct TitleDirectionTests {
  struct YearsCase: Sendable, CustomTestStringConvertible {
    var level: SkillLevel
    var obtained: String
    var asOf: String
    var conclusion: Conclusion
    var target: TitleLevel?
    var testDescription: String { "\(level.chineseName) \(obtained) → \(asOf)" }
  }

  /// 二（二）1–3: "满N年" holds from the anniversary day on; a higher level meets lower targets.
  @Test(arguments: [
    YearsCase(
      level: .seniorWorker, obtained: "2024-09-30", asOf: "2026-09-29", conclusion: .ineligible,
      target: nil),
    YearsCase(
      level: .seniorWorker, obtained: "2024-09-30", asOf: "2026-09-30", conclusion: .eligible,
      target: .assistant),
    YearsCase(
      level: .technician, obtained: "2023-09-30", asOf: "2026-09-29", conclusion: .eligible,
      target: .assistant),
    YearsCase(
      level: .technician, obtained: "2023-09-30", asOf: "2026-09-30", conclusion: .eligible,
      target: .intermediate),
    YearsCase(
      level: .seniorTechnician, obtained: "2022-09-30", asOf: "2026-09-29", conclusion: .eligible,
      target: .intermediate),
    YearsCase(
      level: .seniorTechnician, obtained: "2022-09-30", asOf: "2026-09-30", conclusion: .eligible,
      target: .associateSenior),
    YearsCase(
      level: .seniorTechnician, obtained: "2025-09-30", asOf: "2026-09-30", conclusion: .ineligible,
      target: nil),
  ])
  func normalRouteYears(_ row: YearsCase) {
    let applicant = Fixtures.skillHolder {
      $0.skillLevel = row.level
      $0.skillDate = Fixtures.date(row.obtained)
    }
    let verdict = Fixtures.evaluator(asOf: row.asOf).evaluate(applicant).title
    #expect(verdict.conclusion == row.conclusion)
    #expect(verdict.target == row.target)
    if row.target != nil { #expect(verdict.routes == [.normal]) }
  }

  @Test func yearsShortGivesTheDateTheTargetIsMet() {
    let applicant = Fixtures.skillHolder {
      $0.skillLevel = .seniorWorker
      $0.skillDate = Fixtures.date("2024-10-01")
    }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .ineligible)
    #expect(verdict.reasons.codes == ["A-YEARS-SHORT"])
    #expect(verdict.reasons.first?.values["date"] == "2026-10-01")
    #expect(verdict.next == FutureTarget(level: .assistant, date: Fixtures.date("2026-10-01")))
  }

  @Test func aMissedHigherTargetIsInformationalWithItsDate() {
    let applicant = Fixtures.skillHolder { $0.skillDate = Fixtures.date("2023-03-01") }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .eligible)
    #expect(verdict.target == .intermediate)
    #expect(
      verdict.next == FutureTarget(level: .associateSenior, date: Fixtures.date("2027-03-01")))
    let short = verdict.reasons.first { $0.code == .yearsShort }
    #expect(short?.isInformational == true)
  }

  /// The values A-YEARS-SHORT shows: the whole years since the skill date, or the years in
  /// work as written (then without a date).
  @Test func yearsShortShowsTheYearsItWasJudgedOn() throws {
    let byDate = Fixtures.skillHolder {
      $0.skillLevel = .seniorWorker
      $0.skillDate = Fixtures.date("2024-10-01")
    }
    let dated = try #require(
      Fixtures.evaluator().evaluate(byDate).title.reasons.first { $0.code == .yearsShort })
    #expect(dated.values["years"] == "1")
    #expect(dated.values["level"] == "高级工")
    #expect(dated.values["target"] == "助理级")
    let byColumn = Fixtures.skillHolder {
      $0.skillLevel = .seniorWorker
      $0.skillDate = Fixtures.date("2024-10-01")
      $0.yearsInWork = 1.5
    }
    let verdict = Fixtures.evaluator().evaluate(byColumn).title
    let written = try #require(verdict.reasons.first { $0.code == .yearsShort })
    #expect(written.values["years"] == "1.5")
    #expect(written.values["date"] == "（按填报年限，日期未知）")
    #expect(written.values["required"] == dated.values["required"])
    #expect(verdict.next == nil)
  }

  @Test func workedYearsFromTheRosterWinOverTheDate() {
    let applicant = Fixtures.skillHolder {
      $0.skillDate = Fixtures.date("2026-01-01")
      $0.yearsInWork = 4
    }
    #expect(Fixtures.evaluator().evaluate(applicant).title.target == .associateSenior)
  }

  @Test func belowSeniorWorkerWithoutHonourIsLevelLow() {
    let applicant = Fixtures.skillHolder { $0.skillLevel = .intermediateWorker }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .ineligible)
    #expect(verdict.reasons.codes == ["A-LEVEL-LOW"])
    #expect(verdict.reasons.first?.values == ["level": "中级工", "required": "高级工"])
  }

  struct TopCase: Sendable {
    var level: SkillLevel
    var inField: Bool?
    var obtained: String
    var conclusion: Conclusion
    var target: TitleLevel?
    var codes: [String]
  }

  /// 二（二）4: 特级/首席技师 still in the field reach 正高级.
  @Test(arguments: [
    TopCase(
      level: .specialTechnician, inField: true, obtained: "2026-01-01", conclusion: .eligible,
      target: .fullSenior, codes: []),
    TopCase(
      level: .chiefTechnician, inField: true, obtained: "2026-01-01", conclusion: .eligible,
      target: .fullSenior, codes: []),
    TopCase(
      level: .specialTechnician, inField: false, obtained: "2020-01-01", conclusion: .eligible,
      target: .associateSenior, codes: ["A-NOT-IN-FIELD"]),
    TopCase(
      level: .specialTechnician, inField: false, obtained: "2026-01-01", conclusion: .ineligible,
      target: nil, codes: ["A-YEARS-SHORT", "A-YEARS-SHORT", "A-YEARS-SHORT", "A-NOT-IN-FIELD"]),
    TopCase(
      level: .specialTechnician, inField: nil, obtained: "2026-01-01", conclusion: .review,
      target: nil,
      codes: [
        "A-YEARS-SHORT", "A-YEARS-SHORT", "A-YEARS-SHORT", "DATA-MISSING",
      ]),
  ])
  func topOfTheLadder(_ row: TopCase) {
    let applicant = Fixtures.skillHolder {
      $0.skillLevel = row.level
      $0.skillDate = Fixtures.date(row.obtained)
      $0.isStillInRelatedField = row.inField
    }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == row.conclusion)
    #expect(verdict.target == row.target)
    #expect(verdict.reasons.codes == row.codes)
    for reason in verdict.reasons where reason.code == .notInField {
      #expect(reason.values == ["level": row.level.chineseName])
      #expect(reason.isInformational == (row.target != nil))
    }
  }

  struct HoursCase: Sendable {
    var education: Double?
    var training: Double?
    var publicHours: Double?
    var conclusion: Conclusion
    var codes: [String]
  }

  /// 二（一）3: 90 hours a year of which 18 public; skill training counts.
  @Test(arguments: [
    HoursCase(education: 90, training: nil, publicHours: 18, conclusion: .eligible, codes: []),
    HoursCase(
      education: 89, training: nil, publicHours: 18, conclusion: .ineligible,
      codes: ["A-CE-TOTAL"]),
    HoursCase(education: 78, training: 12, publicHours: 18, conclusion: .eligible, codes: []),
    HoursCase(
      education: 90, training: nil, publicHours: 17, conclusion: .ineligible,
      codes: ["A-CE-PUBLIC"]),
    HoursCase(
      education: nil, training: nil, publicHours: 18, conclusion: .review,
      codes: ["A-CE-MISSING"]),
    HoursCase(
      education: 90, training: nil, publicHours: nil, conclusion: .review,
      codes: ["A-CE-MISSING"]),
  ])
  func continuingEducation(_ row: HoursCase) {
    let applicant = Fixtures.skillHolder {
      $0.continuingEducationHours = row.education
      $0.skillTrainingHours = row.training
      $0.publicSubjectHours = row.publicHours
    }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == row.conclusion)
    #expect(verdict.reasons.codes == row.codes)
  }

  @Test func continuingEducationReasonNamesTheHours() throws {
    let applicant = Fixtures.skillHolder {
      $0.continuingEducationHours = 70
      $0.skillTrainingHours = 12
    }
    let evaluator = Fixtures.evaluator()
    let reason = try #require(evaluator.evaluate(applicant).title.reasons.first)
    #expect(evaluator.policy.text(for: reason) == "年度继续教育学时82（含技能培训12）不足90学时（二（一）3）")
  }

  struct AssessmentCase: Sendable {
    var results: [String]?
    var conclusion: Conclusion
    var codes: [String]
  }

  /// 二（一）2: the last three annual assessments 合格 or better.
  @Test(arguments: [
    AssessmentCase(results: ["优秀", "良好", "称职"], conclusion: .eligible, codes: []),
    AssessmentCase(
      results: ["合格", "基本合格", "合格"], conclusion: .ineligible, codes: ["A-ASSESS-FAIL"]),
    AssessmentCase(results: ["合格", "合格"], conclusion: .review, codes: ["A-ASSESS-MISSING"]),
    AssessmentCase(
      results: ["合格", "未考核", "合格"], conclusion: .review, codes: ["A-ASSESS-MISSING"]),
    AssessmentCase(results: ["不称职"], conclusion: .ineligible, codes: ["A-ASSESS-FAIL"]),
    AssessmentCase(results: nil, conclusion: .review, codes: ["A-ASSESS-MISSING"]),
  ])
  func annualAssessments(_ row: AssessmentCase) {
    let applicant = Fixtures.skillHolder { $0.assessments = row.results }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == row.conclusion)
    #expect(verdict.reasons.codes == row.codes)
  }

  struct HonourCase: Sendable {
    var honour: String
    var target: TitleLevel
  }

  /// 二（三）1–3, one honour of each tier, and the aliases.
  @Test(arguments: [
    HonourCase(honour: "省技术能手", target: .intermediate),
    HonourCase(honour: "绍兴市突出贡献高技能人才", target: .intermediate),
    HonourCase(honour: "省“百千万”高技能领军人才培养工程拔尖技能人才", target: .intermediate),
    HonourCase(honour: "全国技术能手", target: .associateSenior),
    HonourCase(honour: "世界技能大赛铜牌", target: .associateSenior),
    HonourCase(honour: "中华技能大奖", target: .fullSenior),
    HonourCase(honour: "世赛金牌", target: .fullSenior),
    HonourCase(honour: "国务院特殊津贴", target: .fullSenior),
  ])
  func directRoute(_ row: HonourCase) {
    let applicant = Fixtures.skillHolder {
      $0.skillLevel = .intermediateWorker
      $0.honours = [row.honour]
    }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .eligible)
    #expect(verdict.target == row.target)
    #expect(verdict.routes == [.direct])
  }

  struct HonourListCase: Sendable, CustomTestStringConvertible {
    var honours: [String]
    /// The title the direct route opens.
    var target: TitleLevel?
    /// The honours reported as unknown, in order.
    var unknown: [String]
    var testDescription: String { honours.description }
  }

  static let honourLists: [HonourListCase] = [
    .init(honours: ["省技术能手"], target: .intermediate, unknown: []),
    .init(honours: ["无"], target: nil, unknown: []),
    .init(honours: ["世赛金牌", "县级优秀员工"], target: .fullSenior, unknown: ["县级优秀员工"]),
    .init(honours: [], target: nil, unknown: []),
    .init(honours: ["/", "none", "没有"], target: nil, unknown: []),
    .init(honours: ["全国技术能手", "省技术能手"], target: .associateSenior, unknown: []),
    .init(honours: ["县级优秀员工", "无"], target: nil, unknown: ["县级优秀员工"]),
    .init(honours: ["国务院特殊津贴"], target: .fullSenior, unknown: []),
    .init(honours: ["None", "无"], target: nil, unknown: []),
  ]

  /// The direct route of each honour list: its target and its unknown honours, read with one
  /// memo over the lists forwards, backwards and forwards again, so that each honour is met
  /// both new and kept.
  @Test func honourListsOpenTheirTargetsWithOneMemo() {
    let evaluator = Fixtures.evaluator()
    var memo = EvaluationMemo()
    let lists = Self.honourLists
    for row in lists + lists.reversed() + lists {
      let applicant = Fixtures.skillHolder {
        $0.skillLevel = .intermediateWorker
        $0.honours = row.honours
      }
      var findings = Evaluator.TitleFindings()
      let target = evaluator.directRoute(applicant, into: &findings, memo: &memo)
      #expect(target == row.target, "\(row.honours)")
      let unknown = findings.groups.reasons.filter { $0.code == .honourUnknown }
      #expect(unknown.map { $0.values["honour"] ?? "" } == row.unknown, "\(row.honours)")
      #expect(findings.groups.reasons.count == unknown.count, "\(row.honours)")
    }
  }

  /// What the memo keeps for an honour just read. Checked right after each read: the memo's
  /// slots are picked by a text's words, which for a long text include its address, so a later
  /// honour may take the slot of an earlier one.
  @Test func anHonourReadIsKeptWithWhatItSays() {
    let evaluator = Fixtures.evaluator()
    var memo = EvaluationMemo()
    func read(_ honour: String) {
      let applicant = Fixtures.skillHolder {
        $0.skillLevel = .intermediateWorker
        $0.honours = [honour]
      }
      var findings = Evaluator.TitleFindings()
      _ = evaluator.directRoute(applicant, into: &findings, memo: &memo)
    }
    read("省技术能手")
    guard case .target(let level)? = memo.honours.kept(for: "省技术能手") else {
      Issue.record("省技术能手 is not kept as a known honour")
      return
    }
    #expect(level == .intermediate)
    read("无")
    guard case .nothing? = memo.honours.kept(for: "无") else {
      Issue.record("无 is not kept as saying nothing")
      return
    }
  }

  @Test func bothRoutesNamedWhenBothReachTheTarget() {
    let applicant = Fixtures.skillHolder { $0.honours = ["全国技术能手"] }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.target == .associateSenior)
    #expect(verdict.routes == [.normal, .direct])
  }

  @Test func anUnknownHonourIsReportedButChangesNothing() {
    let applicant = Fixtures.skillHolder { $0.honours = ["县级优秀员工"] }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .eligible)
    #expect(verdict.reasons.codes == ["A-HONOR-UNKNOWN"])
    #expect(verdict.reasons.first?.values["honour"] == "县级优秀员工")
  }

  @Test func anOccupationOutsideAnnexOneIsReviewedWithTheLevelStillComputed() {
    let applicant = Fixtures.skillHolder { $0.occupation = "电工" }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .review)
    #expect(verdict.target == .associateSenior)
    #expect(verdict.reasons.codes == ["A-OCC-UNMAPPED"])
  }

  @Test func aBracketedWorkTypeMatchesItsOccupation() {
    let applicant = Fixtures.skillHolder { $0.occupation = "钢筋工（高级）" }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .eligible)
    #expect(verdict.primary?.series == "建设工程")
  }

  @Test func publicInstitutionStaffTurnsEligibleIntoReview() {
    let applicant = Fixtures.skillHolder { $0.isPublicInstitutionStaff = true }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .review)
    #expect(verdict.target == .associateSenior)
    #expect(verdict.reasons.codes == ["A-PUBLIC-INST"])
  }

  @Test func technicalSchoolTeachersAlsoGetTheTeacherSeries() {
    let applicant = Fixtures.skillHolder { $0.isTechnicalSchoolTeacher = true }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.candidates.map(\.series) == ["建设工程", "技工院校教师"])
    let named = Fixtures.skillHolder {
      $0.isTechnicalSchoolTeacher = true
      $0.titleSeries = "技工院校教师"
    }
    #expect(Fixtures.evaluator().evaluate(named).title.primary?.series == "技工院校教师")
  }

  @Test func umbrellaSeriesNamesCoverTheirMembers() {
    #expect(ResolvedPolicy.series("工程", covers: "建设工程"))
    #expect(ResolvedPolicy.series("农业", covers: "农业技术"))
    #expect(ResolvedPolicy.series("农业", covers: "农业工程"))
    #expect(!ResolvedPolicy.series("工程", covers: "工艺美术"))
    #expect(ResolvedPolicy.series("建设工程", covers: "建设工程"))
  }

  @Test func aFailedConditionListsEveryFailure() {
    let applicant = Fixtures.skillHolder {
      $0.assessments = ["不合格", "合格", "合格"]
      $0.continuingEducationHours = 10
      $0.publicSubjectHours = 2
    }
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .ineligible)
    #expect(verdict.reasons.codes == ["A-ASSESS-FAIL", "A-CE-TOTAL", "A-CE-PUBLIC"])
  }

  @Test func anUnreadableLevelIsReviewed() {
    var applicant = Fixtures.skillHolder { $0.skillLevel = nil }
    applicant.problems = [
      FieldProblem(column: .skillLevel, kind: .level, raw: "七级", detail: "不是已知的技能等级")
    ]
    let verdict = Fixtures.evaluator().evaluate(applicant).title
    #expect(verdict.conclusion == .review)
    #expect(verdict.target == nil)
    #expect(verdict.reasons.codes == ["DATA-LEVEL"])
  }
}
