import CSVStream

/// What became of one data record: an applicant to judge, or a reject for the rejects file.
public enum RowOutcome: Sendable {
  case applicant(Applicant)
  case reject(RowReject)
}

/// A record that cannot be read as a roster row; it is written to the rejects file and counted.
public struct RowReject: Sendable, Hashable {
  public var location: SourceLocation
  /// Chinese, naming the problem, e.g. `字段数为 12，表头为 22`.
  public var reason: String
  /// The record's fields joined with `,`.
  public var raw: String
  /// The same reason in English for `--lang en`, when the producer supplies one.
  public var englishReason: String?

  public init(location: SourceLocation, reason: String, raw: String, englishReason: String? = nil) {
    self.location = location
    self.reason = reason
    self.raw = raw
    self.englishReason = englishReason
  }
}

/// Reads data records into `Applicant` values for one header; pure, so it can run on many threads.
///
/// A bad value never stops a row: it becomes a `FieldProblem` and the value stays `nil`.
public struct ApplicantParser: Sendable {
  public let header: RosterHeader
  private let slots: [(column: RosterColumn, index: Int)]
  private let idIndex: Int?
  private let nameIndex: Int?
  /// `ValueParser`'s tables of forms, held here so that reading a cell does not go through the
  /// lazy initialisation check of a `static let` each time.
  private let directionTable = ValueParser.directionTable
  private let skillTable = ValueParser.skillTable
  private let titleTable = ValueParser.titleTable
  private let flagTable = ValueParser.flagTable
  /// The yes/no and 申报方向 forms most rosters write, found before the tables are asked.
  private let commonFlags = CommonForms(ValueParser.flagTable, forms: ["是", "否"])
  private let commonDirections = CommonForms(
    ValueParser.directionTable, forms: ["职称", "技能", "A", "B"])
  /// The five title levels' own names and 高级, the forms 职称等级 cells are mostly written in.
  private let commonTitleLevels = CommonForms(
    ValueParser.titleTable, forms: TitleLevel.allCases.map(\.chineseName) + ["高级"])
  /// The caches `withCache` lends, shared by the copies of this parser that the workers use.
  let caches = CachePool()

  public init(header: RosterHeader) {
    self.header = header
    self.slots = RosterColumn.allCases.compactMap { column in
      header.columnIndex[column].map { (column, $0) }
    }
    // `parse` reads the cells at these indices without a bounds check once a record has the
    // header's field count.
    precondition(slots.allSatisfy { $0.index >= 0 && $0.index < header.fieldCount })
    self.idIndex = header.columnIndex[.idNumber]
    self.nameIndex = header.columnIndex[.name]
  }

  public func parse(_ record: CSVRecord) -> RowOutcome {
    var applicant = Applicant(location: record.location)
    if let reject = parse(record, into: &applicant) { return .reject(reject) }
    return .applicant(applicant)
  }

  /// Reads `record` into `applicant`, which it replaces whole; the reject instead when the record
  /// is not a roster row (and `applicant` is then left as it was). For a caller that judges rows
  /// one after another in one variable, which spares copying each applicant into and out of a
  /// `RowOutcome`.
  public func parse(_ record: CSVRecord, into applicant: inout Applicant) -> RowReject? {
    var cache = Cache(limit: 0)
    return parse(record, into: &applicant, cache: &cache)
  }

