import CSVStream
import Foundation
import Roster

/// The output language of reason texts and headers.
public enum Language: String, Hashable, Sendable, CaseIterable {
  case chinese = "zh"
  case english = "en"
}

/// A policy as it stands on one screening date: only the rows in force that day, indexed for
/// the evaluator. Built once per run, then shared read-only by every worker thread (a class, so
/// that handing it around costs one reference count, not one per table).
public final class ResolvedPolicy: Sendable {
  /// The honour an alias or name resolves to, and the tier it belongs to.
  struct HonourEntry: Sendable {
    var name: String
    var target: TitleLevel
    var clause: String
  }

  public let policy: Policy
  public let asOf: CivilDate
  /// Normal-route rows, highest target first.
  let normalRoute: [NormalRouteRule]
  /// The lowest level of `normalRoute`.
  let lowestNormalLevel: SkillLevel?
  let topLevel: [TopLevelRule]
  /// `normalRoute` without its texts, in the same order: what every row reads, copied without
  /// retaining anything.
  let normalSteps: [NormalStep]
  /// The rules of `topLevel` that name levels, with the lowest of them, in the same order.
  let topSteps: [TopStep]

  /// A normal-route row as the evaluator reads it.
  struct NormalStep: Sendable {
    var level: SkillLevel
    var years: Int
    var target: TitleLevel
  }

  /// A top-level row as the evaluator reads it: the lowest level it names, and its target.
  struct TopStep: Sendable {
    var floor: SkillLevel
    var target: TitleLevel
  }
  let honours: TextTable<HonourEntry>
  let aliases: TextTable<String>
  let passWords: Set<String>
  let failWords: Set<String>
  /// `passWords` and `failWords` in one table, a fail word winning over a pass word.
  let assessmentWords: TextTable<AssessmentWord>
  let missingWords: Set<String>
  let continuingEducation: ContinuingEducationRule?
  /// The hours `continuingEducation` requires in all and of public subjects, as its reasons
  /// show them (`Evaluator.hours`), written once instead of for every reason.
  let requiredHoursTexts: (total: String, publicSubjects: String)
  let titleToSkill: [TitleToSkillRule]
  /// `titleToSkill` by title, indexed by `TitleLevel.rawValue`.
  let titleToSkillByTitle: [[TitleToSkillRule]]
  /// `LookupKey.make(policy.teacherSeries)`.
  let teacherSeriesKey: String
  let occupations: TextTable<CandidateList>
  let seriesNames: [String]
  let servicePoints: TextTable<PointsByLevel>
  /// The access-type occupations' lookup keys.
  let accessOccupationTable: TextTable<Bool>
  let equivalence: TextTable<EducationEquivalence>
  let templates: [ReasonCode: ReasonTemplate]
  /// `templates` by the code's text, for the hot path.
  let templatesByCode: TextTable<ReasonTemplate>
  /// `templatesByCode` for codes spelt exactly as the policy spells them, found by a few bytes.
  let templatesBySpelling: CodeIndex<ReasonTemplate>
  /// `templates` of the codes of `ReasonCode.known`, by `knownNumber`: what a reason the
  /// evaluator made finds its template by, without looking at its code's text.
  let templatesByNumber: [ReasonTemplate?]
  /// `templatesByNumber` without the references counted, for writing reasons: `templates` keeps
  /// every template alive as long as the policy, and a template taken out of `templatesByNumber`
  /// was retained and released again for every reason written.
  let unretainedTemplatesByNumber: [Unmanaged<ReasonTemplate>?]
  /// What a 职称系列 written as one of the policy's series names (or 工程, 农业, the teachers'
  /// series) covers, by that name: empty when the policy has more series than a mask holds.
  let seriesCoverage: TextTable<SeriesCoverage>
  /// Annex 1 candidates by the occupation's name exactly as the table writes it, tried before
  /// the normalised key so the common case costs one hash.
  let occupationsAsWritten: TextTable<CandidateList>
  /// What the tables say about each occupation named in Annex 1, Annex 2 or the access list, by
  /// that name as written: a row of direction B asks three tables about its occupation, and
  /// one hash on the text as written answers all three without making its lookup keys.
  let occupationFacts: TextTable<OccupationFacts>

