import CSVStream
import Testing

@testable import Policy

@Suite struct ReasonValuesTests {
  @Test func comparesAndHashesLikeADictionaryWhateverTheOrder() {
    let forward = Reason(.levelLow, with: ["level": "中级工", "required": "高级工"])
    let backward = Reason(.levelLow, with: ["required": "高级工", "level": "中级工"])
    let fromDictionary = Reason(.levelLow, ["level": "中级工", "required": "高级工"])
    #expect(forward == backward)
    #expect(forward == fromDictionary)
    #expect(forward.hashValue == backward.hashValue)
    #expect(forward.hashValue == fromDictionary.hashValue)
    #expect(Set([forward, backward, fromDictionary]).count == 1)
  }

  @Test(arguments: [
    (["level": "中级工"], ["level": "高级工"]),
    (["level": "中级工"], ["target": "中级工"]),
    (["level": "中级工"], ["level": "中级工", "required": "高级工"]),
    ([:], ["level": ""]),
  ])
  func differentValuesDiffer(left: [String: String], right: [String: String]) {
    #expect(Reason(.levelLow, left) != Reason(.levelLow, right))
    #expect(ReasonValues(left) != ReasonValues(right))
  }

  /// `ReasonValues.of`, the evaluator's way of making values, is held to the dictionary
  /// literal: equal, hashed alike, found by name and rendered alike.
  @Test func valuesMadeOfPairsMatchTheDictionaryLiteral() throws {
    let made = ReasonValues.of(.init("column", "身份证号"), .init("value", "x"), .init("detail", "y"))
    let literal: ReasonValues = ["column": "身份证号", "value": "x", "detail": "y"]
    #expect(made == literal)
    #expect(made.hashValue == literal.hashValue)
    #expect(made["detail"] == "y")
    #expect(made["value"] == "x")
    #expect(made["missing"] == nil)
    #expect(made.index(of: "detail") == 2)
    let template = ReasonTemplate(
      ReasonText(clause: "二", chinese: "{column}「{value}」{detail}{other}", english: ""))
    #expect(template.render(made, english: false) == template.render(literal, english: false))
    #expect(template.render(made, english: false) == "身份证号「x」y{other}（二）")
  }

  /// Placeholders are found by name out of order whatever the names hold: short ASCII names
  /// (told apart by their words alone), long ones, Chinese ones and one written in another
  /// normalization form, which is the same name.
  @Test func placeholdersAreFoundByAnyName() {
    let template = ReasonTemplate(
      ReasonText(
        clause: "", chinese: "{a}|{ab}|{averyveryverylongname}|{名称}|{caf\u{E9}}|{b}",
        english: ""))
    let values = ReasonValues.of(
      .init("cafe\u{301}", "5"), .init("名称", "4"), .init("averyveryverylongname", "3"),
      .init("ab", "2"), .init("a", "1"), .init("c", "9"))
    #expect(template.render(values, english: false) == "1|2|3|4|5|{b}")
  }

  /// A name at its placeholder's own place that is an equal text in another storage or form
  /// (a long name made apart from the template's, one written decomposed) is still its value.
  @Test func placeholdersAtTheirPlaceAreFoundInAnyForm() {
    let template = ReasonTemplate(
      ReasonText(clause: "", chinese: "{caf\u{E9}}|{averyveryverylongname}|{a}", english: ""))
    let longName = String(repeating: "a", count: 1) + "veryveryverylongname"
    let values = ReasonValues.of(
      .init("cafe\u{301}", "1"), .init(longName, "2"), .init("a", "3"))
    #expect(template.render(values, english: false) == "1|2|3")
    let swapped = ReasonValues.of(
      .init(longName, "2"), .init("cafe\u{301}", "1"), .init("b", "4"), .init("a", "3"))
    #expect(template.render(swapped, english: false) == "1|2|3")
  }

