import CSVStream
import Roster

/// What one worker keeps from row to row so that each row costs less: the finding of each
/// distinct list of annual assessments and the coverage of each 职称系列 text, looked up once
/// rather than on every row, and the room of the reason lists and values earlier rows let go of.
/// Held by one caller for one evaluator; an evaluator with another policy needs a memo of its own.
public struct EvaluationMemo: Sendable {
  struct AssessmentEntry: Sendable {
    var words: [String]
    var finding: (group: ReasonGroups.Group, reason: Reason)?
  }

  /// The list the reasons of both directions were last joined in, emptied, kept for the next
  /// row that has reasons in both.
  var mergedReasons: [Reason] = []

  /// The values arrays of the reasons earlier rows let go of, for the next rows' reasons.
  var spareValues = ValuesPool()

  /// The room of the last row's targets missed on years, empty, for the next row's.
  var missedTargets: [Evaluator.MissedTarget] = []

  /// The series coverage of the 职称系列 met (`nil`: not one of the policy's names as written).
  var coverages = TextMemo<SeriesCoverage.Mask?>(slots: 64)

  /// The facts of occupations the policy's tables do not name as written, worked out from their
  /// lookup keys (a spelling with spaces or another bracket), so that a row repeating one does
  /// not make its keys and search the tables again.
  var unlistedOccupations = TextMemo<OccupationFacts>(slots: 64)

  /// The facts of the occupations met, by the entry number the parser's cell memo gave each
  /// text (`Applicant.occupationNumber`): found at that number, without hashing the text.
  var numberedOccupations = NumberedTextMemo<OccupationFacts>()

  /// What each honour text met says for the direct route (二（三）).
  var honours = TextMemo<Evaluator.HonourReading>(slots: 64)

  /// The values of A-CE-TOTAL by the whole hours in all and of skill training they show: rows
  /// short of the hours repeat a few dozen totals, so each reason shares values made once
  /// instead of writing three texts, two of them numbers formatted anew, on every row.
  var totalHoursValues = HoursMemo<ReasonValues>(slots: 512)

  /// The values of A-CE-PUBLIC by the whole public-subject hours they show.
  var publicHoursValues = HoursMemo<ReasonValues>(slots: 64)

  /// The distinct assessment lists seen, at most `assessmentLimit` of them.
  var assessments: [AssessmentEntry] = []
  static let assessmentLimit = 16

  public init() {}

  /// `policy.facts(forOccupation:)`, with the facts of an occupation that no table names as
  /// written kept for the rows after.
  mutating func facts(forOccupation occupation: String, in policy: ResolvedPolicy)
    -> OccupationFacts
  {
    if let listed = policy.occupationFacts[occupation] { return listed }
    return unlistedOccupations.value(for: occupation) { policy.facts(forOccupation: occupation) }
  }

  /// `facts(forOccupation:in:)` of an occupation the parser's cell memo numbered `number`,
  /// kept at that number for the rows after.
  mutating func facts(forOccupation occupation: String, number: Int32, in policy: ResolvedPolicy)
    -> OccupationFacts
  {
    if let kept = numberedOccupations.kept(for: occupation, number: number) { return kept }
    let facts = facts(forOccupation: occupation, in: policy)
    numberedOccupations.keep(facts, for: occupation, number: number)
    return facts
  }

  /// The Annex 1 series of the occupation the parser's cell memo numbered `number`, `nil` when
  /// Annex 1 does not name it. The kept facts are read where they are, only the list taken:
  /// returned by `facts(forOccupation:number:in:)`, the facts and their candidates were each
  /// retained and released again on every row.
  @inline(__always)
  mutating func seriesCandidates(
    forOccupation occupation: String, number: Int32, in policy: ResolvedPolicy
  ) -> [SeriesCandidate]? {
    if let index = numberedOccupations.index(for: occupation, number: number) {
      return numberedOccupations.value(at: index)?.candidates?.candidates
    }
    return facts(forOccupation: occupation, number: number, in: policy).candidates?.candidates
  }

  /// Whether two lists are the one array: the parser's cell cache hands out the same array for
  /// the same cell, so most rows are found this way without looking at a word.
  static func sameStorage<Element>(_ a: [Element], _ b: [Element]) -> Bool {
    a.withUnsafeBufferPointer { left in
      b.withUnsafeBufferPointer { right in
        left.baseAddress == right.baseAddress && left.count == right.count
      }
    }
  }

  /// `sameStorage(a, b ?? [])` without making the empty list: a missing list is taken for any
  /// empty one, which gives the same finding.
  static func sameStorage<Element>(_ a: [Element], _ b: [Element]?) -> Bool {
    b.map { sameStorage(a, $0) } ?? a.isEmpty
  }

  /// Whether two lists hold the same words byte for byte: cheaper than `==`, which must check
  /// canonical equivalence whenever two words differ; a list written another way is only
  /// remembered once more.
  static func sameWords(_ a: [String], _ b: [String]) -> Bool {
    guard a.count == b.count else { return false }
    for index in a.indices where !LookupKey.sameBytes(a[index], b[index]) { return false }
    return true
  }
}

