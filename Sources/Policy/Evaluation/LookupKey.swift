import Foundation

/// The form in which names from rosters and from the policy tables are compared: NFKC (full-width
/// to half-width), without white space of any kind and without quote marks.
///
/// 省“百千万” and 省"百千万" and ＂省 百千万＂ all give the same key.
enum LookupKey {
  static func make(_ text: String) -> String {
    let folded =
      text.unicodeScalars.allSatisfy(\.isASCII)
      ? text : text.precomposedStringWithCompatibilityMapping
    var scalars = String.UnicodeScalarView()
    for scalar in folded.unicodeScalars where !isDropped(scalar) {
      scalars.append(scalar)
    }
    return String(scalars)
  }

  /// The part of an occupation before a bracket: 电工（高压电工） → 电工, 车工(数控) → 车工.
  static func beforeBracket(_ key: String) -> String? {
    guard let index = key.firstIndex(where: { $0 == "(" || $0 == "（" || $0 == "[" || $0 == "【" })
    else { return nil }
    let base = String(key[..<index])
    return base.isEmpty ? nil : base
  }

  private static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x22, 0x27, 0x60, 0x2018, 0x2019, 0x201C, 0x201D, 0x300C, 0x300D, 0x300E, 0x300F:
      return true
    case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
      return true
    default:
      return scalar.properties.isWhitespace
    }
  }
}
