import Foundation
import Testing

@testable import Roster

@Suite struct NormaliseTests {
  @Test(arguments: [
    ("  90 ", "90"),
    ("\t是\t", "是"),
    ("\u{3000}张三\u{3000}", "张三"),
    ("\u{00A0}绍兴\u{00A0}", "绍兴"),
    ("\u{FEFF}身份证号", "身份证号"),
    ("\u{200B}高级工\u{200B}", "高级工"),
    ("１２３ＡＢｃ", "123ABc"),
    ("职业（工种）", "职业(工种)"),
    ("Ⅲ级", "III级"),
    ("高级 技师", "高级 技师"),
    ("", ""),
    ("\u{3000} \u{00A0}", ""),
    ("ascii stays", "ascii stays"),
  ])
  func normalises(input: String, expected: String) {
    #expect(ValueParser.normalise(input) == expected)
  }

  @Test(arguments: [
    "职业（工种）", "ＡＢＣ１２３！？", "王小明\u{3000}", "\u{00A0}高级工程师·张", "“浙江工匠”、《荣誉》",
    "√×✓✗", "技能→职称", "【高级】〈二〉", "Ⅲ级①", "ｶﾀｶﾅ", "é", "㈱", "﹏﹏", "—",
  ])
  func fastPathAgreesWithFoundationNFKC(input: String) {
    let reference = input.precomposedStringWithCompatibilityMapping
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(ValueParser.normalise(input) == reference)
  }

  @Test func trimmedKeepsFullWidthText() {
    #expect(ValueParser.trimmed("\u{3000}２０２３-02-30 ") == "２０２３-02-30")
  }

  @Test func blankMeansOnlyInvisibleCharacters() {
    #expect(ValueParser.isBlank(" \u{3000}\u{200B}\t"))
    #expect(!ValueParser.isBlank(" x "))
  }
}

@Suite struct FlagTests {
  @Test(arguments: [
    ("是", true), ("否", false), ("Y", true), ("n", false), ("Yes", true), ("NO", false),
    ("1", true), ("0", false), ("true", true), ("False", false), ("√", true), ("×", false),
    ("有", true), ("无", false), ("１", true), ("\u{3000}是 ", true),
  ])
  func reads(input: String, expected: Bool) {
    #expect(ValueParser.flag(input) == expected)
  }

  @Test(arguments: ["", "也许", "2", "yes!", "是否"])
  func rejects(input: String) {
    #expect(ValueParser.flag(input) == nil)
  }
}

@Suite struct HoursTests {
  @Test(arguments: [
    ("90", 90.0), ("90.5", 90.5), ("９０", 90.0), ("90学时", 90.0), ("90 学时", 90.0),
    ("24小时", 24.0), ("0", 0.0), ("18课时", 18.0), ("12h", 12.0), (" 7 ", 7.0),
  ])
  func reads(input: String, expected: Double) {
    #expect(ValueParser.hours(input) == expected)
  }

  @Test(arguments: ["九十", "", "90.", ".5", "1e3", "-5", "90.5.1", "inf", "nan", "学时", "9 0"])
  func rejects(input: String) {
    #expect(ValueParser.hours(input) == nil)
  }

  @Test func yearsAcceptTheYearUnit() {
    #expect(ValueParser.years("3年") == 3)
    #expect(ValueParser.years("3.5") == 3.5)
    #expect(ValueParser.years("三年") == nil)
  }
}

@Suite struct ListTests {
  @Test(arguments: [
    ("优秀,合格,合格", ["优秀", "合格", "合格"]),
    ("优秀，合格，称职", ["优秀", "合格", "称职"]),
    ("优秀;合格；合格", ["优秀", "合格", "合格"]),
    ("浙江工匠、省技术能手", ["浙江工匠", "省技术能手"]),
    ("优秀/良好/合格", ["优秀", "良好", "合格"]),
    ("优秀 良好\u{3000}合格", ["优秀", "良好", "合格"]),
    ("优秀\n良好", ["优秀", "良好"]),
    (",,优秀,, ,", ["优秀"]),
    ("", []),
  ])
  func splits(input: String, expected: [String]) {
    #expect(ValueParser.list(input) == expected)
  }
}

@Suite struct DirectionTests {
  @Test(arguments: [
    ("A", ApplicationDirection.skillToTitle), ("a", .skillToTitle), ("职称", .skillToTitle),
    ("申报职称", .skillToTitle), ("技能人才申报职称", .skillToTitle), ("技能→职称", .skillToTitle),
    ("技能->职称", .skillToTitle), ("技能 --> 职称", .skillToTitle), ("Ａ", .skillToTitle),
    ("职称=>技能", .titleToSkill),
    ("B", .titleToSkill), ("技能", .titleToSkill), ("技能评价", .titleToSkill),
    ("职称人才申报技能", .titleToSkill), ("职称→技能", .titleToSkill),
  ])
  func reads(input: String, expected: ApplicationDirection) {
    #expect(ValueParser.direction(input) == .some(expected))
  }

  @Test(arguments: ["", "  ", "两者", "全部", "双向"])
  func blankOrBothMeansEveryDirection(input: String) {
    let read = ValueParser.direction(input)
    #expect(read != nil)
    #expect(read == .some(nil))
  }

  @Test(arguments: ["C", "晋升", "技能职称"])
  func unreadable(input: String) {
    #expect(ValueParser.direction(input) == nil)
  }
}
