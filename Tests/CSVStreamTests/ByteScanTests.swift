import Testing

@testable import CSVStream

/// The vector count of a byte agrees with counting one byte at a time, whatever the length and
/// wherever the buffer starts.
@Suite struct ByteScanTests {
  @Test func countsEveryLineFeedAtEveryLengthAndAlignment() {
    var random = SplitMix(seed: 11)
    let bytes = (0..<300).map { _ in [UInt8(ascii: "\n"), 0x41, 0xE4, 0x0A, 0xFF][random.below(5)] }
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      for start in 0..<40 {
        for count in 0...(buffer.count - start) {
          let expected = buffer[start..<start + count].filter { $0 == 0x0A }.count
          #expect(countBytes(base + start, count: count, equalTo: 0x0A) == expected)
        }
      }
    }
  }
}
