import CSVStream

/// Which ladder crossing a roster row asks for (申报方向).
public enum ApplicationDirection: String, Hashable, Sendable, CaseIterable {
  /// Direction A (二): a skill holder applies for a professional title.
  case skillToTitle = "A"
  /// Direction B (四): a title holder applies for skill evaluation.
  case titleToSkill = "B"
}

/// What the ID-number check (GB 11643-1999) found.
public enum IDNumberStatus: Hashable, Sendable {
  /// 18 characters, known region digits, a real birth date and a matching check digit.
  case valid
  /// A 15-digit legacy number: recognised, but it cannot be checked and is reported.
  case legacy15
  /// Empty cell.
  case missing
  /// Fails the standard; the text says which part (length, region, birth date, check digit).
  case invalid(String)
}

extension IDNumberStatus {
  /// The number looks like Excel damaged it: shown in scientific notation, or its last digits
  /// replaced by 000 (Excel keeps only 15 significant digits).
  public var looksDamagedByExcel: Bool {
    guard case .invalid(let detail) = self else { return false }
    return detail.contains("Excel")
  }
}

/// The kind of problem a single cell had, which decides the `DATA-*` reason code it becomes.
public enum FieldProblemKind: String, Hashable, Sendable {
  case id = "DATA-ID"
  case date = "DATA-DATE"
  case level = "DATA-LEVEL"
  case hours = "DATA-HOURS"
  case flag = "DATA-FLAG"
  case missing = "DATA-MISSING"
}

/// A cell that could not be read as the value its column needs; the row is still judged.
public struct FieldProblem: Hashable, Sendable {
  public var column: RosterColumn
  public var kind: FieldProblemKind
  /// The cell exactly as written (trimmed), for the reason text.
  public var raw: String
  /// A short Chinese explanation, e.g. `日期不存在`.
  public var detail: String

  public init(column: RosterColumn, kind: FieldProblemKind, raw: String, detail: String) {
    self.column = column
    self.kind = kind
    self.raw = raw
    self.detail = detail
  }
}

/// One roster row read into typed values: everything the policy evaluator looks at.
///
/// A value that was absent is `nil`; a value that was present but unreadable is `nil` *and*
/// has a `FieldProblem`, so the evaluator can tell "not given" from "given but broken".
public struct Applicant: Sendable {
  public var location: SourceLocation
  public var idNumber: String
  public var idStatus: IDNumberStatus
  public var name: String
  public var employer: String = ""
  public var district: String = ""
  /// `nil` when the 申报方向 cell is blank: every direction the row has data for.
  public var direction: ApplicationDirection?
  public var occupation: String?
  public var skillLevel: SkillLevel?
  public var skillDate: CivilDate?
  /// The 取证日期 was written to the month only and was read as that month's last day.
  public var skillDateIsMonthOnly: Bool = false
  public var yearsInWork: Double?
  /// The assessment words as written, split on the list separators; `nil` when the cell is empty.
  public var assessments: [String]?
  public var continuingEducationHours: Double?
  public var publicSubjectHours: Double?
  public var skillTrainingHours: Double?
  public var isPublicInstitutionStaff: Bool?
  public var isTechnicalSchoolTeacher: Bool?
  public var isStillInRelatedField: Bool?
  public var honours: [String] = []
  public var titleSeries: String?
  public var titleLevel: TitleLevel?
  public var targetOccupation: String?
  public var hasRelatedDiploma: Bool?
  public var schoolClass: String?
  public var problems: [FieldProblem] = []

  public init(location: SourceLocation, idNumber: String = "", name: String = "") {
    self.location = location
    self.idNumber = idNumber
    self.idStatus = idNumber.isEmpty ? .missing : .valid
    self.name = name
  }

  /// Makes this applicant what `Applicant(location:)` makes, in place: the parser reads row
  /// after row into one variable, and building a new value to assign costs two copies of the
  /// whole struct besides releasing the old properties. Every stored property is set here
  /// (`ApplicantResetTests` checks that none is missed).
  mutating func reset(location: SourceLocation) {
    self.location = location
    idNumber = ""
    idStatus = .missing
    name = ""
    employer = ""
    district = ""
    direction = nil
    occupation = nil
    skillLevel = nil
    skillDate = nil
    skillDateIsMonthOnly = false
    yearsInWork = nil
    assessments = nil
    continuingEducationHours = nil
    publicSubjectHours = nil
    skillTrainingHours = nil
    isPublicInstitutionStaff = nil
    isTechnicalSchoolTeacher = nil
    isStillInRelatedField = nil
    honours = []
    titleSeries = nil
    titleLevel = nil
    targetOccupation = nil
    hasRelatedDiploma = nil
    schoolClass = nil
    problems = []
  }

  /// The problem recorded for a column, if its cell could not be read.
  public func problem(in column: RosterColumn) -> FieldProblem? {
    problems.first { $0.column == column }
  }
}
