import Foundation

/// A stable reason code (`A-CE-TOTAL`, `DUPLICATE`, …) that spreadsheets filter on.
///
/// The codes of RULES.md are never renamed; the tool may add codes. Their texts live in the
/// policy data (`policy.yaml`, `reasons:`).
///
/// A code is a number alone: a known code's place in `known`, any other spelling's place in a
/// list of the spellings met (`OtherCodeSpellings`). So a reason that is copied or let go of
/// counts no reference for its code, and comparing codes and tallying or rendering by code need
/// not look at a text.
public struct ReasonCode: RawRepresentable, Hashable, Comparable, Sendable, Codable,
  CustomStringConvertible
{
  /// `knownNumber + 1` for a code spelt byte for byte as a known one; for any other spelling,
  /// `known.count + 1` plus its place in `OtherCodeSpellings`.
  private var number: UInt32

  public var rawValue: String {
    get {
      Self.isKnown(number)
        ? Self.knownSpellings[Int(number) - 1]
        : OtherCodeSpellings.shared.spelling(at: Int(number - Self.knownCount) - 1)
    }
    set { number = Self.number(spelt: newValue) }
  }

  public init(rawValue: String) {
    number = Self.number(spelt: rawValue)
  }

  public init(_ rawValue: String) { self.init(rawValue: rawValue) }

  /// The code at `place` in `known`.
  private init(place: UInt32) { number = place + 1 }

  public init(from decoder: any Decoder) throws {
    self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  public var description: String { rawValue }
  public static func < (lhs: ReasonCode, rhs: ReasonCode) -> Bool { lhs.rawValue < rhs.rawValue }

  /// Equal as the texts are; two known codes are told apart by their numbers alone, and two
  /// codes of one spelling have one number. A code spelt otherwise (a look-alike character) is
  /// compared as text.
  public static func == (lhs: ReasonCode, rhs: ReasonCode) -> Bool {
    if lhs.number == rhs.number { return true }
    if isKnown(lhs.number) && isKnown(rhs.number) { return false }
    return lhs.rawValue == rhs.rawValue
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

  public static var assessmentFail: ReasonCode { ReasonCode(place: 0) }
  public static var assessmentMissing: ReasonCode { ReasonCode(place: 1) }
  public static var continuingEducationTotal: ReasonCode { ReasonCode(place: 2) }
  public static var continuingEducationPublic: ReasonCode { ReasonCode(place: 3) }
  public static var continuingEducationMissing: ReasonCode { ReasonCode(place: 4) }
  public static var levelLow: ReasonCode { ReasonCode(place: 5) }
  public static var yearsShort: ReasonCode { ReasonCode(place: 6) }
  public static var notInField: ReasonCode { ReasonCode(place: 7) }
  public static var occupationUnmapped: ReasonCode { ReasonCode(place: 8) }
  public static var publicInstitution: ReasonCode { ReasonCode(place: 9) }
  public static var honourUnknown: ReasonCode { ReasonCode(place: 10) }
  public static var titleLow: ReasonCode { ReasonCode(place: 11) }
  public static var occupationMissing: ReasonCode { ReasonCode(place: 12) }
  public static var occupationSeriesMismatch: ReasonCode { ReasonCode(place: 13) }
  public static var chiefNeedsSpecial: ReasonCode { ReasonCode(place: 14) }
  public static var alreadyHeld: ReasonCode { ReasonCode(place: 15) }
  public static var noServicePoint: ReasonCode { ReasonCode(place: 16) }
  public static var accessOccupation: ReasonCode { ReasonCode(place: 17) }
  public static var integrity: ReasonCode { ReasonCode(place: 18) }
  public static var duplicate: ReasonCode { ReasonCode(place: 19) }
  public static var dataID: ReasonCode { ReasonCode(place: 20) }
  public static var dataDate: ReasonCode { ReasonCode(place: 21) }
  public static var dataLevel: ReasonCode { ReasonCode(place: 22) }
  public static var dataHours: ReasonCode { ReasonCode(place: 23) }
  public static var dataFlag: ReasonCode { ReasonCode(place: 24) }
  public static var dataMissing: ReasonCode { ReasonCode(place: 25) }
  /// Added by the tool: the row gives data for neither direction (申报方向 blank, nothing to judge).
  public static var noDirection: ReasonCode { ReasonCode(place: 26) }
  /// Added by the tool: informational, a higher title target that will be met on a later date.
  public static var nextTarget: ReasonCode { ReasonCode(place: 27) }
  /// Added by the tool: informational, the date the holder may apply for the next skill level.
  public static var promotionDate: ReasonCode { ReasonCode(place: 28) }

  /// Every code RULES.md defines; the default policy must give a text for each.
  public static let specified: [ReasonCode] = [
    .assessmentFail, .assessmentMissing, .continuingEducationTotal, .continuingEducationPublic,
    .continuingEducationMissing, .levelLow, .yearsShort, .notInField, .occupationUnmapped,
    .publicInstitution, .honourUnknown, .titleLow, .occupationMissing, .occupationSeriesMismatch,
    .chiefNeedsSpecial, .alreadyHeld, .noServicePoint, .accessOccupation, .integrity, .duplicate,
    .dataID, .dataDate, .dataLevel, .dataHours, .dataFlag, .dataMissing,
  ]

  /// Every code the tool makes: RULES.md's, then its own. A code's place here is its
  /// `knownNumber`.
  public static let known: [ReasonCode] = specified + [.noDirection, .nextTarget, .promotionDate]

  /// The spellings of `known`, in its order: the codes above are made by their places here.
  private static let knownSpellings = [
    "A-ASSESS-FAIL", "A-ASSESS-MISSING", "A-CE-TOTAL", "A-CE-PUBLIC", "A-CE-MISSING",
    "A-LEVEL-LOW", "A-YEARS-SHORT", "A-NOT-IN-FIELD", "A-OCC-UNMAPPED", "A-PUBLIC-INST",
    "A-HONOR-UNKNOWN", "B-TITLE-LOW", "B-OCC-MISSING", "B-OCC-SERIES-MISMATCH",
    "B-CHIEF-NEEDS-SPECIAL", "B-ALREADY-HELD", "B-NO-SERVICE-POINT", "B-ACCESS-OCC", "INTEGRITY",
    "DUPLICATE", "DATA-ID", "DATA-DATE", "DATA-LEVEL", "DATA-HOURS", "DATA-FLAG", "DATA-MISSING",
    "NO-DIRECTION", "A-NEXT-TARGET", "B-PROMOTION-DATE",
  ]

  private static let knownNumbers = CodeIndex(knownSpellings.enumerated().map { ($1, $0) })

  /// The number of a code spelt `text`: a known code's, else the spelling's in
  /// `OtherCodeSpellings`, kept there from now on.
  private static func number(spelt text: String) -> UInt32 {
    if let place = knownNumbers[text] { return UInt32(place + 1) }
    return knownCount + 1 + UInt32(OtherCodeSpellings.shared.place(of: text))
  }

  @inline(__always)
  private static func isKnown(_ number: UInt32) -> Bool {
    number &- 1 < knownCount
  }

  /// How many codes are known, `knownSpellings.count` written out: told from the array, it was
  /// looked up (and the array made first) every time a code was. A test holds the two equal.
  static let knownCount: UInt32 = 29

  /// The code's place in `known` when spelt byte for byte as there, else `nil`: a small number
  /// kept with the code, so that tallies by code need not hash a `String`.
  public var knownNumber: Int? { Self.isKnown(number) ? Int(number) - 1 : nil }

  /// A bit for each known code this code may equal: `1 << knownNumber` for a known code, every
  /// bit for any other (a look-alike spelling may equal any known code). A list of reasons keeps
  /// the masks of its codes in one word, so that a reason whose mask meets none of them is known
  /// to be new there without comparing it.
  @inline(__always)
  var equalityMask: UInt64 {
    Self.isKnown(number) && number <= 64 ? 1 << UInt64(number - 1) : .max
  }
}

/// The spellings of reason codes that are not known, each kept once for the life of the
/// process, in the order met: a `ReasonCode` of such a spelling holds its place here. They come
/// from policy files and data codes, a handful per run; the lock guards the lists, which any
/// thread may add to.
final class OtherCodeSpellings: @unchecked Sendable {
  static let shared = OtherCodeSpellings()

  private let lock = NSLock()
  private var spellings: [String] = []
  /// Places by the spelling's exact UTF-8: spellings that differ in a byte are kept apart, so
  /// that a code gives back its text as it was written.
  private var places: [[UInt8]: Int] = [:]

  /// The place of `text`, which is kept if it was not met before.
  func place(of text: String) -> Int {
    let bytes = Array(text.utf8)
    lock.lock()
    defer { lock.unlock() }
    if let place = places[bytes] { return place }
    precondition(spellings.count < Int(UInt32.max / 2), "too many reason code spellings")
    spellings.append(text)
    places[bytes] = spellings.count - 1
    return spellings.count - 1
  }

  /// The spelling at `place`.
  func spelling(at place: Int) -> String {
    lock.lock()
    defer { lock.unlock() }
    return spellings[place]
  }
}

/// The text of a reason code: a Chinese and an English template with `{name}` placeholders, and
/// the clause it cites (`二（一）3`; empty for data codes that no clause governs).
public struct ReasonText: Hashable, Sendable {
  public var clause: String
  public var chinese: String
  public var english: String

  public init(clause: String, chinese: String, english: String) {
    self.clause = clause
    self.chinese = chinese
    self.english = english
  }
}

/// One reason attached to a verdict: a code, the clause it cites and the values that decided it.
public struct Reason: Hashable, Sendable {
  public var code: ReasonCode
  /// The placeholder values, in the order the reason was made with.
  public var namedValues: ReasonValues
  /// Informational reasons are listed but do not change the conclusion.
  public var isInformational: Bool

  /// Placeholder values for the code's text template, e.g. `["total": "82", "training": "12"]`.
  public var values: [String: String] {
    get { namedValues.dictionary }
    set { namedValues = ReasonValues(newValue) }
  }

  public init(_ code: ReasonCode, _ values: [String: String] = [:], informational: Bool = false) {
    self.init(code, with: ReasonValues(values), informational: informational)
  }

  /// Makes a reason from a `ReasonValues` literal, without building a dictionary.
  public init(_ code: ReasonCode, with values: ReasonValues, informational: Bool = false) {
    self.code = code
    self.namedValues = values
    self.isInformational = informational
  }
}

/// The placeholder values of a reason as a short list of names and texts: a reason has at most
/// a handful, so a scan is cheaper than hashing into a dictionary. Compares and hashes like
/// `[String: String]`: the order of the names does not matter.
public struct ReasonValues: Hashable, Sendable, ExpressibleByDictionaryLiteral {
  /// One placeholder's name and text. A struct rather than a tuple: an array of tuples is
  /// freed through the runtime's generic tuple witness, one call per element and field, which
  /// cost every verdict more than its reasons' texts.
  struct Pair: Sendable {
    var name: String
    var text: String

    init(_ name: String, _ text: String) {
      self.name = name
      self.text = text
    }
  }

  /// Each name once; kept in the order the literal gives them, so making a reason allocates
  /// one array.
  var pairs: [Pair]

  public init(dictionaryLiteral elements: (String, String)...) {
    pairs = elements.isEmpty ? [] : elements.map { Pair($0.0, $0.1) }
  }

  /// No values, in the empty array, which is never allocated.
  static func empty() -> ReasonValues { ReasonValues(pairs: []) }

  /// Values made from pairs directly: the variadic array is the storage, so a reason made on
  /// the hot path allocates one array, as a dictionary literal of tuples did.
  static func of(_ pairs: Pair...) -> ReasonValues { ReasonValues(pairs: pairs) }

  private init(pairs: [Pair]) { self.pairs = pairs }

  /// The values of a dictionary, in name order.
  public init(_ dictionary: [String: String]) {
    guard !dictionary.isEmpty else {
      pairs = []
      return
    }
    pairs = dictionary.sorted { $0.key < $1.key }.map { Pair($0.key, $0.value) }
  }

  public var count: Int { pairs.count }

  /// The text for a name, as `dictionary[name]` gives it.
  public subscript(name: String) -> String? {
    index(of: name).map { pairs[$0].text }
  }

  /// Where `name` stands in `pairs`, found without copying any name or text out.
  func index(of name: String) -> Int? {
    pairs.firstIndex { $0.name == name }
  }

  public var dictionary: [String: String] {
    Dictionary(pairs.map { ($0.name, $0.text) }, uniquingKeysWith: { first, _ in first })
  }

  public static func == (lhs: ReasonValues, rhs: ReasonValues) -> Bool {
    guard lhs.pairs.count == rhs.pairs.count else { return false }
    return lhs.pairs.allSatisfy { rhs[$0.name] == $0.text }
  }

  public func hash(into hasher: inout Hasher) {
    var combined = 0
    for pair in pairs {
      var pairHasher = Hasher()
      pairHasher.combine(pair.name)
      pairHasher.combine(pair.text)
      combined ^= pairHasher.finalize()
    }
    hasher.combine(pairs.count)
    hasher.combine(combined)
  }
}
