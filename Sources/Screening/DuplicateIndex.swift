import CSVStream

/// Remembers where each ID number was first seen across every input of a run, so that later
/// occurrences can be sent to review naming the first (DUPLICATE).
///
/// Valid 18-character IDs are packed into one integer (17 digits and the check character), so a
/// city's worth of IDs costs a few dozen bytes each.
struct DuplicateIndex {
  private var packed: [UInt64: Location] = [:]
  private var other: [String: Location] = [:]
  private var files: [String] = []

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
    let here = Location(file: UInt32(file), line: UInt32(clamping: line))
    let previous: Location?
    if let number = Self.pack(key) {
      previous = packed[number]
      if previous == nil { packed[number] = here }
    } else {
      previous = other[key]
      if previous == nil { other[key] = here }
    }
    return previous.map { SourceLocation(file: files[Int($0.file)], line: Int($0.line)) }
  }

  var count: Int { packed.count + other.count }

  private static func pack(_ key: String) -> UInt64? {
    let utf8 = key.utf8
    guard utf8.count == 18 else { return nil }
    var value: UInt64 = 0
    for (offset, byte) in utf8.enumerated() {
      let digit: UInt64
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "X") where offset == 17: digit = 10
      default: return nil
      }
      value = value * (offset == 17 ? 11 : 10) + digit
    }
    return value
  }
}