  @Test func dictionaryAndSubscriptGiveTheValues() {
    var reason = Reason(.duplicate, with: ["first": "a.csv:7", "column": "身份证号"])
    #expect(reason.values == ["first": "a.csv:7", "column": "身份证号"])
    #expect(reason.namedValues["first"] == "a.csv:7")
    #expect(reason.namedValues["missing"] == nil)
    reason.values["first"] = "b.csv:2"
    #expect(reason.namedValues["first"] == "b.csv:2")
    #expect(reason.namedValues.count == 2)
    #expect(Reason(.integrity).values.isEmpty)
  }

  @Test func templatesFillPlaceholdersFromEitherForm() {
    let template = ReasonTemplate(
      ReasonText(clause: "二（二）", chinese: "持有{level}，需{required}{unknown}", english: ""))
    let values: ReasonValues = ["required": "高级工", "level": "中级工"]
    let text = template.render(values, english: false)
    #expect(text == "持有中级工，需高级工{unknown}（二（二））")
    let buffer = CSVRowBuffer(capacity: 16)
    template.append(values, english: true, to: buffer)
    var bytes: [UInt8] = []
    buffer.moveRow(to: &bytes)
    #expect(String(decoding: bytes, as: UTF8.self) == "持有中级工，需高级工{unknown} (二（二）)")
  }
}

@Suite struct NoneWordTests {
  @Test(arguments: [
    ("", true), ("无", true), ("没有", true), ("/", true), ("-", true), ("none", true),
    ("NONE", true), ("None", true), (" nOnE ", true), ("“无”", true), ("＂none＂", true),
    ("nones", false), ("non", false), ("n0ne", false), ("不", false), ("//", false),
    ("世界技能大赛金牌", false), ("ｎｏｎｅ", true), ("無", false), ("没 有", true), ("İ", false),
    ("ＮＯＮＥ", true), ("nonе", false), ("劳模", false), ("县级先进", false), ("䷀", false),
    ("Ｎ无ＮＥ", false),
  ])
  func recognisesWordsMeaningNothing(text: String, isNone: Bool) {
    #expect(Evaluator.isNone(text) == isNone)
    let key = LookupKey.make(text)
    let reference =
      key.isEmpty || key == "无" || key == "没有" || key == "/" || key == "-"
      || key.lowercased() == "none"
    #expect(reference == isNone)
  }
}

/// Hours and years as reasons show them: whole numbers without a fraction, others as
/// `String(_:)` writes them.
@Suite struct HoursTextTests {
  @Test(arguments: [
    (90.0, "90"), (0.0, "0"), (-0.0, "0"), (82.5, "82.5"), (999.0, "999"), (1000.0, "1000"),
    (-3.0, "-3"), (1e9, String(1e9)), (123_456_789.0, "123456789"), (.infinity, "inf"),
    (.nan, "nan"), (0.1, "0.1"),
  ])
  func formatsLikeTheOriginal(value: Double, text: String) {
    #expect(Evaluator.hours(value) == text)
  }
}

@Suite struct ReasonTextBytesTests {
  /// The bytes a verdict row gets for a reason are the reason's text, for every code the
  /// policy knows and for codes it does not.
  @Test func appendedTextIsTheTextForEveryCode() {
    let policy = Fixtures.evaluator().policy
    var codes = Array(Fixtures.defaultPolicy.reasons.keys)
    codes += [ReasonCode("NOT-A-CODE"), ReasonCode(""), ReasonCode("A-CE-TOTAL ")]
    #expect(codes.count > 25)
    for code in codes {
      let reason = Reason(code, with: ["total": "82", "training": "12", "level": "技师"])
      for language in Language.allCases {
        var bytes: [UInt8] = []
        policy.appendText(for: reason, in: language, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == policy.text(for: reason, in: language))
      }
    }
    var unknown: [UInt8] = []
    policy.appendText(for: Reason(ReasonCode("NOT-A-CODE")), in: .chinese, to: &unknown)
    #expect(unknown == Array("NOT-A-CODE".utf8))
  }
}
