import CSVStream

/// Remembers where each ID number was first seen across every input of a run, so that later
/// occurrences can be sent to review naming the first (DUPLICATE).
///
/// Valid-form 18-character IDs are packed into one integer (17 digits and the check character)
/// and their locations into one 32-bit number counted across the files, 12 bytes a slot in an
/// open-addressing table of 256 shards that each grow on their own, so a city's worth of IDs
/// costs about 17 bytes each and growing never holds two copies of the whole table. Other IDs,
/// and IDs whose location does not fit that form, are kept in dictionaries.
struct DuplicateIndex {
  private var shards: [Shard] = Array(repeating: Shard(capacity: 64), count: 256)
  private var other: [String: Location] = [:]
  /// Packed IDs first seen where no running line count could be given.
  private var packedOverflow: [UInt64: Location] = [:]
  private var files: [String] = []
  /// Files whose rows have a base in the running line count, in the order they got it: a
  /// location is stored as `base + line`, and each base is above every earlier location.
  private var bases: [(base: UInt32, file: Int)] = []
  /// The highest running line count stored so far.
  private var highest: UInt32 = 0

  private struct Location {
    var file: UInt32
    var line: UInt32
  }

  /// Registers a file name and returns its index for `firstSeen`.
  mutating func add(file: String) -> Int {
    files.append(file)
    return files.count - 1
  }

  /// Records `key` at the location, or returns where it was first seen.
  mutating func firstSeen(_ key: String, file: Int, line: Int) -> SourceLocation? {
    guard !key.isEmpty else { return nil }
    return firstSeen(.text(key), file: file, line: line)
  }

  /// Records `key` at the location, or returns where it was first seen.
  mutating func firstSeen(_ key: DuplicateKey, file: Int, line: Int) -> SourceLocation? {
    let here = Location(file: UInt32(file), line: UInt32(clamping: line))
    let number: UInt64
    switch key {
    case .packed(let packed):
      number = packed
    case .text(let text):
      guard let packed = Self.pack(text) else {
        if let previous = other[text] { return location(previous) }
        other[text] = here
        return nil
      }
      number = packed
    }
    if let previous = packedOverflow[number] { return location(previous) }
    let hash = Self.mix(number)
    let shard = Int(truncatingIfNeeded: hash >> 56)
    guard let running = running(file: file, line: line) else {
      if let previous = shards[shard].find(number + 1, hash: hash) {
        return location(running: previous)
      }
      packedOverflow[number] = here
      return nil
    }
    guard let previous = shards[shard].insert(number + 1, location: running, hash: hash) else {
      highest = max(highest, running)
      return nil
    }
    return location(running: previous)
  }

  var count: Int { shards.reduce(other.count + packedOverflow.count) { $0 + $1.count } }

  /// The running line count for a row, or `nil` when it cannot be stored as one (a file whose
  /// rows come after another file's, or a count past 32 bits): then the dictionary takes it.
  private mutating func running(file: Int, line: Int) -> UInt32? {
    guard line >= 1 else { return nil }
    if bases.last?.file != file {
      guard !bases.contains(where: { $0.file == file }) else { return nil }
      bases.append((highest, file))
    }
    guard let base = bases.last?.base else { return nil }
    let running = UInt64(base) + UInt64(line)
    return running <= UInt64(UInt32.max) ? UInt32(running) : nil
  }

  private func location(_ stored: Location) -> SourceLocation {
    SourceLocation(file: files[Int(stored.file)], line: Int(stored.line))
  }

