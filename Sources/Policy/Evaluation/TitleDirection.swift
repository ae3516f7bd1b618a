import Roster

/// Direction A (二): a skill holder applying for a professional title.
extension Evaluator {
  /// What direction A found, before the conclusion is drawn (二（四）, RULES.md A.4).
  struct TitleFindings {
    var groups: ReasonGroups
    /// A missing or unreadable value could still make a route reach a target.
    var targetUncertain = false

    init(failed: [Reason] = [], review: [Reason] = []) {
      groups = ReasonGroups(failed: failed, review: review)
    }

    /// Findings kept in the storage taken from `storage`, as
    /// `ReasonGroups(taking:failed:review:recycling:)`.
    init(
      taking storage: inout [Reason], failed: [Reason], review: [Reason],
      recycling pool: inout ValuesPool
    ) {
      groups = ReasonGroups(taking: &storage, failed: failed, review: review, recycling: &pool)
    }

    var failed: ArraySlice<Reason> { groups.reasons(in: .failed) }
    var review: ArraySlice<Reason> { groups.reasons(in: .review) }
    var notReached: ArraySlice<Reason> { groups.reasons(in: .notReached) }
    var info: ArraySlice<Reason> { groups.reasons(in: .info) }

    mutating func append(to group: ReasonGroups.Group, _ reason: consuming Reason) {
      groups.append(reason, to: group)
    }
  }

  func titleVerdict(_ applicant: Applicant, common: CommonReasons) -> TitleVerdict {
    var memo = EvaluationMemo()
    var verdict = TitleVerdict.notApplicable
    titleVerdict(applicant, common: common, memo: &memo, into: &verdict)
    return verdict
  }

  /// `titleVerdict(_:common:)` written over `verdict`, whose reasons' room is reused, with the
  /// lookups and spare values kept in `memo`.
  func titleVerdict(
    _ applicant: Applicant, common: CommonReasons, memo: inout EvaluationMemo,
    into verdict: inout TitleVerdict
  ) {
    var findings = TitleFindings(
      taking: &verdict.reasons, failed: common.failed, review: common.review,
      recycling: &memo.spareValues)
    checkAssessments(applicant, into: &findings, memo: &memo)
    checkContinuingEducation(applicant, into: &findings, memo: &memo)
    let candidates = seriesCandidates(applicant, into: &findings, memo: &memo)
    let direct = directRoute(applicant, into: &findings, memo: &memo)
    let normal = normalRoute(
      applicant, direct: direct, reusing: &memo.missedTargets, into: &findings)
    let choice = chooseRoute(normal: normal, direct: direct, into: &findings)
    var spent = consume normal
    spent.handBack(to: &memo.missedTargets)
    checkPublicInstitution(applicant, into: &findings)
    verdict.conclusion = Self.conclusion(findings, choice: choice).conclusion
    verdict.target = choice.best
    verdict.next = choice.next
    verdict.candidates = candidates
    // Taken from the consumed choice: copied, the routes were retained for the verdict and
    // released again with the choice.
    verdict.routes = (consume choice).routes
    verdict.reasons = findings.groups.takeReasons()
  }

  /// The best target of the two routes, the routes that reach it, and the next target missed
  /// only on years (二（二）, 二（三）, RULES.md A.4).
  struct RouteChoice {
    var best: TitleLevel?
    var routes: [Route]
    var next: FutureTarget<TitleLevel>?
  }

  func chooseRoute(
    normal: NormalRouteResult, direct: TitleLevel?, into findings: inout TitleFindings
  ) -> RouteChoice {
    let best = normal.target.map { normal in direct.map { max(normal, $0) } ?? normal } ?? direct
    let routes: [Route]
    switch (best != nil && normal.target == best, best != nil && direct == best) {
    case (true, true): routes = Self.bothRoutes
    case (true, false): routes = Self.normalRouteOnly
    case (false, true): routes = Self.directRouteOnly
    case (false, false): routes = []
    }
    // The missed targets above the best, and the lowest of them with a date, without a list.
    var next: FutureTarget<TitleLevel>?
    for miss in normal.missedOnYears where best.map({ miss.target > $0 }) ?? true {
      findings.append(
        to: .notReached, Reason(.yearsShort, with: miss.values, informational: best != nil))
      if let date = miss.date, next.map({ miss.target < $0.level }) ?? true {
        next = FutureTarget(level: miss.target, date: date)
      }
    }
    if let next, best != nil {
      findings.append(
        to: .info,
        Reason(
          .nextTarget,
          with: .of(.init("target", next.level.chineseName), .init("date", next.date.description)),
          informational: true))
    }
    if normal.levelLow && direct == nil {
      findings.append(to: .notReached, Reason(.levelLow, with: normal.levelValues))
    }
    if let level = normal.notInField {
      findings.append(
        to: .notReached,
        Reason(.notInField, with: LevelValues.level(level), informational: best != nil))
    }
    return RouteChoice(best: best, routes: routes, next: next)
  }