/// Values a worker has worked out from a text of a cell, found again by the text: rows repeat a
/// handful of series, and the parser hands out the same text for the same cell, so the text's
/// two words find it without hashing its bytes. A table of a fixed number of slots, each holding
/// the last text that fell there and its value.
struct TextMemo<Value: Sendable>: Sendable {
  /// Empty until the first value is kept, so that a memo made for one row costs nothing.
  private var texts: [String] = []
  private var values: [Value?] = []
  private let slotCount: Int

  /// A memo of `slots` slots, a power of two.
  init(slots: Int) {
    precondition(slots > 0 && slots & (slots - 1) == 0, "a memo's slots are a power of two")
    slotCount = slots
  }

  /// The value kept for `text`, else what `make` gives, kept from now on. Two texts are taken
  /// for one when their `TextWords` are equal; the text kept in the slot holds its storage.
  mutating func value(for text: String, _ make: () -> Value) -> Value {
    if let value = kept(for: text) { return value }
    let value = make()
    keep(value, for: text)
    return value
  }

  /// The value kept for `text`, if any: `value(for:_:)` without a closure, for a caller whose
  /// closure would capture (and so copy) the text.
  func kept(for text: String) -> Value? {
    guard !texts.isEmpty else { return nil }
    let words = TextWords(text)
    let slot = Self.slot(words, slotCount)
    return TextWords(texts[slot]) == words ? values[slot] : nil
  }

  /// Keeps `value` for `text` in its slot, in place of what the slot held.
  mutating func keep(_ value: Value, for text: String) {
    if texts.isEmpty {
      texts = Array(repeating: "", count: slotCount)
      values = Array(repeating: nil, count: slotCount)
    }
    let slot = Self.slot(TextWords(text), slotCount)
    texts[slot] = text
    values[slot] = value
  }

  private static func slot(_ words: TextWords, _ count: Int) -> Int {
    Int(truncatingIfNeeded: words.mixed >> 40) & (count - 1)
  }
}

/// Values worked out from one or two whole numbers of hours, found again by the numbers: a table
/// of a fixed number of slots, each holding the last numbers that fell there and their value.
struct HoursMemo<Value: Sendable>: Sendable {
  /// The numbers of each slot, the first in the high half; `UInt64.max` for a slot never filled.
  /// Empty until a second value is made, so that a memo made for one row (`evaluate(_:context:)`,
  /// as `check` and `explain` call it) allocates nothing.
  private var keys: [UInt64] = []
  private var values: [Value?] = []
  private let slotCount: Int
  /// Whether a value was made while the table was empty.
  private var madeOne = false

  /// A memo of `slots` slots, a power of two.
  init(slots: Int) {
    precondition(slots > 0 && slots & (slots - 1) == 0, "a memo's slots are a power of two")
    slotCount = slots
  }

  /// The numbers as a key, `nil` unless both are whole numbers from 0 to `UInt32.max - 1`.
  /// Compared as doubles: `UInt32(exactly:)` cost as much as the rest of a lookup.
  @inline(__always)
  static func key(_ first: Double, _ second: Double = 0) -> UInt64? {
    let limit = Double(UInt32.max)
    guard first >= 0, first < limit, second >= 0, second < limit else { return nil }
    let whole = (first: UInt64(first), second: UInt64(second))
    guard Double(whole.first) == first, Double(whole.second) == second else { return nil }
    return whole.first << 32 | whole.second
  }

  /// The value kept for `key`, else what `make` gives, kept from now on.
  mutating func value(for key: UInt64, _ make: () -> Value) -> Value {
    let slot = self.slot(key)
    if !keys.isEmpty, keys[slot] == key, let value = values[slot] { return value }
    let value = make()
    if keys.isEmpty {
      guard madeOne else {
        madeOne = true
        return value
      }
      keys = Array(repeating: .max, count: slotCount)
      values = Array(repeating: nil, count: slotCount)
    }
    keys[slot] = key
    values[slot] = value
    return value
  }

  /// The slot of a key: the two numbers' sum with the second spread out, so that the totals of
  /// rows without a second number (most rows) each have a slot of their own.
  private func slot(_ key: UInt64) -> Int {
    Int(truncatingIfNeeded: (key >> 32) &+ (key & 0xFFFF_FFFF) &* 97) & (slotCount - 1)
  }
}

/// Values worked out from texts the parser's cell memo numbered, kept at the text's number: the
/// slot is known without hashing, and two texts with one number (the cell memo numbers again from
/// 0 when it has forgotten its cells) are told apart by their `TextWords`, as in `TextMemo`, the
/// text kept beside its value holding its storage.
struct NumberedTextMemo<Value: Sendable>: Sendable {
  private var texts: [String] = []
  private var values: [Value?] = []
  /// Numbers from here on are not kept: a cell memo numbers a few hundred texts.
  static var limit: Int { 4096 }

  init() {}

  /// The value kept at `number` for `text`, if any.
  func kept(for text: String, number: Int32) -> Value? {
    index(for: text, number: number).flatMap { values[$0] }
  }