  private func location(running: UInt32) -> SourceLocation {
    // The file is the last one whose base lies below the running count.
    var low = 0
    var high = bases.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if bases[middle].base < running { low = middle } else { high = middle - 1 }
    }
    let entry = bases[low]
    return SourceLocation(file: files[entry.file], line: Int(running - entry.base))
  }

  static func pack(_ key: String) -> UInt64? {
    if let packed = key.utf8.withContiguousStorageIfAvailable(pack) { return packed }
    return Array(key.utf8).withUnsafeBufferPointer(pack)
  }

  /// The 17 digits as a decimal number, times 11, plus the check character (`X` is 10); `nil`
  /// unless the 18 bytes have that form. Every record's ID goes through here in both passes, so
  /// the first 16 digits are checked and converted eight at a time within a 64-bit word.
  static func pack(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
    guard bytes.count == 18, let base = bytes.baseAddress else { return nil }
    let raw = UnsafeRawPointer(base)
    guard
      let leading = eightDigits(
        UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))),
      let following = eightDigits(
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    else { return nil }
    let seventeenth = base[16] &- UInt8(ascii: "0")
    guard seventeenth < 10 else { return nil }
    let check: UInt64
    switch base[17] {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): check = UInt64(base[17] - UInt8(ascii: "0"))
    case UInt8(ascii: "X"): check = 10
    default: return nil
    }
    return ((leading * 100_000_000 + following) * 10 + UInt64(seventeenth)) * 11 + check
  }

  /// The value of eight ASCII digits read as a little-endian word (the first digit in the low
  /// byte), or `nil` when any byte is not a digit.
  private static func eightDigits(_ word: UInt64) -> UInt64? {
    let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
    let zeros: UInt64 = 0x3030_3030_3030_3030
    // Each byte is 0x30...0x3F, and adding 6 does not carry it past 0x3F: 0x30...0x39.
    guard word & nibbles == zeros, (word &+ 0x0606_0606_0606_0606) & nibbles == zeros else {
      return nil
    }
    var value = word & 0x0F0F_0F0F_0F0F_0F0F
    value = (value &* 2561) >> 8
    value = ((value & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
    return ((value & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
  }

  /// Spreads the packed numbers (which cluster by region and birth date) over 64 bits.
  private static func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// One shard: linear probing over parallel arrays of keys (0 = empty) and locations, grown by
  /// half when more than four fifths full.
  private struct Shard {
    var keys: [UInt64]
    var locations: [UInt32]
    var count = 0

    init(capacity: Int) {
      keys = Array(repeating: 0, count: capacity)
      locations = Array(repeating: 0, count: capacity)
    }

    func find(_ key: UInt64, hash: UInt64) -> UInt32? {
      var slot = Self.slot(hash, capacity: keys.count)
      while keys[slot] != 0 {
        if keys[slot] == key { return locations[slot] }
        slot = slot + 1 == keys.count ? 0 : slot + 1
      }
      return nil
    }

    /// Stores the key's location unless the key is there already; returns the stored location
    /// in that case.
    mutating func insert(_ key: UInt64, location: UInt32, hash: UInt64) -> UInt32? {
      if (count + 1) * 5 > keys.count * 4 { grow() }
      var slot = Self.slot(hash, capacity: keys.count)
      while true {
        let found = keys[slot]
        if found == key { return locations[slot] }
        if found == 0 {
          keys[slot] = key
          locations[slot] = location
          count += 1
          return nil
        }
        slot = slot + 1 == keys.count ? 0 : slot + 1
      }
    }

    /// The home slot: the hash bits below the shard's, scaled to the capacity.
    static func slot(_ hash: UInt64, capacity: Int) -> Int {
      Int(truncatingIfNeeded: (hash << 8).multipliedFullWidth(by: UInt64(capacity)).high)
    }

    mutating func grow() {
      let oldKeys = keys
      let oldLocations = locations
      let capacity = keys.count + keys.count / 2
      keys = Array(repeating: 0, count: capacity)
      locations = Array(repeating: 0, count: capacity)
      for (key, location) in zip(oldKeys, oldLocations) where key != 0 {
        var slot = Self.slot(DuplicateIndex.mix(key - 1), capacity: capacity)
        while keys[slot] != 0 { slot = slot + 1 == capacity ? 0 : slot + 1 }
        keys[slot] = key
        locations[slot] = location
      }
    }
  }
}

/// An ID number in the form the duplicate and integrity checks compare: packed into one integer
/// when the cell holds the 18-character form in plain ASCII (read from its bytes, with no
/// `String`), otherwise the canonical text (`IntegrityList.key`), never empty.
enum DuplicateKey: Sendable {
  /// 17 digits and a digit or `X`, packed by `DuplicateIndex.pack`.
  case packed(UInt64)
  case text(String)

  /// The canonical text of the ID number.
  var text: String {
    switch self {
    case .text(let text): return text
    case .packed(var value):
      let check = value % 11
      value /= 11
      var bytes = [UInt8](repeating: UInt8(ascii: "0"), count: 18)
      bytes[17] = check == 10 ? UInt8(ascii: "X") : UInt8(ascii: "0") + UInt8(check)
      for index in stride(from: 16, through: 0, by: -1) {
        bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
        value /= 10
      }
      return String(decoding: bytes, as: UTF8.self)
    }
  }

  /// A cheap test before the full check: Excel damage shows as an exponent or a 000 ending.
  var mayBeExcelDamage: Bool {
    switch self {
    case .packed(let value): return value % 11 == 0 && value / 11 % 100 == 0
    case .text(let text): return text.utf8.contains(UInt8(ascii: "E")) || text.hasSuffix("000")
    }
  }

  /// The packed number of an ID cell that is plain ASCII and, once the blanks around it are
  /// trimmed (as `IntegrityList.key` trims them), 17 digits and a digit or `X`; `nil` for any
  /// other cell, whose canonical text must be worked out in full.
  static func packedCell(_ cell: UnsafeBufferPointer<UInt8>) -> UInt64? {
    // Eighteen bytes with a blank among them trim to fewer, and `pack` refuses a blank.
    if cell.count == 18 { return DuplicateIndex.pack(cell) }
    let isBlank = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
    guard let first = cell.firstIndex(where: { !isBlank($0) }),
      let last = cell.lastIndex(where: { !isBlank($0) }), last - first == 17,
      cell.allSatisfy({ $0 < 0x80 })
    else { return nil }
    return DuplicateIndex.pack(UnsafeBufferPointer(rebasing: cell[first...last]))
  }
}
