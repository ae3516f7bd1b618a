import Testing

@testable import CSVStream

/// The manifest's SHA-256, with and without the processor's SHA instructions.
@Suite struct SHA256Tests {
  static let vectors: [(String, String)] = [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
    (
      String(repeating: "a", count: 1_000_000),
      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    ),
  ]

  @Test(arguments: [false, true])
  func theStandardVectors(hardware: Bool) {
    for (text, digest) in Self.vectors {
      var hasher = SHA256(hardware: hardware)
      hasher.update(Array(text.utf8))
      #expect(SHA256.hex(hasher.finalize()) == digest, "\(text.prefix(10))…")
    }
  }

  /// Random bytes in random pieces give the same digest both ways and in one piece.
  @Test func bothWaysAgreeWhateverThePieces() {
    var generator = SystemRandomNumberGenerator()
    for length in [0, 1, 55, 56, 63, 64, 65, 127, 128, 1_000, 70_001] {
      let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
      var digests: Set<[UInt8]> = []
      for hardware in [false, true] {
        var whole = SHA256(hardware: hardware)
        whole.update(bytes)
        digests.insert(whole.finalize())
        var pieces = SHA256(hardware: hardware)
        var start = 0
        while start < bytes.count {
          let end = min(bytes.count, start + Int.random(in: 1...200, using: &generator))
          pieces.update(bytes[start..<end])
          start = end
        }
        digests.insert(pieces.finalize())
      }
      #expect(digests.count == 1, "length \(length)")
    }
  }
}
