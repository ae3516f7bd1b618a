import Policy
import Roster

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A (group, 所在区县) pair that summary tables count by.
struct GroupKey: Hashable, Comparable, Sendable {
  var group: String
  var district: String

  static func < (lhs: GroupKey, rhs: GroupKey) -> Bool {
    (lhs.group, lhs.district) < (rhs.group, rhs.district)
  }
}

/// Direction A counts for one (职称系列, 所在区县).
struct SeriesTally: Sendable, Equatable {
  var applicants = 0
  /// `eligible` as four numbers rather than an array, which counting a row would check for
  /// uniqueness.
  private var eligibleByLevel = SIMD4<Int>()
  var review = 0
  var ineligible = 0
  var normalRoute = 0
  var directRoute = 0

  static let levels: [TitleLevel] = [.assistant, .intermediate, .associateSenior, .fullSenior]

  /// Eligible per title level: 助理级, 中级, 副高级, 正高级.
  var eligible: [Int] {
    [eligibleByLevel[0], eligibleByLevel[1], eligibleByLevel[2], eligibleByLevel[3]]
  }

  mutating func add(_ title: TitleVerdict) {
    applicants += 1
    switch title.conclusion {
    case .eligible:
      switch title.target {
      case .assistant: eligibleByLevel[0] += 1
      case .intermediate: eligibleByLevel[1] += 1
      case .associateSenior: eligibleByLevel[2] += 1
      case .fullSenior: eligibleByLevel[3] += 1
      case .clerk, nil: break
      }
      var routes: (normal: Bool, direct: Bool) = (false, false)
      for index in title.routes.indices {
        switch title.routes[index] {
        case .normal: routes.normal = true
        case .direct: routes.direct = true
        }
      }
      if routes.normal { normalRoute += 1 }
      if routes.direct { directRoute += 1 }
    case .review: review += 1
    case .ineligible: ineligible += 1
    case .notApplicable: break
    }
  }

  mutating func merge(_ other: SeriesTally) {
    applicants += other.applicants
    eligibleByLevel &+= other.eligibleByLevel
    review += other.review
    ineligible += other.ineligible
    normalRoute += other.normalRoute
    directRoute += other.directRoute
  }
}

/// Direction B counts for one (可申请技能等级, 所在区县).
struct SkillTally: Sendable, Equatable {
  var applicants = 0
  var eligible = 0
  var review = 0
  var ineligible = 0
  var notApplicable = 0

  mutating func add(_ conclusion: Conclusion) {
    applicants += 1
    switch conclusion {
    case .eligible: eligible += 1
    case .review: review += 1
    case .ineligible: ineligible += 1
    case .notApplicable: notApplicable += 1
    }
  }

  mutating func merge(_ other: SkillTally) {
    applicants += other.applicants
    eligible += other.eligible
    review += other.review
    ineligible += other.ineligible
    notApplicable += other.notApplicable
  }
}

/// The counts behind every summary file, gathered per batch by the workers and merged in input
/// order by the writer, so summaries cost nothing extra on the hot path.
///
/// `add` counts into `RowTallies`, keyed by small numbers for the texts (hashing a Chinese
/// `String` costs over a thousand instructions); `merge` folds them into the tables keyed by
/// text. A key keeps the spelling it was first counted with, as a `[GroupKey: …]` would.
struct SummaryCounts: Sendable {
  var verdicts = 0
  var rejects = 0
  var duplicates = 0
  private var seriesByKey: [GroupKey: SeriesTally] = [:]
  private var skillsByKey: [GroupKey: SkillTally] = [:]
  private var reasonsByKey: [GroupKey: Int] = [:]
  private var rows = RowTallies()

  static let unmatchedSeries = "（未匹配）"
  static let noDistrict = "（未填）"
  static let noLevel = "（无）"

  /// Direction A tallies per (职称系列, 所在区县).
  var series: [GroupKey: SeriesTally] { rows.isEmpty ? seriesByKey : folded.seriesByKey }
  /// Direction B tallies per (可申请技能等级, 所在区县).
  var skills: [GroupKey: SkillTally] { rows.isEmpty ? skillsByKey : folded.skillsByKey }
  /// Applicants per (reason code, 所在区县), each code counted once a row.
  var reasons: [GroupKey: Int] { rows.isEmpty ? reasonsByKey : folded.reasonsByKey }

