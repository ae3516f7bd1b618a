import Roster

/// Direction B (四): a title holder applying for skill evaluation.
extension Evaluator {
  func skillVerdict(_ applicant: Applicant, common: CommonReasons) -> SkillVerdict {
    var verdict = SkillVerdict.notApplicable
    var memo = EvaluationMemo()
    skillVerdict(applicant, common: common, into: &verdict, memo: &memo)
    return verdict
  }

  /// `skillVerdict(_:common:)` written over `verdict`, so that a reused verdict is filled in
  /// place; the occupation's facts are found in `memo`, and the values of the reasons it lets go
  /// of are kept there for its own.
  func skillVerdict(
    _ applicant: Applicant, common: CommonReasons, into verdict: inout SkillVerdict,
    memo: inout EvaluationMemo
  ) {
    var groups = ReasonGroups(
      taking: &verdict.reasons, failed: common.failed, review: common.review,
      recycling: &memo.spareValues)
    verdict.conclusion = .notApplicable
    verdict.target = nil
    verdict.promotion = nil
    verdict.exemptFromTheory = applicant.hasRelatedDiploma
    if let held = applicant.skillLevel, let obtained = applicant.skillDate, let next = held.next {
      let date = obtained.adding(years: policy.policy.promotionWaitYears)
      verdict.promotion = FutureTarget(level: next, date: date)
      let reason = memo.spareValues.reason(
        .promotionDate, next.chineseName, date.description, informational: true)
      groups.append(reason, to: .info)
    }

    guard let title = applicant.titleLevel, title > .clerk else {
      verdict.clearOccupation()
      if applicant.titleLevel == nil, applicant.problem(in: .titleLevel) != nil {
        verdict.conclusion = groups.isEmpty(.failed) ? .review : .ineligible
      } else {
        groups.append(
          Reason(.titleLow, with: LevelValues.title(applicant.titleLevel)),
          to: .failed)
        verdict.conclusion = .ineligible
      }
      verdict.reasons = groups.takeReasons()
      return
    }

    let held = applicant.skillLevel
    let choice = skillTargetLevel(title: title, held: held)
    if choice.blocked {
      groups.append(
        Reason(.chiefNeedsSpecial, with: LevelValues.level(held), informational: true),
        to: .info)
    }
    guard let target = choice.skill else {
      verdict.clearOccupation()
      groups.append(Reason(.titleLow, with: LevelValues.title(title)), to: .failed)
      verdict.conclusion = .ineligible
      verdict.reasons = groups.takeReasons()
      return
    }
    verdict.target = target

    let occupation = Self.occupationToEvaluate(applicant)
    verdict.occupation = occupation
    if let occupation {
      let facts = memo.facts(
        forOccupation: occupation, number: Self.occupationNumberToEvaluate(applicant), in: policy)
      if let mismatch = seriesMismatch(
        titleSeries: applicant.titleSeries, occupation: occupation, candidates: facts.candidates,
        memo: &memo)
      {
        groups.append(mismatch, to: .review)
      }
      verdict.servicePoints = servicePoints(of: facts, level: target, district: applicant.district)
      if verdict.servicePoints.isEmpty {
        let reason = memo.spareValues.reason(
          .noServicePoint, occupation, target.chineseName, informational: true)
        groups.append(reason, to: .info)
      }
      if facts.isAccess {
        groups.append(
          Reason(
            .accessOccupation, with: .of(.init("occupation", occupation)), informational: true),
          to: .info)
      }
    } else {
      verdict.servicePoints = []
      groups.append(Reason(.occupationMissing, with: .empty()), to: .review)
    }

    let alreadyHeld = held.map { $0 >= target } ?? false
    if alreadyHeld, let held {
      groups.prepend(
        Reason(.alreadyHeld, with: LevelValues.held(held, target: target)),
        to: .info)
    }
    verdict.conclusion = Self.skillConclusion(
      hasFailed: !groups.isEmpty(.failed), hasReview: !groups.isEmpty(.review),
      alreadyHeld: alreadyHeld)
    verdict.reasons = groups.takeReasons()
  }