  public init(_ policy: Policy, on asOf: CivilDate) {
    self.policy = policy
    self.asOf = asOf
    normalRoute = policy.normalRoute.filter { $0.validity.contains(asOf) }
      .sorted { $0.target > $1.target }
    lowestNormalLevel = normalRoute.map(\.level).min()
    topLevel = policy.topLevel.filter { $0.validity.contains(asOf) }
    normalSteps = normalRoute.map {
      NormalStep(level: $0.level, years: $0.years, target: $0.target)
    }
    topSteps = topLevel.compactMap { rule in
      rule.levels.min().map { TopStep(floor: $0, target: rule.target) }
    }

    var honours: [String: HonourEntry] = [:]
    for tier in policy.honourTiers where tier.validity.contains(asOf) {
      for name in tier.honours {
        honours[LookupKey.make(name)] = HonourEntry(
          name: name, target: tier.target, clause: tier.clause)
      }
    }
    self.honours = TextTable(honours)
    var aliases: [String: String] = [:]
    for (alias, name) in policy.honourAliases {
      aliases[LookupKey.make(alias)] = LookupKey.make(name)
    }
    self.aliases = TextTable(aliases)

    passWords = Set(policy.assessment.pass.map(LookupKey.make))
    failWords = Set(policy.assessment.fail.map(LookupKey.make))
    missingWords = Set(policy.assessment.missing.map(LookupKey.make))
    var assessmentWords: [String: AssessmentWord] = [:]
    for word in passWords { assessmentWords[word] = .pass }
    for word in failWords { assessmentWords[word] = .fail }
    self.assessmentWords = TextTable(assessmentWords)
    continuingEducation = policy.continuingEducation.last { $0.validity.contains(asOf) }
    requiredHoursTexts =
      continuingEducation.map {
        (Evaluator.hours($0.totalHours), Evaluator.hours($0.publicHours))
      } ?? ("", "")
    titleToSkill = policy.titleToSkill.filter { $0.validity.contains(asOf) }
    let titleToSkill = titleToSkill
    titleToSkillByTitle = (0...(TitleLevel.allCases.map(\.rawValue).max() ?? 0)).map { rank in
      titleToSkill.filter { $0.title.rawValue == rank }
    }
    teacherSeriesKey = LookupKey.make(policy.teacherSeries)

    var occupations: [String: [SeriesCandidate]] = [:]
    var seriesNames: [String] = []
    for row in policy.annex1 where row.validity.contains(asOf) {
      if !seriesNames.contains(row.series) { seriesNames.append(row.series) }
      let candidate = SeriesCandidate(
        series: row.series, specialty: row.specialty, annexRow: row.row)
      for occupation in row.occupations {
        let key = LookupKey.make(occupation)
        if occupations[key, default: []].contains(where: { $0.series == row.series }) { continue }
        occupations[key, default: []].append(candidate)
      }
    }
    let seriesKeys = seriesNames.map(LookupKey.make)
    let lists = occupations.mapValues { CandidateList($0, seriesNames: seriesNames) }
    self.occupations = TextTable(lists)
    self.seriesNames = seriesNames
    let teacherSeriesKey = teacherSeriesKey
    var coverage: [String: SeriesCoverage] = [:]
    if seriesNames.count <= SeriesCoverage.maximumSeries {
      for written in seriesNames + [policy.teacherSeries, "工程", "农业"] {
        coverage[written] = SeriesCoverage(
          written, seriesKeys: seriesKeys, teacherSeriesKey: teacherSeriesKey)
      }
    }
    seriesCoverage = TextTable(coverage)
    var asWritten: [String: CandidateList] = [:]
    for row in policy.annex1 where row.validity.contains(asOf) {
      for occupation in row.occupations where asWritten[occupation] == nil {
        asWritten[occupation] = lists[LookupKey.make(occupation)]
      }
    }
    occupationsAsWritten = TextTable(asWritten)
    templates = policy.reasons.mapValues(ReasonTemplate.init)
    templatesBySpelling = CodeIndex(templates.map { ($0.key.rawValue, $0.value) })
    var templatesByNumber = [ReasonTemplate?](repeating: nil, count: ReasonCode.known.count)
    for (code, template) in templates {
      if let number = code.knownNumber { templatesByNumber[number] = template }
    }
    self.templatesByNumber = templatesByNumber
    unretainedTemplatesByNumber = templatesByNumber.map { $0.map(Unmanaged.passUnretained) }
    templatesByCode = TextTable(
      Dictionary(uniqueKeysWithValues: templates.map { ($0.key.rawValue, $0.value) }))

    var servicePoints: [String: [LocatedPoint]] = [:]
    for point in policy.annex2 where point.validity.contains(asOf) {
      servicePoints[LookupKey.make(point.occupation), default: []].append(
        LocatedPoint(point: point, districtKey: LookupKey.make(point.district)))
    }
    self.servicePoints = TextTable(servicePoints.mapValues(PointsByLevel.init))
    accessOccupationTable = TextTable(
      Dictionary(
        policy.accessOccupations.map { (LookupKey.make($0), true) },
        uniquingKeysWith: { first, _ in first }))

    let named = policy.annex1.flatMap(\.occupations) + policy.annex2.map(\.occupation)
    var facts: [String: OccupationFacts] = [:]
    for name in named + policy.accessOccupations where facts[name] == nil {
      facts[name] = OccupationFacts(
        OccupationKey(name), occupations: self.occupations, asWritten: occupationsAsWritten,
        servicePoints: self.servicePoints, access: accessOccupationTable)
    }
    occupationFacts = TextTable(facts)

    var equivalence: [String: EducationEquivalence] = [:]
    for row in policy.equivalence {
      for name in row.classes { equivalence[LookupKey.make(name)] = row }
    }
    self.equivalence = TextTable(equivalence)
  }