  /// Counts one row. The verdict's parts are read in place, not bound to locals or loop
  /// variables, which would copy (retain and release) a direction or a reason each.
  mutating func add(_ applicant: Applicant, _ verdict: Verdict) {
    var verdict = verdict
    add(applicant, lending: &verdict)
  }

  /// `add(_:_:)` for a verdict the caller judges into in place, read where it is
  /// (`VerdictRowWriter.append(_:lending:to:holdingUnder:)`). It is not changed.
  mutating func add(_ applicant: Applicant, lending verdict: inout Verdict) {
    verdicts += 1
    // The texts of a new entry are made only when there is one (`keys`), as binding them here
    // would retain and release each on every row.
    let district =
      applicant.district.isEmpty
      ? rows.texts.id(Self.noDistrict) : rows.texts.id(applicant.district)
    if verdict.title.conclusion != .notApplicable {
      // The first series read where the array holds it: as `candidates[0].series` it was retained
      // and released around the call.
      let series =
        verdict.title.candidates.isEmpty
        ? rows.texts.id(Self.unmatchedSeries)
        : verdict.title.candidates.withUnsafeBufferPointer { candidates in
          guard let series = candidates.baseAddress?.pointer(to: \.series) else {
            preconditionFailure("SeriesCandidate.series is a stored property")
          }
          return rows.texts.id(at: series)
        }
      rows.add(verdict.title, group: series, district: district) {
        GroupKey(
          group: verdict.title.candidates.first?.series ?? Self.unmatchedSeries,
          district: Self.districtText(applicant))
      }
    }
    if verdict.skill.conclusion != .notApplicable || verdict.skill.target != nil {
      rows.add(
        verdict.skill.conclusion, group: RowTallies.group(verdict.skill.target), district: district
      ) {
        GroupKey(
          group: verdict.skill.target?.chineseName ?? Self.noLevel,
          district: Self.districtText(applicant))
      }
    }
    // Each code once a row: the first 64 code numbers are remembered as bits. A code number is
    // never negative, so its bit is shifted in without the checks of `<<`.
    var counted: UInt64 = 0
    for index in verdict.reasons.indices {
      let code = rows.codeNumber(verdict.reasons[index].code)
      if code < 64 {
        guard counted & 1 &<< code == 0 else { continue }
        counted |= 1 &<< code
      } else if verdict.reasons[..<index].contains(where: {
        $0.code == verdict.reasons[index].code
      }) {
        continue
      }
      if code == rows.duplicateCode { duplicates += 1 }
      rows.addReason(group: code, district: district) {
        GroupKey(
          group: verdict.reasons[index].code.rawValue, district: Self.districtText(applicant))
      }
    }
  }

  private static func districtText(_ applicant: Applicant) -> String {
    applicant.district.isEmpty ? noDistrict : applicant.district
  }

  mutating func merge(_ other: SummaryCounts) {
    verdicts += other.verdicts
    rejects += other.rejects
    duplicates += other.duplicates
    let otherIsRowsOnly =
      other.seriesByKey.isEmpty && other.skillsByKey.isEmpty && other.reasonsByKey.isEmpty
    if otherIsRowsOnly {
      // A batch's counts: kept numbered by bytes, so that merging a batch hashes no `String`;
      // they are folded into the tables keyed by text once, when read.
      rows.absorb(other.rows)
      return
    }
    fold()
    for (key, tally) in other.seriesByKey { seriesByKey[key, default: SeriesTally()].merge(tally) }
    for (key, tally) in other.skillsByKey { skillsByKey[key, default: SkillTally()].merge(tally) }
    for (key, count) in other.reasonsByKey { reasonsByKey[key, default: 0] += count }
    fold(other.rows)
  }

  /// Eligible direction-A applicants per title level, over every series and district.
  var eligibleByLevel: [TitleLevel: Int] {
    var total = SeriesTally()
    for tally in series.values { total.merge(tally) }
    return Dictionary(uniqueKeysWithValues: zip(SeriesTally.levels, total.eligible))
  }

  /// Counts of no rows, whose tables any number of copies share until one is written to.
  static let blank = SummaryCounts()

  /// Hands over the counts of the rows added since the last call, for the writer to merge as a
  /// batch's, and starts counting the next batch. A worker keeps one `SummaryCounts` for all
  /// its batches, so the numbers of the texts it met are learnt once, not for every batch; it
  /// forgets them once they are over `textLimit`, so that its memory stays bounded.
  mutating func takeBatch(textLimit: Int = 4096) -> SummaryCounts {
    var batch = Self.blank
    swap(&batch.verdicts, &verdicts)
    swap(&batch.rejects, &rejects)
    swap(&batch.duplicates, &duplicates)
    batch.rows = rows.takeEntries(textLimit: textLimit)
    return batch
  }