  /// Where a value for `text` is kept, if one is: a place for `value(at:)`.
  @inline(__always)
  func index(for text: String, number: Int32) -> Int? {
    let index = Int(number)
    guard index >= 0, index < texts.count, TextWords(texts[index]) == TextWords(text) else {
      return nil
    }
    return index
  }

  /// The value kept at a place `index(for:number:)` gave.
  @inline(__always)
  func value(at index: Int) -> Value? { values[index] }

  /// Keeps `value` for `text` at `number`, in place of what was kept there; a number out of
  /// range keeps nothing.
  mutating func keep(_ value: Value, for text: String, number: Int32) {
    let index = Int(number)
    guard index >= 0, index < Self.limit else { return }
    if index >= texts.count {
      let count = min(max(index + 1, texts.count * 2, 64), Self.limit)
      texts += repeatElement("", count: count - texts.count)
      values += repeatElement(nil, count: count - values.count)
    }
    texts[index] = text
    values[index] = value
  }
}

/// The arrays of values of reasons a reused verdict let go of, kept for the reasons of the next
/// rows: most rows give a few reasons whose values are made afresh (a date, an occupation), and
/// writing those into a kept array replaces its texts where allocating a new array and freeing
/// the old one cost several times more. The arrays are kept by code, so that a kept
/// array already holds the names its next reason gives and only the texts are written.
struct ValuesPool: Sendable {
  /// The codes whose values are made afresh for every reason with the pool, never taken from a
  /// table or a memo, so that their arrays are held by that reason alone.
  enum Code: Int, CaseIterable {
    case promotionDate, noServicePoint, occupationSeriesMismatch, occupationUnmapped

    /// The pool's code of a known reason code, `nil` for any other. Told by comparing numbers:
    /// a table of places by `knownNumber` was checked for being made on every call.
    init?(_ code: ReasonCode) {
      guard let number = code.knownNumber else { return nil }
      if number == ReasonCode.promotionDate.knownNumber {
        self = .promotionDate
      } else if number == ReasonCode.noServicePoint.knownNumber {
        self = .noServicePoint
      } else if number == ReasonCode.occupationSeriesMismatch.knownNumber {
        self = .occupationSeriesMismatch
      } else if number == ReasonCode.occupationUnmapped.knownNumber {
        self = .occupationUnmapped
      } else {
        return nil
      }
    }

    var code: ReasonCode {
      switch self {
      case .promotionDate: .promotionDate
      case .noServicePoint: .noServicePoint
      case .occupationSeriesMismatch: .occupationSeriesMismatch
      case .occupationUnmapped: .occupationUnmapped
      }
    }
  }

  /// `limit` slots for the values of each code, in the order of `Code`; a slot not in use holds
  /// `nil`, which costs nothing to let go of when values are moved in (an empty array had to be
  /// released).
  private var slots: [ReasonValues?] = []
  /// How many slots of each code are in use, a byte for each code at `Code.rawValue * 8` (at
  /// most `limit`, so a count never carries into the next). A word rather than a `SIMD8`, whose
  /// lanes were read and written through the stack.
  private var used: UInt64 = 0
  /// The most values kept for one code: a row lets go of one or two reasons of each.
  private static let limit = 4

  /// Empties `reasons`, keeping the room of the list and the values of its reasons that have
  /// recycled codes. One pass: each reason is taken off the end, which hands it over without a
  /// copy, and its values are moved into a slot; a reason of another code is let go of. Taking
  /// the values in place first and emptying the list after walked it twice and checked both
  /// arrays' uniqueness once more.
  mutating func empty(_ reasons: inout [Reason]) {
    guard !reasons.isEmpty else { return }
    if slots.isEmpty {
      slots = Array(repeating: nil, count: Code.allCases.count * Self.limit)
    }
    var used = self.used
    while !reasons.isEmpty {
      let reason = reasons.removeLast()
      guard let place = Code(reason.code)?.rawValue else { continue }
      let count = Self.count(in: used, place)
      guard count < Self.limit else { continue }
      slots[place * Self.limit + count] = (consume reason).namedValues
      used &+= 1 &<< UInt64(place &* 8)
    }
    self.used = used
  }

  /// How many values arrays of `code` are kept for the next reasons.
  func keptCount(_ code: Code) -> Int { Self.count(in: used, code.rawValue) }

  /// The count of the code at `place` in `used`.
  @inline(__always)
  private static func count(in used: UInt64, _ place: Int) -> Int {
    Int(truncatingIfNeeded: used &>> UInt64(place &* 8)) & 0xFF
  }

  /// Kept values of `code` with `count` pairs, taken out of their slot, or `nil` when none are
  /// kept (or the reason they were taken from had another number of values).
  @inline(__always)
  private mutating func take(_ code: Code, count: Int) -> ReasonValues? {
    let place = code.rawValue
    let number = Self.count(in: used, place)
    guard number > 0 else { return nil }
    used &-= 1 &<< UInt64(place &* 8)
    guard let values = slots[place * Self.limit + number - 1].take() else { return nil }
    return values.count == count ? values : nil
  }

