import Roster

/// The period in which a policy value is in force; either end may be open.
///
/// Every table row and threshold carries one, so a run in 2027 can reproduce a 2026 screening.
public struct Validity: Hashable, Sendable {
  public var from: CivilDate?
  public var until: CivilDate?

  public static let always = Validity(from: nil, until: nil)

  public init(from: CivilDate? = nil, until: CivilDate? = nil) {
    self.from = from
    self.until = until
  }

  /// Whether the value applies on `date` (both ends inclusive).
  public func contains(_ date: CivilDate) -> Bool {
    if let from, date < from { return false }
    if let until, date > until { return false }
    return true
  }
}

/// The notice a policy bundle transcribes (绍市人社发〔2023〕3号).
public struct PolicyDocument: Hashable, Sendable {
  public var id: String
  public var title: String
  public var effective: CivilDate?

  public init(id: String, title: String, effective: CivilDate?) {
    self.id = id
    self.title = title
    self.effective = effective
  }
}

/// A row of the normal-route table (二（二）1–3): holding `level` for `years` opens `target`.
public struct NormalRouteRule: Hashable, Sendable {
  public var level: SkillLevel
  public var years: Int
  public var target: TitleLevel
  public var clause: String
  public var validity: Validity

  public init(
    level: SkillLevel, years: Int, target: TitleLevel, clause: String, validity: Validity = .always
  ) {
    self.level = level
    self.years = years
    self.target = target
    self.clause = clause
    self.validity = validity
  }
}

/// The top of the normal route (二（二）4): these levels open `target` while still in the field.
public struct TopLevelRule: Hashable, Sendable {
  public var levels: [SkillLevel]
  public var target: TitleLevel
  public var clause: String
  public var validity: Validity

  public init(
    levels: [SkillLevel], target: TitleLevel, clause: String, validity: Validity = .always
  ) {
    self.levels = levels
    self.target = target
    self.clause = clause
    self.validity = validity
  }
}

/// A tier of the direct route (二（三）): any of `honours` opens `target` directly.
public struct HonourTier: Hashable, Sendable {
  public var target: TitleLevel
  public var clause: String
  public var honours: [String]
  public var validity: Validity

  public init(target: TitleLevel, clause: String, honours: [String], validity: Validity = .always) {
    self.target = target
    self.clause = clause
    self.honours = honours
    self.validity = validity
  }
}

/// How annual assessment words are read (二（一）2).
public struct AssessmentWords: Hashable, Sendable {
  public var pass: [String]
  public var fail: [String]
  /// Words that mean "no result" (未考核, 未参加): counted as missing.
  public var missing: [String]
  /// How many recent years must be assessed.
  public var yearsRequired: Int
  public var clause: String

  public init(
    pass: [String], fail: [String], missing: [String], yearsRequired: Int, clause: String
  ) {
    self.pass = pass
    self.fail = fail
    self.missing = missing
    self.yearsRequired = yearsRequired
    self.clause = clause
  }
}

/// The continuing-education thresholds (二（一）3).
public struct ContinuingEducationRule: Hashable, Sendable {
  public var totalHours: Double
  public var publicHours: Double
  /// Whether skill-training hours count as continuing education (视同).
  public var skillTrainingCounts: Bool
  public var clause: String
  public var validity: Validity

  public init(
    totalHours: Double, publicHours: Double, skillTrainingCounts: Bool, clause: String,
    validity: Validity = .always
  ) {
    self.totalHours = totalHours
    self.publicHours = publicHours
    self.skillTrainingCounts = skillTrainingCounts
    self.clause = clause
    self.validity = validity
  }
}

/// A row of the title → skill table (四（一）1–4).
public struct TitleToSkillRule: Hashable, Sendable {
  public var title: TitleLevel
  public var skill: SkillLevel
  public var clause: String
  /// For 首席技师: the level that must already be held (特级技师).
  public var requiresHeld: SkillLevel?
  public var validity: Validity

  public init(
    title: TitleLevel, skill: SkillLevel, clause: String, requiresHeld: SkillLevel? = nil,
    validity: Validity = .always
  ) {
    self.title = title
    self.skill = skill
    self.clause = clause
    self.requiresHeld = requiresHeld
    self.validity = validity
  }
}

