import CSVStream
import Roster

/// How a verdict was reached, step by step: the values read, each condition tested with the
/// clause it comes from, the routes weighed and the conclusions, for the officer at the counter.
///
/// Built by `Evaluator.explain`, which takes the same decisions as `evaluate` through the same
/// checks; `verdict` is the verdict those decisions give, equal to what `evaluate` returns.
public struct Explanation: Hashable, Sendable {
  /// The part of the report a step belongs to.
  public enum Section: String, Hashable, Sendable, CaseIterable {
    /// Facts about the person: 五（三）, a repeated ID, the ID itself, the direction asked for.
    case common
    /// Direction A (二): skill holder applying for a professional title.
    case title
    /// Direction B (四): title holder applying for skill evaluation.
    case skill
    /// 三: the education a technical-school class counts as.
    case equivalence
  }

  /// What a step found; the raw values are the stable keys of the JSON form.
  public enum Outcome: String, Hashable, Sendable, CaseIterable {
    case met
    case notMet = "not-met"
    case review
    case info
    case skipped
  }

  /// One condition tested, or one decision taken, with the clause that governs it.
  public struct Step: Hashable, Sendable {
    public var section: Section
    /// The clause as the notice writes it (`二（一）3`); empty for pure data checks.
    public var clause: String
    public var title: String
    public var detail: String
    public var outcome: Outcome

    public init(section: Section, clause: String, title: String, detail: String, outcome: Outcome) {
      self.section = section
      self.clause = clause
      self.title = title
      self.detail = detail
      self.outcome = outcome
    }
  }

  /// One value read from the roster row and the column it came from.
  public struct Value: Hashable, Sendable {
    public var column: RosterColumn
    /// The header as written in the file (the canonical header when not known).
    public var header: String
    /// The value as read, in its canonical form; empty when the cell was blank.
    public var value: String
    /// Why the cell could not be read, when it could not.
    public var problem: FieldProblem?

    public init(column: RosterColumn, header: String, value: String, problem: FieldProblem?) {
      self.column = column
      self.header = header
      self.value = value
      self.problem = problem
    }
  }

  public var location: SourceLocation
  public var idNumber: String
  public var name: String
  public var asOf: CivilDate
  public var language: Language
  /// The directions judged (empty when the row gives data for neither).
  public var directions: [ApplicationDirection]
  public var values: [Value]
  public var steps: [Step]
  public var verdict: Verdict

  /// The steps of one section, in order.
  public func steps(in section: Section) -> [Step] {
    steps.filter { $0.section == section }
  }
}

extension Evaluator {
  /// Explains the verdict for one applicant: the same checks as `evaluate`, narrated.
  ///
  /// `headers` maps each column the file has to its header as written there; when `nil`, every
  /// column with a value is listed under its canonical header. Costs nothing for `evaluate`.
  public func explain(
    _ applicant: Applicant, context: EvaluationContext = .init(),
    headers: [RosterColumn: String]? = nil, language: Language = .chinese
  ) -> Explanation {
    var narration = Narration(language: language, policy: policy)
    let common = commonReasons(applicant, context: context)
    narrateCommon(applicant, context: context, into: &narration)
    let directions = requestedDirections(applicant)
    narrateDirections(applicant, directions, into: &narration)
    let equivalent = equivalentEducation(applicant)
    narrateEquivalence(applicant, equivalent, into: &narration)

    let verdict = assemble(
      Directions(directions), common: common, equivalent: equivalent,
      title: { explainTitle(applicant, common: common, into: &narration) },
      skill: { explainSkill(applicant, common: common, into: &narration) })
    return Explanation(
      location: applicant.location, idNumber: applicant.idNumber, name: applicant.name,
      asOf: policy.asOf, language: language, directions: directions,
      values: Self.values(applicant, headers: headers, language: language),
      steps: narration.steps, verdict: verdict)
  }
}

/// The steps written so far and the words they are written in.
struct Narration {
  let language: Language
  let policy: ResolvedPolicy
  var steps: [Explanation.Step] = []

  init(language: Language, policy: ResolvedPolicy) {
    self.language = language
    self.policy = policy
  }

  /// Chinese or English, as asked.
  func t(_ chinese: String, _ english: String) -> String {
    language == .chinese ? chinese : english
  }

  func list(_ items: [String]) -> String {
    items.joined(separator: language == .chinese ? "、" : ", ")
  }

  func level(_ level: SkillLevel) -> String {
    language == .chinese ? level.chineseName : level.englishName
  }

  func level(_ level: TitleLevel) -> String {
    language == .chinese ? level.chineseName : level.englishName
  }

  func number(_ value: Double) -> String { Evaluator.hours(value) }

  func reasonTexts(_ reasons: [Reason]) -> String {
    reasons.map { policy.text(for: $0, in: language) }.joined(
      separator: language == .chinese ? "；" : "; ")
  }

  mutating func add(
    _ section: Explanation.Section, _ clause: String, _ title: String, _ detail: String,
    _ outcome: Explanation.Outcome
  ) {
    steps.append(
      Explanation.Step(
        section: section, clause: clause, title: title, detail: detail, outcome: outcome))
  }

