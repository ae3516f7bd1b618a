import CSVStream
import Policy
import Roster

/// The columns of `verdicts.csv` and how a verdict fills them, in Chinese or English.
public struct VerdictTable: Sendable {
  public let language: Language
  public let policy: ResolvedPolicy

  public init(language: Language, policy: ResolvedPolicy) {
    self.language = language
    self.policy = policy
  }

  static let chineseHeader = [
    "来源", "身份证号", "姓名", "工作单位", "所在区县", "职称申报结论", "可申报职称等级", "申报途径", "职称系列", "专业",
    "下一等级及可申报日期", "技能评价结论", "可申请技能等级", "评价职业工种", "免理论考试", "推荐评价机构", "等同学历", "原因代码",
    "原因说明",
  ]
  static let englishHeader = [
    "Source", "ID number", "Name", "Employer", "District", "Title verdict", "Title level",
    "Route", "Title series", "Specialty", "Next level and date", "Skill verdict", "Skill level",
    "Occupation evaluated", "Exempt from theory exam", "Service points", "Equivalent education",
    "Reason codes", "Reasons",
  ]

  public var header: [String] { language == .chinese ? Self.chineseHeader : Self.englishHeader }

  /// The cells of one verdict row.
  public func row(for applicant: Applicant, verdict: Verdict) -> [String] {
    let title = verdict.title
    let skill = verdict.skill
    return [
      applicant.location.description,
      applicant.idNumber,
      applicant.name,
      applicant.employer,
      applicant.district,
      conclusion(title.conclusion),
      title.target.map(level) ?? "",
      title.routes.map(route).joined(separator: separator),
      title.candidates.map(\.series).joined(separator: separator),
      title.primary?.specialty ?? "",
      title.next.map { "\(level($0.level)) \($0.date)" } ?? "",
      conclusion(skill.conclusion),
      skill.target.map(level) ?? "",
      skill.conclusion == .notApplicable && skill.target == nil ? "" : skill.occupation ?? "",
      skill.exemptFromTheory.map(flag) ?? "",
      skill.servicePoints.map(servicePoint).joined(separator: "；"),
      verdict.equivalentEducation ?? "",
      codes(verdict.reasons),
      verdict.reasons.map(text).joined(separator: "；"),
    ]
  }

  /// The reason codes, each once, in the order first found.
  func codes(_ reasons: [Reason]) -> String {
    var seen = Set<ReasonCode>()
    return reasons.filter { seen.insert($0.code).inserted }.map(\.code.rawValue)
      .joined(separator: ";")
  }

  /// A reason's text; informational reasons (which do not change the conclusion) are marked.
  func text(_ reason: Reason) -> String {
    let text = policy.text(for: reason, in: language)
    guard reason.isInformational else { return text }
    return language == .chinese ? "（提示）\(text)" : "(note) \(text)"
  }

  var separator: String { language == .chinese ? "、" : "; " }

  public func conclusion(_ conclusion: Conclusion) -> String {
    language == .chinese ? conclusion.rawValue : conclusion.englishName
  }

  public func level(_ level: TitleLevel) -> String {
    language == .chinese ? level.chineseName : level.englishName
  }

  public func level(_ level: SkillLevel) -> String {
    language == .chinese ? level.chineseName : level.englishName
  }

  func route(_ route: Route) -> String {
    language == .chinese ? route.rawValue : route.englishName
  }

  func flag(_ value: Bool) -> String {
    switch (language, value) {
    case (.chinese, true): "是"
    case (.chinese, false): "否"
    case (.english, true): "yes"
    case (.english, false): "no"
    }
  }

  func servicePoint(_ point: ServicePoint) -> String {
    let contact = [point.contact, point.phone].filter { !$0.isEmpty }.joined(separator: " ")
    return contact.isEmpty ? point.institution : "\(point.institution)（\(contact)）"
  }
}

/// The columns of `rejects.csv`: records that could not be read as a roster row.
enum RejectTable {
  static func header(_ language: Language) -> [String] {
    language == .chinese ? ["来源", "原因", "原始内容"] : ["Source", "Reason", "Raw record"]
  }

  /// The columns of `skipped.csv`: rows passed over on purpose (title rows, blank rows, repeated
  /// headers, totals), so that every record read can be found in some output.
  static func skippedHeader(_ language: Language) -> [String] {
    language == .chinese ? ["来源", "类型", "原始内容"] : ["Source", "Kind", "Raw record"]
  }
}
