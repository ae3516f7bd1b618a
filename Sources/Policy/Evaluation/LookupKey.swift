import Foundation

/// The form in which names from rosters and from the policy tables are compared: NFKC (full-width
/// to half-width), without white space of any kind and without quote marks.
///
/// 省“百千万” and 省"百千万" and ＂省 百千万＂ all give the same key.
enum LookupKey {
  static func make(_ text: String) -> String {
    switch scan(text) {
    case .unchanged: return text
    case .dropsOnly:
      var scalars = String.UnicodeScalarView()
      for scalar in text.unicodeScalars where !isDropped(scalar) { scalars.append(scalar) }
      return String(scalars)
    case .needsNormalisation: return normalised(text)
    }
  }

  /// The general path: Unicode NFKC through Foundation, then the dropped characters removed.
  static func normalised(_ text: String) -> String {
    let folded =
      text.unicodeScalars.allSatisfy(\.isASCII)
      ? text : text.precomposedStringWithCompatibilityMapping
    var scalars = String.UnicodeScalarView()
    for scalar in folded.unicodeScalars where !isDropped(scalar) {
      scalars.append(scalar)
    }
    return String(scalars)
  }

  /// What `make` must do with a text.
  enum Work {
    /// The text is its own key.
    case unchanged
    /// NFKC leaves the text as it is; only quote marks or white space have to go.
    case dropsOnly
    /// The text has characters NFKC may change.
    case needsNormalisation
  }

  /// Decides without Foundation whether the text is already a key: ASCII, CJK ideographs and the
  /// Chinese punctuation rosters use are unchanged by NFKC and cannot compose with each other.
  static func scan(_ text: String) -> Work {
    if let work = text.utf8.withContiguousStorageIfAvailable(scan) { return work }
    return Array(text.utf8).withUnsafeBufferPointer(scan)
  }

  /// `scan` over UTF-8: the characters it lets through are ASCII and three-byte sequences.
  private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Work {
    var work = Work.unchanged
    var index = 0
    let count = bytes.count
    while index < count {
      let lead = bytes[index]
      if lead < 0x80 {
        switch lead {
        case 0x20, 0x09...0x0D, 0x22, 0x27, 0x60: work = .dropsOnly
        default: break
        }
        index += 1
        continue
      }
      // CJK ideographs U+4E00–9FFF, the bulk of the text, without decoding.
      if lead >= 0xE4, lead <= 0xE9, index + 2 < count, lead > 0xE4 || bytes[index + 1] >= 0xB8 {
        index += 3
        continue
      }
      guard (0xC2...0xE9).contains(lead), index + 1 < count else { return .needsNormalisation }
      let second = UInt32(bytes[index + 1] & 0x3F)
      let value: UInt32
      if lead < 0xE0 {
        value = UInt32(lead & 0x1F) << 6 | second
        index += 2
      } else {
        guard index + 2 < count else { return .needsNormalisation }
        value = UInt32(lead & 0x0F) << 12 | second << 6 | UInt32(bytes[index + 2] & 0x3F)
        index += 3
      }
      switch value {
      case 0x2018, 0x2019, 0x201C, 0x201D, 0x300C...0x300F, 0x301D...0x301F:
        work = .dropsOnly
      case 0x4E00...0x9FFF, 0x3001...0x3002, 0x3008...0x3011, 0x00B7, 0x00D7, 0x2014,
        0x201A...0x201B, 0x2192, 0x221A, 0x2713...0x2718:
        continue
      default:
        return .needsNormalisation
      }
    }
    return work
  }

  /// `true` for a key made only of characters that NFKC leaves alone and that stand one scalar
  /// to a character, so comparing, counting and searching its UTF-8 bytes gives what `String`'s
  /// character-wise operations give.
  static func isPlain(_ key: String) -> Bool {
    scan(key) == .unchanged
  }

  /// The part of an occupation before a bracket: 电工（高压电工） → 电工, 车工(数控) → 车工.
  static func beforeBracket(_ key: String) -> String? {
    if let plain = key.utf8.withContiguousStorageIfAvailable(plainBeforeBracket), let plain {
      return plain
    }
    guard let index = key.firstIndex(where: { $0 == "(" || $0 == "（" || $0 == "[" || $0 == "【" })
    else { return nil }
    let base = String(key[..<index])
    return base.isEmpty ? nil : base
  }

  /// `beforeBracket` for a plain key, read from its UTF-8 (`(`, `[` or `【` E3 80 90); the outer
  /// `nil` means the key is not plain.
  private static func plainBeforeBracket(_ bytes: UnsafeBufferPointer<UInt8>) -> String?? {
    guard scan(bytes) == .unchanged else { return nil }
    for index in bytes.indices {
      let byte = bytes[index]
      let isBracket =
        byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[")
        || (byte == 0xE3 && index + 2 < bytes.count && bytes[index + 1] == 0x80
          && bytes[index + 2] == 0x90)
      guard isBracket else { continue }
      guard index > 0 else { return .some(nil) }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<index]), as: UTF8.self)
    }
    return .some(nil)
  }

  /// `true` when `key` begins with `prefix`, character-wise like `String.hasPrefix`.
  static func hasPrefix(_ key: String, _ prefix: String) -> Bool {
    guard isPlain(key), isPlain(prefix) else { return key.hasPrefix(prefix) }
    return key.utf8.starts(with: prefix.utf8)
  }

  /// `true` when `key` ends with `suffix`, character-wise like `String.hasSuffix`.
  static func hasSuffix(_ key: String, _ suffix: String) -> Bool {
    guard isPlain(key), isPlain(suffix) else { return key.hasSuffix(suffix) }
    return key.utf8.reversed().starts(with: suffix.utf8.reversed())
  }

  /// Whether two texts have the same UTF-8 bytes (which `==` implies only for canonical forms).
  static func sameBytes(_ a: String, _ b: String) -> Bool {
    let answer = a.utf8.withContiguousStorageIfAvailable { left in
      b.utf8.withContiguousStorageIfAvailable { right in
        guard left.count == right.count else { return false }
        for index in 0..<left.count where left[index] != right[index] { return false }
        return true
      }
    }
    if let answer, let answer { return answer }
    return a.utf8.elementsEqual(b.utf8)
  }

  /// The number of characters of a key, like `String.count`.
  static func characterCount(_ key: String) -> Int {
    guard isPlain(key) else { return key.count }
    return key.unicodeScalars.count
  }

  private static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x22, 0x27, 0x60, 0x2018, 0x2019, 0x201C, 0x201D, 0x300C...0x300F, 0x301D...0x301F:
      return true
    case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
      return true
    default:
      return scalar.properties.isWhitespace
    }
  }
}
