import Testing

@testable import Roster

@Suite struct SkillLevelParserTests {
  @Test(arguments: [
    ("初级工", SkillLevel.juniorWorker), ("五级", .juniorWorker), ("5", .juniorWorker),
    ("５", .juniorWorker), ("五级/初级工", .juniorWorker), ("初级工（五级）", .juniorWorker),
    ("中级工", .intermediateWorker), ("四级", .intermediateWorker), ("4", .intermediateWorker),
    ("４", .intermediateWorker), ("四级/中级工", .intermediateWorker),
    ("高级工", .seniorWorker), ("三级", .seniorWorker), ("3", .seniorWorker),
    ("３", .seniorWorker), ("三级/高级工", .seniorWorker), ("高级工（三级）", .seniorWorker),
    ("高级工(三级)", .seniorWorker), ("3级", .seniorWorker), ("国家职业资格三级", .seniorWorker),
    ("高级工证书", .seniorWorker), ("高级", .seniorWorker),
    ("技师", .technician), ("二级", .technician), ("2", .technician), ("２", .technician),
    ("二级/技师", .technician), ("技师（二级）", .technician),
    ("高级技师", .seniorTechnician), ("一级", .seniorTechnician), ("1", .seniorTechnician),
    ("１", .seniorTechnician), ("一级/高级技师", .seniorTechnician),
    ("高级技师（一级）", .seniorTechnician),
    ("特级技师", .specialTechnician), ("首席技师", .chiefTechnician),
    ("\u{3000}技师 ", .technician), ("高级 技师", .seniorTechnician),
  ])
  func reads(input: String, expected: SkillLevel) {
    #expect(ValueParser.skillLevel(input) == expected)
  }

  /// A part found in the table as written is taken as written: that is the prefix-and-suffix
  /// reading only while no form begins with a prefix or ends in 证书.
  @Test func noFormBeginsWithAPrefixOrEndsInCertificate() {
    let forms = ValueParser.skillTable.dictionary.keys
    #expect(forms.count > 20)
    for form in forms {
      #expect(!ValueParser.skillPrefixes.contains { form.hasPrefix($0) }, "\(form)")
      #expect(!form.hasSuffix("证书"), "\(form)")
    }
  }

  @Test(arguments: [
    ("七级", "技能等级只有一级至五级及特级、首席技师"),
    ("6", "技能等级只有一级至五级及特级、首席技师"),
    ("0", "技能等级只有一级至五级及特级、首席技师"),
    ("六级", "技能等级只有一级至五级及特级、首席技师"),
    ("三级/技师", "技能等级前后不一致"),
    ("高级工（二级）", "技能等级前后不一致"),
    ("电工", "无法识别的技能等级"),
    ("高级工程师", "无法识别的技能等级"),
    ("", "技能等级为空"),
  ])
  func rejects(input: String, detail: String) {
    #expect(ValueParser.readSkillLevel(input) == .failure(UnreadableValue(detail: detail)))
    #expect(ValueParser.skillLevel(input) == nil)
  }
}

@Suite struct TitleLevelParserTests {
  @Test(arguments: [
    ("员级", TitleLevel.clerk), ("技术员", .clerk), ("初级（员级）", .clerk), ("初级(员级)", .clerk),
    ("助理级", .assistant), ("助理工程师", .assistant), ("初级（助理级）", .assistant),
    ("初级/助理级", .assistant), ("助理会计师", .assistant),
    ("中级", .intermediate), ("工程师", .intermediate), ("中级职称", .intermediate),
    ("中级（工程师）", .intermediate), ("讲师", .intermediate),
    ("副高级", .associateSenior), ("高级", .associateSenior), ("副高", .associateSenior),
    ("高级工程师", .associateSenior), ("副高级（高级工程师）", .associateSenior),
    ("正高级", .fullSenior), ("正高级工程师", .fullSenior), ("正高", .fullSenior),
    ("\u{3000}中级 ", .intermediate),
  ])
  func reads(input: String, expected: TitleLevel) {
    #expect(ValueParser.titleLevel(input) == expected)
  }

  @Test(arguments: [
    ("初级", "“初级”未说明是员级还是助理级"),
    ("初级职称", "“初级”未说明是员级还是助理级"),
    ("初级（中级）", "职称等级前后不一致"),
    ("中级/高级", "职称等级前后不一致"),
    ("技师", "无法识别的职称等级"),
    ("三级", "无法识别的职称等级"),
    ("", "职称等级为空"),
  ])
  func rejects(input: String, detail: String) {
    #expect(ValueParser.readTitleLevel(input) == .failure(UnreadableValue(detail: detail)))
    #expect(ValueParser.titleLevel(input) == nil)
  }
}
