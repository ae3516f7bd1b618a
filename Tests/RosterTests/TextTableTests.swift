import Testing

@testable import Roster

/// A `TextTable` must answer exactly as the dictionary it was built from, whose keys compare by
/// canonical equivalence, for plain text (compared by bytes) and for any other text.
@Suite struct TextTableTests {
  static let dictionary: [String: Int] = [
    "电工": 1, "焊工": 2, "\u{F900}": 3, "\u{00E9}": 4, "A": 5, "": 6, "是": 7, "电工(高压电工)": 8,
    "省“百千万”": 9, "x\u{0301}y": 10,
  ]

  @Test(arguments: [
    "电工", "焊工", "\u{F900}", "\u{8C48}", "\u{00E9}", "e\u{0301}", "A", "a", "", "是", "是 ",
    "电工(高压电工)", "电工（高压电工）", "省“百千万”", "省\"百千万\"", "x\u{0301}y", "电", "工", "電工",
  ])
  func answersAsTheDictionary(text: String) {
    let table = TextTable(Self.dictionary)
    #expect(table[text] == Self.dictionary[text], "\(text.unicodeScalars.map(\.value))")
  }

  @Test func findsEveryKeyAmongMany() {
    var dictionary: [String: Int] = [:]
    for number in 0..<5000 { dictionary["工种\(number)号"] = number }
    let table = TextTable(dictionary)
    for number in 0..<6000 {
      #expect(table["工种\(number)号"] == dictionary["工种\(number)号"])
    }
  }

  @Test func optionalValuesStayDistinctFromAbsentKeys() {
    let table = TextTable<ApplicationDirection?>(["A": .skillToTitle, "": .none])
    #expect(table["A"] == .some(.skillToTitle))
    #expect(table[""] == .some(.none))
    #expect(table["B"] == nil)
  }

  /// Keys of every length up to 40 bytes, and texts one letter away from them at every place:
  /// the bytes hashed a word at a time, the last bytes (read again as one word) and the byte
  /// comparison must all tell them apart.
  @Test(arguments: ["abcdefghijklmnopqrstuvwxyz0123456789ABCD", "电工焊工钳工车工铣工磨工镗工"])
  func tellsKeysOfEveryLengthFromNearMisses(letters: String) {
    let letters = Array(letters)
    var dictionary: [String: Int] = [:]
    for length in 0...letters.count { dictionary[String(letters.prefix(length))] = length }
    let table = TextTable(dictionary)
    var mismatches: [String] = []
    for length in 0...letters.count {
      var texts = [String(letters.prefix(length))]
      for place in 0..<length {
        var changed = Array(letters.prefix(length))
        changed[place] = changed[place] == "z" ? "y" : "z"
        texts.append(String(changed))
      }
      for text in texts where table[text] != dictionary[text] { mismatches.append(text) }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }
}

/// `CommonForms` must give the table's value for each of its forms and nothing for other text,
/// however close, so that the parser reads a cell it finds there exactly as the table reads it.
@Suite struct CommonFormsTests {
  @Test(arguments: [
    "是", "否", "职称", "技能", "A", "B", "a", "", " 是", "是 ", "是的", "不是", "職稱", "技", "能",
    "职称技能", "AB", "1", "0", "两者", "技能人才申报职称",
  ])
  func givesTheTablesValueForItsFormsOnly(text: String) {
    let flags = CommonForms(ValueParser.flagTable, forms: ["是", "否"])
    let directions = CommonForms(ValueParser.directionTable, forms: ["职称", "技能", "A", "B"])
    var bytes = text
    bytes.withUTF8 { cell in
      let isFlagForm = text == "是" || text == "否"
      #expect(flags[utf8: cell] == (isFlagForm ? ValueParser.flagTable[text] : nil))
      let direction = directions[utf8: cell]
      if ["职称", "技能", "A", "B"].contains(text) {
        #expect(direction != nil)
        #expect(direction == ValueParser.directionTable[text])
      } else {
        #expect(direction == nil)
      }
    }
  }

  /// The parser's 职称等级 forms: the five levels' names and 高级 read as the table reads them;
  /// other spellings, which the table may still hold, are left to the table.
  @Test(
    arguments: [
      ("员级", TitleLevel.clerk), ("助理级", .assistant), ("中级", .intermediate),
      ("副高级", .associateSenior), ("高级", .associateSenior), ("正高级", .fullSenior),
      ("副高", nil), ("正高级工程师", nil), ("中", nil), ("级", nil), ("", nil), ("中级 ", nil),
    ] as [(String, TitleLevel?)])
  func titleLevelFormsReadAsTheTableReadsThem(text: String, level: TitleLevel?) {
    let forms = CommonForms(
      ValueParser.titleTable, forms: TitleLevel.allCases.map(\.chineseName) + ["高级"])
    var bytes = text
    bytes.withUTF8 { cell in
      #expect(forms[utf8: cell] == level)
      if let level { #expect(ValueParser.titleTable[text] == level) }
    }
  }

  @Test func formsTheTableDoesNotHoldAreLeftOut() {
    let flags = CommonForms(ValueParser.flagTable, forms: ["是", "也许", "否"])
    var text = "也许"
    text.withUTF8 { cell in #expect(flags[utf8: cell] == nil) }
    text = "否"
    text.withUTF8 { cell in #expect(flags[utf8: cell] == false) }
  }
}