  /// The closing step of a direction: the conclusion, with the reasons that decided it.
  mutating func addConclusion(
    _ section: Explanation.Section, _ clause: String, _ title: String, _ detail: String,
    _ conclusion: Conclusion, _ reasons: [Reason]
  ) {
    var detail = detail
    let blocking = reasons.filter { !$0.isInformational }
    if !blocking.isEmpty { detail += t("。原因：", ". Because: ") + reasonTexts(blocking) }
    let outcome: Explanation.Outcome =
      switch conclusion {
      case .eligible: .met
      case .ineligible: .notMet
      case .review: .review
      case .notApplicable: .skipped
      }
    add(section, clause, title, detail, outcome)
  }
}

// MARK: - Values read

extension Evaluator {
  static func values(
    _ applicant: Applicant, headers: [RosterColumn: String]?, language: Language
  ) -> [Explanation.Value] {
    RosterColumn.allCases.compactMap { column in
      let shown = displayValue(applicant, column, language: language)
      let problem = applicant.problem(in: column)
      if let headers {
        guard let header = headers[column] else { return nil }
        return Explanation.Value(column: column, header: header, value: shown, problem: problem)
      }
      guard !shown.isEmpty || problem != nil else { return nil }
      return Explanation.Value(
        column: column, header: column.header, value: shown, problem: problem)
    }
  }

  static func displayValue(_ a: Applicant, _ column: RosterColumn, language: Language) -> String {
    let chinese = language == .chinese
    func flag(_ value: Bool?) -> String {
      value.map { $0 ? (chinese ? "是" : "yes") : (chinese ? "否" : "no") } ?? ""
    }
    func skill(_ level: SkillLevel?) -> String {
      level.map { chinese ? $0.chineseName : $0.englishName } ?? ""
    }
    let separator = chinese ? "、" : ", "
    switch column {
    case .idNumber: return a.idNumber
    case .name: return a.name
    case .employer: return a.employer
    case .district: return a.district
    case .direction:
      switch a.direction {
      case .skillToTitle?: return chinese ? "A（技能人才申报职称）" : "A (skill holder applying for a title)"
      case .titleToSkill?: return chinese ? "B（职称人才申报技能评价）" : "B (title holder applying for skills)"
      case nil: return ""
      }
    case .occupation: return a.occupation ?? ""
    case .skillLevel: return skill(a.skillLevel)
    case .skillDate:
      guard let date = a.skillDate else { return "" }
      guard a.skillDateIsMonthOnly else { return date.description }
      return chinese
        ? "\(date)（只写到月，按月末计）" : "\(date) (month only, counted from its last day)"
    case .yearsInWork: return a.yearsInWork.map(hours) ?? ""
    case .assessments: return a.assessments?.joined(separator: separator) ?? ""
    case .continuingEducationHours: return a.continuingEducationHours.map(hours) ?? ""
    case .publicSubjectHours: return a.publicSubjectHours.map(hours) ?? ""
    case .skillTrainingHours: return a.skillTrainingHours.map(hours) ?? ""
    case .publicInstitutionStaff: return flag(a.isPublicInstitutionStaff)
    case .technicalSchoolTeacher: return flag(a.isTechnicalSchoolTeacher)
    case .stillInRelatedField: return flag(a.isStillInRelatedField)
    case .honours: return a.honours.joined(separator: separator)
    case .titleSeries: return a.titleSeries ?? ""
    case .titleLevel: return a.titleLevel.map { chinese ? $0.chineseName : $0.englishName } ?? ""
    case .targetOccupation: return a.targetOccupation ?? ""
    case .relatedDiploma: return flag(a.hasRelatedDiploma)
    case .schoolClass: return a.schoolClass ?? ""
    }
  }
}

// MARK: - Common facts, direction, 三

extension Evaluator {
  func narrateCommon(
    _ applicant: Applicant, context: EvaluationContext, into n: inout Narration
  ) {
    let integrityClause = policy.clause(for: .integrity)
    if context.onIntegrityList {
      n.add(
        .common, integrityClause, n.t("诚信", "Integrity"),
        n.t(
          "身份证号在诚信名单中，两个方向均不符合", "The ID is on the integrity list: ineligible in both directions"),
        .notMet)
    } else {
      n.add(
        .common, integrityClause, n.t("诚信", "Integrity"),
        n.t("不在诚信名单中", "Not on the integrity list"), .met)
    }
    if let first = context.firstOccurrence {
      n.add(
        .common, "", n.t("重复", "Duplicate"),
        n.t("同一身份证号已在 \(first) 出现，本行需复核", "The same ID appears earlier at \(first): review"),
        .review)
    }
    if let problem = applicant.problem(in: .idNumber) {
      n.add(
        .common, "", n.t("身份证号", "ID number"),
        n.t(
          "“\(problem.raw)”：\(problem.detail)，需复核",
          "\"\(problem.raw)\": \(problem.detail); review"),
        .review)
    } else if applicant.idStatus == .missing {
      n.add(
        .common, "", n.t("身份证号", "ID number"),
        n.t("未填写，需复核", "Not given: review"), .review)
    } else {
      n.add(
        .common, "", n.t("身份证号", "ID number"),
        n.t("\(applicant.idNumber) 校验通过（GB 11643）", "\(applicant.idNumber) passes GB 11643"),
        .met)
    }
  }