  private var folded: SummaryCounts {
    var copy = self
    copy.fold()
    return copy
  }

  /// Moves the row tallies into the tables keyed by text, so that reading `series`, `skills`
  /// and `reasons` many times does not fold them again each time.
  mutating func fold() {
    guard !rows.isEmpty else { return }
    fold(rows)
    rows = RowTallies()
  }

  private mutating func fold(_ rows: RowTallies) {
    for entry in rows.series { seriesByKey[entry.key, default: SeriesTally()].merge(entry.tally) }
    for entry in rows.skills { skillsByKey[entry.key, default: SkillTally()].merge(entry.tally) }
    for entry in rows.reasons { reasonsByKey[entry.key, default: 0] += entry.tally }
  }
}

/// Tallies of the rows added to one `SummaryCounts`, kept in arrays and found by a key made of
/// the numbers `TextNumbers` gives the texts; each entry keeps the texts it was first counted
/// with.
struct RowTallies: Sendable {
  struct Entry<Tally: Sendable>: Sendable {
    var key: GroupKey
    var tally: Tally
    /// The group's number where it does not depend on `texts` or `otherCodes` (a skill level's,
    /// a known code's), else -1.
    var group = -1
  }

  /// Numbers for districts and series.
  var texts = TextNumbers()
  /// Numbers for reason codes the policy does not know, after `ReasonCode.known`'s.
  private var otherCodes = TextNumbers()
  /// The number of `DUPLICATE`.
  let duplicateCode: Int
  /// `ReasonCode.known.count`: the numbers below it are the known codes'.
  private let knownCodes = ReasonCode.known.count
  private(set) var series: [Entry<SeriesTally>] = []
  private(set) var skills: [Entry<SkillTally>] = []
  private(set) var reasons: [Entry<Int>] = []
  private var seriesIndex = EntryIndex()
  private var skillIndex = EntryIndex()
  private var reasonIndex = EntryIndex()

  init() {
    duplicateCode = ReasonCode.duplicate.knownNumber ?? ReasonCode.known.count
  }

  /// A code's number: its place in `ReasonCode.known`, found from its bytes (or, spelt another
  /// way, by `==`), else a number after those.
  @inline(__always)
  mutating func codeNumber(_ code: ReasonCode) -> Int {
    code.knownNumber ?? otherCodeNumber(code)
  }

  /// `codeNumber(_:)` of a code not spelt byte for byte as a known one.
  @inline(never)
  private mutating func otherCodeNumber(_ code: ReasonCode) -> Int {
    ReasonCode.known.firstIndex(of: code) ?? ReasonCode.known.count + otherCodes.id(code.rawValue)
  }

  var isEmpty: Bool { series.isEmpty && skills.isEmpty && reasons.isEmpty }

  /// Tallies of no rows, whose tables any number of copies share until one is written to.
  private static let blank = RowTallies()

  /// Moves the entries out, as tallies of their own, and empties the indexes for the next rows.
  /// The texts keep their numbers unless more than `textLimit` were numbered: entries taken out
  /// are found by their texts, never by these numbers.
  mutating func takeEntries(textLimit: Int) -> RowTallies {
    var taken = Self.blank
    swap(&taken.series, &series)
    swap(&taken.skills, &skills)
    swap(&taken.reasons, &reasons)
    seriesIndex.removeAll()
    skillIndex.removeAll()
    reasonIndex.removeAll()
    if texts.count > textLimit { texts = TextNumbers() }
    if otherCodes.count > textLimit { otherCodes = TextNumbers() }
    return taken
  }

  private static func key(_ group: Int, _ district: Int) -> Int { group << 32 | district }

  /// The group number of a skill level: 1 and up for the levels (whose ranks go down to -1), 0
  /// for none.
  static func group(_ level: SkillLevel?) -> Int {
    level.map { $0.rawValue - SkillLevel.chiefTechnician.rawValue + 1 } ?? 0
  }