  /// `parse(_:into:)` for a worker reading many rows, which gives the cells of few-valued
  /// columns the values `cache` remembers for them (and remembers new ones there).
  public func parse(
    _ record: CSVRecord, into applicant: inout Applicant, cache: inout Cache
  ) -> RowReject? {
    let fieldCount = record.fieldCount
    // A row with something in its ID cell, as nearly every row has, is neither blank nor without
    // an ID number and a name: only its field count is left to check.
    if let idIndex, idIndex < fieldCount,
      Self.startsWithDigit(record, idIndex) || !Self.isBlank(record, idIndex)
    {
      guard fieldCount == header.fieldCount else { return fieldCountReject(record) }
    } else {
      if (0..<fieldCount).allSatisfy({ Self.isBlank(record, $0) }) {
        return reject(record, "空行", "blank row")
      }
      guard fieldCount == header.fieldCount else { return fieldCountReject(record) }
      if nameIndex.map({ Self.isBlank(record, $0) }) ?? true {
        return reject(record, "身份证号和姓名均为空", "no ID number and no name")
      }
    }
    applicant.resetLeavingCachedCells(location: record.location)
    var kept: Applicant.CachedCells = []
    // Every slot's index is below the header's field count, which is the record's (checked
    // above), so the cells are read through the record's offsets without a check for each.
    record.withFieldOffsets { bytes, offsets in
      for slot in slots {
        let start = offsets[slot.index]
        let cell = UnsafeBufferPointer(
          start: bytes + start, count: offsets[slot.index &+ 1] &- start)
        if cell.isEmpty
          || readDirectly(cell, into: &applicant, column: slot.column, cache: &cache, kept: &kept)
        {
          continue
        }
        readSlowly(record.field(slot.index), into: &applicant, column: slot.column)
      }
    }
    applicant.clearCachedCells(except: kept)
    return nil
  }

  /// Reads a cell that the byte readers left, through its normal form.
  private func readSlowly(_ cell: String, into applicant: inout Applicant, column: RosterColumn) {
    let value = ValueParser.normalise(cell)
    if value.isEmpty { return }
    read(value, cell: cell, into: &applicant, column: column)
  }

  /// Whether the field's first byte is an ASCII digit, as in nearly every ID cell: such a field
  /// is not blank, which this tells without `isBlank`'s loop and checked field access. `index`
  /// must be below the record's field count.
  @inline(__always)
  private static func startsWithDigit(_ record: CSVRecord, _ index: Int) -> Bool {
    record.withFieldOffsets { bytes, offsets in
      offsets[index] < offsets[index &+ 1] && bytes[offsets[index]] &- 0x30 <= 9
    }
  }

  /// Whether the field holds nothing but blanks, deciding from the bytes when an ASCII
  /// character that is not a blank, or a Chinese character, shows it is not.
  private static func isBlank(_ record: CSVRecord, _ index: Int) -> Bool {
    let answer: Bool? = record.withFieldBytes(index) { bytes in
      var onlyASCII = true
      for byte in bytes {
        if byte >= 0xE4 && byte <= 0xE9 {
          // The lead byte of a character in U+4000–9FFF (Chinese text), none of them blank.
          return false
        } else if byte >= 0x80 {
          onlyASCII = false
        } else if byte != 0x20 && !(0x09...0x0D).contains(byte) {
          return false
        }
      }
      return onlyASCII ? true : nil
    }
    return answer ?? ValueParser.isBlank(record.field(index))
  }

  /// A yes/no cell found as written in the table of forms.
  @inline(__always)
  private func flag(_ cell: UnsafeBufferPointer<UInt8>) -> Bool? {
    commonFlags[utf8: cell] ?? flagTable[utf8: cell]
  }

