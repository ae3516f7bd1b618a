import Testing

@testable import Roster

/// `TextWords` tells texts apart the way the memos rely on: a copy of a text has its words,
/// short texts are their bytes, a long text made again has other words, and no text has the
/// words of an empty slot.
@Suite struct TextWordsTests {
  @Test func aCopyHasTheWordsOfItsText() {
    let long = String(repeating: "绍兴示范有限公司", count: 2)
    let copy = long
    #expect(TextWords(copy) == TextWords(long))
  }

  @Test func shortTextsAreTheirBytes() {
    let made = String(decoding: Array("越城区".utf8), as: UTF8.self)
    #expect(TextWords(made) == TextWords("越城区"))
    #expect(TextWords("越城区") != TextWords("柯桥区"))
  }

  @Test func aLongTextMadeAgainHasOtherWords() {
    let bytes = Array("机械工程系列（机械设计与制造）".utf8)
    let first = String(decoding: bytes, as: UTF8.self)
    let second = String(decoding: bytes, as: UTF8.self)
    #expect(first == second)
    #expect(TextWords(first) != TextWords(second))
  }

  @Test(arguments: ["", "a", "越城区", String(repeating: "x", count: 40)])
  func noTextHasTheWordsOfAnEmptySlot(text: String) {
    #expect(TextWords(text) != TextWords.none)
  }
}