  /// The route lists a verdict can have, made once instead of for every verdict.
  static let bothRoutes: [Route] = [.normal, .direct]
  static let normalRouteOnly: [Route] = [.normal]
  static let directRouteOnly: [Route] = [.direct]

  /// 二（一）6: public-institution staff on the establishment need a human check.
  func checkPublicInstitution(_ applicant: Applicant, into findings: inout TitleFindings) {
    if applicant.isPublicInstitutionStaff == true {
      findings.append(to: .review, Reason(.publicInstitution, with: .empty()))
    }
  }

  /// Why a direction-A conclusion was drawn, in the order RULES.md A.4 tests.
  enum ConclusionBasis {
    case conditionFailed, noTargetReached, needsReview, allMet
  }

  /// RULES.md A.4: a failed condition or §5.3 → 不符合; no target and nothing unknown that could
  /// give one → 不符合; anything to check → 需复核; else 符合.
  func conclude(
    _ findings: TitleFindings, choice: RouteChoice, candidates: [SeriesCandidate]
  ) -> (verdict: TitleVerdict, basis: ConclusionBasis) {
    let (conclusion, basis) = Self.conclusion(findings, choice: choice)
    let reasons = findings.groups.reasons
    let verdict = TitleVerdict(
      conclusion: conclusion, target: choice.best, routes: choice.routes, candidates: candidates,
      next: choice.next, reasons: reasons)
    return (verdict, basis)
  }

  /// The conclusion of RULES.md A.4 and why it was drawn.
  static func conclusion(_ findings: TitleFindings, choice: RouteChoice)
    -> (conclusion: Conclusion, basis: ConclusionBasis)
  {
    if !findings.groups.isEmpty(.failed) { return (.ineligible, .conditionFailed) }
    if choice.best == nil && !findings.targetUncertain { return (.ineligible, .noTargetReached) }
    if !findings.groups.isEmpty(.review) || choice.best == nil { return (.review, .needsReview) }
    return (.eligible, .allMet)
  }

  // MARK: 二（一）2 annual assessments

  func checkAssessments(_ applicant: Applicant, into findings: inout TitleFindings) {
    if let finding = assessmentFinding(applicant.assessments) {
      findings.append(to: finding.group, finding.reason)
    }
  }

  /// `checkAssessments(_:into:)` that looks each distinct list up once per memo.
  func checkAssessments(
    _ applicant: Applicant, into findings: inout TitleFindings, memo: inout EvaluationMemo
  ) {
    let index: Int
    // The list is compared where it is: bound to a name first, it was retained and released on
    // every row.
    if let same = memo.assessments.firstIndex(where: {
      EvaluationMemo.sameStorage($0.words, applicant.assessments)
    }) {
      index = same
    } else if case let words = applicant.assessments ?? [],
      let equal = memo.assessments.firstIndex(where: {
        EvaluationMemo.sameWords($0.words, words)
      })
    {
      // The list again in other storage; kept so that the next row from it is found by storage.
      memo.assessments[equal].words = words
      index = equal
    } else {
      let entry = EvaluationMemo.AssessmentEntry(
        words: applicant.assessments ?? [], finding: assessmentFinding(applicant.assessments))
      guard memo.assessments.count < EvaluationMemo.assessmentLimit else {
        if let finding = entry.finding { findings.append(to: finding.group, finding.reason) }
        return
      }
      index = memo.assessments.count
      memo.assessments.append(entry)
    }
    if let finding = memo.assessments[index].finding {
      findings.append(to: finding.group, finding.reason)
    }
  }