  /// The values of a reason of `code` whose texts are `first`…, in a kept array when there is
  /// one. The names come from the code, written into a kept array only when it holds others:
  /// the caller hands over texts alone, so no name is passed in to be released again.
  mutating func values(_ code: Code, _ first: consuming String) -> ReasonValues {
    precondition(code.valueCount == 1, "a reason of this code has another number of values")
    guard var values = take(code, count: 1) else { return .of(.init(code.name(0), first)) }
    values.pairs[0].refill(code, 0, text: first)
    return values
  }

  /// `values(_:_:)` with two texts.
  mutating func values(_ code: Code, _ first: consuming String, _ second: consuming String)
    -> ReasonValues
  {
    precondition(code.valueCount == 2, "a reason of this code has another number of values")
    guard var values = take(code, count: 2) else {
      return .of(.init(code.name(0), first), .init(code.name(1), second))
    }
    values.pairs[0].refill(code, 0, text: first)
    values.pairs[1].refill(code, 1, text: second)
    return values
  }

  /// `values(_:_:)` with three texts.
  mutating func values(
    _ code: Code, _ first: consuming String, _ second: consuming String,
    _ third: consuming String
  ) -> ReasonValues {
    precondition(code.valueCount == 3, "a reason of this code has another number of values")
    guard var values = take(code, count: 3) else {
      return .of(
        .init(code.name(0), first), .init(code.name(1), second), .init(code.name(2), third))
    }
    values.pairs[0].refill(code, 0, text: first)
    values.pairs[1].refill(code, 1, text: second)
    values.pairs[2].refill(code, 2, text: third)
    return values
  }
}

extension ValuesPool.Code {
  /// How many values a reason of this code gives.
  var valueCount: Int {
    switch self {
    case .occupationUnmapped: 1
    case .promotionDate, .noServicePoint: 2
    case .occupationSeriesMismatch: 3
    }
  }

  /// The `TextWords` of `name(position)`, told without making the name: a literal's words.
  @inline(__always)
  func nameWords(_ position: Int) -> TextWords {
    switch (self, position) {
    case (.promotionDate, 0): TextWords("level")
    case (.promotionDate, _): TextWords("date")
    case (.noServicePoint, 0), (.occupationSeriesMismatch, 0), (.occupationUnmapped, _):
      TextWords("occupation")
    case (.noServicePoint, _): TextWords("target")
    case (.occupationSeriesMismatch, 1): TextWords("series")
    case (.occupationSeriesMismatch, _): TextWords("titleSeries")
    }
  }

  /// The name of the value at `position`, as the code's text names its placeholder.
  func name(_ position: Int) -> String {
    switch (self, position) {
    case (.promotionDate, 0): "level"
    case (.promotionDate, _): "date"
    case (.noServicePoint, 0), (.occupationSeriesMismatch, 0), (.occupationUnmapped, _):
      "occupation"
    case (.noServicePoint, _): "target"
    case (.occupationSeriesMismatch, 1): "series"
    case (.occupationSeriesMismatch, _): "titleSeries"
    }
  }
}

extension ValuesPool {
  /// A reason of `code` whose values are `first`, in a kept array when there is one: the code
  /// is named once, for the pool and for the reason.
  mutating func reason(_ code: Code, _ first: consuming String, informational: Bool = false)
    -> Reason
  {
    Reason(code.code, with: values(code, first), informational: informational)
  }

  /// `reason(_:_:informational:)` with two texts.
  mutating func reason(
    _ code: Code, _ first: consuming String, _ second: consuming String,
    informational: Bool = false
  ) -> Reason {
    Reason(code.code, with: values(code, first, second), informational: informational)
  }

  /// `reason(_:_:informational:)` with three texts.
  mutating func reason(
    _ code: Code, _ first: consuming String, _ second: consuming String,
    _ third: consuming String, informational: Bool = false
  ) -> Reason {
    Reason(code.code, with: values(code, first, second, third), informational: informational)
  }
}

extension ReasonValues.Pair {
  /// Writes `text` and, when the pair holds another name than the code's, that name: a kept
  /// pair of the same code holds it already, and the name is then neither made nor released.
  @inline(__always)
  mutating func refill(_ code: ValuesPool.Code, _ position: Int, text: consuming String) {
    if TextWords(name) != code.nameWords(position) { name = code.name(position) }
    self.text = text
  }
}

/// The rules of 绍市人社发〔2023〕3号 as a pure function: applicant × policy × as-of date → verdict.
///
/// No I/O and no clock: the as-of date comes with the `ResolvedPolicy`. Safe to call from many
/// threads at once.
public struct Evaluator: Sendable {
  public let policy: ResolvedPolicy

  public init(policy: ResolvedPolicy) {
    self.policy = policy
  }

