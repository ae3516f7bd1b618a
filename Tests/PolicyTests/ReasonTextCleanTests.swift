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