  /// Counts a direction-A verdict under `group` and `district`; `key` gives the texts of an entry
  /// made for them.
  mutating func add(
    _ title: TitleVerdict, group: Int, district: Int, key: () -> GroupKey
  ) {
    let position = Self.slot(Self.key(group, district), in: &series, index: &seriesIndex) {
      Entry(key: key(), tally: SeriesTally())
    }.position
    series[position].tally.add(title)
  }

  /// Counts a direction-B conclusion, as `add(_:group:district:key:)` a direction-A verdict.
  mutating func add(
    _ conclusion: Conclusion, group: Int, district: Int, key: () -> GroupKey
  ) {
    let position = Self.slot(Self.key(group, district), in: &skills, index: &skillIndex) {
      Entry(key: key(), tally: SkillTally(), group: group)
    }.position
    skills[position].tally.add(conclusion)
  }

  /// Adds the tallies of rows counted later (another batch's), renumbering its texts in this
  /// table's numbers; an entry new here keeps the other's spelling, as a later key would.
  mutating func absorb(_ other: RowTallies) {
    other.series.withUnsafeBufferPointer { entries in
      for entry in entries.indices {
        let key = Self.key(
          texts.id(entries[entry].key.group), texts.id(entries[entry].key.district))
        Self.merge(entries, entry, key: key, into: &series, index: &seriesIndex) { $0.merge($1) }
      }
    }
    other.skills.withUnsafeBufferPointer { entries in
      for entry in entries.indices {
        let key = Self.key(entries[entry].group, texts.id(entries[entry].key.district))
        Self.merge(entries, entry, key: key, into: &skills, index: &skillIndex) { $0.merge($1) }
      }
    }
    other.reasons.withUnsafeBufferPointer { entries in
      for entry in entries.indices {
        let code =
          entries[entry].group >= 0
          ? entries[entry].group : codeNumber(ReasonCode(entries[entry].key.group))
        let key = Self.key(code, texts.id(entries[entry].key.district))
        Self.merge(entries, entry, key: key, into: &reasons, index: &reasonIndex) { $0 += $1 }
      }
    }
  }

  /// Adds the tally of `others[entry]` to the entry under `key`, or appends a copy of it when
  /// there is none. The other entry is read where it is: passed on, it was copied, its texts
  /// retained and released, for every entry of every batch.
  @inline(__always)
  private static func merge<Tally>(
    _ others: UnsafeBufferPointer<Entry<Tally>>, _ entry: Int, key: Int,
    into entries: inout [Entry<Tally>], index: inout EntryIndex,
    _ combine: (inout Tally, Tally) -> Void
  ) {
    if let position = index.position(of: key) {
      combine(&entries[position].tally, others[entry].tally)
    } else {
      index.insert(key, position: entries.count)
      entries.append(others[entry])
    }
  }

  /// Where the entry under `key` is, appending `newEntry()` first when there is none; `isNew`
  /// says which.
  @inline(__always)
  private static func slot<Tally>(
    _ key: Int, in entries: inout [Entry<Tally>], index: inout EntryIndex,
    newEntry: () -> Entry<Tally>
  ) -> (position: Int, isNew: Bool) {
    if let position = index.position(of: key) { return (position, false) }
    index.insert(key, position: entries.count)
    entries.append(newEntry())
    return (entries.count - 1, true)
  }

  mutating func addReason(group: Int, district: Int, key: () -> GroupKey) {
    let position = Self.slot(Self.key(group, district), in: &reasons, index: &reasonIndex) {
      Entry(key: key(), tally: 0, group: group < knownCodes ? group : -1)
    }.position
    reasons[position].tally += 1
  }

}

/// Where each key (a group and a district number, never negative) has its entry: an
/// open-addressing table with a multiplicative hash, as `Dictionary<Int, Int>` would hash every
/// key with SipHash.
struct EntryIndex: Sendable {
  /// Keys, or -1 for a free slot; the count is a power of two, at most half used.
  private var keys = [Int](repeating: -1, count: 512)
  private var positions = [Int](repeating: 0, count: 512)
  private var used = 0

  @inline(__always)
  func position(of key: Int) -> Int? {
    let mask = keys.count - 1
    var slot = Self.slot(key, mask)
    while true {
      let found = keys[slot]
      if found == key { return positions[slot] }
      if found < 0 { return nil }
      slot = (slot + 1) & mask
    }
  }