  /// Reads a cell straight from its bytes where that gives what `read` gives, without making
  /// strings to normalise: a cell found as written in its column's table of forms (申报方向,
  /// levels, yes/no: every form is its own normal form, so normalising first would find the
  /// same entry), a valid ID number with blanks around it at most, and an already
  /// normal cell in a column that takes its text as it is, a date in the common forms or a whole
  /// number; and any cell of a few-valued text or list column, whose value depends on its bytes
  /// alone and comes from `cache` when it has met the same bytes (a 近3年年度考核 written with
  /// `；` is normalised once, not in every row). `false` sends the cell to `read`. Always
  /// inlined into `parse`, its one caller: left to itself the optimiser may call it, and the
  /// readers it inlines, out of line for every cell. The cached cells' columns are always read
  /// here, each added to `kept` when it gives the applicant a value.
  @inline(__always)
  private func readDirectly(
    _ cell: UnsafeBufferPointer<UInt8>, into applicant: inout Applicant, column: RosterColumn,
    cache: inout Cache, kept: inout Applicant.CachedCells
  ) -> Bool {
    switch column {
    case .direction:
      guard let direction = commonDirections[utf8: cell] ?? directionTable[utf8: cell] else {
        return false
      }
      applicant.direction = direction
    case .publicInstitutionStaff:
      guard let flag = flag(cell) else { return false }
      applicant.isPublicInstitutionStaff = flag
    case .technicalSchoolTeacher:
      guard let flag = flag(cell) else { return false }
      applicant.isTechnicalSchoolTeacher = flag
    case .stillInRelatedField:
      guard let flag = flag(cell) else { return false }
      applicant.isStillInRelatedField = flag
    case .relatedDiploma:
      guard let flag = flag(cell) else { return false }
      applicant.hasRelatedDiploma = flag
    case .idNumber: return Self.readValidIDNumber(cell, into: &applicant)
    case .name, .employer:
      guard ValueParser.isAlreadyNormal(cell) else { return false }
      applicant.texts.set(column == .name ? .name : .employer, to: cell)
    case .district, .occupation, .titleSeries, .targetOccupation, .schoolClass:
      let text = cache.texts.value(cell, orMake: Self.normalText) ?? Self.normalText(cell)
      // A cell of blanks only normalises to nothing, which `read` leaves unset.
      if text.isEmpty { return true }
      switch column {
      case .district:
        applicant.district = text
        kept.insert(.district)
      case .occupation:
        applicant.occupation = text
        applicant.occupationNumber = cache.texts.lastNumber
        kept.insert(.occupation)
      case .titleSeries:
        applicant.titleSeries = text
        kept.insert(.titleSeries)
      case .targetOccupation:
        applicant.targetOccupation = text
        applicant.targetOccupationNumber = cache.texts.lastNumber
        kept.insert(.targetOccupation)
      default:
        applicant.schoolClass = text
        kept.insert(.schoolClass)
      }
    case .assessments:
      let items =
        cache.assessments.value(cell, orMake: Self.normalAssessments)
        ?? Self.normalAssessments(cell)
      if items.isEmpty { return true }
      applicant.assessments = items
      kept.insert(.assessments)
    case .honours:
      let items = cache.honours.value(cell, orMake: Self.normalHonours) ?? Self.normalHonours(cell)
      if items.isEmpty { return true }
      applicant.honours = items
      kept.insert(.honours)
    case .skillLevel:
      guard let level = skillTable[utf8: cell] else {
        return Self.readLevel(cell, into: &applicant, column: column, cache: &cache)
      }
      applicant.skillLevel = level
    case .titleLevel:
      guard let level = commonTitleLevels[utf8: cell] ?? titleTable[utf8: cell] else {
        return Self.readLevel(cell, into: &applicant, column: column, cache: &cache)
      }
      applicant.titleLevel = level
    // The date and whole-number readers accept only ASCII digits, `-` `/` `.` and 年月日, never
    // a blank: a cell they accept is already normal, so it is not checked for that first.
    case .skillDate:
      switch ValueParser.commonDate(cell) {
      case .day(let date):
        applicant.skillDate = date
      case .month(let date):
        applicant.skillDate = date
        applicant.skillDateIsMonthOnly = true
      case .invalid, nil:
        return false
      }
    case .yearsInWork:
      guard let years = ValueParser.plainWholeNumber(cell) else { return false }
      applicant.yearsInWork = Double(years)
    case .continuingEducationHours, .publicSubjectHours, .skillTrainingHours:
      guard let hours = ValueParser.plainWholeNumber(cell).map(Double.init) else { return false }
      switch column {
      case .continuingEducationHours: applicant.continuingEducationHours = hours
      case .publicSubjectHours: applicant.publicSubjectHours = hours
      default: applicant.skillTrainingHours = hours
      }
    }
    return true
  }

