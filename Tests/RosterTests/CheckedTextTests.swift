import Testing

@testable import Roster

/// `CheckedText` takes bytes as valid UTF-8 on trust, so what the parser hands it must be: every
/// sequence `ValueParser.isPlain` accepts is valid, and the strings equal the checked ones.
@Suite struct CheckedTextTests {
  @Test func everyThreeByteSequenceIsPlainAcceptsIsValidUTF8() {
    let thirds: [UInt8] = [0x20, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x97, 0xB7, 0xBF, 0xC0, 0xE4, 0xFF]
    var accepted = 0
    for lead in UInt8.min...UInt8.max {
      for second in UInt8.min...UInt8.max {
        for third in thirds {
          for bytes in [[lead], [lead, second], [lead, second, third], [0x41, lead, second]] {
            guard bytes.withUnsafeBufferPointer(ValueParser.isPlain) else { continue }
            accepted += 1
            guard String(validating: bytes, as: UTF8.self) != nil else {
              Issue.record("isPlain accepts invalid UTF-8 \(bytes)")
              return
            }
          }
        }
      }
    }
    #expect(accepted > 20_000)
  }

  /// After an ideograph `isPlain` reads the next ones in a loop of its own: with 测 or 一 (the
  /// first plain ideograph, lead byte E4) in front, every sequence of the grid above must get
  /// the answer it gets alone.
  @Test(arguments: ["测", "一"])
  func anIdeographInFrontChangesNoAnswer(first: String) {
    let thirds: [UInt8] = [0x20, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x97, 0xB7, 0xBF, 0xC0, 0xE4, 0xFF]
    let prefix = Array(first.utf8)
    var accepted = 0
    for lead in UInt8.min...UInt8.max {
      for second in UInt8.min...UInt8.max {
        for third in thirds {
          for bytes in [
            [lead], [lead, second], [lead, second, third], [lead, second, third, lead],
          ] {
            let alone = bytes.withUnsafeBufferPointer(ValueParser.isPlain)
            if alone { accepted += 1 }
            guard (prefix + bytes).withUnsafeBufferPointer(ValueParser.isPlain) == alone else {
              Issue.record("\(first) + \(bytes) is not read as \(bytes) alone")
              return
            }
          }
        }
      }
    }
    #expect(accepted > 20_000)
  }

  @Test(arguments: [
    "林晓测", "绍兴测试示范有限公司", "绍兴测试厂, 第7车间", "诸暨市·枫桥", "3×4", "A", "",
    "电工(高压)",
  ])
  func plainTextsGiveTheStringsDecodingGives(text: String) throws {
    let bytes = Array(text.utf8)
    try #require(bytes.withUnsafeBufferPointer(ValueParser.isPlain))
    let made = bytes.withUnsafeBufferPointer(CheckedText.string(plain:))
    #expect(made == text)
    #expect(Array(made.utf8) == bytes)
    #expect(made.hashValue == text.hashValue)
    #expect(Set([made, text]).count == 1)
  }

  @Test func asciiIDNumbersGiveTheirText() {
    let number = "33060219900101123X"
    let made = Array(number.utf8).withUnsafeBufferPointer(CheckedText.string(ascii:))
    #expect(made == number)
    #expect(made.count == 18)
    #expect(made.hasSuffix("3X"))
  }
}