  /// Adds a key that is not in the table yet.
  mutating func insert(_ key: Int, position: Int) {
    if (used + 1) * 2 > keys.count { grow() }
    let mask = keys.count - 1
    var slot = Self.slot(key, mask)
    while keys[slot] >= 0 { slot = (slot + 1) & mask }
    keys[slot] = key
    positions[slot] = position
    used += 1
  }

  /// Forgets every key, keeping the room.
  mutating func removeAll() {
    guard used > 0 else { return }
    keys.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
    used = 0
  }

  private mutating func grow() {
    let old = zip(keys, positions).filter { $0.0 >= 0 }
    keys = [Int](repeating: -1, count: keys.count * 2)
    positions = [Int](repeating: 0, count: keys.count)
    used = 0
    for (key, position) in old { insert(key, position: position) }
  }

  private static func slot(_ key: Int, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(key)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
  }
}

/// Numbers texts in the order first seen; texts that `==` calls equal (canonically equivalent)
/// share a number. A text seen before byte for byte is found in a small open-addressing table
/// by its bytes, without the Unicode normalisation that hashing or comparing a `String` does.
///
/// A new text of ASCII, CJK ideographs and full-width parentheses only (`isPlain`) is its own normal form, so it equals
/// no other such text; while every text seen is such, a new one is a new number without asking
/// `canonical`, which is filled with all texts seen when the first other text comes.
struct TextNumbers: Sendable {
  /// Indexes into `ends`/`numbers`, or -1; the count is a power of two, at most half used.
  private var slots = [Int](repeating: -1, count: 128)
  /// The bytes of every text seen, one after another; text `i` ends at `ends[i]`.
  private var bytes: [UInt8] = []
  private var ends: [Int] = []
  private var numbers: [Int] = []
  /// Every text seen by its number, once a text that is not plain was seen; else empty.
  private var canonical: [String: Int] = [:]
  private var hasOnlyPlainTexts = true
  private var numberCount = 0

  /// The texts numbered last, by their representation (`RecentTexts`).
  private var recent = RecentTexts()

  /// How many spellings are remembered.
  var count: Int { ends.count }

  /// `id(_:)` of a text read where it is: its words are looked up first, which retains nothing;
  /// only a text not among the recent ones is read out (retained) to be numbered.
  @inline(__always)
  mutating func id(at text: UnsafePointer<String>) -> Int {
    if let number = recent.number(of: TextWords(text.pointee)) { return number }
    return idOfText(text.pointee)
  }

  /// Inlined for the recent texts (a row's district nearly always), with no call.
  @inline(__always)
  mutating func id(_ text: String) -> Int {
    if let number = recent.number(of: TextWords(text)) { return number }
    return idOfText(text)
  }

  /// `id(_:)` of a text not among the recent ones, which it then is.
  @inline(never)
  private mutating func idOfText(_ text: String) -> Int {
    let number = idByBytes(text)
    recent.remember(text, number)
    return number
  }

  private mutating func idByBytes(_ text: String) -> Int {
    var text = text
    let (slot, found, isPlain) = text.withUTF8 { bytes in
      let (slot, found) = find(bytes)
      return (slot, found, found == nil && Self.isPlain(bytes))
    }
    if let found { return found }
    let number: Int
    if isPlain && hasOnlyPlainTexts {
      number = numberCount
      numberCount += 1
    } else {
      if hasOnlyPlainTexts { fillCanonical() }
      if let known = canonical[text] {
        number = known
      } else {
        number = numberCount
        numberCount += 1
        canonical[text] = number
      }
    }
    slots[slot] = ends.count
    bytes.append(contentsOf: text.utf8)
    ends.append(bytes.count)
    numbers.append(number)
    if ends.count * 2 > slots.count { rehash() }
    return number
  }

  /// Enters every text seen so far (all plain, each its own number) in `canonical`.
  private mutating func fillCanonical() {
    hasOnlyPlainTexts = false
    for entry in ends.indices {
      let start = entry == 0 ? 0 : ends[entry - 1]
      canonical[String(decoding: bytes[start..<ends[entry]], as: UTF8.self)] = numbers[entry]
    }
  }