  /// The cell's text as `normalise` gives it.
  private static func normalText(_ cell: UnsafeBufferPointer<UInt8>) -> String {
    guard ValueParser.isAlreadyNormal(cell) else { return normalised(cell) }
    return CheckedText.string(plain: cell)
  }

  /// The cell's assessment words, as `read` splits them.
  private static func normalAssessments(_ cell: UnsafeBufferPointer<UInt8>) -> [String] {
    guard ValueParser.isAlreadyNormal(cell) else {
      return ValueParser.list(normalised: normalised(cell))
    }
    return ValueParser.list(normalised: cell)
  }

  /// The cell's honours, as `read` splits them.
  private static func normalHonours(_ cell: UnsafeBufferPointer<UInt8>) -> [String] {
    guard ValueParser.isAlreadyNormal(cell) else {
      return ValueParser.honourList(normalised: normalised(cell))
    }
    return ValueParser.honourList(normalised: cell)
  }

  /// Reads a level cell its table does not hold as written (`２`, `三级/高级工`, `七级`) through
  /// `cache`, which remembers what each such cell read as; out of line, as few rows have one.
  @inline(never)
  private static func readLevel(
    _ cell: UnsafeBufferPointer<UInt8>, into applicant: inout Applicant, column: RosterColumn,
    cache: inout Cache
  ) -> Bool {
    if column == .skillLevel {
      let reading = cache.skillLevels.value(cell) {
        levelReading($0, column: .skillLevel) { ValueParser.readSkillLevel(normalised: $0) }
      }
      guard let reading else { return false }
      apply(reading, to: &applicant.skillLevel, problems: &applicant.problems)
    } else {
      let reading = cache.titleLevels.value(cell) {
        levelReading($0, column: .titleLevel) { ValueParser.readTitleLevel(normalised: $0) }
      }
      guard let reading else { return false }
      apply(reading, to: &applicant.titleLevel, problems: &applicant.problems)
    }
    return true
  }

  /// A level cell not found as written in its table, read as `read` reads it (never `nil`).
  private static func levelReading<Level>(
    _ cell: UnsafeBufferPointer<UInt8>, column: RosterColumn,
    _ readLevel: (String) -> Result<Level, UnreadableValue>
  ) -> LevelReading<Level>? {
    let text = String(decoding: cell, as: UTF8.self)
    let value = ValueParser.normalise(text)
    if value.isEmpty { return .blank }
    switch readLevel(value) {
    case .success(let level): return .level(level)
    case .failure(let failure):
      return .problem(
        FieldProblem(
          column: column, kind: .level, raw: ValueParser.trimmed(text), detail: failure.detail))
    }
  }

  private static func apply<Level>(
    _ reading: LevelReading<Level>, to level: inout Level?, problems: inout [FieldProblem]
  ) {
    switch reading {
    case .level(let read): level = read
    case .problem(let problem): problems.append(problem)
    case .blank: break
    }
  }

  private static func normalised(_ cell: UnsafeBufferPointer<UInt8>) -> String {
    ValueParser.normalise(String(decoding: cell, as: UTF8.self))
  }

  /// An ASCII ID cell that is a valid 18-character number once the blanks around it (often a tab
  /// that kept Excel from reading it as a number) are trimmed, as `normalise` trims them.
  private static func readValidIDNumber(
    _ cell: UnsafeBufferPointer<UInt8>, into applicant: inout Applicant
  ) -> Bool {
    var number = cell
    // A cell of 18 bytes is valid as it is or not at all: trimming could only shorten it.
    if cell.count != 18 {
      let isBlank = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
      var start = 0
      var end = cell.count
      while start < end && isBlank(cell[start]) { start += 1 }
      while end > start && isBlank(cell[end - 1]) { end -= 1 }
      number = UnsafeBufferPointer(rebasing: cell[start..<end])
    }
    // The check takes 17 ASCII digits and a check character (a digit or `X`) only, and the
    // blanks trimmed are ASCII, so a cell it accepts is ASCII throughout.
    guard ValueParser.isValidEighteenDigitID(number) else { return false }
    applicant.texts.set(.idNumber, to: number)
    applicant.idStatus = .valid
    return true
  }

