import Foundation

/// A read-only table from text to values that finds plain text (ASCII, CJK ideographs and the
/// common Chinese punctuation: text that is its own canonical form) by comparing UTF-8 bytes
/// under a cheap hash, and any other text through an ordinary dictionary. It answers exactly
/// as `[String: Value]` does, whose keys compare by canonical equivalence, without paying for
/// Unicode-aware hashing on every lookup.
public struct TextTable<Value: Sendable>: Sendable {
  /// The table as given, for text that is not plain.
  public let dictionary: [String: Value]
  @usableFromInline let index: TextIndex
  @usableFromInline let values: [Value]

  public init(_ dictionary: [String: Value]) {
    self.dictionary = dictionary
    let entries = Array(dictionary)
    index = TextIndex(keys: entries.map(\.key))
    values = entries.map(\.value)
  }

  /// The value for `text`, as `dictionary[text]` gives it.
  @inlinable public subscript(_ text: String) -> Value? {
    switch index.entry(for: text) {
    case .found(let entry): values[entry]
    case .absent: nil
    case .notPlain: dictionary[text]
    }
  }

  /// The value for the text whose UTF-8 is `bytes`, as `dictionary` gives it.
  public subscript(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Value? {
    switch index.entry(bytes) {
    case .found(let entry): values[entry]
    case .absent: nil
    case .notPlain: dictionary[String(decoding: bytes, as: UTF8.self)]
    }
  }
}

/// The byte-wise part of `TextTable`: where each key's canonical UTF-8 is, under a word-at-a-time
/// hash with linear probing.
public struct TextIndex: Sendable {
  /// What a lookup found.
  public enum Entry {
    case found(Int)
    case absent
    /// The text is not plain, so its bytes cannot be compared; ask the dictionary.
    case notPlain
  }

  /// Entry number + 1 per slot, 0 when empty; the count is a power of two.
  private let slots: [Int32]
  /// Every key's canonical (NFC) UTF-8, one after the other, and where each starts.
  private let keyBytes: [UInt8]
  private let keyStarts: [Int]

  init(keys: [String]) {
    var capacity = 8
    while capacity < keys.count * 2 { capacity <<= 1 }
    var slots = [Int32](repeating: 0, count: capacity)
    var keyBytes: [UInt8] = []
    var keyStarts: [Int] = []
    for (number, key) in keys.enumerated() {
      let canonical = Array(key.precomposedStringWithCanonicalMapping.utf8)
      var slot =
        Int(truncatingIfNeeded: canonical.withUnsafeBufferPointer(Self.hash)) & (capacity - 1)
      while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
      keyStarts.append(keyBytes.count)
      keyBytes += canonical
      slots[slot] = Int32(number + 1)
    }
    keyStarts.append(keyBytes.count)
    self.slots = slots
    self.keyBytes = keyBytes
    self.keyStarts = keyStarts
  }

  public func entry(for text: String) -> Entry {
    text.utf8.withContiguousStorageIfAvailable(entry) ?? .notPlain
  }

  /// `entry(for:)` for text given as UTF-8.
  public func entry(_ bytes: UnsafeBufferPointer<UInt8>) -> Entry {
    // Bytes equal to a key's canonical bytes are that key, plain or not; only a miss must ask
    // whether the text is plain, since other text may equal a key in another form.
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
    return keyBytes.withUnsafeBufferPointer { all in
      while true {
        let number = Int(slots[slot])
        if number == 0 { return ValueParser.isPlain(bytes) ? .absent : .notPlain }
        let start = keyStarts[number - 1]
        if keyStarts[number] - start == bytes.count && Self.equal(all, from: start, bytes) {
          return .found(number - 1)
        }
        slot = (slot + 1) & mask
      }
    }
  }

  /// Whether `all` holds `bytes` at `start`.
  private static func equal(
    _ all: UnsafeBufferPointer<UInt8>, from start: Int, _ bytes: UnsafeBufferPointer<UInt8>
  ) -> Bool {
    guard let key = all.baseAddress, let text = bytes.baseAddress else { return bytes.isEmpty }
    return memcmp(key + start, text, bytes.count) == 0
  }

  /// A hash of the bytes taken eight at a time (a multiply per word, the last few bytes as one
  /// more word), mixed at the end as MurmurHash3 mixes, so every byte reaches the low bits that
  /// pick a slot.
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
    guard let base = bytes.baseAddress else { return hash }
    let raw = UnsafeRawPointer(base)
    var index = 0
    while index + 8 <= bytes.count {
      hash =
        (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
      index += 8
    }
    var tail: UInt64 = 0
    if index < bytes.count, bytes.count >= 8 {
      // The last eight bytes as one word, some of them hashed already.
      tail = raw.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
    } else {
      while index < bytes.count {
        tail = tail << 8 | UInt64(bytes[index])
        index += 1
      }
    }
    hash = (hash ^ tail) &* 0x9E37_79B9_7F4A_7C15
    hash = (hash ^ (hash >> 33)) &* 0xFF51_AFD7_ED55_8CCD
    hash = (hash ^ (hash >> 33)) &* 0xC4CE_B9FE_1A85_EC53
    return hash ^ (hash >> 33)
  }
}