  /// 申请评价职业工种, else 职业工种: the first that is filled in.
  static func occupationToEvaluate(_ applicant: Applicant) -> String? {
    if let target = applicant.targetOccupation, !target.isEmpty { return target }
    if let occupation = applicant.occupation, !occupation.isEmpty { return occupation }
    return nil
  }

  /// The parser's entry number for the text `occupationToEvaluate` gives. The cell is looked at
  /// where it is: bound to a name to be tested, it was retained and released.
  static func occupationNumberToEvaluate(_ applicant: Applicant) -> Int32 {
    applicant.targetOccupation?.isEmpty == false
      ? applicant.targetOccupationNumber : applicant.occupationNumber
  }

  /// 四（一）: the row a title opens — the plain row for the title, or a row that needs a held
  /// level (首席技师 over 特级技师) when that level is held; `blocked` are the rows whose held
  /// level is missing.
  func skillTarget(title: TitleLevel, held: SkillLevel?)
    -> (chosen: TitleToSkillRule?, blocked: [TitleToSkillRule])
  {
    let rows = policy.titleToSkillByTitle[title.rawValue]
    var chosen: TitleToSkillRule?
    for row in rows where row.requiresHeld == nil && chosen.map({ $0.skill < row.skill }) ?? true {
      chosen = row
    }
    var blocked: [TitleToSkillRule] = []
    for row in rows {
      guard let required = row.requiresHeld else { continue }
      if let held, held >= required { chosen = row } else { blocked.append(row) }
    }
    return (chosen, blocked)
  }

  /// `skillTarget(title:held:)` reduced to what the verdict needs — the level and whether a row
  /// was blocked — reading the rows in place instead of copying each one.
  func skillTargetLevel(title: TitleLevel, held: SkillLevel?) -> (skill: SkillLevel?, blocked: Bool)
  {
    let rows = policy.titleToSkillByTitle[title.rawValue]
    var chosen: SkillLevel?
    var blocked = false
    for index in rows.indices where rows[index].requiresHeld == nil {
      let skill = rows[index].skill
      if chosen.map({ $0 < skill }) ?? true { chosen = skill }
    }
    for index in rows.indices {
      guard let required = rows[index].requiresHeld else { continue }
      if let held, held >= required { chosen = rows[index].skill } else { blocked = true }
    }
    return (chosen, blocked)
  }

  /// The order of direction B: a failed condition or §5.3 → 不符合; anything to check (a repeated
  /// ID, an unreadable value) → 需复核; the level already held → 不适用; else 符合.
  static func skillConclusion(failed: [Reason], review: [Reason], alreadyHeld: Bool) -> Conclusion {
    skillConclusion(
      hasFailed: !failed.isEmpty, hasReview: !review.isEmpty, alreadyHeld: alreadyHeld)
  }

  static func skillConclusion(hasFailed: Bool, hasReview: Bool, alreadyHeld: Bool) -> Conclusion {
    if hasFailed { return .ineligible }
    if hasReview { return .review }
    return alreadyHeld ? .notApplicable : .eligible
  }

  /// 四（一）, 附件1: the occupation should belong to the applicant's title series.
  func checkSeries(_ applicant: Applicant, occupation: String, review: inout [Reason]) {
    var memo = EvaluationMemo()
    let candidates = policy.candidateList(for: OccupationKey(occupation))
    if let mismatch = seriesMismatch(
      titleSeries: applicant.titleSeries, occupation: occupation, candidates: candidates,
      memo: &memo)
    {
      review.append(mismatch)
    }
  }

  /// The B-OCC-SERIES-MISMATCH reason when the occupation, whose Annex 1 entry is `candidates`,
  /// is outside the 职称系列; the series' coverage is found in `memo` and the reason's values
  /// written into an array kept there. The caller lends the series: bound here from the
  /// applicant, it was copied. Never inlined: inlined into `skillVerdict`, the series and the
  /// candidates were copied all the same, the series through its type's metadata.
  @inline(never)
  func seriesMismatch(
    titleSeries: String?, occupation: String, candidates: CandidateList?,
    memo: inout EvaluationMemo
  ) -> Reason? {
    guard let titleSeries, !titleSeries.isEmpty, let candidates else { return nil }
    let known: SeriesCoverage.Mask?
    if let kept = memo.coverages.kept(for: titleSeries) {
      known = kept
    } else {
      known = Self.coverage(of: titleSeries, in: policy)?.mask
      memo.coverages.keep(known, for: titleSeries)
    }
    if let coverage = known, let mask = candidates.seriesMask {
      guard !coverage.coversTeacher, coverage.covered & mask == 0 else { return nil }
    } else if Self.covers(titleSeries, candidates, in: policy) {
      return nil
    }
    return memo.spareValues.reason(
      .occupationSeriesMismatch, occupation, candidates.seriesText, titleSeries)
  }

