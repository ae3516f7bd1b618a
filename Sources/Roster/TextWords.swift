/// A `String` as the two machine words it is stored in, for memos that find a text the parser
/// or the policy handed out again without hashing its bytes.
///
/// A short text is held inline in the two words; a longer one is its length and flags and the
/// address of its storage. Equal words are therefore the same text. Equal texts may have other
/// words (a copy made elsewhere): a memo then works its value out once more. A memo keyed by
/// words must keep the `String` itself alive beside the key, so that no other text can be given
/// the same storage address while the key is in use. No `String` has the words `(0, 0)` (even
/// the empty string has a flag set), so a memo may use them for a slot never filled.
public struct TextWords: Hashable, Sendable {
  public var first: UInt64
  public var second: UInt64

  @inlinable
  public init(_ text: borrowing String) {
    (first, second) = withUnsafeBytes(of: text) {
      ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }
  }

  /// The two words mixed into one, whose high bits choose a memo's slot.
  @inlinable
  public var mixed: UInt64 { (first &* 0x9E37_79B9_7F4A_7C15 ^ second) &* 0xFF51_AFD7_ED55_8CCD }

  /// The words of no text, for a slot never filled.
  public static let none = TextWords(first: 0, second: 0)

  @usableFromInline
  init(first: UInt64, second: UInt64) {
    self.first = first
    self.second = second
  }
}