  func narrateDirections(
    _ applicant: Applicant, _ directions: [ApplicationDirection], into n: inout Narration
  ) {
    let title = n.t("申报方向", "Direction")
    let names = directions.map { direction in
      direction == .skillToTitle
        ? n.t("A 技能人才申报职称（二）", "A, skill holder applying for a title (二)")
        : n.t("B 职称人才申报技能评价（四）", "B, title holder applying for skill evaluation (四)")
    }
    let judged =
      directions.isEmpty
      ? n.t(
        "既无技能等级或荣誉、也无职称等级，两个方向都无从判定",
        "no skill level, honour or title: neither direction can be judged")
      : n.t("按已有数据判定：", "judged from the data present: ") + n.list(names)
    if applicant.direction != nil {
      n.add(.common, "", title, n.t("填写为 ", "Given as ") + n.list(names), .met)
    } else if let problem = applicant.problem(in: .direction) {
      n.add(
        .common, "", title,
        n.t("“\(problem.raw)”无法识别，需复核；", "\"\(problem.raw)\" cannot be read (review); ")
          + judged, .review)
    } else {
      n.add(.common, "", title, n.t("未填写，", "Not given; ") + judged, .info)
    }
  }

  func narrateEquivalence(_ applicant: Applicant, _ equivalent: String?, into n: inout Narration) {
    guard let written = applicant.schoolClass, !written.isEmpty else { return }
    let exams = n.list(policy.policy.equivalenceExams)
    let clause = policy.policy.equivalence.first?.clause ?? "三"
    if let equivalent {
      n.add(
        .equivalence, clause, n.t("等同学历", "Equivalent education"),
        n.t(
          "技工院校毕业班次“\(written)”视同\(equivalent)学历，用于报考\(exams)等专业技术资格考试",
          "Technical-school class \"\(written)\" counts as \(equivalent) for the exams: \(exams)"),
        .info)
    } else {
      n.add(
        .equivalence, clause, n.t("等同学历", "Equivalent education"),
        n.t(
          "毕业班次“\(written)”不在对照表中（中级工班、高级工班、预备技师班、技师班），不作等同",
          "Class \"\(written)\" is not in the table of classes; no equivalence"),
        .info)
    }
  }
}

// MARK: - Direction A (二)

extension Evaluator {
  /// The outcome a check had, read from what it added to the findings.
  static func outcome(_ before: TitleFindings, _ after: TitleFindings) -> Explanation.Outcome {
    if after.failed.count > before.failed.count { return .notMet }
    if after.review.count > before.review.count { return .review }
    if after.info.count > before.info.count { return .info }
    return .met
  }

  func explainTitle(
    _ applicant: Applicant, common: CommonReasons, into n: inout Narration
  ) -> TitleVerdict {
    var findings = TitleFindings(failed: common.failed, review: common.review)
    var memo = EvaluationMemo()
    var before = findings
    checkAssessments(applicant, into: &findings)
    narrateAssessments(applicant, outcome: Self.outcome(before, findings), into: &n)
    before = findings
    checkContinuingEducation(applicant, into: &findings, memo: &memo)
    narrateContinuingEducation(applicant, outcome: Self.outcome(before, findings), into: &n)
    before = findings
    let candidates = seriesCandidates(applicant, into: &findings, memo: &memo)
    narrateScope(
      applicant, candidates: candidates, outcome: Self.outcome(before, findings), into: &n)
    let direct = directRoute(applicant, into: &findings, memo: &memo)
    narrateDirectRoute(applicant, direct: direct, into: &n)
    before = findings
    let normal = normalRoute(applicant, direct: direct, into: &findings)
    narrateNormalRoute(
      applicant, normal: normal, direct: direct, outcome: Self.outcome(before, findings),
      into: &n)

    let choice = chooseRoute(normal: normal, direct: direct, into: &findings)
    narrateChoice(
      normal: normal, direct: direct, best: choice.best, routes: choice.routes,
      next: choice.next, into: &n)
    before = findings
    checkPublicInstitution(applicant, into: &findings)
    narratePublicInstitution(applicant, outcome: Self.outcome(before, findings), into: &n)

    let (verdict, basis) = conclude(findings, choice: choice, candidates: candidates)
    let why: String =
      switch basis {
      case .conditionFailed: n.t("有不满足的条件", "a condition is not met")
      case .noTargetReached:
        n.t(
          "两条途径都达不到任何等级，缺少的数据也改变不了",
          "no route reaches any level, and no missing value could change that")
      case .needsReview: n.t("有需要人工核实的事项", "something needs a human check")
      case .allMet: n.t("各项条件均满足", "every condition is met")
      }
    narrateTitleConclusion(verdict, why: why, into: &n)
    return verdict
  }

  func narrateAssessments(
    _ applicant: Applicant, outcome: Explanation.Outcome, into n: inout Narration
  ) {
    let rule = policy.policy.assessment
    let title = n.t("年度考核", "Annual assessments")
    guard let words = applicant.assessments, !words.isEmpty else {
      n.add(
        .title, rule.clause, title,
        n.t(
          "未填写近\(rule.yearsRequired)年年度考核结果，需复核",
          "No results given; \(rule.yearsRequired) are needed: review"),
        outcome)
      return
    }
    var passing: [String] = []
    var failing: [String] = []
    var other: [String] = []
    for word in words {
      let key = LookupKey.make(word)
      if policy.failWords.contains(key) {
        failing.append(word)
      } else if policy.passWords.contains(key) {
        passing.append(word)
      } else {
        other.append(word)
      }
    }
    var parts = [n.t("填写为 ", "Given as ") + n.list(words)]
    if !failing.isEmpty {
      parts.append(n.t("\(n.list(failing)) 低于合格", "\(n.list(failing)) is below pass"))
    }
    parts.append(
      n.t(
        "合格及以上 \(passing.count) 项，需 \(rule.yearsRequired) 项",
        "\(passing.count) at pass or better, \(rule.yearsRequired) needed"))
    if !other.isEmpty {
      parts.append(
        n.t("\(n.list(other)) 不算考核结果", "\(n.list(other)) does not count as a result"))
    }
    n.add(.title, rule.clause, title, parts.joined(separator: n.t("；", "; ")), outcome)
  }

