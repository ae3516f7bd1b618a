import CSVStream
import Testing

@testable import Policy

/// A reason template keeps its literals in a padded block and copies them sixteen bytes at a
/// time: literals of every length around the placeholders and after the last come out whole,
/// in either language, after any bytes already in the row, and the text is called clean
/// exactly when no value holds a control character, quote or comma.
@Suite struct ReasonTemplateLayoutTests {
  static let lengths = [0, 1, 3, 15, 16, 17, 31, 32, 33, 40]

  @Test(arguments: lengths)
  func literalsOfEveryLengthComeOutWhole(length: Int) {
    let literal = { (mark: Character) in String(repeating: mark, count: length) }
    let chinese = "\(literal("甲")){a}\(literal("b")){b}\(literal("乙"))"
    let english = "{b}\(literal("x")){a}\(literal("y"))"
    let template = ReasonTemplate(ReasonText(clause: "四（一）", chinese: chinese, english: english))
    let values = ReasonValues.of(.init("a", "值1"), .init("b", "value-2"))
    #expect(
      template.render(values, english: false)
        == "\(literal("甲"))值1\(literal("b"))value-2\(literal("乙"))（四（一））")
    #expect(
      template.render(values, english: true)
        == "value-2\(literal("x"))值1\(literal("y")) (四（一）)")

    let buffer = CSVRowBuffer(capacity: 16)
    buffer.append("held,")
    let clean = withUnsafePointer(to: values) { template.append($0, english: false, to: buffer) }
    #expect(clean)
    buffer.append(UInt8(ascii: "|"))
    var row: [UInt8] = []
    buffer.moveRow(to: &row)
    #expect(
      String(decoding: row, as: UTF8.self)
        == "held,\(literal("甲"))值1\(literal("b"))value-2\(literal("乙"))（四（一））|")
  }

  @Test(arguments: [
    ("plain", true), ("a,b", false), ("say \"x\"", false), ("tab\there", false),
    ("长长长长长长长长长长长长长长长长长长长长长长长", true), ("长长长长长长长长长长长长长长长长长长长长长长,长", false),
  ])
  func textIsCleanExactlyWhenItsValuesAre(value: String, clean: Bool) {
    let template = ReasonTemplate(ReasonText(clause: "", chinese: "前{a}后", english: ""))
    let values = ReasonValues.of(.init("a", value))
    let buffer = CSVRowBuffer(capacity: 16)
    let isClean = withUnsafePointer(to: values) {
      template.append($0, english: false, to: buffer)
    }
    #expect(isClean == clean)
    #expect(template.render(values, english: false) == "前\(value)后")
  }

  /// Values given out of the template's order, or missing, are still found by name or left
  /// as their placeholder.
  @Test func valuesOutOfOrderOrMissing() {
    let template = ReasonTemplate(
      ReasonText(clause: "", chinese: "{a}-{b}-{c}", english: "{c}/{a}"))
    let values = ReasonValues.of(.init("c", "3"), .init("a", "1"))
    #expect(template.render(values, english: false) == "1-{b}-3")
    #expect(template.render(values, english: true) == "3/1")
  }
}