  /// Annex 1 candidates for an occupation: the whole name, else the part before a bracket.
  func candidates(forOccupation occupation: String) -> [SeriesCandidate]? {
    if let found = occupationsAsWritten[occupation] { return found.candidates }
    let key = LookupKey.make(occupation)
    if let found = occupations[key] { return found.candidates }
    if let base = LookupKey.beforeBracket(key), let found = occupations[base] {
      return found.candidates
    }
    return nil
  }

  /// `candidates(forOccupation:)` with the occupation's keys already made.
  func candidates(for occupation: OccupationKey) -> [SeriesCandidate]? {
    candidateList(for: occupation)?.candidates
  }

  /// The Annex 1 entry for an occupation whose keys are already made, with its series' keys.
  func candidateList(for occupation: OccupationKey) -> CandidateList? {
    OccupationFacts.candidates(
      occupation, occupations: occupations, asWritten: occupationsAsWritten)
  }

  /// Annex 2 rows that list an occupation (whole name, else the part before a bracket), with
  /// the lookup key of each row's district.
  func servicePoints(for occupation: OccupationKey) -> [LocatedPoint] {
    pointsByLevel(for: occupation)?.all ?? []
  }

  /// `servicePoints(for:)` with the rows for each level picked out in advance.
  func pointsByLevel(for occupation: OccupationKey) -> PointsByLevel? {
    OccupationFacts.points(occupation, servicePoints: servicePoints)
  }

  /// `candidateList(for:)`, `pointsByLevel(for:)` and `isAccessOccupation(_:)` of an occupation
  /// as written, at once.
  func facts(forOccupation occupation: String) -> OccupationFacts {
    occupationFacts[occupation]
      ?? OccupationFacts(
        OccupationKey(occupation), occupations: occupations, asWritten: occupationsAsWritten,
        servicePoints: servicePoints, access: accessOccupationTable)
  }

  func isAccessOccupation(_ occupation: String) -> Bool {
    isAccessOccupation(OccupationKey(occupation))
  }

  func isAccessOccupation(_ occupation: OccupationKey) -> Bool {
    OccupationFacts.isAccess(occupation, access: accessOccupationTable)
  }

  /// The honour a roster entry names, through the alias list; `nil` when the policy does not
  /// know it.
  func honour(named text: String) -> HonourEntry? {
    let key = LookupKey.make(text)
    if let entry = honours[key] { return entry }
    if let canonical = aliases[key] { return honours[canonical] }
    return nil
  }

  /// Whether a roster's 职称系列 names this series: the same name, or one of the umbrella names
  /// of RULES.md A.0 — 工程 covers every series ending in 工程, 农业 covers 农业工程 and 农业技术.
  static func series(_ written: String, covers series: String) -> Bool {
    WrittenSeries(written).covers(series)
  }

  /// The reason's text in `language`, with its placeholders filled and its clause appended:
  /// `年度继续教育学时82（含技能培训12）不足90学时（二（一）3）`.
  public func text(for reason: Reason, in language: Language = .chinese) -> String {
    guard let template = templates[reason.code] else { return reason.code.rawValue }
    return template.render(reason.namedValues, english: language == .english)
  }

  /// Appends what `text(for:in:)` returns, as UTF-8, without building the string.
  public func appendText(for reason: Reason, in language: Language, to bytes: inout [UInt8]) {
    let buffer = CSVRowBuffer(capacity: 256)
    appendText(for: reason, in: language, to: buffer)
    buffer.moveRow(to: &bytes)
  }

  /// Appends what `text(for:in:)` returns, as UTF-8, to a row being assembled.
  public func appendText(for reason: Reason, in language: Language, to buffer: CSVRowBuffer) {
    _ = withUnsafePointer(to: reason) { appendText(for: $0, in: language, to: buffer) }
  }

  /// `appendText(for: reasons[index], in:to:)` with the reason read where it is: an array's
  /// element passed on is copied first, retaining and releasing every text of its values.
  ///
  /// Returns `true` when the appended bytes hold no control character, quote or comma (the
  /// template's literals are known to, and each value is looked at as it is copied), so that a
  /// cell made of such texts need only have its edges checked
  /// (`CSVRowBuffer.formatCleanCell(from:)`); `false` says nothing.
  @discardableResult
  public func appendText(
    forReasonAt index: Int, of reasons: [Reason], in language: Language, to buffer: CSVRowBuffer
  ) -> Bool {
    precondition(reasons.indices.contains(index), "reason index out of range")
    return reasons.withUnsafeBufferPointer { reasons in
      guard let reason = reasons.baseAddress.map({ $0 + index }) else { return false }
      return appendText(for: reason, in: language, to: buffer)
    }
  }

