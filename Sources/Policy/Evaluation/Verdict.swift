import CSVStream
import Roster

/// The conclusion of one direction for one applicant, as the bureau writes it.
public enum Conclusion: String, Hashable, Sendable, CaseIterable {
  case eligible = "符合"
  case ineligible = "不符合"
  case review = "需复核"
  case notApplicable = "不适用"

  public var englishName: String {
    switch self {
    case .eligible: "eligible"
    case .ineligible: "ineligible"
    case .review: "review"
    case .notApplicable: "not applicable"
    }
  }
}

/// How a title target is reached (二（二）正常申报 or 二（三）直接申报).
public enum Route: String, Hashable, Sendable, CaseIterable {
  case normal = "正常申报"
  case direct = "直接申报"

  public var englishName: String {
    switch self {
    case .normal: "normal"
    case .direct: "direct"
    }
  }
}

/// A title series (and specialty) the applicant's occupation maps to in Annex 1.
public struct SeriesCandidate: Hashable, Sendable {
  public var series: String
  public var specialty: String
  /// The Annex 1 row, or `nil` for a series added by a clause (技工院校教师, 二（一）5).
  public var annexRow: Int?

  public init(series: String, specialty: String, annexRow: Int?) {
    self.series = series
    self.specialty = specialty
    self.annexRow = annexRow
  }
}

/// A target that is not met yet and the day it will be, so the bureau can plan an intake.
public struct FutureTarget<Level: Hashable & Sendable>: Hashable, Sendable {
  public var level: Level
  public var date: CivilDate

  public init(level: Level, date: CivilDate) {
    self.level = level
    self.date = date
  }
}

/// Direction A (二): what a skill holder may apply for in the professional-title ladder.
public struct TitleVerdict: Hashable, Sendable {
  public var conclusion: Conclusion
  /// The best title level the known data reach; `nil` when none.
  public var target: TitleLevel?
  /// The routes that reach `target` (both when both do).
  public var routes: [Route]
  /// Annex 1 series for the occupation, primary first.
  public var candidates: [SeriesCandidate]
  /// The next higher target that is missed only on years, with its date.
  public var next: FutureTarget<TitleLevel>?
  public var reasons: [Reason]

  public static let notApplicable = TitleVerdict(
    conclusion: .notApplicable, target: nil, routes: [], candidates: [], next: nil, reasons: [])

  public init(
    conclusion: Conclusion, target: TitleLevel?, routes: [Route], candidates: [SeriesCandidate],
    next: FutureTarget<TitleLevel>?, reasons: [Reason]
  ) {
    self.conclusion = conclusion
    self.target = target
    self.routes = routes
    self.candidates = candidates
    self.next = next
    self.reasons = reasons
  }

  /// Makes this verdict `notApplicable`, keeping the room of its reasons for the next row and
  /// their values in `pool`.
  mutating func clear(recycling pool: inout ValuesPool) {
    conclusion = .notApplicable
    target = nil
    routes = []
    candidates = []
    next = nil
    pool.empty(&reasons)
  }

  /// The series used in summaries: the first candidate.
  public var primary: SeriesCandidate? { candidates.first }
}

/// Direction B (四): what a title holder may apply for in the skill ladder, and where.
public struct SkillVerdict: Hashable, Sendable {
  public var conclusion: Conclusion
  public var target: SkillLevel?
  /// The occupation to be evaluated in (申请评价职业工种, else 职业工种).
  public var occupation: String?
  /// 免理论知识考试 (四（二）): `nil` when the roster does not say.
  public var exemptFromTheory: Bool?
  /// Annex 2 service points for the occupation at the target level, same district first.
  public var servicePoints: [ServicePoint]
  /// When a held skill level allows the next level to be applied for (四（一）last line).
  public var promotion: FutureTarget<SkillLevel>?
  public var reasons: [Reason]

  public static let notApplicable = SkillVerdict(
    conclusion: .notApplicable, target: nil, occupation: nil, exemptFromTheory: nil,
    servicePoints: [], promotion: nil, reasons: [])

  public init(
    conclusion: Conclusion, target: SkillLevel?, occupation: String?, exemptFromTheory: Bool?,
    servicePoints: [ServicePoint], promotion: FutureTarget<SkillLevel>?, reasons: [Reason]
  ) {
    self.conclusion = conclusion
    self.target = target
    self.occupation = occupation
    self.exemptFromTheory = exemptFromTheory
    self.servicePoints = servicePoints
    self.promotion = promotion
    self.reasons = reasons
  }
}

extension SkillVerdict {
  /// No occupation and no service points, for a verdict that names no target. A verdict that
  /// names one sets both once: emptied first as well, each was released twice a row.
  mutating func clearOccupation() {
    occupation = nil
    servicePoints = []
  }

  /// Makes this verdict `notApplicable`, keeping the room of its reasons for the next row and
  /// their values in `pool`.
  mutating func clear(recycling pool: inout ValuesPool) {
    conclusion = .notApplicable
    target = nil
    occupation = nil
    exemptFromTheory = nil
    servicePoints = []
    promotion = nil
    pool.empty(&reasons)
  }
}

/// The outcome for one applicant in both directions, with every reason that explains it.
public struct Verdict: Hashable, Sendable {
  public var title: TitleVerdict
  public var skill: SkillVerdict
  /// §3: the education a technical-school class counts as for the listed exams.
  public var equivalentEducation: String?
  /// Every reason of both directions, each code once, in the order they were found.
  public var reasons: [Reason]

  public init(
    title: TitleVerdict, skill: SkillVerdict, equivalentEducation: String?, reasons: [Reason]
  ) {
    self.title = title
    self.skill = skill
    self.equivalentEducation = equivalentEducation
    self.reasons = reasons
  }
}

/// Facts about an applicant that come from outside its row: the integrity list (五（三）) and
/// an earlier row with the same ID number.
public struct EvaluationContext: Hashable, Sendable {
  public var onIntegrityList: Bool
  public var firstOccurrence: SourceLocation?

  public init(onIntegrityList: Bool = false, firstOccurrence: SourceLocation? = nil) {
    self.onIntegrityList = onIntegrityList
    self.firstOccurrence = firstOccurrence
  }
}