  /// The reason the annual assessments give, and where it goes; `nil` when they pass.
  func assessmentFinding(_ assessments: [String]?) -> (group: ReasonGroups.Group, reason: Reason)? {
    let rule = policy.policy.assessment
    guard let words = assessments, !words.isEmpty else {
      return (
        .review,
        Reason(
          .assessmentMissing,
          with: .of(.init("results", "无"), .init("required", Self.decimal(rule.yearsRequired))))
      )
    }
    var failing: [String] = []
    var passes = 0
    for word in words {
      // A word found as written is its own key; keys are what `LookupKey.make` leaves alone.
      switch policy.assessmentWords[word] ?? policy.assessmentWords[LookupKey.make(word)] {
      case .fail?: failing.append(word)
      case .pass?: passes += 1
      case nil: break
      }
    }
    if !failing.isEmpty {
      return (
        .failed,
        Reason(.assessmentFail, with: .of(.init("results", failing.joined(separator: "、"))))
      )
    } else if passes < rule.yearsRequired {
      return (
        .review,
        Reason(
          .assessmentMissing,
          with: .of(
            .init("results", words.joined(separator: "、")),
            .init("required", Self.decimal(rule.yearsRequired))))
      )
    }
    return nil
  }

  // MARK: 二（一）3 continuing education

  /// 二（一）3, with the values of its reasons kept in `memo` by the hours they show.
  func checkContinuingEducation(
    _ applicant: Applicant, into findings: inout TitleFindings, memo: inout EvaluationMemo
  ) {
    guard let rule = policy.continuingEducation else { return }
    var missing: [String] = []
    func value(_ column: RosterColumn, _ value: Double?) -> Double? {
      if let value { return value }
      if let problem = applicant.problem(in: column) {
        findings.append(to: .review, Self.reason(for: problem))
      } else {
        missing.append(column.header)
      }
      return nil
    }
    let education = value(.continuingEducationHours, applicant.continuingEducationHours)
    let publicHours = value(.publicSubjectHours, applicant.publicSubjectHours)
    var training = 0.0
    var trainingUnreadable = false
    if rule.skillTrainingCounts {
      if let hours = applicant.skillTrainingHours {
        training = hours
      } else if let problem = applicant.problem(in: .skillTrainingHours) {
        findings.append(to: .review, Self.reason(for: problem))
        trainingUnreadable = true
      }
    }
    if !missing.isEmpty {
      findings.append(
        to: .review,
        Reason(
          .continuingEducationMissing, with: .of(.init("columns", missing.joined(separator: "、")))))
    }
    // With the training hours unreadable a short total cannot be decided: that is review only.
    if let education, education + training < rule.totalHours, !trainingUnreadable {
      let values = totalHoursValues(education + training, training: training, memo: &memo)
      findings.append(to: .failed, Reason(.continuingEducationTotal, with: values))
    }
    if let publicHours, publicHours < rule.publicHours {
      let values = publicHoursValues(publicHours, memo: &memo)
      findings.append(to: .failed, Reason(.continuingEducationPublic, with: values))
    }
  }

  /// The values of A-CE-TOTAL, kept in `memo` when the hours are whole numbers.
  func totalHoursValues(_ total: Double, training: Double, memo: inout EvaluationMemo)
    -> ReasonValues
  {
    guard let key = HoursMemo<ReasonValues>.key(total, training) else {
      return totalHoursValues(total, training: training)
    }
    return memo.totalHoursValues.value(for: key) { totalHoursValues(total, training: training) }
  }

  func totalHoursValues(_ total: Double, training: Double) -> ReasonValues {
    .of(
      .init("total", Self.hours(total)), .init("training", Self.hours(training)),
      .init("required", policy.requiredHoursTexts.total))
  }

  /// The values of A-CE-PUBLIC, kept in `memo` when the hours are a whole number.
  func publicHoursValues(_ hours: Double, memo: inout EvaluationMemo) -> ReasonValues {
    guard let key = HoursMemo<ReasonValues>.key(hours) else { return publicHoursValues(hours) }
    return memo.publicHoursValues.value(for: key) { publicHoursValues(hours) }
  }