/// A row of the §3 table: a technical-school class counts as an education level for some exams.
public struct EducationEquivalence: Hashable, Sendable {
  /// Class names as written on rosters (中级工班; 预备技师班 and 技师班 share a row).
  public var classes: [String]
  public var education: String
  public var clause: String

  public init(classes: [String], education: String, clause: String) {
    self.classes = classes
    self.education = education
    self.clause = clause
  }
}

/// A row of Annex 1: occupations that map to a title series and specialty (附件1).
public struct OccupationMapping: Hashable, Sendable {
  /// 序号 as in the notice.
  public var row: Int
  public var series: String
  public var specialty: String
  public var occupations: [String]
  public var validity: Validity

  public init(
    row: Int, series: String, specialty: String, occupations: [String],
    validity: Validity = .always
  ) {
    self.row = row
    self.series = series
    self.specialty = specialty
    self.occupations = occupations
    self.validity = validity
  }
}

/// A row of Annex 2: an institution that evaluates an occupation at some levels (附件2).
public struct ServicePoint: Hashable, Sendable {
  public var institution: String
  /// 所在区县, when the institution's name or the bureau says it; may be empty.
  public var district: String
  public var occupation: String
  /// Ranks as written in Annex 2: 5 = 初级工 … 1 = 高级技师.
  public var levels: [Int]
  public var contact: String
  public var phone: String
  public var validity: Validity

  public init(
    institution: String, district: String, occupation: String, levels: [Int], contact: String,
    phone: String, validity: Validity = .always
  ) {
    self.institution = institution
    self.district = district
    self.occupation = occupation
    self.levels = levels
    self.contact = contact
    self.phone = phone
    self.validity = validity
  }
}

/// A policy bundle as loaded: every table of the notice with the dates each row is in force.
///
/// The evaluator never reads this directly; `resolved(on:)` picks the rows in force on the
/// screening date and indexes them.
public struct Policy: Sendable {
  public var document: PolicyDocument
  public var normalRoute: [NormalRouteRule]
  public var topLevel: [TopLevelRule]
  public var honourTiers: [HonourTier]
  /// Alias → canonical honour name (世赛金牌 → 世界技能大赛金牌).
  public var honourAliases: [String: String]
  public var assessment: AssessmentWords
  public var continuingEducation: [ContinuingEducationRule]
  /// The series a technical-school teacher with a skill level may also apply in (二（一）5).
  public var teacherSeries: String
  public var teacherClause: String
  public var titleToSkill: [TitleToSkillRule]
  /// Years after obtaining a skill level before the next level may be applied for (四（一）).
  public var promotionWaitYears: Int
  public var promotionClause: String
  public var equivalence: [EducationEquivalence]
  public var equivalenceExams: [String]
  public var accessOccupations: [String]
  public var reasons: [ReasonCode: ReasonText]
  public var annex1: [OccupationMapping]
  public var annex2: [ServicePoint]

  public init(
    document: PolicyDocument, normalRoute: [NormalRouteRule], topLevel: [TopLevelRule],
    honourTiers: [HonourTier], honourAliases: [String: String], assessment: AssessmentWords,
    continuingEducation: [ContinuingEducationRule], teacherSeries: String, teacherClause: String,
    titleToSkill: [TitleToSkillRule], promotionWaitYears: Int, promotionClause: String,
    equivalence: [EducationEquivalence], equivalenceExams: [String], accessOccupations: [String],
    reasons: [ReasonCode: ReasonText], annex1: [OccupationMapping], annex2: [ServicePoint]
  ) {
    self.document = document
    self.normalRoute = normalRoute
    self.topLevel = topLevel
    self.honourTiers = honourTiers
    self.honourAliases = honourAliases
    self.assessment = assessment
    self.continuingEducation = continuingEducation
    self.teacherSeries = teacherSeries
    self.teacherClause = teacherClause
    self.titleToSkill = titleToSkill
    self.promotionWaitYears = promotionWaitYears
    self.promotionClause = promotionClause
    self.equivalence = equivalence
    self.equivalenceExams = equivalenceExams
    self.accessOccupations = accessOccupations
    self.reasons = reasons
    self.annex1 = annex1
    self.annex2 = annex2
  }
}