  func narrateContinuingEducation(
    _ applicant: Applicant, outcome: Explanation.Outcome, into n: inout Narration
  ) {
    let title = n.t("继续教育", "Continuing education")
    guard let rule = policy.continuingEducation else {
      n.add(
        .title, "", title, n.t("基准日无继续教育学时要求", "No hours are required on the as-of date"),
        .skipped)
      return
    }
    func shown(_ column: RosterColumn, _ value: Double?) -> String {
      if let value { return n.number(value) }
      if applicant.problem(in: column) != nil { return n.t("无法读取", "unreadable") }
      return n.t("未填写", "not given")
    }
    let training = rule.skillTrainingCounts ? (applicant.skillTrainingHours ?? 0) : 0
    var parts: [String] = []
    if let education = applicant.continuingEducationHours {
      if rule.skillTrainingCounts {
        parts.append(
          n.t(
            "继续教育 \(n.number(education)) + 技能培训 \(n.number(training)) = "
              + "\(n.number(education + training)) 学时，需 ≥ \(n.number(rule.totalHours))",
            "\(n.number(education)) continuing + \(n.number(training)) skill training = "
              + "\(n.number(education + training)) hours, \(n.number(rule.totalHours)) needed"))
      } else {
        parts.append(
          n.t(
            "继续教育 \(n.number(education)) 学时，需 ≥ \(n.number(rule.totalHours))",
            "\(n.number(education)) hours, \(n.number(rule.totalHours)) needed"))
      }
    } else {
      parts.append(
        n.t("继续教育学时", "Continuing-education hours ")
          + shown(.continuingEducationHours, nil))
    }
    parts.append(
      n.t(
        "公需科目 \(shown(.publicSubjectHours, applicant.publicSubjectHours))，需 ≥ "
          + n.number(rule.publicHours),
        "public subjects \(shown(.publicSubjectHours, applicant.publicSubjectHours)), "
          + "\(n.number(rule.publicHours)) needed"))
    if rule.skillTrainingCounts, applicant.skillTrainingHours == nil,
      applicant.problem(in: .skillTrainingHours) != nil
    {
      parts.append(n.t("技能培训学时无法读取", "skill-training hours unreadable"))
    }
    n.add(.title, rule.clause, title, parts.joined(separator: n.t("；", "; ")), outcome)
  }

  func narrateScope(
    _ applicant: Applicant, candidates: [SeriesCandidate], outcome: Explanation.Outcome,
    into n: inout Narration
  ) {
    let clause = policy.clause(for: .occupationUnmapped)
    let title = n.t("职业工种与职称系列（附件1）", "Occupation and title series (Annex 1)")
    var parts: [String] = []
    if let occupation = applicant.occupation, !occupation.isEmpty {
      let key = LookupKey.make(occupation)
      if policy.occupations[key] != nil {
        parts.append(n.t("“\(occupation)”在附件1中", "\"\(occupation)\" is in Annex 1"))
      } else if let base = LookupKey.beforeBracket(key), policy.occupations[base] != nil {
        parts.append(
          n.t(
            "“\(occupation)”按括号前的“\(base)”在附件1中查到",
            "\"\(occupation)\" found in Annex 1 by the part before the bracket, \"\(base)\""))
      } else {
        parts.append(
          n.t(
            "“\(occupation)”不在附件1中，职称系列需人工确定",
            "\"\(occupation)\" is not in Annex 1; the series needs a human decision"))
      }
    } else if let problem = applicant.problem(in: .occupation) {
      parts.append(n.t("职业工种无法读取：\(problem.detail)", "Occupation unreadable: \(problem.detail)"))
    } else {
      parts.append(n.t("未填写职业工种", "No occupation given"))
    }
    let rows = candidates.map { candidate -> String in
      var text = candidate.series
      if !candidate.specialty.isEmpty {
        text += n.t("（专业：\(candidate.specialty)）", " (\(candidate.specialty))")
      }
      if let row = candidate.annexRow {
        text += n.t("，附件1第\(row)行", ", Annex 1 row \(row)")
      } else {
        text += n.t(
          "，\(policy.policy.teacherClause) 技工院校教师", ", \(policy.policy.teacherClause) teachers")
      }
      return text
    }
    if !rows.isEmpty {
      parts.append(n.t("可申报系列：", "Series: ") + rows.joined(separator: n.t("；", "; ")))
    }
    if let named = applicant.titleSeries, !named.isEmpty, candidates.count > 1,
      let first = candidates.first, ResolvedPolicy.series(named, covers: first.series)
    {
      parts.append(
        n.t(
          "职称系列填写“\(named)”，以\(first.series)为主",
          "Series written \"\(named)\": \(first.series) first"))
    }
    n.add(.title, clause, title, parts.joined(separator: n.t("；", "; ")), outcome)
  }