  func publicHoursValues(_ hours: Double) -> ReasonValues {
    .of(
      .init("public", Self.hours(hours)),
      .init("required", policy.requiredHoursTexts.publicSubjects))
  }

  // MARK: 一、二（一）5, 附件1 scope

  /// The Annex 1 series of the occupation (and the teacher series of 二（一）5), its facts found
  /// in `memo` and the values of its reason written into an array kept there.
  func seriesCandidates(
    _ applicant: Applicant, into findings: inout TitleFindings, memo: inout EvaluationMemo
  ) -> [SeriesCandidate] {
    var candidates: [SeriesCandidate] = []
    if let occupation = applicant.occupation, !occupation.isEmpty {
      if let found = memo.seriesCandidates(
        forOccupation: occupation, number: applicant.occupationNumber, in: policy)
      {
        candidates = found
      } else {
        let reason = memo.spareValues.reason(.occupationUnmapped, occupation)
        findings.append(to: .review, reason)
      }
    } else {
      findings.append(to: .review, Self.unavailable(.occupation, in: applicant))
    }
    if applicant.isTechnicalSchoolTeacher == true, applicant.skillLevel != nil,
      !candidates.contains(where: { $0.series == policy.policy.teacherSeries })
    {
      candidates.append(
        SeriesCandidate(series: policy.policy.teacherSeries, specialty: "", annexRow: nil))
    }
    if candidates.count > 1, let named = applicant.titleSeries, !named.isEmpty,
      case let written = WrittenSeries(named),
      let index = candidates.firstIndex(where: { written.covers($0.series) }),
      index > 0
    {
      candidates.insert(candidates.remove(at: index), at: 0)
    }
    return candidates
  }

  // MARK: 二（二） normal route

  /// A target missed only on years, with what its A-YEARS-SHORT reason shows; the reason's
  /// values are made only for a target the verdict reports, as most missed targets are not.
  /// Numbers only, so that a list of them is copied and freed without reference counting.
  struct MissedTarget {
    var target: TitleLevel
    /// When the years are reached; `nil` when they come from the years-in-work column.
    var date: CivilDate?
    var level: SkillLevel
    /// The years in work as written, else the whole years since the skill date.
    var workedYears: Double?
    var wholeYears: Int
    var requiredYears: Int

    var years: String {
      workedYears.map(Evaluator.hours) ?? Evaluator.decimal(wholeYears)
    }

    var values: ReasonValues {
      .of(
        .init("level", level.chineseName), .init("years", years),
        .init("required", Evaluator.decimal(requiredYears)), .init("target", target.chineseName),
        .init("date", date?.description ?? "（按填报年限，日期未知）"))
    }
  }

  /// What the normal route found. Levels rather than reasons, so that the result holds one
  /// reference (the missed targets) however it is copied; the reasons are made from them.
  struct NormalRouteResult {
    var target: TitleLevel?
    var missedOnYears: [MissedTarget] = []
    /// The level held and the lowest the route needs, when it is lower.
    var lowLevel: (held: SkillLevel, lowest: SkillLevel)?
    /// The level held, when A-NOT-IN-FIELD applies (no longer in a related post).
    var notInField: SkillLevel?

    var levelLow: Bool { lowLevel != nil }

    var levelValues: ReasonValues {
      lowLevel.map { LevelValues.level($0.held, required: $0.lowest) } ?? .of()
    }

    /// Empties the missed targets and puts their room in `storage` for the next row.
    mutating func handBack(to storage: inout [MissedTarget]) {
      // One by one: `removeAll(keepingCapacity:)` goes through the general `replaceSubrange`.
      while !missedOnYears.isEmpty { missedOnYears.removeLast() }
      swap(&missedOnYears, &storage)
    }
  }

  func normalRoute(
    _ applicant: Applicant, direct: TitleLevel?, into findings: inout TitleFindings
  ) -> NormalRouteResult {
    var room: [MissedTarget] = []
    return normalRoute(applicant, direct: direct, reusing: &room, into: &findings)
  }

