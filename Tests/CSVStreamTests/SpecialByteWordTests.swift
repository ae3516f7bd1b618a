import Testing

@testable import CSVStream

/// `mayContainSpecialByte` reads a text of eight bytes or more as its first and last words and
/// the words between: a byte below 0x2D at any place of any length is seen, and a text with
/// none is passed, whichever words overlap.
@Suite struct SpecialByteWordTests {
  static let lengths = Array(1...40)

  @Test(arguments: lengths)
  func aLowByteIsSeenAtEveryPlace(length: Int) {
    for low: UInt8 in [0x00, 0x0A, 0x20, 0x22, 0x2C] {
      for place in 0..<length {
        var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: length)
        bytes[place] = low
        let seen = bytes.withUnsafeBufferPointer(CSVFormat.mayContainSpecialByte)
        #expect(seen, "length \(length), byte \(low) at \(place)")
      }
    }
  }

  @Test(arguments: lengths)
  func textsWithoutLowBytesPass(length: Int) {
    let ascii = [UInt8](repeating: UInt8(ascii: "-"), count: length)
    let chinese = Array(String(repeating: "试", count: length).utf8.prefix(length))
    for bytes in [ascii, chinese] {
      #expect(!bytes.withUnsafeBufferPointer(CSVFormat.mayContainSpecialByte), "length \(length)")
    }
  }
}