  func narrateDirectRoute(_ applicant: Applicant, direct: TitleLevel?, into n: inout Narration) {
    let title = n.t("直接申报（荣誉）", "Direct route (honours)")
    let written = applicant.honours.filter { !Self.isNone($0) }
    guard !written.isEmpty else {
      n.add(
        .title, policy.clause(for: .honourUnknown), title, n.t("未填写荣誉", "No honour given"),
        .skipped)
      return
    }
    for honour in written {
      guard let entry = policy.honour(named: honour) else {
        n.add(
          .title, policy.clause(for: .honourUnknown), title,
          n.t(
            "“\(honour)”不在政策荣誉表及别名中，不计入直接申报",
            "\"\(honour)\" is neither an honour nor an alias the policy knows; not counted"),
          .info)
        continue
      }
      let viaAlias = LookupKey.make(honour) != LookupKey.make(entry.name)
      let matched =
        viaAlias
        ? n.t("“\(honour)”按别名即“\(entry.name)”", "\"\(honour)\" is an alias of \"\(entry.name)\"")
        : n.t("“\(honour)”", "\"\(honour)\"")
      n.add(
        .title, entry.clause, title,
        matched
          + n.t("，可直接申报\(n.level(entry.target))", ": direct route to \(n.level(entry.target))"),
        .met)
    }
    if written.count > 1, let direct {
      n.add(
        .title, policy.clause(for: .honourUnknown), title,
        n.t("荣誉中最高可直接申报\(n.level(direct))", "Highest level by honours: \(n.level(direct))"), .info)
    }
  }

  func narrateNormalRoute(
    _ applicant: Applicant, normal: NormalRouteResult, direct: TitleLevel?,
    outcome: Explanation.Outcome, into n: inout Narration
  ) {
    let title = n.t("正常申报", "Normal route")
    let routeClause = policy.clause(for: .levelLow)
    guard let level = applicant.skillLevel else {
      if outcome == .review {
        let why =
          applicant.problem(in: .skillLevel).map {
            n.t(
              "职业技能等级“\($0.raw)”无法读取：\($0.detail)",
              "Skill level \"\($0.raw)\" unreadable: \($0.detail)")
          } ?? n.t("未填写职业技能等级", "No skill level given")
        n.add(.title, routeClause, title, why + n.t("，需复核", "; review"), .review)
      } else {
        n.add(
          .title, routeClause, title,
          n.t("未填写职业技能等级；已可凭荣誉直接申报", "No skill level given; the honours open the direct route"),
          .skipped)
      }
      return
    }
    if normal.levelLow {
      let lowest = policy.normalRoute.map(\.level).min().map { n.level($0) } ?? ""
      n.add(
        .title, routeClause, title,
        n.t(
          "\(n.level(level))低于\(lowest)，正常申报不适用",
          "\(n.level(level)) is below \(lowest): the normal route is closed"),
        direct == nil ? .notMet : .info)
      return
    }
    let since = applicant.skillDate
    let worked = applicant.yearsInWork
    if let worked {
      n.add(
        .title, routeClause, title,
        n.t(
          "持\(n.level(level))；按填写的取证后工作年限 \(n.number(worked)) 年计（优先于取证日期）",
          "Holds \(n.level(level)); counted by the \(n.number(worked)) years of work given "
            + "(they win over the date)"), .info)
    } else if let since {
      let whole = since.wholeYears(until: policy.asOf)
      n.add(
        .title, routeClause, title,
        n.t(
          "持\(n.level(level))，\(since) 取得，至基准日 \(policy.asOf) 满 \(whole) 年",
          "Holds \(n.level(level)) since \(since): \(whole) full years by \(policy.asOf)"), .info)
    } else if !policy.normalRoute.isEmpty {
      let why =
        applicant.problem(in: .skillDate).map {
          n.t("取证日期“\($0.raw)”无法读取：\($0.detail)", "Date \"\($0.raw)\" unreadable: \($0.detail)")
        } ?? n.t("未填写取证日期或工作年限", "Neither the date nor the years of work are given")
      n.add(
        .title, routeClause, title,
        n.t("持\(n.level(level))；", "Holds \(n.level(level)); ") + why
          + n.t("，无法计算年限，需复核", ": years cannot be counted; review"), .review)
    }
    for rule in policy.normalRoute.reversed() {
      let rowTitle = n.t("正常申报\(n.level(rule.target))", "Normal route to \(n.level(rule.target))")
      let requirement = n.t(
        "需\(n.level(rule.level))及以上满\(rule.years)年",
        "needs \(n.level(rule.level)) or higher for \(rule.years) years")
      guard level >= rule.level else {
        n.add(
          .title, rule.clause, rowTitle,
          requirement + n.t("，现为\(n.level(level))，不适用", "; holds \(n.level(level))"),
          .skipped)
        continue
      }
      if let worked {
        let met = worked >= Double(rule.years)
        n.add(
          .title, rule.clause, rowTitle,
          requirement
            + n.t(
              "；工作年限 \(n.number(worked)) 年，\(met ? "已满足" : "未满足")",
              "; \(n.number(worked)) years: \(met ? "met" : "not met")"), met ? .met : .notMet)
      } else if let since {
        let date = since.adding(years: rule.years)
        let met = policy.asOf >= date
        n.add(
          .title, rule.clause, rowTitle,
          requirement
            + (met
              ? n.t("；\(date) 已满足", "; met on \(date)")
              : n.t("；将于 \(date) 满足", "; will be met on \(date)")),
          met ? .met : .notMet)
      }
    }
    for rule in policy.topLevel {
      let names = n.list(rule.levels.map { n.level($0) })
      let rowTitle = n.t("正常申报\(n.level(rule.target))", "Normal route to \(n.level(rule.target))")
      guard let floor = rule.levels.min(), level >= floor else {
        n.add(
          .title, rule.clause, rowTitle,
          n.t("需\(names)且仍在相关岗位，不适用", "needs \(names) still in the related field; not applicable"),
          .skipped)
        continue
      }
      switch applicant.isStillInRelatedField {
      case true?:
        n.add(
          .title, rule.clause, rowTitle,
          n.t("\(n.level(level))，仍在相关岗位，已满足", "\(n.level(level)), still in the related field: met"),
          .met)
      case false?:
        n.add(
          .title, rule.clause, rowTitle,
          n.t(
            "\(n.level(level))，但已不在相关岗位", "\(n.level(level)), but no longer in the related field"),
          .notMet)
      case nil:
        n.add(
          .title, rule.clause, rowTitle,
          n.t(
            "\(n.level(level))，是否仍在相关岗位未填写或无法读取，需复核",
            "\(n.level(level)); whether still in the field is not known: review"),
          .review)
      }
    }
  }