  /// Judges one applicant in every direction its row asks for.
  public func evaluate(_ applicant: Applicant, context: EvaluationContext = .init()) -> Verdict {
    let common = commonReasons(applicant, context: context)
    let directions = directionsAsked(applicant)
    let equivalent = equivalentEducation(applicant)
    return assemble(
      directions, common: common, equivalent: equivalent,
      title: { titleVerdict(applicant, common: common) },
      skill: { skillVerdict(applicant, common: common) })
  }

  /// `evaluate(_:context:)` written over `verdict`, for a caller that judges many applicants one
  /// after another: each part is put in place, where returning a new verdict copied all of it.
  public func evaluate(
    _ applicant: Applicant, context: EvaluationContext = .init(), into verdict: inout Verdict
  ) {
    var memo = EvaluationMemo()
    evaluate(applicant, context: context, into: &verdict, memo: &memo)
  }

  /// `evaluate(_:context:into:)` that keeps what a few-valued cell gave in `memo`, for a caller
  /// that judges many rows with one evaluator. The memo must serve this evaluator only.
  public func evaluate(
    _ applicant: Applicant, context: EvaluationContext = .init(), into verdict: inout Verdict,
    memo: inout EvaluationMemo
  ) {
    let common = commonReasons(applicant, context: context)
    let directions = directionsAsked(applicant)
    // Most rows have none before and after: assigned anyway, the old nil was released.
    let equivalent = equivalentEducation(applicant)
    if equivalent != nil || verdict.equivalentEducation != nil {
      verdict.equivalentEducation = equivalent
    }
    Self.releaseMerged(&verdict, into: &memo)
    guard directions.title || directions.skill else {
      let reasons = Self.merged(
        common.failed, common.review, [Reason(.noDirection, with: .empty())])
      let conclusion: Conclusion =
        !common.failed.isEmpty ? .ineligible : !common.review.isEmpty ? .review : .notApplicable
      verdict.title = .notApplicable
      verdict.title.conclusion = conclusion
      verdict.title.reasons = reasons
      verdict.skill = .notApplicable
      verdict.skill.conclusion = conclusion
      verdict.skill.reasons = reasons
      verdict.reasons = reasons
      return
    }
    if directions.title {
      titleVerdict(applicant, common: common, memo: &memo, into: &verdict.title)
    } else {
      verdict.title.clear(recycling: &memo.spareValues)
    }
    if directions.skill {
      skillVerdict(applicant, common: common, into: &verdict.skill, memo: &memo)
    } else {
      verdict.skill.clear(recycling: &memo.spareValues)
    }
    Self.merge(verdict.title.reasons, verdict.skill.reasons, into: &verdict.reasons, memo: &memo)
  }

  /// Lets go of the reasons of both directions that `verdict.reasons` holds, so that each
  /// direction's list is its own again and is refilled in place; a list of its own is kept in
  /// `memo` for the next merge.
  static func releaseMerged(_ verdict: inout Verdict, into memo: inout EvaluationMemo) {
    guard verdict.reasons.capacity > 0 else { return }
    var merged: [Reason] = []
    swap(&merged, &verdict.reasons)
    if !EvaluationMemo.sameStorage(merged, verdict.title.reasons)
      && !EvaluationMemo.sameStorage(merged, verdict.skill.reasons)
    {
      Reason.removeAll(from: &merged)
      memo.mergedReasons = merged
    }
  }

  /// `merged(title, skill)` written into `result` (which is empty): one list alone is shared,
  /// two are joined in the memo's list, each distinct reason once.
  static func merge(
    _ title: [Reason], _ skill: [Reason], into result: inout [Reason],
    memo: inout EvaluationMemo
  ) {
    if title.isEmpty || skill.isEmpty {
      result = title.isEmpty ? skill : title
      return
    }
    swap(&result, &memo.mergedReasons)
    result.reserveCapacity(title.count + skill.count)
    var codes: UInt64 = 0
    add(title, to: &result, codes: &codes)
    add(skill, to: &result, codes: &codes)
  }

  /// Puts the judged directions together. With no direction to judge both are 不适用 with
  /// NO-DIRECTION — or 不符合 for someone on the integrity list, 需复核 when something (a
  /// repeated ID, an unreadable value) needs a human check. Always inlined, so that `evaluate`
  /// calls the directions directly rather than through closures.
  @inline(__always)
  func assemble(
    _ directions: Directions, common: CommonReasons, equivalent: String?,
    title: () -> TitleVerdict, skill: () -> SkillVerdict
  ) -> Verdict {
    guard directions.title || directions.skill else {
      let reasons = Self.merged(
        common.failed, common.review, [Reason(.noDirection, with: .empty())])
      let conclusion: Conclusion =
        !common.failed.isEmpty ? .ineligible : !common.review.isEmpty ? .review : .notApplicable
      var titleVerdict = TitleVerdict.notApplicable
      titleVerdict.conclusion = conclusion
      titleVerdict.reasons = reasons
      var skillVerdict = SkillVerdict.notApplicable
      skillVerdict.conclusion = conclusion
      skillVerdict.reasons = reasons
      return Verdict(
        title: titleVerdict, skill: skillVerdict, equivalentEducation: equivalent,
        reasons: reasons)
    }
    let titleVerdict = directions.title ? title() : .notApplicable
    let skillVerdict = directions.skill ? skill() : .notApplicable
    let reasons = Self.merged(titleVerdict.reasons, skillVerdict.reasons)
    // Moved into the verdict rather than copied and released.
    return Verdict(
      title: consume titleVerdict, skill: consume skillVerdict, equivalentEducation: equivalent,
      reasons: reasons)
  }