  /// The texts of all `reasons` in order, as a verdict row's reasons cell lists them: each but
  /// the first after `；` (in either language), an informational one after `note` as well. What
  /// calling `appendText(forReasonAt:of:in:to:)` for each reason appends, with the array lent
  /// once rather than once a reason. Returns `true` when every text is clean, as that does; the
  /// note is the caller's to check.
  @discardableResult
  public func appendTexts(
    of reasons: [Reason], in language: Language, note: UnsafeBufferPointer<UInt8>,
    to buffer: CSVRowBuffer
  ) -> Bool {
    let english = language == .english
    return reasons.withUnsafeBufferPointer { reasons in
      guard let first = reasons.baseAddress else { return true }
      var isClean = true
      for index in 0..<reasons.count {
        if index > 0 {
          buffer.append(count: 3) { bytes in
            bytes[0] = 0xEF
            bytes[1] = 0xBC
            bytes[2] = 0x9B
          }
        }
        let reason = first + index
        if reason.pointee.isInformational { buffer.append(note) }
        guard let values = reason.pointer(to: \.namedValues) else {
          preconditionFailure("Reason.namedValues is a stored property")
        }
        if let number = reason.pointee.code.knownNumber,
          let template = unretainedTemplatesByNumber[number]
        {
          let textIsClean = template._withUnsafeGuaranteedRef {
            $0.append(values, english: english, to: buffer)
          }
          if !textIsClean { isClean = false }
        } else if !appendText(for: reason, in: language, to: buffer) {
          isClean = false
        }
      }
      return isClean
    }
  }

  /// Appends the reason's text; `true` when it holds no control character, quote or comma.
  @discardableResult
  private func appendText(
    for reason: UnsafePointer<Reason>, in language: Language, to buffer: CSVRowBuffer
  ) -> Bool {
    // A stored property always has an address; the optional is for computed ones.
    guard let values = reason.pointer(to: \.namedValues) else {
      preconditionFailure("Reason.namedValues is a stored property")
    }
    if let number = reason.pointee.code.knownNumber,
      let template = unretainedTemplatesByNumber[number]
    {
      return template._withUnsafeGuaranteedRef {
        $0.append(values, english: language == .english, to: buffer)
      }
    }
    let code = reason.pointee.code.rawValue
    guard let template = templatesBySpelling[code] ?? templatesByCode[code] else {
      buffer.append(code)
      return false
    }
    return template.append(values, english: language == .english, to: buffer)
  }

  /// The clause a reason cites, as in the notice (`二（一）3`).
  public func clause(for code: ReasonCode) -> String { policy.reasons[code]?.clause ?? "" }
}

/// Values (reason templates, code numbers) by the exact UTF-8 of their codes, for codes of at
/// most 32 bytes: the codes are short ASCII names, and a verdict row looks one up for every
/// reason it lists, so a code is loaded as four words, hashed and compared as those. Text spelt
/// otherwise, or longer, is not found here (the caller falls back to `TextTable`).
struct CodeIndex<Value: Sendable>: Sendable {
  /// A code's bytes as four words, zero-padded, and its length.
  private struct Packed: Equatable {
    var words: (UInt64, UInt64, UInt64, UInt64)
    var count: Int

    static func == (a: Packed, b: Packed) -> Bool {
      a.count == b.count && a.words.0 == b.words.0 && a.words.1 == b.words.1
        && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }
  }

  /// Indexes into `keys`/`templates`, or -1; the count is a power of two, at most a quarter used.
  private let slots: [Int]
  private let keys: [Packed]
  private let values: [Value]

  init(_ entries: [(code: String, value: Value)]) {
    var keys: [Packed] = []
    var values: [Value] = []
    for entry in entries {
      guard let packed = Self.packed(entry.code) else { continue }
      keys.append(packed)
      values.append(entry.value)
    }
    var capacity = 16
    while capacity < keys.count * 4 { capacity <<= 1 }
    var slots = [Int](repeating: -1, count: capacity)
    for (number, key) in keys.enumerated() {
      var slot = Self.hash(key) & (capacity - 1)
      while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
      slots[slot] = number
    }
    self.slots = slots
    self.keys = keys
    self.values = values
  }

  subscript(code: String) -> Value? {
    guard let key = Self.packed(code) else { return nil }
    let mask = slots.count - 1
    var slot = Self.hash(key) & mask
    while true {
      let number = slots[slot]
      if number < 0 { return nil }
      if keys[number] == key { return values[number] }
      slot = (slot + 1) & mask
    }
  }

  private static func packed(_ code: String) -> Packed? {
    let packed = code.utf8.withContiguousStorageIfAvailable { bytes -> Packed? in
      guard bytes.count <= 32 else { return nil }
      var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
      withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
      return Packed(words: words, count: bytes.count)
    }
    return packed ?? nil
  }