  /// What a 职称系列 written as one of the policy's names covers; `nil` for any other text.
  /// Out of line, like `covers`, so that no closure of `seriesMismatch` captures the text.
  private static func coverage(of titleSeries: String, in policy: ResolvedPolicy)
    -> SeriesCoverage?
  {
    guard let coverage = policy.seriesCoverage[titleSeries],
      LookupKey.sameBytes(coverage.written, titleSeries)
    else { return nil }
    return coverage
  }

  /// Whether a 职称系列 covers the teachers' series or one of the candidates', compared by keys.
  private static func covers(
    _ titleSeries: String, _ candidates: CandidateList, in policy: ResolvedPolicy
  ) -> Bool {
    let written = WrittenSeries(titleSeries)
    return written.coversKey(policy.teacherSeriesKey)
      || candidates.seriesKeys.contains(where: written.coversKey)
  }

  /// 四（三）, 附件2: the points that evaluate the occupation at the level, same district first.
  func servicePoints(for occupation: String, level: SkillLevel, district: String)
    -> [ServicePoint]
  {
    servicePoints(for: OccupationKey(occupation), level: level, district: district)
  }

  func servicePoints(for occupation: OccupationKey, level: SkillLevel, district: String)
    -> [ServicePoint]
  {
    servicePoints(in: policy.pointsByLevel(for: occupation), level: level, district: district)
  }

  /// `servicePoints(in:level:district:)` for the occupation's facts, whose rows are read where
  /// they are: handed `facts.points`, the caller copied the rows' four arrays, retaining and
  /// releasing each, on every row.
  func servicePoints(of facts: OccupationFacts, level: SkillLevel, district: String)
    -> [ServicePoint]
  {
    let rank = level.rank
    guard (1...5).contains(rank), let noneLocated = facts.points?.byRank[rank].isEmpty else {
      return []
    }
    guard !district.isEmpty, !noneLocated else { return facts.points?.pointsByRank[rank] ?? [] }
    let districtKey = LookupKey.make(district)
    if let ordered = facts.points?.ordered(rank: rank, districtKey: districtKey) { return ordered }
    guard let located = facts.points?.byRank[rank],
      located.contains(where: { Self.sameDistrict(key: $0.districtKey, districtKey) })
    else { return facts.points?.pointsByRank[rank] ?? [] }
    return PointsByLevel.sameDistrictFirst(located, districtKey: districtKey)
  }

  /// `servicePoints(for:level:district:)` given the occupation's Annex 2 rows.
  func servicePoints(in points: PointsByLevel?, level: SkillLevel, district: String)
    -> [ServicePoint]
  {
    guard (1...5).contains(level.rank), let points else { return [] }
    let located = points.byRank[level.rank]
    guard !district.isEmpty, !located.isEmpty else { return points.pointsByRank[level.rank] }
    let districtKey = LookupKey.make(district)
    if let ordered = points.ordered(rank: level.rank, districtKey: districtKey) { return ordered }
    // No point in the district: the rank's points in table order, an array made once, rather
    // than each point copied into a new one.
    guard located.contains(where: { Self.sameDistrict(key: $0.districtKey, districtKey) }) else {
      return points.pointsByRank[level.rank]
    }
    return PointsByLevel.sameDistrictFirst(located, districtKey: districtKey)
  }

  static func sameDistrict(_ a: String, _ b: String) -> Bool {
    sameDistrict(key: LookupKey.make(a), LookupKey.make(b))
  }

  /// `sameDistrict` for two lookup keys.
  static func sameDistrict(key left: String, _ right: String) -> Bool {
    guard !left.isEmpty, !right.isEmpty else { return false }
    return left == right || LookupKey.hasPrefix(left, right) || LookupKey.hasPrefix(right, left)
  }
}