  /// Reasons that concern the person rather than a direction: §5.3, a repeated ID, a bad ID.
  struct CommonReasons {
    var failed: [Reason] = []
    var review: [Reason] = []
  }

  func commonReasons(_ applicant: Applicant, context: EvaluationContext) -> CommonReasons {
    var common = CommonReasons()
    if context.onIntegrityList { common.failed.append(Reason(.integrity, with: .empty())) }
    if let first = context.firstOccurrence {
      common.review.append(Reason(.duplicate, with: .of(.init("first", first.description))))
    }
    if applicant.idStatus == .missing && applicant.problem(in: .idNumber) == nil {
      common.review.append(
        Reason(.dataMissing, with: .of(.init("column", RosterColumn.idNumber.header))))
    }
    for problem in applicant.problems { common.review.append(Self.reason(for: problem)) }
    return common
  }

  /// 申报方向: the direction named, else (blank or unreadable) every direction the row has data
  /// for; an unreadable cell is also a DATA-FLAG reason.
  func requestedDirections(_ applicant: Applicant) -> [ApplicationDirection] {
    let directions = directionsAsked(applicant)
    return (directions.title ? [.skillToTitle] : []) + (directions.skill ? [.titleToSkill] : [])
  }

  /// The directions to judge: A (`title`, skill → title) and B (`skill`, title → skill).
  struct Directions {
    var title: Bool
    var skill: Bool

    init(title: Bool, skill: Bool) {
      self.title = title
      self.skill = skill
    }

    init(_ list: [ApplicationDirection]) {
      self.init(title: list.contains(.skillToTitle), skill: list.contains(.titleToSkill))
    }
  }

  /// `requestedDirections` without an array.
  func directionsAsked(_ applicant: Applicant) -> Directions {
    if let direction = applicant.direction {
      return Directions(title: direction == .skillToTitle, skill: direction == .titleToSkill)
    }
    let hasSkillData =
      applicant.skillLevel != nil || applicant.problem(in: .skillLevel) != nil
      || applicant.honours.contains { !Self.isNone($0) }
    let hasTitleData = applicant.titleLevel != nil || applicant.problem(in: .titleLevel) != nil
    return Directions(title: hasSkillData, skill: hasTitleData)
  }

  /// §3: the education a technical-school class counts as.
  func equivalentEducation(_ applicant: Applicant) -> String? {
    guard let written = applicant.schoolClass, !written.isEmpty else { return nil }
    return policy.equivalence[LookupKey.make(written)]?.education
  }

  // MARK: - Shared helpers

  static func reason(for problem: FieldProblem) -> Reason {
    Reason(
      ReasonCode(problem.kind.rawValue),
      with: .of(
        .init("column", problem.column.header), .init("value", problem.raw),
        .init("detail", problem.detail)))
  }

  /// The reason for a value a rule needs: the cell's problem when it was unreadable, else
  /// DATA-MISSING.
  static func unavailable(_ column: RosterColumn, in applicant: Applicant) -> Reason {
    if let problem = applicant.problem(in: column) { return reason(for: problem) }
    return Reason(.dataMissing, with: .of(.init("column", column.header)))
  }

  static func isNone(_ text: String) -> Bool {
    let key = LookupKey.make(text)
    if let ascii = key.utf8.withContiguousStorageIfAvailable(isASCIINone), let ascii {
      return ascii
    }
    // Lookup keys hold no compatibility ideographs, so bytes decide for 无 and 没有; lowercasing
    // never shortens a text, so only a key of four scalars or fewer can lower to "none", and a
    // key with a character of U+4000–U+9FFF (lead byte E4–E9: ideographs, which have no case)
    // cannot.
    return LookupKey.sameBytes(key, "无") || LookupKey.sameBytes(key, "没有")
      || (!key.utf8.contains { (0xE4...0xE9).contains($0) } && key.unicodeScalars.count <= 4
        && key.lowercased() == "none")
  }

  /// `isNone` for a key's UTF-8 when it is ASCII (empty, `/`, `-` or `none` in any case); `nil`
  /// when the key is not ASCII. Spares `lowercased()` for every honour.
  private static func isASCIINone(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
    guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
    switch bytes.count {
    case 0: return true
    case 1: return bytes[0] == UInt8(ascii: "/") || bytes[0] == UInt8(ascii: "-")
    case 4: return zip(bytes, "none".utf8).allSatisfy { $0 | 0x20 == $1 }
    default: return false
    }
  }