  func narrateChoice(
    normal: NormalRouteResult, direct: TitleLevel?, best: TitleLevel?, routes: [Route],
    next: FutureTarget<TitleLevel>?, into n: inout Narration
  ) {
    let clause = policy.clause(for: .levelLow) + n.t("、", ", ") + policy.clause(for: .honourUnknown)
    let none = n.t("无", "none")
    let normalText = normal.target.map { n.level($0) } ?? none
    let directText = direct.map { n.level($0) } ?? none
    var detail = n.t(
      "正常申报可达：\(normalText)；直接申报可达：\(directText)",
      "Normal route reaches \(normalText); direct route reaches \(directText)")
    if let best {
      let names = routes.map { n.language == .chinese ? $0.rawValue : $0.englishName }
      detail += n.t(
        " → 取较高者：\(n.level(best))（\(n.list(names))）",
        " → the higher: \(n.level(best)) (\(n.list(names)))")
    } else {
      detail += n.t(" → 未达到任何等级", " → no level reached")
    }
    n.add(
      .title, clause, n.t("途径比较", "Routes compared"), detail, best == nil ? .notMet : .met)
    if let next {
      let rule = policy.normalRoute.first { $0.target == next.level }
      n.add(
        .title, rule?.clause ?? policy.clause(for: .nextTarget), n.t("下一等级", "Next level"),
        n.t(
          "\(n.level(next.level))：将于 \(next.date) 满足年限",
          "\(n.level(next.level)): years met on \(next.date)"),
        .info)
    }
  }

  func narratePublicInstitution(
    _ applicant: Applicant, outcome: Explanation.Outcome, into n: inout Narration
  ) {
    let clause = policy.clause(for: .publicInstitution)
    let title = n.t("事业单位在编", "Public-institution staff")
    switch applicant.isPublicInstitutionStaff {
    case true?:
      n.add(
        .title, clause, title,
        n.t("是：须符合岗位管理和评聘结合规定，需人工复核", "Yes: post-management rules need a human check"), outcome)
    case false?:
      n.add(.title, clause, title, n.t("否", "No"), outcome)
    case nil:
      let detail =
        applicant.problem(in: .publicInstitutionStaff).map {
          n.t("“\($0.raw)”无法读取，需复核", "\"\($0.raw)\" unreadable: review")
        } ?? n.t("未填写，按非在编处理", "Not given: taken as no")
      n.add(.title, clause, title, detail, outcome)
    }
  }

  func narrateTitleConclusion(_ verdict: TitleVerdict, why: String, into n: inout Narration) {
    let conclusion =
      n.language == .chinese ? verdict.conclusion.rawValue : verdict.conclusion.englishName
    var detail = conclusion + n.t("：", ": ") + why
    if let target = verdict.target {
      let routes = verdict.routes.map { n.language == .chinese ? $0.rawValue : $0.englishName }
      detail += n.t(
        "；可申报\(n.level(target))（\(n.list(routes))）",
        "; level \(n.level(target)) (\(n.list(routes)))")
      if let primary = verdict.primary {
        detail += n.t("，职称系列\(primary.series)", ", series \(primary.series)")
        if !primary.specialty.isEmpty {
          detail += n.t("，专业\(primary.specialty)", ", specialty \(primary.specialty)")
        }
      }
    }
    n.addConclusion(
      .title, "二", n.t("职称申报结论", "Title verdict"), detail, verdict.conclusion,
      verdict.reasons)
  }
}

// MARK: - Direction B (四)

