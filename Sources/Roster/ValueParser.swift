import Foundation

/// Why a cell could not be read as its column's value; `detail` is a short Chinese explanation.
public struct UnreadableValue: Error, Hashable, Sendable {
  public var detail: String

  public init(detail: String) {
    self.detail = detail
  }
}

/// Pure functions that read one roster cell each into a typed value.
///
/// Every function accepts the cell as written and normalises it first, so callers need not.
public enum ValueParser {
  /// NFKC (full-width digits and letters become ASCII, U+3000 and NBSP become spaces), zero-width
  /// characters and BOMs removed, then leading and trailing spaces, tabs and line breaks trimmed.
  ///
  /// ASCII text and common Chinese text are handled without calling into Unicode normalisation.
  public static func normalise(_ s: String) -> String {
    s.isEmpty || isAlreadyNormal(s) ? s : normalising(s)
  }

  /// `normalise` without the one-pass check for cells that are already normal.
  static func normalising(_ s: String) -> String {
    if s.utf8.allSatisfy({ $0 < 0x80 }) { return trimmingASCII(s) }
    var needsMapping = false
    for scalar in s.unicodeScalars {
      switch scalar.value {
      case 0..<0x80, 0x4E00...0x9FFF, 0x3001...0x3002, 0x3008...0x3011, 0x00B7, 0x00D7,
        0x2014, 0x2018...0x201D, 0x2192, 0x221A, 0x2713...0x2718:
        continue
      case 0xFF01...0xFF5E, 0x3000, 0x00A0, 0x200B...0x200D, 0x2060, 0xFEFF:
        needsMapping = true
      default:
        return trimmingUnicode(removingInvisible(s.precomposedStringWithCompatibilityMapping))
      }
    }
    guard needsMapping else { return trimmingUnicode(s) }
    // Mapped into UTF-8 bytes: appending to a `String.UnicodeScalarView` costs several times more.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(s.utf8.count)
    for scalar in s.unicodeScalars {
      switch scalar.value {
      case 0xFF01...0xFF5E: bytes.append(UInt8(truncatingIfNeeded: scalar.value - 0xFEE0))
      case 0x3000, 0x00A0: bytes.append(0x20)
      case 0x200B...0x200D, 0x2060, 0xFEFF: continue
      default: appendUTF8(scalar, to: &bytes)
      }
    }
    // Every blank `trimmingUnicode` removes is now an ASCII blank.
    var start = 0
    var end = bytes.count
    while start < end, isBlankByte(bytes[start]) { start += 1 }
    while end > start, isBlankByte(bytes[end - 1]) { end -= 1 }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  private static func appendUTF8(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
    let value = scalar.value
    switch value {
    case 0..<0x80:
      bytes.append(UInt8(value))
    case 0x80..<0x800:
      bytes.append(0xC0 | UInt8(value >> 6))
      bytes.append(0x80 | UInt8(value & 0x3F))
    case 0x800..<0x10000:
      bytes.append(0xE0 | UInt8(value >> 12))
      bytes.append(0x80 | UInt8((value >> 6) & 0x3F))
      bytes.append(0x80 | UInt8(value & 0x3F))
    default:
      bytes.append(0xF0 | UInt8(value >> 18))
      bytes.append(0x80 | UInt8((value >> 12) & 0x3F))
      bytes.append(0x80 | UInt8((value >> 6) & 0x3F))
      bytes.append(0x80 | UInt8(value & 0x3F))
    }
  }

  /// `true` for a cell `normalise` returns unchanged, decided in one pass over the UTF-8 bytes:
  /// no blank at either end, and only ASCII, CJK ideographs (U+4E00–9FFF) and the punctuation
  /// that `normalise` lets through without Unicode normalisation.
  static func isAlreadyNormal(_ s: String) -> Bool {
    if let answer = s.utf8.withContiguousStorageIfAvailable(isAlreadyNormal) { return answer }
    return Array(s.utf8).withUnsafeBufferPointer(isAlreadyNormal)
  }

  static func isAlreadyNormal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = bytes.first, let last = bytes.last, !isBlankByte(first), !isBlankByte(last)
    else { return false }
    return isPlain(bytes)
  }

