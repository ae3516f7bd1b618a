import CSVStream
import Testing

@testable import Roster

/// `CellMemo` gives back the value made for the same bytes, never another cell's, and keeps at
/// most its limit; a parser with a cache reads every row as the parser without one does.
@Suite struct CellMemoTests {
  /// Looks `text` up in `memo`, counting the values made.
  static func lookUp(_ text: String, in memo: inout CellMemo<String>, made: inout Int) -> String? {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBufferPointer { cell in
      memo.value(UnsafeBufferPointer(cell)) { bytes in
        made += 1
        return String(decoding: bytes, as: UTF8.self)
      }
    }
  }

  @Test func aCellSeenBeforeGivesTheValueMadeThen() {
    var memo = CellMemo<String>(limit: 64)
    var made = 0
    let texts = ["越城区", "电工(高压电工)", "工程技术", "柯桥区", "越城区", "电工(高压电工)", "工程技术"]
    for text in texts {
      #expect(Self.lookUp(text, in: &memo, made: &made) == text)
    }
    #expect(made == 4)
    #expect(memo.count == 4)
  }

  @Test func aCellTheMakerRefusesIsNotRemembered() {
    var memo = CellMemo<String>(limit: 8)
    var asked = 0
    for _ in 0..<3 {
      let value: String? = Array("  越城区".utf8).withUnsafeBufferPointer { cell in
        memo.value(cell) { _ in
          asked += 1
          return nil
        }
      }
      #expect(value == nil)
    }
    #expect(asked == 3)
    #expect(memo.count == 0)
  }

  /// Cells of the same length and nearly the same bytes, far more than the slots, so that
  /// probing passes over others' entries; short cells (kept in their slots) and long ones (kept
  /// apart, with their entry numbers) mixed, so that each is forgotten and met again among the
  /// others.
  @Test(arguments: [1, 4, 7, 64, 512])
  func cellsThatDifferNeverMeet(limit: Int) {
    var memo = CellMemo<String>(limit: limit)
    var made = 0
    let texts =
      (0..<300).map { "工种\($0 % 10)\($0 / 10 % 10)\($0 / 100)号" } + ["", "a", "b", "ab"]
      + (0..<100).map { "绍兴测试示范有限公司\($0 % 10)\($0 / 10)号" }
    for round in 0..<3 {
      for text in texts.shuffled() {
        #expect(Self.lookUp(text, in: &memo, made: &made) == text, "round \(round)")
        #expect(memo.count <= limit)
      }
    }
  }

  /// Cells of every length from 0 to 24 bytes and cells one letter away from them at every
  /// place: those of 16 bytes or fewer are compared as two words read with overlapping loads,
  /// which must still tell every pair apart.
  @Test func cellsOfEveryLengthNeverMeetTheirNearMisses() {
    var memo = CellMemo<String>(limit: 512)
    var made = 0
    let letters = Array("abcdefghijklmnopqrstuvwx")
    var texts: [String] = []
    for length in 0...letters.count {
      texts.append(String(letters.prefix(length)))
      for place in 0..<length {
        var changed = Array(letters.prefix(length))
        changed[place] = "z"
        texts.append(String(changed))
      }
    }
    for round in 0..<2 {
      for text in texts {
        #expect(Self.lookUp(text, in: &memo, made: &made) == text, "round \(round)")
      }
    }
    #expect(made == Set(texts).count)
  }

  /// Looks `text` up in `memo` for its entry number.
  static func number(_ text: String, in memo: inout CellMemo<String>) -> Int32 {
    var made = 0
    #expect(lookUp(text, in: &memo, made: &made) == text)
    return memo.lastNumber
  }

  /// Values are numbered in the order they are remembered, a value met again has its number,
  /// and once the memo has forgotten everything the numbers start again from 0 for other
  /// texts: a number names a text only while the memo keeps it.
  @Test func numbersFollowTheOrderRememberedAndStartAgainWhenForgotten() {
    var memo = CellMemo<String>(limit: 3)
    let long = "绍兴测试示范有限公司第一分公司"
    #expect(Self.number("越城区", in: &memo) == 0)
    #expect(Self.number(long, in: &memo) == 1)
    #expect(Self.number("焊工", in: &memo) == 2)
    #expect(Self.number(long, in: &memo) == 1)
    #expect(Self.number("越城区", in: &memo) == 0)
    // A fourth text: the three are forgotten, and it takes number 0.
    #expect(Self.number("车工", in: &memo) == 0)
    #expect(Self.number(long, in: &memo) == 1)
    #expect(Self.number("越城区", in: &memo) == 2)
    #expect(Self.number("车工", in: &memo) == 0)
    var none = CellMemo<String>(limit: 0)
    #expect(Self.number("越城区", in: &none) == -1)
  }