  private func fieldCountReject(_ record: CSVRecord) -> RowReject {
    reject(
      record, "字段数为 \(record.fieldCount)，表头为 \(header.fieldCount)",
      "\(record.fieldCount) fields, header has \(header.fieldCount)")
  }

  private func reject(_ record: CSVRecord, _ reason: String, _ english: String) -> RowReject {
    RowReject(
      location: record.location, reason: reason, raw: record.fields.joined(separator: ","),
      englishReason: english)
  }

  private func read(
    _ value: String, cell: String, into applicant: inout Applicant, column: RosterColumn
  ) {
    func problem(_ kind: FieldProblemKind, _ detail: String) {
      applicant.problems.append(
        FieldProblem(column: column, kind: kind, raw: ValueParser.trimmed(cell), detail: detail))
    }
    func hours(_ keyPath: WritableKeyPath<Applicant, Double?>) {
      if let hours = ValueParser.number(normalised: value, units: ValueParser.hourUnits) {
        applicant[keyPath: keyPath] = hours
      } else {
        problem(.hours, "无法识别的学时")
      }
    }
    func flag(_ keyPath: WritableKeyPath<Applicant, Bool?>) {
      if let flag = ValueParser.flag(normalised: value) {
        applicant[keyPath: keyPath] = flag
      } else {
        problem(.flag, "无法识别的是/否值")
      }
    }
    switch column {
    case .idNumber:
      let number = ValueParser.canonicalIDNumber(normalised: value)
      applicant.idNumber = number
      applicant.idStatus = ValueParser.idNumberStatus(canonical: number)
      switch applicant.idStatus {
      case .invalid(let detail): problem(.id, detail)
      case .legacy15: problem(.id, "15位旧身份证号，无法校验")
      case .valid, .missing: break
      }
    case .name: applicant.name = value
    case .employer: applicant.employer = value
    case .district: applicant.district = value
    case .direction:
      if let direction = ValueParser.direction(normalised: value) {
        applicant.direction = direction
      } else {
        problem(.flag, "无法识别的申报方向（应为 A/职称 或 B/技能）")
      }
    case .occupation: applicant.occupation = value
    case .skillLevel:
      switch ValueParser.readSkillLevel(normalised: value) {
      case .success(let level): applicant.skillLevel = level
      case .failure(let failure): problem(.level, failure.detail)
      }
    case .skillDate:
      switch ValueParser.date(normalised: value) {
      case .day(let date): applicant.skillDate = date
      case .month(let date):
        applicant.skillDate = date
        applicant.skillDateIsMonthOnly = true
      case .invalid(let detail): problem(.date, detail)
      }
    case .yearsInWork:
      if let years = ValueParser.number(normalised: value, units: ValueParser.yearUnits) {
        applicant.yearsInWork = years
      } else {
        problem(.hours, "无法识别的年限")
      }
    case .assessments:
      let items = ValueParser.list(normalised: value)
      applicant.assessments = items.isEmpty ? nil : items
    case .continuingEducationHours: hours(\.continuingEducationHours)
    case .publicSubjectHours: hours(\.publicSubjectHours)
    case .skillTrainingHours: hours(\.skillTrainingHours)
    case .publicInstitutionStaff: flag(\.isPublicInstitutionStaff)
    case .technicalSchoolTeacher: flag(\.isTechnicalSchoolTeacher)
    case .stillInRelatedField: flag(\.isStillInRelatedField)
    case .relatedDiploma: flag(\.hasRelatedDiploma)
    case .honours: applicant.honours = ValueParser.honourList(normalised: value)
    case .titleSeries: applicant.titleSeries = value
    case .titleLevel:
      switch ValueParser.readTitleLevel(normalised: value) {
      case .success(let level): applicant.titleLevel = level
      case .failure(let failure): problem(.level, failure.detail)
      }
    case .targetOccupation: applicant.targetOccupation = value
    case .schoolClass: applicant.schoolClass = value
    }
  }
}