  /// `true` for UTF-8 made only of ASCII, U+4E00–9FFF and the punctuation `normalise` keeps as
  /// written: characters without decompositions that never compose, so the text is its own
  /// canonical and compatibility form.
  static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    let count = bytes.count
    // `index` stays below `count` + 3, so its sums cannot overflow: they are not checked.
    while index < count {
      let lead = bytes[index]
      if lead < 0x80 {
        index &+= 1
        continue
      }
      // CJK ideographs U+4E00–9FFF, the bulk of Chinese text, without the general switch.
      if lead >= 0xE4, lead <= 0xE9, index &+ 2 < count {
        let second = bytes[index &+ 1]
        guard second & 0xC0 == 0x80, bytes[index &+ 2] & 0xC0 == 0x80,
          lead > 0xE4 || second >= 0xB8
        else { return false }
        index &+= 3
        // Chinese text comes in runs: the ideographs after this one are read here, without the
        // tests for ASCII and U+4E00 above. A lead byte E5–E9 with two continuation bytes is
        // always U+5000–9FFF; any other byte goes back to the general loop.
        while index &+ 2 < count, bytes[index] &- 0xE5 <= 4 {
          guard bytes[index &+ 1] & 0xC0 == 0x80, bytes[index &+ 2] & 0xC0 == 0x80 else {
            return false
          }
          index &+= 3
        }
        continue
      }
      guard index + 1 < count else { return false }
      let second = bytes[index + 1]
      switch lead {
      case 0xC2:
        guard second == 0xB7 else { return false }
        index += 2
      case 0xC3:
        guard second == 0x97 else { return false }
        index += 2
      case 0xE2...0xE9:
        guard index + 2 < count, isKeptAsWritten(lead, second, bytes[index + 2]) else {
          return false
        }
        index += 3
      default:
        return false
      }
    }
    return true
  }

  private static func isBlankByte(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
  }

  /// The three-byte characters of `normalise`'s fast path: U+4E00–9FFF, U+3001–3002,
  /// U+3008–3011, U+2014, U+2018–201D, U+2192, U+221A, U+2713–2718.
  static func isKeptAsWritten(_ lead: UInt8, _ second: UInt8, _ third: UInt8) -> Bool {
    switch (lead, second) {
    case (0xE4, 0xB8...0xBF), (0xE5...0xE9, 0x80...0xBF): return (0x80...0xBF).contains(third)
    case (0xE3, 0x80): return (0x81...0x82).contains(third) || (0x88...0x91).contains(third)
    case (0xE2, 0x80): return third == 0x94 || (0x98...0x9D).contains(third)
    case (0xE2, 0x86): return third == 0x92
    case (0xE2, 0x88): return third == 0x9A
    case (0xE2, 0x9C): return (0x93...0x98).contains(third)
    default: return false
    }
  }

  /// The cell with only surrounding blanks removed, without NFKC: the form quoted in messages.
  public static func trimmed(_ s: String) -> String {
    if s.utf8.allSatisfy({ $0 < 0x80 }) { return trimmingASCII(s) }
    return trimmingUnicode(removingInvisible(s))
  }

  /// `true` when the cell holds nothing but blanks and invisible characters.
  public static func isBlank(_ s: String) -> Bool {
    s.unicodeScalars.allSatisfy { isTrimmable($0) || isInvisible($0) }
  }

  /// Reads a yes/no cell: 是/否, Y/N, yes/no, 1/0, true/false, √/×, 有/无; `nil` otherwise.
  public static func flag(_ s: String) -> Bool? {
    flag(normalised: normalise(s))
  }

  /// Reads an hour count such as `90`, `90.5`, `９０` or `90学时`; `nil` for anything else (九十).
  public static func hours(_ s: String) -> Double? {
    number(normalised: normalise(s), units: hourUnits)
  }

  /// Reads a count of years such as `3`, `3.5` or `3年`; `nil` for anything else.
  public static func years(_ s: String) -> Double? {
    number(normalised: normalise(s), units: yearUnits)
  }

  /// Splits a list cell on `,` `，` `;` `；` `、` `/` and whitespace, dropping empty items.
  public static func list(_ s: String) -> [String] {
    list(normalised: normalise(s))
  }

  /// Reads 申报方向: `nil` when unreadable, `.some(nil)` when blank or meaning both directions.
  public static func direction(_ s: String) -> ApplicationDirection?? {
    direction(normalised: normalise(s))
  }

  // MARK: - Forms taking an already-normalised cell

  static let hourUnits = ["学时", "小时", "课时", "h"]
  static let yearUnits = ["年"]

  static let flagTable = TextTable<Bool>(flagForms)

  private static let flagForms: [String: Bool] = [
    "是": true, "否": false, "y": true, "n": false, "yes": true, "no": false,
    "1": true, "0": false, "true": true, "false": false, "√": true, "✓": true, "✔": true,
    "×": false, "✗": false, "✘": false, "有": true, "无": false, "是的": true, "不是": false,
  ]

  static func flag(normalised s: String) -> Bool? {
    flagTable[s] ?? flagTable[s.lowercased()]
  }

  static func number(normalised s: String, units: [String]) -> Double? {
    if let whole = plainWholeNumber(s) { return Double(whole) }
    return anyNumber(normalised: s, units: units)
  }

  /// The general number reader; `number(normalised:units:)` reads plain whole numbers first.
  static func anyNumber(normalised s: String, units: [String]) -> Double? {
    var text = Substring(s)
    for unit in units where text.hasSuffix(unit) || (unit == "h" && text.hasSuffix("H")) {
      text = text.dropLast(unit.count)
      break
    }
    text = Substring(trimmingASCII(String(text)))
    var digits = 0
    var dots = 0
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
      case UInt8(ascii: "."): dots += 1
      default: return nil
      }
    }
    guard digits > 0, dots <= 1, text.first != ".", text.last != "." else { return nil }
    return Double(text)
  }

  /// The value of 1 to 15 ASCII digits and nothing else (the usual hour or year cell), read
  /// without going through text; `nil` for anything else.
  static func plainWholeNumber(_ s: String) -> Int? {
    if let number = s.utf8.withContiguousStorageIfAvailable(plainWholeNumber) { return number }
    return Array(s.utf8).withUnsafeBufferPointer(plainWholeNumber)
  }

  /// `plainWholeNumber` over UTF-8 bytes; inlined, as the parser reads three or four hour and
  /// year cells a row with it.
  @inline(__always)
  static func plainWholeNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard (1...15).contains(bytes.count) else { return nil }
    var value = 0
    for byte in bytes {
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int(byte - UInt8(ascii: "0"))
    }
    return value
  }

  static func list(normalised s: String) -> [String] {
    split(s, where: isListSeparator)
  }

  /// `list(normalised:)` over the UTF-8 of normal text.
  static func list(normalised bytes: UnsafeBufferPointer<UInt8>) -> [String] {
    split(bytes, where: isListSeparator)
  }

  private static func isListSeparator(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case ",", ";", "、", "/", " ", "\t", "\n", "\r": true
    default: false
    }
  }

  /// An honours cell: split like `list` but not on spaces, since honour names are matched with
  /// spaces ignored (“世界技能大赛 金牌” is one honour).
  static func honourList(normalised s: String) -> [String] {
    split(s, where: isHonourSeparator).map(trimmed).filter { !$0.isEmpty }
  }

  /// `honourList(normalised:)` over the UTF-8 of normal text.
  static func honourList(normalised bytes: UnsafeBufferPointer<UInt8>) -> [String] {
    split(bytes, where: isHonourSeparator).map(trimmed).filter { !$0.isEmpty }
  }

  private static func isHonourSeparator(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case ",", ";", "、", "/", "\n", "\r": true
    default: false
    }
  }

  /// Splits on single scalars, dropping empty pieces; cheaper than splitting on `Character`s.
  static func split(_ s: String, where isSeparator: (Unicode.Scalar) -> Bool) -> [String] {
    if let pieces = s.utf8.withContiguousStorageIfAvailable({ split($0, where: isSeparator) }) {
      return pieces
    }
    return s.unicodeScalars.split(whereSeparator: isSeparator).map { String(Substring($0)) }
  }

  /// `split` over the UTF-8 of a string, decoding each scalar in place; the pieces are made
  /// straight from their bytes instead of through the generic `Collection.split`.
  static func split(
    _ bytes: UnsafeBufferPointer<UInt8>, where isSeparator: (Unicode.Scalar) -> Bool
  ) -> [String] {
    var pieces: [String] = []
    pieces.reserveCapacity(4)
    var start = 0
    var index = 0
    func cut(at end: Int) {
      if end > start {
        pieces.append(
          String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
      }
    }
    while index < bytes.count {
      let lead = bytes[index]
      var value = UInt32(lead)
      var length = 1
      if lead >= 0xF0 {
        length = 4
        value = UInt32(lead & 0x07)
      } else if lead >= 0xE0 {
        length = 3
        value = UInt32(lead & 0x0F)
      } else if lead >= 0xC0 {
        length = 2
        value = UInt32(lead & 0x1F)
      }
      if length > 1 {
        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
      }
      if let scalar = Unicode.Scalar(value), isSeparator(scalar) {
        cut(at: index)
        start = index + length
      }
      index += length
    }
    cut(at: bytes.count)
    return pieces
  }

  static let directionTable = TextTable<ApplicationDirection?>(directionForms)

  private static let directionForms: [String: ApplicationDirection?] = [
    "A": .skillToTitle, "职称": .skillToTitle, "申报职称": .skillToTitle,
    "技能人才申报职称": .skillToTitle, "技能→职称": .skillToTitle,
    "B": .titleToSkill, "技能": .titleToSkill, "技能评价": .titleToSkill,
    "职称人才申报技能": .titleToSkill, "职称→技能": .titleToSkill,
    "": .none, "两者": .none, "全部": .none, "双向": .none,
  ]

  static func direction(normalised s: String) -> ApplicationDirection?? {
    if let direction = directionTable[s] { return direction }
    var key = s.uppercased().filter { $0 != " " }
    if key.contains(">") {
      for arrow in ["-->", "->", "—>", "=>"] {
        key = key.replacingOccurrences(of: arrow, with: "→")
      }
    }
    return directionTable[key]
  }

  // MARK: - Blanks

  static func isTrimmable(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x20, 0x09...0x0D, 0x3000, 0x00A0: true
    default: false
    }
  }

  static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x200B...0x200D, 0x2060, 0xFEFF: true
    default: false
    }
  }

  static func trimmingASCII(_ s: String) -> String {
    let bytes = s.utf8
    func blank(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
    guard let first = bytes.firstIndex(where: { !blank($0) }) else { return "" }
    guard let last = bytes.lastIndex(where: { !blank($0) }) else { return "" }
    if first == bytes.startIndex && bytes.index(after: last) == bytes.endIndex { return s }
    return String(s[first...last])
  }

  static func trimmingUnicode(_ s: String) -> String {
    let scalars = s.unicodeScalars
    guard let first = scalars.firstIndex(where: { !isTrimmable($0) }),
      let last = scalars.lastIndex(where: { !isTrimmable($0) })
    else { return "" }
    if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return s }
    return String(scalars[first...last])
  }

  static func removingInvisible(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: isInvisible) else { return s }
    var scalars = String.UnicodeScalarView()
    scalars.append(contentsOf: s.unicodeScalars.lazy.filter { !isInvisible($0) })
    return String(scalars)
  }
}