  /// The reasons of every list in order, each distinct reason once. The lists are short, so a
  /// scan that compares codes first is cheaper than hashing every reason's values.
  static func merged(
    _ first: [Reason], _ second: [Reason], _ third: [Reason] = [], _ fourth: [Reason] = []
  ) -> [Reason] {
    // The usual case, one list with something in it and no repeats, is that list itself.
    let filled =
      (first.isEmpty ? 0 : 1) + (second.isEmpty ? 0 : 1) + (third.isEmpty ? 0 : 1)
      + (fourth.isEmpty ? 0 : 1)
    if filled == 0 { return [] }
    if filled == 1 {
      let only = !first.isEmpty ? first : !second.isEmpty ? second : !third.isEmpty ? third : fourth
      if !hasRepeats(only) { return only }
    }
    return mergedAnew(first, second, third, fourth)
  }

  private static func mergedAnew(
    _ first: [Reason], _ second: [Reason], _ third: [Reason], _ fourth: [Reason]
  ) -> [Reason] {
    var result: [Reason] = []
    result.reserveCapacity(first.count + second.count + third.count + fourth.count)
    var codes: UInt64 = 0
    add(first, to: &result, codes: &codes)
    add(second, to: &result, codes: &codes)
    add(third, to: &result, codes: &codes)
    add(fourth, to: &result, codes: &codes)
    return result
  }

  // The lists are searched through their buffers, the reasons compared where they are: an
  // array's element passed on, or met while iterating, is copied first, retaining and releasing
  // every text of its values. A reason whose code's `equalityMask` meets nothing in `codes` (the
  // masks of the reasons before it) is new without a comparison.

  /// Appends the reasons of `list` that `result` does not have yet. The list is read through
  /// its buffer once, and `result` is searched only for a reason whose mask meets `codes`.
  private static func add(_ list: [Reason], to result: inout [Reason], codes: inout UInt64) {
    list.withUnsafeBufferPointer { list in
      for index in list.indices {
        let mask = list[index].code.equalityMask
        if codes & mask != 0,
          result.withUnsafeBufferPointer({ contains(list, index, in: $0, before: $0.count) })
        {
          continue
        }
        result.append(list[index])
        codes |= mask
      }
    }
  }

  private static func hasRepeats(_ list: [Reason]) -> Bool {
    list.withUnsafeBufferPointer { list in
      var codes: UInt64 = 0
      for index in list.indices {
        if !isNew(list, index, in: list, before: index, codes: codes) { return true }
        codes |= list[index].code.equalityMask
      }
      return false
    }
  }

  /// Whether none of the first `end` reasons of `other`, whose known codes are `codes`, is the
  /// same as `list[index]`.
  private static func isNew(
    _ list: UnsafeBufferPointer<Reason>, _ index: Int, in other: UnsafeBufferPointer<Reason>,
    before end: Int, codes: UInt64
  ) -> Bool {
    if codes & list[index].code.equalityMask == 0 { return true }
    return !contains(list, index, in: other, before: end)
  }

  /// Whether one of the first `end` reasons of `other` is the same as `list[index]`.
  private static func contains(
    _ list: UnsafeBufferPointer<Reason>, _ index: Int, in other: UnsafeBufferPointer<Reason>,
    before end: Int
  ) -> Bool {
    guard let reason = list.baseAddress.map({ $0 + index }), let other = other.baseAddress else {
      return false
    }
    return (0..<end).contains { isSame(other + $0, reason) }
  }

  private static func isSame(_ a: UnsafePointer<Reason>, _ b: UnsafePointer<Reason>) -> Bool {
    sameCode(a.pointee.code, b.pointee.code)
      && a.pointee.isInformational == b.pointee.isInformational
      && a.pointee.namedValues.count == b.pointee.namedValues.count
      && a.pointee.namedValues == b.pointee.namedValues
  }

  /// The list with each distinct reason once, in order: the list itself when it has no repeats,
  /// as it usually does.
  static func deduplicated(_ list: [Reason]) -> [Reason] {
    hasRepeats(list) ? mergedAnew(list, [], [], []) : list
  }

  static func hours(_ value: Double) -> String {
    if abs(value) < 1e9, let whole = Int(exactly: value) { return decimal(whole) }
    return String(value)
  }

  /// `String(number)`, from a table for the small numbers reasons mostly show.
  static func decimal(_ number: Int) -> String {
    smallDecimals.indices.contains(number) ? smallDecimals[number] : String(number)
  }

  private static let smallDecimals = (0..<1000).map { String($0) }

  /// Whether two codes are spelt alike byte for byte, as lists are joined: two known codes by
  /// their numbers alone, without fetching a spelling; any other code also by the lengths of
  /// the spellings, which tells a look-alike (a code `==` takes for a known one, as `String`
  /// compares canonically) from the code it looks like.
  private static func sameCode(_ a: ReasonCode, _ b: ReasonCode) -> Bool {
    if a.knownNumber != nil && b.knownNumber != nil { return a == b }
    return a.rawValue.utf8.count == b.rawValue.utf8.count && a == b
  }
}