  private static func hash(_ key: Packed) -> Int {
    let words = key.words
    let mixed =
      (words.0 ^ (words.1 &* 0x9E37_79B9_7F4A_7C15) ^ (words.2 &* 0xC4CE_B9FE_1A85_EC53)
        ^ words.3 ^ UInt64(key.count)) &* 0xFF51_AFD7_ED55_8CCD
    return Int(truncatingIfNeeded: mixed >> 32)
  }
}

/// A roster's 职称系列 made ready to be compared with many series: its lookup key, and which
/// umbrella name of RULES.md A.0 it is, worked out once.
struct WrittenSeries {
  enum Umbrella {
    /// 工程 covers every series ending in 工程.
    case engineering
    /// 农业 covers 农业工程 and 农业技术.
    case agriculture
    case none
  }

  let key: String
  /// The key is plain (`LookupKey.isPlain`): then another lookup key equals it exactly when
  /// their UTF-8 bytes are equal, since no lookup key holds a character that decomposes into
  /// plain ones or a combining mark that a plain text lacks.
  let isPlain: Bool
  let umbrella: Umbrella

  init(_ written: String) {
    key = LookupKey.make(written)
    isPlain = LookupKey.isPlain(key)
    if LookupKey.sameBytes(key, "工程") {
      umbrella = .engineering
    } else if LookupKey.sameBytes(key, "农业") {
      umbrella = .agriculture
    } else {
      umbrella = .none
    }
  }

  /// `ResolvedPolicy.series(_:covers:)`.
  func covers(_ series: String) -> Bool {
    coversKey(LookupKey.make(series))
  }

  /// `covers` for a series' lookup key.
  func coversKey(_ target: String) -> Bool {
    if isPlain ? LookupKey.sameBytes(key, target) : key == target { return true }
    switch umbrella {
    case .engineering: return LookupKey.hasSuffix(target, "工程")
    case .agriculture: return LookupKey.hasPrefix(target, "农业")
    case .none: return false
    }
  }
}

/// An occupation as written and its lookup keys, made once for the several tables searched by
/// occupation.
struct OccupationKey {
  let written: String
  let key: String
  /// The key's part before a bracket (`LookupKey.beforeBracket`).
  let base: String?

  init(_ written: String) {
    self.written = written
    key = LookupKey.make(written)
    base = LookupKey.beforeBracket(key)
  }
}

/// What `ResolvedPolicy`'s tables say about one occupation: its Annex 1 series, its Annex 2
/// service points and whether it is an access-type occupation. A class, so that looking one up
/// retains one object.
final class OccupationFacts: Sendable {
  let candidates: CandidateList?
  let points: PointsByLevel?
  let isAccess: Bool

  /// The facts as `ResolvedPolicy.candidateList(for:)`, `pointsByLevel(for:)` and
  /// `isAccessOccupation(_:)` find them in these tables.
  init(
    _ occupation: OccupationKey, occupations: TextTable<CandidateList>,
    asWritten: TextTable<CandidateList>, servicePoints: TextTable<PointsByLevel>,
    access: TextTable<Bool>
  ) {
    candidates = Self.candidates(occupation, occupations: occupations, asWritten: asWritten)
    points = Self.points(occupation, servicePoints: servicePoints)
    isAccess = Self.isAccess(occupation, access: access)
  }

  /// The Annex 1 entry: by the name as written, else its key, else the part before a bracket.
  static func candidates(
    _ occupation: OccupationKey, occupations: TextTable<CandidateList>,
    asWritten: TextTable<CandidateList>
  ) -> CandidateList? {
    asWritten[occupation.written] ?? occupations[occupation.key]
      ?? occupation.base.flatMap { occupations[$0] }
  }

  /// The Annex 2 rows: by the name's key, else the part before a bracket.
  static func points(_ occupation: OccupationKey, servicePoints: TextTable<PointsByLevel>)
    -> PointsByLevel?
  {
    servicePoints[occupation.key] ?? occupation.base.flatMap { servicePoints[$0] }
  }

  /// Whether the name's key, else the part before a bracket, is an access-type occupation.
  static func isAccess(_ occupation: OccupationKey, access: TextTable<Bool>) -> Bool {
    access[occupation.key] != nil || occupation.base.map { access[$0] != nil } ?? false
  }
}

/// The Annex 1 series an occupation maps to, with what the evaluator derives from them made
/// once per policy rather than once per row. A class, so that looking one up retains one
/// object rather than each of its arrays.
final class CandidateList: Sendable {
  let candidates: [SeriesCandidate]
  /// `LookupKey.make` of each candidate's series, in the same order.
  let seriesKeys: [String]
  /// The series joined with 、, as the B-OCC-SERIES-MISMATCH reason lists them.
  let seriesText: String
  /// Bit `i` set for the policy's `seriesNames[i]` among the candidates; `nil` when a series
  /// is not among the first `SeriesCoverage.maximumSeries` names.
  let seriesMask: UInt64?

