import CSVStream
import Roster
import Testing

@testable import RosterSynthesis
@testable import Screening

/// The compact duplicate index must answer exactly as a plain dictionary of first locations.
@Suite struct DuplicateIndexTests {
  /// A valid-form 18-character ID for a number (the check character is not checked here).
  static func id(_ number: Int) -> String {
    let body = String(330_602_199_001_010_000 / 10 + number % 1_000_000)
    return body.count == 17 ? body + (number % 11 == 10 ? "X" : String(number % 10)) : body
  }

  struct Reference {
    var first: [String: CSVStream.SourceLocation] = [:]

    mutating func firstSeen(_ key: String, file: String, line: Int) -> CSVStream.SourceLocation? {
      guard !key.isEmpty else { return nil }
      if let location = first[key] { return location }
      first[key] = CSVStream.SourceLocation(file: file, line: line)
      return nil
    }
  }

  @Test func answersAsADictionaryOfFirstLocations() {
    var index = DuplicateIndex()
    var reference = Reference()
    var random = SplitMix64(seed: 29)
    let names = (0..<7).map { "名单\($0).csv" }
    var files: [Int] = []
    var duplicates = 0
    for (order, name) in names.enumerated() {
      files.append(index.add(file: name))
      let rows = order == 3 ? 0 : 20_000
      for line in 2..<(2 + rows) {
        let key: String
        switch Int.random(in: 0..<100, using: &random) {
        case 0: key = "330602\(Int.random(in: 100_000_000...999_999_999, using: &random))"
        case 1: key = ""
        case 2: key = "3.30602E+17"
        default: key = Self.id(Int.random(in: 0..<60_000, using: &random))
        }
        let found = index.firstSeen(key, file: files[order], line: line)
        #expect(found == reference.firstSeen(key, file: name, line: line), "\(key) \(name):\(line)")
        if found != nil { duplicates += 1 }
      }
    }
    // Rows of an earlier file read again after later ones (as a caller might) still agree.
    for line in 1..<3000 {
      let key = Self.id(line * 7)
      let found = index.firstSeen(key, file: files[1], line: line + 30_000)
      #expect(found == reference.firstSeen(key, file: names[1], line: line + 30_000))
    }
    for line in 1..<3000 {
      let key = Self.id(60_000 + line)
      let found = index.firstSeen(key, file: files[6], line: line + 40_000)
      #expect(found == reference.firstSeen(key, file: names[6], line: line + 40_000))
    }
    #expect(duplicates > 10_000)
    #expect(index.count == reference.first.count)
  }
}

/// The key read from an ID cell's bytes must stand for the same text `IntegrityList.key` gives,
/// and flag the same cells as possibly damaged by Excel.
@Suite struct DuplicateKeyTests {
  static let cells = [
    "330602198503120011", "\t330602198503120011", " 330602198503120011 ", "33060219850312045X",
    "33060219850312045x", "330602198503120000", "330602198503121000", "33060219850312000X",
    "3.30602E+17", "330602850312001", "３３０６０２１９８５０３１２００１１", "'330602198503120011",
    "3306021985031200 11", "X30602198503120011", "33060219850312001", "3306021985031200111",
  ]

  @Test(arguments: cells)
  func keyStandsForTheCanonicalText(cell: String) throws {
    let header = try RosterHeader(
      record: CSVRecord(location: SourceLocation(file: "a.csv", line: 1), fields: ["身份证号", "姓名"]))
    let record = CSVRecord(location: SourceLocation(file: "a.csv", line: 2), fields: [cell, "张三"])
    let key = try #require(ScreeningRun.duplicateKey(record, header: header))
    let canonical = IntegrityList.key(cell)
    #expect(key.text == canonical)
    #expect(
      key.mayBeExcelDamage
        == (canonical.utf8.contains(UInt8(ascii: "E")) || canonical.hasSuffix("000")))
    var index = DuplicateIndex()
    _ = index.add(file: "a.csv")
    #expect(index.firstSeen(canonical, file: 0, line: 2) == nil)
    #expect(index.firstSeen(key, file: 0, line: 3) == SourceLocation(file: "a.csv", line: 2))
  }

  @Test func aBlankIDCellHasNoKey() throws {
    let header = try RosterHeader(
      record: CSVRecord(location: SourceLocation(file: "a.csv", line: 1), fields: ["身份证号", "姓名"]))
    let record = CSVRecord(location: SourceLocation(file: "a.csv", line: 2), fields: [" \t", "张三"])
    #expect(ScreeningRun.duplicateKey(record, header: header).map(\.text) == nil)
  }
}

/// `DuplicateIndex.pack` reads eight digits at a time; it must accept and refuse exactly what a
/// digit-by-digit reading does, and give the same number.
@Suite struct PackedIDTests {
  static func packOneByOne(_ bytes: [UInt8]) -> UInt64? {
    guard bytes.count == 18 else { return nil }
    var value: UInt64 = 0
    for (offset, byte) in bytes.enumerated() {
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

  static let replacements: [UInt8] = [
    0x00, 0x20, 0x2F, 0x30, 0x35, 0x39, 0x3A, 0x3F, 0x40, 0x58, 0x78, 0x7F, 0x80, 0xB0, 0xFF,
  ]

  @Test(arguments: ["330602198503120011", "999999999999999999", "00000000000000000X"])
  func everyByteChangedAnywhereAgreesWithADigitByDigitReading(id: String) {
    var checked = 0
    for position in 0..<18 {
      for replacement in Self.replacements {
        var bytes = Array(id.utf8)
        bytes[position] = replacement
        let packed = bytes.withUnsafeBufferPointer { DuplicateIndex.pack($0) }
        #expect(packed == Self.packOneByOne(bytes), "\(position) \(replacement)")
        if packed != nil { checked += 1 }
      }
    }
    #expect(checked > 18 * 3)
    #expect(DuplicateIndex.pack(id) == Self.packOneByOne(Array(id.utf8)))
    #expect(DuplicateIndex.pack(id) != nil)
  }

  @Test(arguments: ["33060219850312001", "3306021985031200111", ""])
  func otherLengthsAreRefused(id: String) {
    #expect(DuplicateIndex.pack(id) == nil)
  }
}
