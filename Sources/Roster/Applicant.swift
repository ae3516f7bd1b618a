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
  /// The ID number, name and employer (see `idNumber`, `name`, `employer`).
  @usableFromInline var texts = ApplicantTexts()
  public var idStatus: IDNumberStatus
  public var district: String = ""
  /// `nil` when the 申报方向 cell is blank: every direction the row has data for.
  public var direction: ApplicationDirection?
  public var occupation: String?
  /// The entry number the parser's cell memo gave `occupation` (see `CellMemo.numberedValue`),
  /// −1 when it gave none: a memo of the evaluator finds what it keeps for the text at this
  /// number, without hashing the text, and takes it only when the text it kept there is this
  /// one.
  package var occupationNumber: Int32 = -1
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
  /// `occupationNumber` for `targetOccupation`.
  package var targetOccupationNumber: Int32 = -1
  public var hasRelatedDiploma: Bool?
  public var schoolClass: String?
  public var problems: [FieldProblem] = []

  public init(location: SourceLocation, idNumber: String = "", name: String = "") {
    self.location = location
    self.idStatus = idNumber.isEmpty ? .missing : .valid
    self.idNumber = idNumber
    self.name = name
  }

  public var idNumber: String {
    get { texts.string(.idNumber) }
    set { texts.replace(.idNumber, with: newValue) }
  }

  public var name: String {
    get { texts.string(.name) }
    set { texts.replace(.name, with: newValue) }
  }

  public var employer: String {
    get { texts.string(.employer) }
    set { texts.replace(.employer, with: newValue) }
  }

  /// The UTF-8 of `idNumber`, `name` and `employer`, lent without making strings: for a writer
  /// that copies them into its output as they are. Always inlined, so that `body` runs in place
  /// with the array borrowed, not retained for a call.
  @inlinable @inline(__always)
  public func withTextUTF8<Result>(
    _ body: (
      _ idNumber: UnsafeBufferPointer<UInt8>, _ name: UnsafeBufferPointer<UInt8>,
      _ employer: UnsafeBufferPointer<UInt8>
    ) throws -> Result
  ) rethrows -> Result {
    try texts.withUTF8(body)
  }

  /// Makes this applicant what `Applicant(location:)` makes, in place: the parser reads row
  /// after row into one variable, and building a new value to assign costs two copies of the
  /// whole struct besides releasing the old properties. Every stored property is set here
  /// (`ApplicantResetTests` checks that none is missed).
  mutating func reset(location: SourceLocation) {
    resetLeavingCachedCells(location: location)
    clearCachedCells(except: [])
  }

  /// The properties whose values come from the parser's `Cache` (所在区县, 职业工种, 职称系列,
  /// 申请评价职业工种, 技工院校毕业班次, 近3年年度考核, 荣誉). The parser overwrites those a row
  /// sets and clears the rest only after the row: a property set row after row then costs one
  /// release of the value it replaces, rather than a release in the reset and another, of the
  /// `nil` put there, when the new value is stored; and one left empty row after row costs
  /// nothing.
  struct CachedCells: OptionSet {
    let rawValue: UInt8
    static let district = CachedCells(rawValue: 1)
    static let occupation = CachedCells(rawValue: 1 << 1)
    static let titleSeries = CachedCells(rawValue: 1 << 2)
    static let targetOccupation = CachedCells(rawValue: 1 << 3)
    static let schoolClass = CachedCells(rawValue: 1 << 4)
    static let assessments = CachedCells(rawValue: 1 << 5)
    static let honours = CachedCells(rawValue: 1 << 6)
  }

  /// `reset(location:)` of every property but the `CachedCells` ones. The file name, the same
  /// string row after row, is replaced only when it is another, which spares retaining the new
  /// one and releasing the old.
  mutating func resetLeavingCachedCells(location: SourceLocation) {
    if TextWords(self.location.file) != TextWords(location.file) {
      self.location.file = location.file
    }
    self.location.line = location.line
    texts.removeAll()
    idStatus = .missing
    direction = nil
    occupationNumber = -1
    skillLevel = nil
    skillDate = nil
    skillDateIsMonthOnly = false
    yearsInWork = nil
    continuingEducationHours = nil
    publicSubjectHours = nil
    skillTrainingHours = nil
    isPublicInstitutionStaff = nil
    isTechnicalSchoolTeacher = nil
    isStillInRelatedField = nil
    titleLevel = nil
    targetOccupationNumber = -1
    hasRelatedDiploma = nil
    // Most rows have no problems: an empty array is left as it is, not released and replaced.
    if !problems.isEmpty { problems = [] }
  }

  /// Gives the `CachedCells` properties not in `kept` their initial values; one that has it
  /// already is not written, so nothing is released for it.
  mutating func clearCachedCells(except kept: CachedCells) {
    if !kept.contains(.district) && !district.isEmpty { district = "" }
    if !kept.contains(.occupation) && occupation != nil { occupation = nil }
    if !kept.contains(.titleSeries) && titleSeries != nil { titleSeries = nil }
    if !kept.contains(.targetOccupation) && targetOccupation != nil { targetOccupation = nil }
    if !kept.contains(.schoolClass) && schoolClass != nil { schoolClass = nil }
    if !kept.contains(.assessments) && assessments != nil { assessments = nil }
    if !kept.contains(.honours) && !honours.isEmpty { honours = [] }
  }

  /// The problem recorded for a column, if its cell could not be read. Inlinable, so that the
  /// evaluator's calls for a row without problems, nearly every row, cost a test of the array.
  @inlinable
  public func problem(in column: RosterColumn) -> FieldProblem? {
    problems.isEmpty ? nil : firstProblem(in: column)
  }

  @usableFromInline
  func firstProblem(in column: RosterColumn) -> FieldProblem? {
    problems.first { $0.column == column }
  }
}