  init(_ candidates: [SeriesCandidate], seriesNames: [String] = []) {
    self.candidates = candidates
    seriesKeys = candidates.map { LookupKey.make($0.series) }
    seriesText = candidates.map(\.series).joined(separator: "、")
    var mask: UInt64? = 0
    for candidate in candidates {
      guard let number = seriesNames.firstIndex(of: candidate.series),
        number < SeriesCoverage.maximumSeries
      else {
        mask = nil
        break
      }
      mask? |= 1 << UInt64(number)
    }
    seriesMask = mask
  }
}

/// Which of the policy's series a 职称系列 written as a known name covers, worked out once per
/// policy: the evaluator then tells a series mismatch by a mask instead of comparing texts.
struct SeriesCoverage: Sendable {
  /// The most series a mask holds.
  static let maximumSeries = 64

  /// The name as written, to check that a roster's text is this name byte for byte.
  let written: String
  /// Bit `i` set when the name covers the policy's `seriesNames[i]`.
  let covered: UInt64
  /// The name covers the technical-school teachers' series.
  let coversTeacher: Bool

  /// What the name covers, without the name: what a memo keeps, copied without counting
  /// references.
  struct Mask: Sendable {
    let covered: UInt64
    let coversTeacher: Bool
  }

  var mask: Mask { Mask(covered: covered, coversTeacher: coversTeacher) }

  init(_ written: String, seriesKeys: [String], teacherSeriesKey: String) {
    self.written = written
    let series = WrittenSeries(written)
    var covered: UInt64 = 0
    for (number, key) in seriesKeys.enumerated() where series.coversKey(key) {
      covered |= 1 << UInt64(number)
    }
    self.covered = covered
    coversTeacher = series.coversKey(teacherSeriesKey)
  }
}

/// The Annex 2 rows of one occupation, and for each skill rank 1–5 the rows that evaluate it,
/// each institution once (its first row), in table order: what every row with that occupation
/// and target would otherwise pick out again. The points of each rank are also kept in the
/// orders a verdict lists them in, so that a verdict shares an array made once per policy.
struct PointsByLevel: Sendable {
  /// A rank's points as a verdict lists them for an applicant whose district key is `key`.
  struct DistrictOrder: Sendable {
    let key: String
    let points: [ServicePoint]
  }

  let all: [LocatedPoint]
  /// Indexed by rank; index 0 is empty.
  let byRank: [[LocatedPoint]]
  /// `byRank`'s points in table order, for an applicant with no district or none nearby.
  let pointsByRank: [[ServicePoint]]
  /// By rank, for the district key of each row: that rank's points, the same district first.
  let ordersByRank: [[DistrictOrder]]

  init(_ all: [LocatedPoint]) {
    self.all = all
    let byRank = (0...5).map { rank in
      guard rank > 0 else { return [LocatedPoint]() }
      var located: [LocatedPoint] = []
      for row in all
      where row.point.levels.contains(rank)
        && !located.contains(where: { $0.point.institution == row.point.institution })
      {
        located.append(row)
      }
      return located
    }
    self.byRank = byRank
    pointsByRank = byRank.map { $0.map(\.point) }
    var keys: [String] = []
    for row in all where !row.districtKey.isEmpty && !keys.contains(row.districtKey) {
      keys.append(row.districtKey)
    }
    ordersByRank = byRank.map { located in
      keys.map { key in
        DistrictOrder(key: key, points: Self.sameDistrictFirst(located, districtKey: key))
      }
    }
  }

  /// The points of `located`, those in the district first, each part in table order.
  static func sameDistrictFirst(_ located: [LocatedPoint], districtKey: String) -> [ServicePoint] {
    var local: [ServicePoint] = []
    var others: [ServicePoint] = []
    for row in located {
      if Evaluator.sameDistrict(key: row.districtKey, districtKey) {
        local.append(row.point)
      } else {
        others.append(row.point)
      }
    }
    return local.isEmpty ? others : local + others
  }

  /// The points of a rank for an applicant's district key, made in advance when some row has
  /// exactly that key.
  func ordered(rank: Int, districtKey: String) -> [ServicePoint]? {
    for order in ordersByRank[rank] where LookupKey.sameBytes(order.key, districtKey) {
      return order.points
    }
    return nil
  }
}

/// An Annex 2 row with the lookup key of its district.
struct LocatedPoint: Sendable {
  let point: ServicePoint
  let districtKey: String
}

/// How an annual assessment word counts (二（一）2).
enum AssessmentWord: Sendable {
  case pass
  case fail
}

