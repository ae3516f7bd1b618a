/// A stable reason code (`A-CE-TOTAL`, `DUPLICATE`, …) that spreadsheets filter on.
///
/// The codes of RULES.md are never renamed; the tool may add codes. Their texts live in the
/// policy data (`policy.yaml`, `reasons:`).
public struct ReasonCode: RawRepresentable, Hashable, Comparable, Sendable, Codable,
  CustomStringConvertible
{
  public var rawValue: String {
    didSet { number = Self.number(spelt: rawValue) }
  }
  /// `knownNumber + 1`, or 0: worked out once when the code is made, so that comparing codes
  /// and tallying or rendering by code need not look at the text.
  private var number: UInt8

  public init(rawValue: String) {
    self.rawValue = rawValue
    number = Self.number(spelt: rawValue)
  }

  public init(_ rawValue: String) { self.init(rawValue: rawValue) }

  public init(from decoder: any Decoder) throws {
    self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  public var description: String { rawValue }
  public static func < (lhs: ReasonCode, rhs: ReasonCode) -> Bool { lhs.rawValue < rhs.rawValue }

  /// Equal as the texts are; two known codes are told apart by their numbers alone. A code
  /// spelt otherwise (a look-alike character) is compared as text.
  public static func == (lhs: ReasonCode, rhs: ReasonCode) -> Bool {
    if lhs.number == rhs.number { return lhs.number != 0 || lhs.rawValue == rhs.rawValue }
    if lhs.number != 0 && rhs.number != 0 { return false }
    return lhs.rawValue == rhs.rawValue
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

  public static let assessmentFail = ReasonCode("A-ASSESS-FAIL")
  public static let assessmentMissing = ReasonCode("A-ASSESS-MISSING")
  public static let continuingEducationTotal = ReasonCode("A-CE-TOTAL")
  public static let continuingEducationPublic = ReasonCode("A-CE-PUBLIC")
  public static let continuingEducationMissing = ReasonCode("A-CE-MISSING")
  public static let levelLow = ReasonCode("A-LEVEL-LOW")
  public static let yearsShort = ReasonCode("A-YEARS-SHORT")
  public static let notInField = ReasonCode("A-NOT-IN-FIELD")
  public static let occupationUnmapped = ReasonCode("A-OCC-UNMAPPED")
  public static let publicInstitution = ReasonCode("A-PUBLIC-INST")
  public static let honourUnknown = ReasonCode("A-HONOR-UNKNOWN")
  public static let titleLow = ReasonCode("B-TITLE-LOW")
  public static let occupationMissing = ReasonCode("B-OCC-MISSING")
  public static let occupationSeriesMismatch = ReasonCode("B-OCC-SERIES-MISMATCH")
  public static let chiefNeedsSpecial = ReasonCode("B-CHIEF-NEEDS-SPECIAL")
  public static let alreadyHeld = ReasonCode("B-ALREADY-HELD")
  public static let noServicePoint = ReasonCode("B-NO-SERVICE-POINT")
  public static let accessOccupation = ReasonCode("B-ACCESS-OCC")
  public static let integrity = ReasonCode("INTEGRITY")
  public static let duplicate = ReasonCode("DUPLICATE")
  public static let dataID = ReasonCode("DATA-ID")
  public static let dataDate = ReasonCode("DATA-DATE")
  public static let dataLevel = ReasonCode("DATA-LEVEL")
  public static let dataHours = ReasonCode("DATA-HOURS")
  public static let dataFlag = ReasonCode("DATA-FLAG")
  public static let dataMissing = ReasonCode("DATA-MISSING")
  /// Added by the tool: the row gives data for neither direction (申报方向 blank, nothing to judge).
  public static let noDirection = ReasonCode("NO-DIRECTION")
  /// Added by the tool: informational, a higher title target that will be met on a later date.
  public static let nextTarget = ReasonCode("A-NEXT-TARGET")
  /// Added by the tool: informational, the date the holder may apply for the next skill level.
  public static let promotionDate = ReasonCode("B-PROMOTION-DATE")

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

  /// The spellings of `known`, in its order: what a code's number is found from (the codes
  /// themselves cannot be, as making one looks its number up here).
  private static let knownSpellings = [
    "A-ASSESS-FAIL", "A-ASSESS-MISSING", "A-CE-TOTAL", "A-CE-PUBLIC", "A-CE-MISSING",
    "A-LEVEL-LOW", "A-YEARS-SHORT", "A-NOT-IN-FIELD", "A-OCC-UNMAPPED", "A-PUBLIC-INST",
    "A-HONOR-UNKNOWN", "B-TITLE-LOW", "B-OCC-MISSING", "B-OCC-SERIES-MISMATCH",
    "B-CHIEF-NEEDS-SPECIAL", "B-ALREADY-HELD", "B-NO-SERVICE-POINT", "B-ACCESS-OCC", "INTEGRITY",
    "DUPLICATE", "DATA-ID", "DATA-DATE", "DATA-LEVEL", "DATA-HOURS", "DATA-FLAG", "DATA-MISSING",
    "NO-DIRECTION", "A-NEXT-TARGET", "B-PROMOTION-DATE",
  ]

  private static let knownNumbers = CodeIndex(knownSpellings.enumerated().map { ($1, $0) })

  private static func number(spelt text: String) -> UInt8 {
    knownNumbers[text].map { UInt8($0 + 1) } ?? 0
  }

  /// The code's place in `known` when spelt byte for byte as there, else `nil`: a small number
  /// kept with the code, so that tallies by code need not hash a `String`.
  public var knownNumber: Int? { number == 0 ? nil : Int(number) - 1 }

  /// A bit for each known code this code may equal: `1 << knownNumber` for a known code, every
  /// bit for any other (a look-alike spelling may equal any known code). A list of reasons keeps
  /// the masks of its codes in one word, so that a reason whose mask meets none of them is known
  /// to be new there without comparing it.
  @inline(__always)
  var equalityMask: UInt64 { number == 0 || number > 64 ? .max : 1 << UInt64(number - 1) }
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