extension Reason {
  /// `list.removeAll(keepingCapacity: true)` for the few reasons a list holds: taken off the end
  /// one by one, which costs less than the general `replaceSubrange` that `removeAll` goes through;
  /// by `removeLast`, whose reason is released where it is, not wrapped in an optional first.
  static func removeAll(from list: inout [Reason]) {
    while !list.isEmpty { list.removeLast() }
  }
}

/// The reasons of one direction in the order a verdict lists them — failed conditions, targets
/// not reached, things to check, notes; each group in the order found — kept in one array as
/// they are found, so that a direction allocates its reasons once instead of once per group and
/// again to join the groups.
struct ReasonGroups {
  enum Group: Int {
    case failed, notReached, review, info
  }

  /// Every reason, group after group; a reason may repeat (`reasons` drops the repeats).
  private(set) var list: [Reason] = []
  /// Where each group ends in `list`, by `Group.rawValue`.
  private var ends: (Int, Int, Int, Int) = (0, 0, 0, 0)
  /// The `equalityMask`s of the codes added, and whether two of them met: only then can a
  /// reason repeat, and `reasons` need look for repeats.
  private var codes: UInt64 = 0
  private var mayRepeat = false

  /// A direction's reasons found by the checks shared by both directions.
  init(failed: [Reason] = [], review: [Reason] = []) {
    if !failed.isEmpty || !review.isEmpty {
      list.reserveCapacity(failed.count + review.count + Self.usualCount)
      list += failed
      list += review
      mayRepeat = true
    }
    ends = (failed.count, failed.count, list.count, list.count)
  }

  /// `init(failed:review:)` in the storage taken from `storage`, which is emptied, keeping its
  /// capacity, its reasons' values kept in `pool`: a verdict reused row after row then keeps its
  /// lists' room.
  init(
    taking storage: inout [Reason], failed: [Reason], review: [Reason],
    recycling pool: inout ValuesPool
  ) {
    swap(&list, &storage)
    pool.empty(&list)
    if !failed.isEmpty || !review.isEmpty { addShared(failed: failed, review: review) }
    ends = (failed.count, failed.count, list.count, list.count)
  }

  /// Adds the reasons both directions share, which few rows have. Out of line: inlined, the
  /// lists were retained for the appends, and released again, on every row.
  @inline(never)
  private mutating func addShared(failed: [Reason], review: [Reason]) {
    list.reserveCapacity(failed.count + review.count + Self.usualCount)
    list += failed
    list += review
    mayRepeat = true
  }

  /// Room for this many reasons is made when the first is added: enough for almost every row,
  /// so the list is allocated once.
  private static let usualCount = 6

  private func end(_ group: Group) -> Int {
    switch group {
    case .failed: ends.0
    case .notReached: ends.1
    case .review: ends.2
    case .info: ends.3
    }
  }

  private func start(_ group: Group) -> Int {
    group == .failed ? 0 : end(Group(rawValue: group.rawValue - 1) ?? .failed)
  }

  /// The reasons of one group, in the order found.
  func reasons(in group: Group) -> ArraySlice<Reason> { list[start(group)..<end(group)] }

  func isEmpty(_ group: Group) -> Bool { start(group) == end(group) }

  /// Adds a reason at the end of its group.
  mutating func append(_ reason: consuming Reason, to group: Group) {
    insert(reason, at: end(group), group)
  }

  /// Adds a reason at the start of its group.
  mutating func prepend(_ reason: consuming Reason, to group: Group) {
    insert(reason, at: start(group), group)
  }

  /// Takes the reason over rather than copying it: a copy would retain its code and values
  /// and the caller's release them again.
  private mutating func insert(_ reason: consuming Reason, at index: Int, _ group: Group) {
    let mask = reason.code.equalityMask
    if codes & mask != 0 { mayRepeat = true }
    codes |= mask
    if list.capacity == 0 { list.reserveCapacity(Self.usualCount) }
    list.append(reason)
    if index < list.count - 1 {
      // Moved down into place by swaps in the buffer: `insert(_:at:)` goes through the general
      // `replaceSubrange`, which costs more than the few moves a short list needs.
      list.withUnsafeMutableBufferPointer { list in
        var position = list.count - 1
        while position > index {
          list.swapAt(position, position - 1)
          position -= 1
        }
      }
    }
    if group.rawValue <= Group.failed.rawValue { ends.0 &+= 1 }
    if group.rawValue <= Group.notReached.rawValue { ends.1 &+= 1 }
    if group.rawValue <= Group.review.rawValue { ends.2 &+= 1 }
    ends.3 &+= 1
  }

  /// Each distinct reason once, group after group, as `Evaluator.merged` of the groups gives.
  var reasons: [Reason] { mayRepeat ? Evaluator.deduplicated(list) : list }

  /// `reasons`, taking the list over rather than sharing it, so that it stays uniquely held.
  mutating func takeReasons() -> [Reason] {
    var taken: [Reason] = []
    swap(&taken, &list)
    ends = (0, 0, 0, 0)
    codes = 0
    defer { mayRepeat = false }
    return mayRepeat ? Evaluator.deduplicated(taken) : taken
  }
}
