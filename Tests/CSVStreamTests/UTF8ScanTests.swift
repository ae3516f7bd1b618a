import Testing

@testable import CSVStream

/// `scanUTF8` must accept exactly the byte strings Swift's own UTF-8 validation accepts, and
/// place the first problem where decoding stops; the sequences mix ASCII, Chinese characters
/// (the three-byte fast path), their edge leads E0/ED/EF and stray or cut bytes.
@Suite struct UTF8ScanTests {
  static let pieces: [[UInt8]] = [
    Array("a,1".utf8), Array("张".utf8), Array("绍兴".utf8), [0xE0, 0xA0, 0x80], [0xE0, 0x80, 0x80],
    [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xE1, 0x80], [0xE4, 0xB8],
    [0x80], [0xC2, 0xB7], [0xC0, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF],
    [0xE4, 0x41, 0x80], [0xE9, 0xBF, 0xC0],
  ]

  @Test func agreesWithSwiftsValidation() {
    var random = SplitMix(seed: 42)
    var invalid = 0
    for _ in 0..<20_000 {
      var bytes: [UInt8] = []
      for _ in 0..<(1 + random.below(6)) {
        bytes += Self.pieces[random.below(Self.pieces.count)]
      }
      let scanned = bytes.withUnsafeBytes { scanUTF8($0).result }
      let swiftAccepts = String(validating: bytes, as: UTF8.self) != nil
      #expect((scanned == .valid) == swiftAccepts, "\(bytes)")
      if scanned != .valid { invalid += 1 }
    }
    #expect(invalid > 1000)
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