/// `Applicant`'s ID number, name and employer as UTF-8, one after the other in one array that
/// the parser empties and refills row after row. These cells differ in nearly every row: as
/// `String`s, the ID number (18 bytes) and most employers (over 15) would each be a new
/// allocation to make and a free on the next row, where here they are copies into storage the
/// array keeps.
///
/// The array is used as a plain buffer: its count is its capacity, `length` says how much of
/// it holds the texts, and emptying only sets `length` and the ends to 0. `Array`'s own
/// `append(contentsOf:)` and `removeAll(keepingCapacity:)` cost several times the short copies
/// they make here.
@usableFromInline
struct ApplicantTexts: Sendable, CustomDebugStringConvertible {
  enum Part {
    case idNumber
    case name
    case employer
  }

  @usableFromInline var bytes: [UInt8] = []
  /// Where the ID number, the name and the employer end in `bytes`.
  @usableFromInline var idEnd = 0
  @usableFromInline var nameEnd = 0
  @usableFromInline var length = 0

  @usableFromInline init() {}

  /// The three texts, and nothing of the bytes left from earlier rows (which
  /// `ApplicantResetTests` would otherwise see through `Mirror`).
  @usableFromInline var debugDescription: String {
    "ApplicantTexts(\(string(.idNumber).debugDescription), \(string(.name).debugDescription), "
      + "\(string(.employer).debugDescription))"
  }

  private func range(_ part: Part) -> Range<Int> {
    switch part {
    case .idNumber: 0..<idEnd
    case .name: idEnd..<nameEnd
    case .employer: nameEnd..<length
    }
  }

  func string(_ part: Part) -> String {
    String(decoding: bytes[range(part)], as: UTF8.self)
  }

  @inlinable @inline(__always)
  func withUTF8<Result>(
    _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>)
      throws -> Result
  ) rethrows -> Result {
    try bytes.withUnsafeBufferPointer { all in
      try body(
        UnsafeBufferPointer(rebasing: all[..<idEnd]),
        UnsafeBufferPointer(rebasing: all[idEnd..<nameEnd]),
        UnsafeBufferPointer(rebasing: all[nameEnd..<length]))
    }
  }

  /// Empties the texts, keeping the storage for the next row's.
  mutating func removeAll() {
    idEnd = 0
    nameEnd = 0
    length = 0
  }

  mutating func replace(_ part: Part, with text: String) {
    var text = text
    text.withUTF8 { replace(part, with: $0) }
  }

  /// `replace(_:with:)` for the parser, which sets the parts in order into emptied texts: a part
  /// that is empty and last is appended in place, inlined, with room made only when the array
  /// is too short; any other goes through `replace`.
  @inline(__always)
  mutating func set(_ part: Part, to utf8: UnsafeBufferPointer<UInt8>) {
    let start: Int
    switch part {
    case .idNumber: start = 0
    case .name: start = idEnd
    case .employer: start = nameEnd
    }
    guard start == length, let source = utf8.baseAddress, length &+ utf8.count <= bytes.count
    else { return replace(part, with: utf8) }
    bytes.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      (base + start).update(from: source, count: utf8.count)
    }
    length &+= utf8.count
    switch part {
    case .idNumber:
      idEnd = length
      nameEnd = length
    case .name: nameEnd = length
    case .employer: break
    }
  }

  /// Makes `part` the text whose UTF-8 is `utf8`, which must be valid UTF-8.
  mutating func replace(_ part: Part, with utf8: UnsafeBufferPointer<UInt8>) {
    let old = range(part)
    let change = utf8.count - old.count
    if length + change > bytes.count {
      bytes.append(contentsOf: repeatElement(0, count: max(length + change, 64) - bytes.count))
    }
    bytes.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      // The parts after this one move by `change` within the array: `update(from:count:)`
      // allows the source and the destination to overlap.
      if old.upperBound < length && change != 0 {
        (base + old.upperBound + change).update(
          from: base + old.upperBound, count: length - old.upperBound)
      }
      if let source = utf8.baseAddress {
        (base + old.lowerBound).update(from: source, count: utf8.count)
      }
    }
    length += change
    switch part {
    case .idNumber:
      idEnd += change
      nameEnd += change
    case .name: nameEnd += change
    case .employer: break
    }
  }
}
