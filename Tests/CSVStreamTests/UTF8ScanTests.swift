import Testing

@testable import CSVStream

/// `scanUTF8` must accept exactly the byte strings Swift's own UTF-8 validation accepts, and
/// place the first problem where decoding stops; the sequences mix ASCII, Chinese characters
/// (the three-byte fast path), their edge leads E0/ED/EF and stray or cut bytes.
@Suite struct UTF8ScanTests {
  static let pieces: [[UInt8]] = [
    Array("a,1".utf8), Array("abcdefghij".utf8), Array("张".utf8), Array("绍兴".utf8),
    [0xE0, 0xA0, 0x80], [0xE0, 0x80, 0x80],
    [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xE1, 0x80], [0xE4, 0xB8],
    [0x80], [0xC2, 0xB7], [0xC0, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF],
    [0xE4, 0x41, 0x80], [0xE9, 0xBF, 0xC0],
    // The other edges the vector check's tables encode.
    [0xC1, 0xBF], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0x9F, 0xBF], [0xED, 0xBF, 0xBF],
    [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80], [0xF1, 0x80, 0x80, 0x80],
    [0xF4, 0x8F, 0xBF, 0xBF], [0xF5, 0x80, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
  ]

  /// The scanner as first written, one character at a time: the reference for positions.
  static func referenceScan(_ bytes: UnsafeRawBufferPointer) -> (
    result: UTF8Scan, firstNonASCII: Int
  ) {
    let count = bytes.count
    guard let base = bytes.baseAddress else { return (.valid, 0) }
    let byte = base.assumingMemoryBound(to: UInt8.self)
    var firstNonASCII = count
    var index = 0
    while index < count {
      while index + 8 <= count,
        base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
      {
        index += 8
      }
      guard index < count else { break }
      let lead = byte[index]
      if lead < 0x80 {
        index += 1
        continue
      }
      if firstNonASCII == count { firstNonASCII = index }
      // The common case in Chinese text: a three-byte character from E1–EC or EE–EF followed by
      // two continuation bytes, which is valid whatever they are.
      if index + 2 < count, (0xE1...0xEF).contains(lead), lead != 0xED,
        byte[index + 1] & 0xC0 == 0x80, byte[index + 2] & 0xC0 == 0x80
      {
        index += 3
        continue
      }
      var length = 2
      var lower: UInt8 = 0x80
      var upper: UInt8 = 0xBF
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0: (length, lower) = (3, 0xA0)
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED: (length, upper) = (3, 0x9F)
      case 0xF0: (length, lower) = (4, 0x90)
      case 0xF1...0xF3: length = 4
      case 0xF4: (length, upper) = (4, 0x8F)
      default: return (.invalid(at: index), firstNonASCII)
      }
      for offset in 1..<length {
        guard index + offset < count else { return (.incomplete(at: index), firstNonASCII) }
        let continuation = byte[index + offset]
        let low = offset == 1 ? lower : 0x80
        let high = offset == 1 ? upper : 0xBF
        guard continuation >= low, continuation <= high else {
          return (.invalid(at: index), firstNonASCII)
        }
      }
      index += length
    }
    return (.valid, firstNonASCII)
  }

  @Test func agreesWithSwiftsValidation() {
    var random = SplitMix(seed: 42)
    var invalid = 0
    for _ in 0..<20_000 {
      var bytes: [UInt8] = []
      for _ in 0..<(1 + random.below(12)) {
        bytes += Self.pieces[random.below(Self.pieces.count)]
      }
      let scanned = bytes.withUnsafeBytes { scanUTF8($0) }
      let swiftAccepts = String(validating: bytes, as: UTF8.self) != nil
      #expect((scanned.result == .valid) == swiftAccepts, "\(bytes)")
      let reference = bytes.withUnsafeBytes { Self.referenceScan($0) }
      #expect(scanned.result == reference.result, "\(bytes)")
      #expect(scanned.firstNonASCII == reference.firstNonASCII, "\(bytes)")
      if scanned.result != .valid { invalid += 1 }
    }
    #expect(invalid > 1000)
  }

  /// Every piece inside a long Chinese or ASCII text, at each place of a 32-byte block, then ASCII, a Chinese
  /// character or nothing.
  @Test func everyPieceInsideLongTextAgreesWithTheReference() {
    let texts = [Array(String(repeating: "绍兴", count: 12).utf8), Array(repeating: 0x41, count: 70)]
    for text in texts {
      for piece in Self.pieces {
        for shift in 0..<32 {
          for follower in [
            Array("a,1".utf8), Array(repeating: 0x61, count: 40), Array("张".utf8), [],
          ] {
            let bytes = Array(repeating: UInt8(ascii: "x"), count: shift) + text + piece + follower
            let scanned = bytes.withUnsafeBytes { scanUTF8($0) }
            let reference = bytes.withUnsafeBytes { Self.referenceScan($0) }
            #expect(scanned.result == reference.result, "\(piece) \(shift) \(follower)")
          }
        }
      }
    }
  }

  /// Long texts go through the vector check: valid ones end whole or with a cut character,
  /// and invalid ones carry one bad piece anywhere, so the positions still come from the scan.
  @Test func longTextsAgreeWithTheReference() {
    let valid = Self.pieces.filter { String(validating: $0, as: UTF8.self) != nil }
    let broken = Self.pieces.filter { String(validating: $0, as: UTF8.self) == nil }
    var random = SplitMix(seed: 7)
    var outcomes: Set<String> = []
    for _ in 0..<5_000 {
      var bytes: [UInt8] = []
      for _ in 0..<(20 + random.below(60)) { bytes += valid[random.below(valid.count)] }
      switch random.below(3) {
      case 0: break
      case 1: bytes += broken[random.below(broken.count)]
      default:
        bytes.insert(contentsOf: broken[random.below(broken.count)], at: random.below(bytes.count))
      }
      let scanned = bytes.withUnsafeBytes { scanUTF8($0) }
      let reference = bytes.withUnsafeBytes { Self.referenceScan($0) }
      #expect(scanned.result == reference.result, "\(bytes)")
      #expect(scanned.firstNonASCII == reference.firstNonASCII, "\(bytes)")
      #expect((scanned.result == .valid) == (String(validating: bytes, as: UTF8.self) != nil))
      switch scanned.result {
      case .valid: outcomes.insert("valid")
      case .incomplete: outcomes.insert("incomplete")
      case .invalid: outcomes.insert("invalid")
      }
    }
    #expect(outcomes == ["valid", "incomplete", "invalid"])
  }
}

/// A small deterministic generator for the test.
struct SplitMix {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func below(_ bound: Int) -> Int {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return Int((z ^ (z >> 31)) % UInt64(bound))
  }
}