extension Evaluator {
  func explainSkill(
    _ applicant: Applicant, common: CommonReasons, into n: inout Narration
  ) -> SkillVerdict {
    var failed = common.failed
    var review = common.review
    var info: [Reason] = []
    var verdict = SkillVerdict.notApplicable
    let titleClause = policy.clause(for: .titleLow)
    verdict.exemptFromTheory = applicant.hasRelatedDiploma
    narrateExemption(applicant, into: &n)
    if applicant.hasRelatedDiploma == nil, let problem = applicant.problem(in: .relatedDiploma) {
      review.append(Self.reason(for: problem))
    }
    if let held = applicant.skillLevel, let obtained = applicant.skillDate, let next = held.next {
      let date = obtained.adding(years: policy.policy.promotionWaitYears)
      let wait = policy.policy.promotionWaitYears
      verdict.promotion = FutureTarget(level: next, date: date)
      info.append(
        Reason(
          .promotionDate, with: ["level": next.chineseName, "date": date.description],
          informational: true))
      n.add(
        .skill, policy.policy.promotionClause, n.t("晋级", "Next skill level"),
        n.t(
          "现持\(n.level(held))（\(obtained) 取得），满 \(wait) 年可申请\(n.level(next))：\(date)",
          "Holds \(n.level(held)) since \(obtained); \(n.level(next)) may be applied for "
            + "after \(wait) year(s): \(date)"), .info)
    }

    guard let title = applicant.titleLevel, title > .clerk else {
      if applicant.titleLevel == nil, let problem = applicant.problem(in: .titleLevel) {
        review.append(Self.reason(for: problem))
        verdict.conclusion = failed.isEmpty ? .review : .ineligible
        n.add(
          .skill, titleClause, n.t("职称等级", "Title level"),
          n.t(
            "“\(problem.raw)”无法读取：\(problem.detail)，需复核",
            "\"\(problem.raw)\" unreadable: \(problem.detail); review"),
          .review)
      } else {
        failed.append(Reason(.titleLow, with: ["title": applicant.titleLevel?.chineseName ?? "无"]))
        verdict.conclusion = .ineligible
        let held = applicant.titleLevel.map { n.level($0) } ?? n.t("无职称", "no title")
        n.add(
          .skill, titleClause, n.t("职称等级", "Title level"),
          n.t("\(held)，未达助理级，不能申请技能评价", "\(held): below assistant, skill evaluation is not open"),
          .notMet)
      }
      verdict.reasons = Self.merged(failed, review, info)
      narrateSkillConclusion(verdict, into: &n)
      return verdict
    }

    let held = applicant.skillLevel
    let choice = skillTarget(title: title, held: held)
    let chosen = choice.chosen
    if let chosen, let required = chosen.requiresHeld, let held {
      n.add(
        .skill, chosen.clause, n.t("可申请等级", "Level open"),
        n.t(
          "已持\(n.level(held))，可申请\(n.level(chosen.skill))",
          "Holds \(n.level(held)) (\(n.level(required)) or above): \(n.level(chosen.skill)) is open"
        ),
        .met)
    }
    for row in choice.blocked {
      guard let required = row.requiresHeld else { continue }
      info.append(
        Reason(.chiefNeedsSpecial, with: ["level": held?.chineseName ?? "无"], informational: true))
      let heldText = held.map { n.level($0) }
      n.add(
        .skill, row.clause, n.t("可申请等级", "Level open"),
        n.t(
          "申请\(n.level(row.skill))需先取得\(n.level(required))，现有：\(heldText ?? "无")",
          "\(n.level(row.skill)) needs \(n.level(required)) first; held: \(heldText ?? "none")"),
        .info)
    }
    guard let target = chosen?.skill else {
      failed.append(Reason(.titleLow, with: ["title": title.chineseName]))
      verdict.conclusion = .ineligible
      verdict.reasons = Self.merged(failed, review, info)
      n.add(
        .skill, titleClause, n.t("职称等级", "Title level"),
        n.t(
          "\(n.level(title))在基准日没有可申请的技能等级",
          "\(n.level(title)) opens no skill level on the as-of date"),
        .notMet)
      narrateSkillConclusion(verdict, into: &n)
      return verdict
    }
    verdict.target = target
    n.add(
      .skill, chosen?.clause ?? titleClause, n.t("职称对应技能等级", "Title to skill level"),
      n.t(
        "持\(n.level(title))职称，可申请\(n.level(target))",
        "Title \(n.level(title)) opens \(n.level(target))"),
      .met)
    if held == nil, let problem = applicant.problem(in: .skillLevel) {
      review.append(Self.reason(for: problem))
      n.add(
        .skill, titleClause, n.t("现有技能等级", "Skill level held"),
        n.t("“\(problem.raw)”无法读取，需复核", "\"\(problem.raw)\" unreadable: review"), .review)
    }

    let occupation = Self.occupationToEvaluate(applicant)
    verdict.occupation = occupation
    if let occupation {
      let column =
        applicant.targetOccupation == occupation
        ? RosterColumn.targetOccupation.header : RosterColumn.occupation.header
      n.add(
        .skill, titleClause, n.t("评价职业工种", "Occupation to be evaluated"),
        n.t("“\(occupation)”（取自\(column)）", "\"\(occupation)\" (from \(column))"), .met)
      var seriesReview: [Reason] = []
      checkSeries(applicant, occupation: occupation, review: &seriesReview)
      narrateSeriesCheck(
        applicant, occupation: occupation, mismatch: !seriesReview.isEmpty, into: &n)
      review += seriesReview
      verdict.servicePoints = servicePoints(
        for: occupation, level: target, district: applicant.district)
      narrateServicePoints(verdict.servicePoints, occupation: occupation, target: target, into: &n)
      if verdict.servicePoints.isEmpty {
        info.append(
          Reason(
            .noServicePoint, with: ["occupation": occupation, "target": target.chineseName],
            informational: true))
      }
      if policy.isAccessOccupation(occupation) {
        info.append(
          Reason(.accessOccupation, with: ["occupation": occupation], informational: true))
        n.add(
          .skill, policy.clause(for: .accessOccupation), n.t("准入类职业", "Access-type occupation"),
          n.t("应向经备案的职业资格评价鉴定机构申请", "Apply to a registered appraisal body"), .info)
      }
    } else {
      review.append(Reason(.occupationMissing))
      n.add(
        .skill, policy.clause(for: .occupationMissing), n.t("评价职业工种", "Occupation to be evaluated"),
        n.t(
          "申请评价职业工种和职业工种均未填写，需复核",
          "Neither the target occupation nor the occupation is given: review"),
        .review)
    }

    let alreadyHeld = held.map { $0 >= target } ?? false
    if alreadyHeld, let held {
      info.insert(
        Reason(.alreadyHeld, with: ["level": held.chineseName, "target": target.chineseName]), at: 0
      )
      n.add(
        .skill, policy.clause(for: .alreadyHeld), n.t("已持有", "Already held"),
        n.t(
          "已持\(n.level(held))，不低于\(n.level(target))，无需申请",
          "Holds \(n.level(held)), not below \(n.level(target)): nothing to apply for"),
        .info)
    }
    verdict.conclusion = Self.skillConclusion(
      failed: failed, review: review, alreadyHeld: alreadyHeld)
    verdict.reasons = Self.merged(failed, review, info)
    narrateSkillConclusion(verdict, into: &n)
    return verdict
  }

