/// Strings made from cell bytes the parser has already checked, without the standard library
/// validating them again.
///
/// `String(decoding:as:)` validates every byte; for the ID numbers and employers, new in nearly
/// every row, that second pass cost about as much as the parser's own check. `UTF8Span`'s
/// unchecked initialiser takes bytes as valid UTF-8 on trust, so only bytes the parser has
/// proved valid may be given here: bytes `ValueParser.isPlain` accepted (well-formed sequences
/// of the few characters it allows) or ASCII bytes.
enum CheckedText {
  /// The text of bytes `ValueParser.isPlain` accepted.
  static func string(plain bytes: UnsafeBufferPointer<UInt8>) -> String {
    string(bytes, isASCII: false)
  }

  /// The text of bytes that are all ASCII.
  static func string(ascii bytes: UnsafeBufferPointer<UInt8>) -> String {
    string(bytes, isASCII: true)
  }

  private static func string(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> String {
    guard #available(macOS 26, *) else { return String(decoding: bytes, as: UTF8.self) }
    return unsafe String(copying: UTF8Span(unchecked: bytes.span, isKnownASCII: isASCII))
  }
}
