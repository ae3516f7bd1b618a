import CSVStream
import Testing

@testable import Policy

/// What `appendText(forReasonAt:of:in:to:)` says of the text it appended: `true` only when the
/// text holds no control character, quote or comma, so that a row writer may check such a cell
/// by its edges alone.
@Suite struct ReasonTextCleanTests {
  static let values = [
    "82", "技师", "2026-09-30", "绍兴示范厂, 第3车间", "a\"b", "line\nbreak", "nul\u{0}x", "", " ",
    "=1+1", "工艺美术、材料工程", "a much longer value than sixteen bytes", "(x)",
  ]

  @Test(arguments: values)
  func cleanOnlyWithoutSpecialBytes(_ value: String) {
    let policy = Fixtures.evaluator().policy
    var codes = Array(Fixtures.defaultPolicy.reasons.keys)
    codes += [ReasonCode("NOT-A-CODE"), ReasonCode("A-CE-TOTAL ")]
    for code in codes {
      let reasons = [
        Reason(
          code, with: ["total": value, "training": value, "level": value, "occupation": value])
      ]
      for language in Language.allCases {
        let buffer = CSVRowBuffer()
        let isClean = policy.appendText(forReasonAt: 0, of: reasons, in: language, to: buffer)
        let bytes = buffer.withBytes(from: 0) { Array($0) }
        #expect(
          String(decoding: bytes, as: UTF8.self) == policy.text(for: reasons[0], in: language))
        let special = bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x2C }
        if isClean { #expect(!special, "\(code) \(language)") }
        let valueIsClean = !value.utf8.contains { $0 < 0x2D }
        let templateIsClean =
          !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x2C } && code.knownNumber != nil
        if valueIsClean && templateIsClean && !bytes.contains(UInt8(ascii: "{")) {
          #expect(isClean, "\(code) \(language)")
        }
      }
    }
  }
}

/// Values longer than the room made before a value is read (`appendText(at:to:)`) are copied
/// whole, as are short ones, into texts built here from the templates by hand.
@Suite struct ReasonTextLongValueTests {
  @Test(arguments: [
    "82", String(repeating: "工艺美术", count: 5), String(repeating: "工艺美术", count: 6),
    String(repeating: "材料工程, ", count: 12) + "末",
  ])
  func valuesAreCopiedWhole(_ value: String) {
    let policy = Fixtures.evaluator().policy
    for (code, text) in Fixtures.defaultPolicy.reasons {
      let names = ["total", "training", "level", "occupation"]
      let reasons = [
        Reason(
          code, with: ["total": value, "training": value, "level": value, "occupation": value])
      ]
      let expected =
        ReasonTemplate.parts(text.chinese).map { part -> String in
          switch part {
          case .literal(let bytes): String(decoding: bytes, as: UTF8.self)
          case .placeholder(let name): names.contains(name) ? value : "{\(name)}"
          }
        }.joined() + (text.clause.isEmpty ? "" : "（\(text.clause)）")
      let buffer = CSVRowBuffer(capacity: 16)
      buffer.append(Array("前缀".utf8))
      policy.appendText(forReasonAt: 0, of: reasons, in: .chinese, to: buffer)
      let bytes = buffer.withBytes(from: 0) { Array($0) }
      #expect(String(decoding: bytes, as: UTF8.self) == "前缀" + expected, "\(code)")
    }
  }
}

/// `appendTexts(of:in:note:to:)` writes a row's reasons as the reasons cell lists them, and says
/// they are clean only when each one's text is.
@Suite struct ReasonTextsTests {
  @Test(arguments: Language.allCases)
  func textsAreJoinedAndMarked(_ language: Language) {
    let policy = Fixtures.evaluator().policy
    let values: [String] = ["82", "绍兴示范厂, 第3车间", "技师"]
    var reasons: [Reason] = []
    for (number, code) in Array(Fixtures.defaultPolicy.reasons.keys).sorted().enumerated() {
      let value = values[number % values.count]
      reasons.append(
        Reason(
          code, with: ["total": value, "level": value, "occupation": value],
          informational: number % 3 == 1))
    }
    reasons.insert(Reason(ReasonCode("NOT-A-CODE"), informational: true), at: 1)
    let note = Array("（提示）".utf8)
    for count in [0, 1, 2, reasons.count] {
      let listed = Array(reasons.prefix(count))
      let buffer = CSVRowBuffer(capacity: 16)
      let isClean = note.withUnsafeBufferPointer {
        policy.appendTexts(of: listed, in: language, note: $0, to: buffer)
      }
      var expected = ""
      var eachIsClean = true
      for index in listed.indices {
        if index > 0 { expected += "；" }
        if listed[index].isInformational { expected += "（提示）" }
        expected += policy.text(for: listed[index], in: language)
        let single = CSVRowBuffer()
        if !policy.appendText(forReasonAt: index, of: listed, in: language, to: single) {
          eachIsClean = false
        }
      }
      let written = buffer.withBytes(from: 0) { String(decoding: $0, as: UTF8.self) }
      #expect(written == expected)
      #expect(isClean == eachIsClean)
    }
  }
}
