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

  /// The keys of 16 bytes or fewer, found by their `ShortKey` in place; the count is a power of
  /// two.
  private let shortSlots: [ShortSlot]
  /// Entry number + 1 per slot for the longer keys, 0 when empty; the count is a power of two.
  private let slots: [Int32]
  /// Every key's canonical (NFC) UTF-8, one after the other, and where each starts.
  private let keyBytes: [UInt8]
  private let keyStarts: [Int]

  init(keys: [String]) {
    var capacity = 8
    while capacity < keys.count * 2 { capacity <<= 1 }
    var shortSlots = [ShortSlot](repeating: ShortSlot(), count: capacity)
    var slots = [Int32](repeating: 0, count: capacity)
    var keyBytes: [UInt8] = []
    var keyStarts: [Int] = []
    for (number, key) in keys.enumerated() {
      let canonical = Array(key.precomposedStringWithCanonicalMapping.utf8)
      keyStarts.append(keyBytes.count)
      keyBytes += canonical
      let hash = canonical.withUnsafeBufferPointer(Self.hash)
      var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
      if let short = canonical.withUnsafeBufferPointer(ShortKey.init) {
        while shortSlots[slot].number != 0 { slot = (slot + 1) & (capacity - 1) }
        shortSlots[slot] = ShortSlot(key: short, count: canonical.count, number: number + 1)
      } else {
        while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
        slots[slot] = Int32(number + 1)
      }
    }
    keyStarts.append(keyBytes.count)
    self.shortSlots = shortSlots
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
    if let key = ShortKey(bytes) {
      let count = Int32(truncatingIfNeeded: bytes.count)
      var slot = Int(truncatingIfNeeded: key.hash(count: bytes.count)) & mask
      return shortSlots.withUnsafeBufferPointer { shortSlots in
        while true {
          let found = shortSlots[slot]
          if found.number == 0 { return ValueParser.isPlain(bytes) ? .absent : .notPlain }
          if found.key == key && found.count == count { return .found(Int(found.number) - 1) }
          slot = (slot + 1) & mask
        }
      }
    }
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

  /// A hash of the bytes: `ShortKey.hash` for 16 bytes or fewer; otherwise the bytes taken
  /// eight at a time (a multiply per word, the last eight bytes as one more word), with the high
  /// half of a last full-width multiply folded in, so every byte reaches the low bits that pick
  /// a slot. Inlined: the parser's cell memo hashes a long cell in place for every row.
  @inline(__always)
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    if let key = ShortKey(bytes) { return key.hash(count: bytes.count) }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
    guard let base = bytes.baseAddress else { return hash }
    let raw = UnsafeRawPointer(base)
    var index = 0
    while index + 8 <= bytes.count {
      hash =
        (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
      index += 8
    }
    // The last eight bytes as one word, some of them hashed already (a long text has more).
    let tail = raw.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
    let product = (hash ^ tail).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
    return product.high ^ product.low
  }
}

/// A slot of a table of texts of at most 16 bytes: the text's `ShortKey` and length, and its
/// entry number + 1 (0 for an empty slot), so that a probe compares the text in place.
struct ShortSlot: Sendable {
  var key = ShortKey()
  var count: Int32 = 0
  var number: Int32 = 0

  init() {}

  init(key: ShortKey, count: Int, number: Int) {
    self.key = key
    self.count = Int32(truncatingIfNeeded: count)
    self.number = Int32(truncatingIfNeeded: number)
  }
}

/// The bytes of a text of at most 16 bytes as two words that, for texts of the same length, are
/// equal exactly when the texts are: read with two loads that overlap as needed (the first,
/// middle and last byte for fewer than four), as `copyBytes` reads them, never past the end.
struct ShortKey: Equatable, Sendable {
  var head: UInt64 = 0
  var tail: UInt64 = 0

  init() {}

  /// `nil` for more than 16 bytes.
  @inline(__always)
  init?(_ bytes: UnsafeBufferPointer<UInt8>) {
    let count = bytes.count
    guard count <= 16 else { return nil }
    guard let base = bytes.baseAddress, count > 0 else { return }
    let raw = UnsafeRawPointer(base)
    switch count {
    case 8...16:
      head = raw.loadUnaligned(as: UInt64.self)
      tail = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    case 4...7:
      head = UInt64(raw.loadUnaligned(as: UInt32.self))
      tail = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
    default:
      head =
        UInt64(base[0]) | UInt64(base[count >> 1]) << 8 | UInt64(base[count - 1]) << 16
    }
  }

  /// A hash of the key and the text's length: one multiply, whose high half, which every input
  /// bit reaches, is folded into the low bits that pick a slot.
  @inline(__always)
  func hash(count: Int) -> UInt64 {
    let product =
      (head ^ (tail &<< 29 | tail &>> 35) ^ UInt64(truncatingIfNeeded: count))
      .multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
    return product.high ^ product.low
  }
}

/// A few forms of a `TextTable`, found by comparing a cell's `ShortKey` with each in turn before
/// the table is asked: for the forms nearly every cell of a column is written in (是, 否, 职称,
/// 技能), cheaper than the call, hash and probe of a table lookup. The values are the table's, so
/// a form found here reads exactly as the table reads it.
struct CommonForms<Value: Sendable>: Sendable {
  private struct Form: Sendable {
    let key: ShortKey
    let count: Int
    let value: Value
  }

  private let forms: [Form]

  /// The `forms` of at most 16 bytes that `table` holds as written.
  init(_ table: TextTable<Value>, forms: [String]) {
    self.forms = forms.compactMap { text in
      var text = text
      return text.withUTF8 { bytes in
        guard let key = ShortKey(bytes), let value = table[utf8: bytes] else { return nil }
        return Form(key: key, count: bytes.count, value: value)
      }
    }
  }

  /// The value of the form `bytes` are; `nil` when they are none of the forms.
  @inline(__always)
  subscript(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Value? {
    guard let key = ShortKey(bytes) else { return nil }
    return forms.withUnsafeBufferPointer { forms in
      for form in forms where form.key == key && form.count == bytes.count {
        return form.value
      }
      return nil
    }
  }
}