/// A reason text split once into literal parts and `{placeholders}`, the literals kept as UTF-8,
/// so rendering a reason on the hot path is a few byte copies. A class, so that looking one up
/// costs one reference count. Its blocks are written only while it is made and read only after,
/// so it is shared between threads as freely as its `let`s (`@unchecked` for the pointers).
final class ReasonTemplate: @unchecked Sendable {
  /// One language's form: every literal byte, the clause included, in one block, and the
  /// placeholders that come between them. Its blocks belong to the template and are never
  /// written after it is made; held as plain pointers, a form is chosen by language and read
  /// with no reference counted, where arrays would be retained around every reason's text.
  struct Form: @unchecked Sendable {
    /// One placeholder: where it stands among the literal bytes, and the `TextWords` of its
    /// name (one of the template's `names`, which keeps the text they are the words of).
    struct Placeholder {
      let offset: Int
      let name: TextWords
    }

    /// The literals and the clause, one after the other.
    let literals: UnsafePointer<UInt8>
    let literalCount: Int
    let placeholders: UnsafePointer<Placeholder>
    let placeholderCount: Int
    /// No literal byte is a control character, quote or comma
    /// (`CSVFormat.containsSpecialByte(_:)`).
    let literalsAreClean: Bool

    /// Lays out the template's parts in blocks of their own; `names` gets the placeholders'
    /// names in order. The caller deallocates the blocks (`deallocate()`).
    init(_ template: String, clause: String, names: inout [String]) {
      var bytes: [UInt8] = []
      var offsets: [Int] = []
      for part in ReasonTemplate.parts(template) {
        switch part {
        case .literal(let text): bytes += text
        case .placeholder(let name):
          offsets.append(bytes.count)
          names.append(name)
        }
      }
      bytes += clause.utf8
      // Sixteen bytes of padding, so that any literal can be copied sixteen bytes at a time
      // (`CSVRowBuffer.appendSixteenAtATime`).
      let literals = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count + 16)
      literals.initialize(from: bytes, count: bytes.count)
      (literals + bytes.count).initialize(repeating: 0, count: 16)
      let placeholders = UnsafeMutablePointer<Placeholder>.allocate(capacity: max(offsets.count, 1))
      for (number, offset) in offsets.enumerated() {
        (placeholders + number).initialize(
          to: Placeholder(offset: offset, name: TextWords(names[number])))
      }
      self.literals = UnsafePointer(literals)
      literalCount = bytes.count
      self.placeholders = UnsafePointer(placeholders)
      placeholderCount = offsets.count
      literalsAreClean = !bytes.withUnsafeBufferPointer(CSVFormat.containsSpecialByte)
    }