  /// Whether the UTF-8 is only ASCII, CJK ideographs U+4E00–9FFF and full-width parentheses
  /// U+FF08–FF09: characters that are in normal form, have no canonical decomposition and
  /// compose with nothing.
  static func isPlain(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    while index < text.count {
      let lead = text[index]
      if lead < 0x80 {
        index += 1
        continue
      }
      guard index + 2 < text.count else { return false }
      if lead == 0xEF, text[index + 1] == 0xBC, text[index + 2] & 0xFE == 0x88 {
        // Full-width parentheses, as in `（未匹配）`.
        index += 3
        continue
      }
      guard lead >= 0xE4, lead <= 0xE9 else { return false }
      let second = text[index + 1]
      guard second & 0xC0 == 0x80, text[index + 2] & 0xC0 == 0x80, lead > 0xE4 || second >= 0xB8
      else { return false }
      index += 3
    }
    return true
  }

  /// The number of `text` if these bytes were seen before; otherwise the free slot for them.
  private func find(_ text: UnsafeBufferPointer<UInt8>) -> (slot: Int, number: Int?) {
    let mask = slots.count - 1
    var slot = Self.hash(text) & mask
    while true {
      let entry = slots[slot]
      if entry < 0 { return (slot, nil) }
      if matches(entry, text) { return (slot, numbers[entry]) }
      slot = (slot + 1) & mask
    }
  }

  private func matches(_ entry: Int, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = entry == 0 ? 0 : ends[entry - 1]
    guard ends[entry] - start == text.count else { return false }
    return bytes.withUnsafeBufferPointer { all in
      guard let stored = all.baseAddress, let wanted = text.baseAddress else { return true }
      return memcmp(stored + start, wanted, text.count) == 0
    }
  }

  private mutating func rehash() {
    var grown = [Int](repeating: -1, count: slots.count * 2)
    let mask = grown.count - 1
    bytes.withUnsafeBufferPointer { all in
      for entry in ends.indices {
        let start = entry == 0 ? 0 : ends[entry - 1]
        var slot = Self.hash(UnsafeBufferPointer(rebasing: all[start..<ends[entry]])) & mask
        while grown[slot] >= 0 { slot = (slot + 1) & mask }
        grown[slot] = entry
      }
    }
    slots = grown
  }

  /// A multiplicative hash of the bytes, eight at a time: the texts are short and the table
  /// holds a worker's texts, at most a few thousand.
  private static func hash(_ text: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = text.baseAddress else { return 0 }
    let raw = UnsafeRawPointer(base)
    var hash = UInt64(text.count) &* 0x9E37_79B9_7F4A_7C15
    var index = 0
    while index + 8 <= text.count {
      let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
      index += 8
    }
    var last: UInt64 = 0
    while index < text.count {
      last = last << 8 | UInt64(text[index])
      index += 1
    }
    hash = (hash ^ last) &* 0xC4CE_B9FE_1A85_EC53
    return Int(truncatingIfNeeded: hash ^ (hash >> 32))
  }
}

/// Numbers of texts seen lately, found by their `TextWords` rather than by their bytes: a
/// district or series is usually the very same value row after row (a small string's words hold
/// its bytes; a policy's text is one shared storage). Each slot keeps its text, so equal words
/// stay equal texts; unequal words say nothing, and the caller asks by bytes.
struct RecentTexts: Sendable {
  private struct Slot {
    var words: TextWords
    var number: Int
  }

  private static let slotBits = 8
  private var slots = [Slot](
    repeating: Slot(words: TextWords.none, number: 0), count: 1 << slotBits)
  private var kept = [String](repeating: "", count: 1 << slotBits)

  @inline(__always)
  private static func slot(_ words: TextWords) -> Int {
    Int(truncatingIfNeeded: words.mixed >> UInt64(64 - slotBits))
  }

  /// How many slots from its own a text may be put in.
  private static let probes = 4

  /// The number of the text whose words are `key`, if it is among the recent ones.
  @inline(__always)
  func number(of key: TextWords) -> Int? {
    var index = Self.slot(key)
    for _ in 0..<Self.probes {
      let slot = slots[index]
      if slot.words == key { return slot.number }
      if slot.words.first == 0 && slot.words.second == 0 { return nil }
      index = (index + 1) & (slots.count - 1)
    }
    return nil
  }

  /// Puts the text in the first free slot of its probes, or else in its own slot.
  mutating func remember(_ text: String, _ number: Int) {
    let key = TextWords(text)
    let home = Self.slot(key)
    var chosen = home
    for probe in 0..<Self.probes {
      let index = (home + probe) & (slots.count - 1)
      if slots[index].words.first == 0 && slots[index].words.second == 0 {
        chosen = index
        break
      }
    }
    slots[chosen] = Slot(words: key, number: number)
    kept[chosen] = text
  }
}