  @Test(arguments: [1, 5, 16, 100])
  func keepsAtMostItsLimit(limit: Int) {
    var memo = CellMemo<String>(limit: limit)
    var made = 0
    for number in 0..<1000 {
      _ = Self.lookUp("单位\(number)", in: &memo, made: &made)
      #expect(memo.count <= limit)
    }
    #expect(made == 1000)
    // The last cell is remembered, whatever was forgotten before it.
    #expect(Self.lookUp("单位999", in: &memo, made: &made) == "单位999")
    #expect(made == 1000)
  }

  @Test func aLimitOfZeroRemembersNothing() {
    var memo = CellMemo<String>(limit: 0)
    var made = 0
    for _ in 0..<3 { #expect(Self.lookUp("越城区", in: &memo, made: &made) == "越城区") }
    #expect(made == 3)
    #expect(memo.count == 0)
  }

  /// Cells of every column the cache serves, normal ones and ones that must be normalised
  /// (blanks around, full-width forms, compatibility characters, invisible characters), read
  /// again and again in shuffled rows: each row reads as the parser without a cache reads it.
  @Test(arguments: [1, 2, 512])
  func aParserWithACacheReadsAsOneWithout(limit: Int) throws {
    let parser = try ApplicantParserTests.parser()
    let texts = [
      "越城区", " 越城区", "越城区\u{3000}", "电工(高压电工)", "电工（高压电工）", "ＡＢＣ",
      "\u{F900}工", "工\u{200B}程", "钳工", "工程技术系列高级", "x\u{0301}",
    ]
    let lists = ["合格、合格、优秀", "合格,基本合格", "优秀 合格", "合格，合格", "世界技能大赛 金牌/省技术能手", " 合格"]
    var cache = ApplicantParser.Cache(limit: limit)
    var rows = 0
    // A fixed, shuffled-looking order, so a failure repeats.
    func text(_ line: Int, _ column: Int) -> String { texts[(line * 7 + column * 3) % texts.count] }
    func list(_ line: Int, _ column: Int) -> String { lists[(line * 5 + column) % lists.count] }
    for line in 2..<200 {
      let row = ApplicantParserTests.row(
        [
          .name: "甲", .district: text(line, 0), .occupation: text(line, 1),
          .titleSeries: text(line, 2), .targetOccupation: text(line, 3),
          .schoolClass: text(line, 4), .assessments: list(line, 0), .honours: list(line, 1),
        ], line: line)
      var cached = Applicant(location: SourceLocation(file: "", line: 0))
      var plain = cached
      #expect(parser.parse(row, into: &cached, cache: &cache) == nil)
      #expect(parser.parse(row, into: &plain) == nil)
      // The entry numbers are the cache's; the row without one has none.
      #expect(plain.occupationNumber == -1 && plain.targetOccupationNumber == -1)
      cached.occupationNumber = -1
      cached.targetOccupationNumber = -1
      #expect(String(describing: cached) == String(describing: plain))
      rows += 1
    }
    #expect(rows == 198)
  }

  /// Cells the cache serves that must be normalised first (or normalise to nothing) read as the
  /// general readers read them, with a cache or without, met once or again.
  @Test(arguments: [0, 512])
  func cellsToNormaliseReadAsTheGeneralReadersReadThem(limit: Int) throws {
    let parser = try ApplicantParserTests.parser()
    let cells = [
      "合格；基本合格；合格", " 越城区", "电工（高压电工）", "ＡＢＣ", "\u{3000}", "\u{200B}", " \t",
      "世界技能大赛 金牌；省技术能手", "工\u{200B}程",
    ]
    var cache = ApplicantParser.Cache(limit: limit)
    for (line, cell) in (cells + cells).enumerated() {
      let row = ApplicantParserTests.row(
        [
          .name: "甲", .district: cell, .occupation: cell, .titleSeries: cell,
          .targetOccupation: cell, .schoolClass: cell, .assessments: cell, .honours: cell,
        ], line: line + 2)
      var applicant = Applicant(location: SourceLocation(file: "", line: 0))
      #expect(parser.parse(row, into: &applicant, cache: &cache) == nil)
      let text = ValueParser.normalise(cell)
      let optional: String? = text.isEmpty ? nil : text
      #expect(applicant.district == text, "\(cell)")
      #expect(applicant.occupation == optional, "\(cell)")
      #expect(applicant.titleSeries == optional, "\(cell)")
      #expect(applicant.targetOccupation == optional, "\(cell)")
      #expect(applicant.schoolClass == optional, "\(cell)")
      let words = ValueParser.list(cell)
      #expect(applicant.assessments == (words.isEmpty ? nil : words), "\(cell)")
      #expect(applicant.honours == ValueParser.honourList(normalised: text), "\(cell)")
    }
    #expect(ValueParser.list("合格；基本合格；合格") == ["合格", "基本合格", "合格"])
  }

  /// Level cells their tables do not hold as written read, with a cache or without, met once or
  /// again, as the general readers read them: the level, or a problem with the cell as written.
  @Test(arguments: [0, 512])
  func levelCellsReadAsTheGeneralReadersReadThem(limit: Int) throws {
    let parser = try ApplicantParserTests.parser()
    let cells = ["２", "三级/高级工", "七级", "三级/一级", " 中级 ", "\u{3000}", "高级（副高）", "甲"]
    var cache = ApplicantParser.Cache(limit: limit)
    var problems = 0
    for (line, cell) in (cells + cells).enumerated() {
      let row = ApplicantParserTests.row(
        [.name: "甲", .skillLevel: cell, .titleLevel: cell], line: line + 2)
      var applicant = Applicant(location: SourceLocation(file: "", line: 0))
      #expect(parser.parse(row, into: &applicant, cache: &cache) == nil)
      var expected: [FieldProblem] = []
      if !ValueParser.normalise(cell).isEmpty {
        switch ValueParser.readSkillLevel(cell) {
        case .success(let level): #expect(applicant.skillLevel == level, "\(cell)")
        case .failure(let failure):
          #expect(applicant.skillLevel == nil, "\(cell)")
          expected.append(
            FieldProblem(
              column: .skillLevel, kind: .level, raw: ValueParser.trimmed(cell),
              detail: failure.detail))
        }
        switch ValueParser.readTitleLevel(cell) {
        case .success(let level): #expect(applicant.titleLevel == level, "\(cell)")
        case .failure(let failure):
          #expect(applicant.titleLevel == nil, "\(cell)")
          expected.append(
            FieldProblem(
              column: .titleLevel, kind: .level, raw: ValueParser.trimmed(cell),
              detail: failure.detail))
        }
      }
      #expect(applicant.problems == expected, "\(cell)")
      problems += expected.count
    }
    #expect(problems >= 8)
    #expect(ValueParser.normalise("\u{3000}").isEmpty)
  }
}

/// `withCache` lends a cache filled by earlier calls, and never the same cache to two calls
/// running at once.
@Suite struct CacheLendingTests {
  @Test func aLaterCallGetsTheCacheAnEarlierOneFilled() throws {
    let parser = try ApplicantParserTests.parser()
    let row = ApplicantParserTests.row([.name: "甲", .district: "越城区", .occupation: "钳工"])
    var applicant = Applicant(location: SourceLocation(file: "", line: 0))
    let reject = parser.withCache { parser.parse(row, into: &applicant, cache: &$0) }
    #expect(reject == nil)
    #expect(applicant.district == "越城区")
    #expect(parser.withCache { $0.texts.count } == 2)
    // Another parser (another roster) has caches of its own.
    #expect(try ApplicantParserTests.parser().withCache { $0.texts.count } == 0)
  }

  @Test func callsRunningAtOnceGetCachesOfTheirOwn() throws {
    let parser = try ApplicantParserTests.parser()
    let row = ApplicantParserTests.row([.name: "甲", .district: "越城区"])
    var applicant = Applicant(location: SourceLocation(file: "", line: 0))
    let counts = parser.withCache { outer in
      _ = parser.parse(row, into: &applicant, cache: &outer)
      let inner = parser.withCache { $0.texts.count }
      return (outer.texts.count, inner)
    }
    #expect(counts == (1, 0))
    // Both caches are kept: two calls at once now get the filled one and the empty one.
    let again = parser.withCache { first in
      (first.texts.count, parser.withCache { $0.texts.count })
    }
    #expect(again.0 + again.1 == 1)
  }
}