  func narrateExemption(_ applicant: Applicant, into n: inout Narration) {
    let clause = "四（二）"
    let title = n.t("免理论知识考试", "Theory-exam exemption")
    switch applicant.hasRelatedDiploma {
    case true?:
      n.add(.skill, clause, title, n.t("有相关专业毕业证书：免理论知识考试", "Related diploma: exempt"), .met)
    case false?:
      n.add(
        .skill, clause, title, n.t("无相关专业毕业证书：须参加理论知识考试", "No related diploma: not exempt"), .info)
    case nil:
      if let problem = applicant.problem(in: .relatedDiploma) {
        n.add(
          .skill, clause, title,
          n.t("“\(problem.raw)”无法读取，需复核", "\"\(problem.raw)\" unreadable: review"), .review)
      } else {
        n.add(.skill, clause, title, n.t("未填写是否有相关专业毕业证书", "Not given"), .skipped)
      }
    }
  }

  func narrateSeriesCheck(
    _ applicant: Applicant, occupation: String, mismatch: Bool, into n: inout Narration
  ) {
    let clause = policy.clause(for: .occupationSeriesMismatch)
    let title = n.t("职业与职称系列对应", "Occupation and title series")
    let candidates = policy.candidates(forOccupation: occupation)
    let series = candidates.map { n.list($0.map(\.series)) }
    guard let titleSeries = applicant.titleSeries, !titleSeries.isEmpty else {
      n.add(
        .skill, clause, title,
        n.t("未填写职称系列，不核对", "No title series given; not checked"), .skipped)
      return
    }
    if mismatch {
      n.add(
        .skill, clause, title,
        n.t(
          "“\(occupation)”在附件1中属\(series ?? "")系列，"
            + "与职称系列“\(titleSeries)”不一致，需复核",
          "\"\(occupation)\" belongs to \(series ?? "") in Annex 1, "
            + "not to \"\(titleSeries)\": review"),
        .review)
    } else if ResolvedPolicy.series(titleSeries, covers: policy.policy.teacherSeries) {
      n.add(
        .skill, clause, title,
        n.t(
          "职称系列为\(policy.policy.teacherSeries)，不核对",
          "Series \(policy.policy.teacherSeries): not checked"),
        .skipped)
    } else if let series {
      n.add(
        .skill, clause, title,
        n.t(
          "“\(occupation)”属\(series)，与职称系列“\(titleSeries)”一致",
          "\"\(occupation)\" belongs to \(series), matching \"\(titleSeries)\""), .met)
    } else {
      n.add(
        .skill, clause, title,
        n.t("“\(occupation)”不在附件1中，不核对", "\"\(occupation)\" is not in Annex 1; not checked"),
        .skipped)
    }
  }

  func narrateServicePoints(
    _ points: [ServicePoint], occupation: String, target: SkillLevel, into n: inout Narration
  ) {
    let clause = policy.clause(for: .noServicePoint)
    let title = n.t("评价服务点（附件2）", "Service points (Annex 2)")
    guard !points.isEmpty else {
      n.add(
        .skill, clause, title,
        n.t(
          "附件2中没有评价“\(occupation)”\(n.level(target))的服务点，请向人力社保部门咨询",
          "No Annex 2 point evaluates \"\(occupation)\" at \(n.level(target)); ask the bureau"),
        .info)
      return
    }
    let listed = points.map { point in
      let place = point.district.isEmpty ? "" : n.t("（\(point.district)）", " (\(point.district))")
      let contact = [point.contact, point.phone].filter { !$0.isEmpty }.joined(separator: " ")
      return point.institution + place + (contact.isEmpty ? "" : " " + contact)
    }
    n.add(.skill, clause, title, listed.joined(separator: n.t("；", "; ")), .met)
  }

  func narrateSkillConclusion(_ verdict: SkillVerdict, into n: inout Narration) {
    let conclusion =
      n.language == .chinese ? verdict.conclusion.rawValue : verdict.conclusion.englishName
    var detail = conclusion
    if let target = verdict.target, verdict.conclusion != .notApplicable {
      detail += n.t("：可申请\(n.level(target))", ": \(n.level(target))")
      if let occupation = verdict.occupation {
        detail += n.t("，评价职业工种“\(occupation)”", ", occupation \"\(occupation)\"")
      }
      if verdict.exemptFromTheory == true {
        detail += n.t("，免理论知识考试", ", exempt from the theory exam")
      }
    }
    n.addConclusion(
      .skill, "四", n.t("技能评价结论", "Skill verdict"), detail, verdict.conclusion,
      verdict.reasons)
  }
}