    func deallocate() {
      literals.deallocate()
      placeholders.deallocate()
    }
  }

  enum Part: Sendable {
    case literal([UInt8])
    case placeholder(String)
  }

  /// The Chinese form and the English one, in a block of their own: a form is chosen by its
  /// place, where choosing between two stored forms loaded every field of both.
  private let forms: UnsafeMutablePointer<Form>
  var chinese: Form { forms[0] }
  var english: Form { forms[1] }
  /// The placeholders' names of each form, in order; they keep the texts whose words the
  /// forms hold, so that equal words stay the same text.
  private let chineseNames: [String]
  private let englishNames: [String]

  init(_ text: ReasonText) {
    var names: [String] = []
    let chinese = Form(
      text.chinese, clause: text.clause.isEmpty ? "" : "（\(text.clause)）", names: &names)
    chineseNames = names
    names = []
    let english = Form(
      text.english.isEmpty ? text.chinese : text.english,
      clause: text.clause.isEmpty ? "" : " (\(text.clause))", names: &names)
    englishNames = names
    forms = .allocate(capacity: 2)
    forms.initialize(to: chinese)
    (forms + 1).initialize(to: english)
  }

  deinit {
    forms[0].deallocate()
    forms[1].deallocate()
    forms.deinitialize(count: 2)
    forms.deallocate()
  }

  func render(_ values: ReasonValues, english: Bool) -> String {
    let buffer = CSVRowBuffer(capacity: 256)
    append(values, english: english, to: buffer)
    var bytes: [UInt8] = []
    buffer.moveRow(to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  @discardableResult
  func append(_ values: ReasonValues, english: Bool, to buffer: CSVRowBuffer) -> Bool {
    withUnsafePointer(to: values) { append($0, english: english, to: buffer) }
  }

  /// Appends one language's text; `true` when it holds no control character, quote or comma.
  /// The values are read where they are, never copied, and by index, so that no name or value
  /// is copied out. The evaluator usually gives the values in the template's order, so the
  /// value at the placeholder's own place is tried before the names are searched.
  @discardableResult
  func append(_ values: UnsafePointer<ReasonValues>, english: Bool, to buffer: CSVRowBuffer)
    -> Bool
  {
    let form = forms + (english ? 1 : 0)
    var isClean = form.pointee.literalsAreClean
    var start = 0
    for number in 0..<form.pointee.placeholderCount {
      let placeholder = form.pointee.placeholders + number
      let offset = placeholder.pointee.offset
      buffer.appendSixteenAtATime(
        from: form.pointee.literals + start, count: offset &- start, roomAfter: shortValueRoom)
      start = offset
      let inPlace =
        number < values.pointee.count
        && TextWords(values.pointee.pairs[number].name) == placeholder.pointee.name
      if let index = inPlace ? number : index(ofValue: number, english: english, in: values) {
        if !Self.appendValue(at: index, of: values, to: buffer) { isClean = false }
      } else {
        appendPlaceholder(number, english: english, to: buffer)
        isClean = false
      }
    }
    buffer.appendSixteenAtATime(
      from: form.pointee.literals + start, count: form.pointee.literalCount &- start,
      roomAfter: 0)
    return isClean
  }

  /// Appends the text of the value at `position`, for which the caller made `shortValueRoom`
  /// bytes of room if it is short (most values are numbers, levels, names); a longer one is read again
  /// once its room is made. With no call between the read and the copy that could release it,
  /// the text is not retained and released around the copy. `true` when the text holds no
  /// control character, quote or comma; `false` when it may.
  @inline(always)
  private static func appendValue(
    at position: Int, of values: UnsafePointer<ReasonValues>, to buffer: CSVRowBuffer
  ) -> Bool {
    // What the copy found: nil for a text with no contiguous UTF-8, 0 for a text longer than
    // the room, 1 for a clean text, 2 for one that may not be. The bytes are looked at in the
    // same closure as they are copied: reading the text again after it would have it retained
    // around both.
    var copied: Int? = values.pointee.pairs[position].text.utf8
      .withContiguousStorageIfAvailable {
        guard $0.count <= shortValueRoom else { return 0 }
        buffer.appendWithinCapacity($0)
        return CSVFormat.mayContainSpecialByte($0) ? 2 : 1
      }
    if copied == 0 {
      buffer.reserve(values.pointee.pairs[position].text.utf8.count)
      copied = values.pointee.pairs[position].text.utf8.withContiguousStorageIfAvailable {
        buffer.appendWithinCapacity($0)
        return CSVFormat.mayContainSpecialByte($0) ? 2 : 1
      }
    }
    guard let copied else {
      buffer.append(values.pointee.pairs[position].text)
      return false
    }
    return copied == 1
  }

  /// Where the value of placeholder `number` stands among the values, found by its name.
  @inline(never)
  private func index(ofValue number: Int, english: Bool, in values: UnsafePointer<ReasonValues>)
    -> Int?
  {
    values.index(of: english ? englishNames[number] : chineseNames[number])
  }

  /// Appends placeholder `number` itself, for a reason that has no such value.
  @inline(never)
  private func appendPlaceholder(_ number: Int, english: Bool, to buffer: CSVRowBuffer) {
    buffer.append(UInt8(ascii: "{"))
    buffer.append(english ? englishNames[number] : chineseNames[number])
    buffer.append(UInt8(ascii: "}"))
  }

  static func parts(_ template: String) -> [Part] {
    var parts: [Part] = []
    var rest = template[...]
    while let open = rest.firstIndex(of: "{"),
      let close = rest[open...].firstIndex(of: "}")
    {
      if open > rest.startIndex { parts.append(.literal(Array(rest[..<open].utf8))) }
      parts.append(.placeholder(String(rest[rest.index(after: open)..<close])))
      rest = rest[rest.index(after: close)...]
    }
    if !rest.isEmpty { parts.append(.literal(Array(rest.utf8))) }
    return parts
  }
}

/// The room made for a reason's value before its text is read (`ReasonTemplate.appendValue`).
private let shortValueRoom = 64

/// `ReasonValues`' look-ups for values read where they are: a method called on `pointee`
/// would be handed a copy of all the values, retaining and releasing each text.
extension UnsafePointer where Pointee == ReasonValues {
  /// Told by the names' `TextWords` when they are equal (the same text, as the names of a
  /// reason and its template nearly always are), else by comparing the texts.
  fileprivate func hasName(_ name: String, at position: Int) -> Bool {
    TextWords(pointee.pairs[position].name) == TextWords(name)
      || pointee.pairs[position].name == name
  }

  /// Whether the name at `position` is `name` as told by their `TextWords` alone: equal words
  /// are the same text, with no call; other words may still be an equal text.
  fileprivate func hasSameWords(_ name: String, at position: Int) -> Bool {
    TextWords(pointee.pairs[position].name) == TextWords(name)
  }

  /// Where `name` stands: first looked for by the names' words alone, which finds the usual
  /// name (the same text as the template's) with no text compared, then by comparing the texts.
  /// A reason names each value once (`ReasonValues.pairs`), so both find the same place.
  fileprivate func index(of name: String) -> Int? {
    (0..<pointee.count).first { hasSameWords(name, at: $0) }
      ?? (0..<pointee.count).first { hasName(name, at: $0) }
  }
}