  /// `normalRoute(_:direct:into:)` that lists the missed targets in the room of `storage`, an
  /// empty list taken over (and left empty): a row that misses targets on years then does not
  /// allocate a list and free it again.
  func normalRoute(
    _ applicant: Applicant, direct: TitleLevel?, reusing storage: inout [MissedTarget],
    into findings: inout TitleFindings
  ) -> NormalRouteResult {
    var result = NormalRouteResult()
    swap(&result.missedOnYears, &storage)
    // A value matters only while the direct route leaves a higher target to reach.
    let directIsTop = direct == Self.highestTitle
    guard let level = applicant.skillLevel else {
      if !directIsTop {
        findings.append(to: .review, Self.unavailable(.skillLevel, in: applicant))
        findings.targetUncertain = true
      }
      return result
    }
    if let lowest = policy.lowestNormalLevel, level < lowest {
      result.lowLevel = (level, lowest)
      return result
    }
    let since = applicant.skillDate
    let workedYears = applicant.yearsInWork
    let asOf = policy.asOf
    let topInField =
      applicant.isStillInRelatedField == true
      && policy.topSteps.contains { level >= $0.floor && $0.target == Self.highestTitle }
    if since == nil && workedYears == nil && !policy.normalRoute.isEmpty && !directIsTop
      && !topInField
    {
      findings.append(to: .review, Self.unavailable(.skillDate, in: applicant))
      findings.targetUncertain = true
    }
    if workedYears == nil && applicant.problem(in: .yearsInWork) != nil {
      // The years column wins over the date when given; unreadable, it could change the target.
      findings.targetUncertain = true
    }
    for rule in policy.normalSteps where level >= rule.level {
      let met: Bool
      let date = since?.adding(years: rule.years)
      if let workedYears {
        met = workedYears >= Double(rule.years)
      } else if let date {
        met = asOf >= date
      } else {
        continue
      }
      if met {
        if result.target.map({ rule.target > $0 }) ?? true { result.target = rule.target }
      } else {
        result.missedOnYears.append(
          MissedTarget(
            target: rule.target, date: workedYears == nil ? date : nil, level: level,
            workedYears: workedYears, wholeYears: since.map { $0.wholeYears(until: asOf) } ?? 0,
            requiredYears: rule.years))
      }
    }
    for rule in policy.topSteps where level >= rule.floor {
      switch applicant.isStillInRelatedField {
      case true?:
        if result.target.map({ rule.target > $0 }) ?? true { result.target = rule.target }
      case false?:
        result.notInField = level
      case nil:
        guard !directIsTop else { continue }
        findings.append(to: .review, Self.unavailable(.stillInRelatedField, in: applicant))
        findings.targetUncertain = true
      }
    }
    if result.missedOnYears.count > 1 { result.missedOnYears.sort { $0.target < $1.target } }
    return result
  }

  /// The highest title there is, worked out once.
  static let highestTitle = TitleLevel.allCases.max()

  // MARK: 二（三） direct route

  /// What an honour cell says for 二（三）: nothing (无 and the like), the target of an honour
  /// the policy knows, or a name it does not.
  enum HonourReading: Sendable {
    /// 无 and the like. Not `none`: the reading is kept as an optional, whose `.none` is nil.
    case nothing
    case target(TitleLevel)
    case unknown
  }

  func honourReading(_ written: String) -> HonourReading {
    if Self.isNone(written) { return .nothing }
    return policy.honour(named: written).map { .target($0.target) } ?? .unknown
  }

  /// 二（三）: the highest title an honour opens, with an A-HONOR-UNKNOWN note for each name the
  /// policy does not know. What each honour text says is kept in `memo`: rows repeat a few
  /// honours, each read once instead of being made a lookup key and searched for on every row.
  func directRoute(
    _ applicant: Applicant, into findings: inout TitleFindings, memo: inout EvaluationMemo
  ) -> TitleLevel? {
    var best: TitleLevel?
    for written in applicant.honours {
      let reading: HonourReading
      if let kept = memo.honours.kept(for: written) {
        reading = kept
      } else {
        reading = honourReading(written)
        memo.honours.keep(reading, for: written)
      }
      switch reading {
      case .nothing: continue
      case .target(let target): if best.map({ target > $0 }) ?? true { best = target }
      case .unknown:
        findings.append(
          to: .info,
          Reason(.honourUnknown, with: .of(.init("honour", written)), informational: true))
      }
    }
    return best
  }
}
