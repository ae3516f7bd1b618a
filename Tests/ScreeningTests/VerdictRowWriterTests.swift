import CSVStream
import Policy
import Roster
import RosterSynthesis
import Testing

@testable import Screening

/// The verdict rows written straight into bytes must equal the rows built as cells and formatted
/// by `CSVFormat`, byte for byte, whatever the cells hold.
@Suite struct VerdictRowWriterTests {
  static let policy = ResolvedPolicy(
    TestSupport.defaultPolicy, on: CivilDate(year: 2026, month: 9, day: 30) ?? ScreeningDate.epoch)

  /// Checks each row on its own, and then all rows written as a batch writes them: held back in
  /// the writer (a row's cells formatted after the bytes of the rows before it) and moved out a
  /// few at a time, by a second writer and by the first one again.
  static func expectSameRows(_ applicants: [Applicant], language: Language) {
    let table = VerdictTable(language: language, policy: policy)
    let evaluator = Evaluator(policy: policy)
    var writer = VerdictRowWriter(table: table)
    var allExpected: [UInt8] = []
    for applicant in applicants {
      let verdict = evaluator.evaluate(applicant)
      var expected: [UInt8] = []
      CSVFormat.appendRow(table.row(for: applicant, verdict: verdict), to: &expected)
      var written: [UInt8] = []
      writer.append(applicant, verdict, to: &written)
      #expect(
        written == expected,
        "\(applicant.location): \(String(decoding: written, as: UTF8.self))")
      allExpected += expected
    }
    // The writer that wrote the rows one by one, whose location memo now holds the last file.
    var writers = [writer, VerdictRowWriter(table: table)]
    for holding in [1 << 30, 1000] {
      for index in writers.indices {
        var written: [UInt8] = []
        for applicant in applicants {
          writers[index].append(
            applicant, evaluator.evaluate(applicant), to: &written, holdingUnder: holding)
        }
        writers[index].moveRows(to: &written)
        #expect(written == allExpected, "writer \(index), holding under \(holding)")
      }
    }
  }

  @Test(arguments: Language.allCases)
  func generatedRowsMatchTheCellFormatting(language: Language) throws {
    let header = try RosterHeader(
      record: CSVRecord(
        location: SourceLocation(file: "gen.csv", line: 1), fields: SyntheticRoster.header))
    let parser = ApplicantParser(header: header)
    let roster = SyntheticRoster(seed: 11, badRate: 0.3)
    let occupations = TestSupport.defaultPolicy.annex1.flatMap(\.occupations)
    var applicants: [Applicant] = []
    for index in 0..<3000 {
      let record = CSVRecord(
        location: SourceLocation(file: "名单, 2026.csv", line: index + 2),
        fields: roster.row(index, occupations: occupations))
      if case .applicant(let applicant) = parser.parse(record) { applicants.append(applicant) }
    }
    #expect(applicants.count == 3000)
    Self.expectSameRows(applicants, language: language)
  }

  @Test(arguments: Language.allCases)
  func awkwardCellsMatchTheCellFormatting(language: Language) {
    let cells = [
      "=SUM(A1)", "+86 571", "-12", "-", "@home", "\t张三", "＝1", "＋1", "－1", "＠x", "a\"b",
      "a,b", "line\nbreak", "cr\rhere", " leading", "trailing ", "\ttab", "123456789012",
      "12345678901X", "12345678901x", "1234567890X1", "12345678901", "３３０６０２", "", "'quoted'",
      "+3.5", "-.5", "-0.", "张三", "绍兴“示范”厂",
    ]
    var applicants: [Applicant] = []
    for (index, cell) in cells.enumerated() {
      var applicant = Applicant(
        location: SourceLocation(file: index % 2 == 0 ? "a.csv" : "-x,\"y\".csv", line: index + 2),
        idNumber: cell, name: cell)
      applicant.employer = cell
      applicant.district = cell
      applicant.occupation = cell
      applicant.targetOccupation = cell
      applicant.titleSeries = cell
      applicant.schoolClass = cell
      applicant.skillLevel = .technician
      applicant.titleLevel = .intermediate
      applicant.honours = [cell]
      applicants.append(applicant)
    }
    Self.expectSameRows(applicants, language: language)
  }

  /// The ID cell's shortcut for 18-character numbers writes what the general formatting writes,
  /// for numbers it takes and near misses it must leave to the general path.
  @Test(arguments: [
    "330602199001011234", "33060219900101123X", "33060219900101123x", "000000000000000000",
    "999999999999999999", "3306021990010112345", "33060219900101123", "X30602199001011234",
    "3306021990010112X4", "33060219900101123Y", "33060219900101123 ", " 33060219900101123",
    "33060219900101123/", "33060219900101123:", "３３０６０２１９９００１０１１２３４",
    "=30602199001011234", "330602199001011234\n", "",
  ])
  func idCellsMatchTheCellFormatting(id: String) {
    var applicant = Applicant(location: SourceLocation(file: "a.csv", line: 2), idNumber: id)
    applicant.name = "张三"
    for language in Language.allCases { Self.expectSameRows([applicant], language: language) }
  }

  /// The location cell is formatted only when its file name needs it; rows of several files one
  /// after another, names that need formatting or start with digits, and any line number, must
  /// still come out as the general formatting writes them.
  @Test(arguments: Language.allCases)
  func locationCellsMatchTheCellFormatting(language: Language) {
    let files = [
      "a.csv", "-x,\"y\".csv", "a.csv", "", "2026.csv", "12345678901", "1234567890123", " a.csv",
      "a.csv ", "=a.csv", "sep=.csv", "名单, 2026.csv", "<b>.csv", "\u{FEFF}a.csv", "a\tb.csv",
    ]
    var applicants: [Applicant] = []
    for file in files {
      let lines = [
        1, 2, 9, 10, 11, 19, 20, 99, 100, 101, 1000, 1099, 1100, 10_001, 123_456_789_012,
        Int.max - 1, Int.max, Int.min, -3, -2, -1, 0, 1,
      ]
      for line in lines {
        applicants.append(
          Applicant(location: SourceLocation(file: file, line: line), idNumber: "1", name: "张三"))
      }
    }
    // Consecutive lines of files that take turns: each cell names its own file.
    for (file, line) in [("a.csv", 1), ("b.csv", 2), ("a.csv", 3), ("a.csv", 4), ("b.csv", 5)] {
      applicants.append(
        Applicant(location: SourceLocation(file: file, line: line), idNumber: "1", name: "张三"))
    }
    Self.expectSameRows(applicants, language: language)
  }

  /// The pieces kept as bytes per table (list separators, route and level names, known reason
  /// codes, the informational mark) against the cell formatting, on verdicts made by hand so
  /// that every route, every level and a code outside the known ones are written.
  @Test(arguments: Language.allCases)
  func tablePiecesMatchTheCellFormatting(language: Language) throws {
    let date = try #require(CivilDate(year: 2027, month: 1, day: 31))
    let table = VerdictTable(language: language, policy: Self.policy)
    var writer = VerdictRowWriter(table: table)
    let applicant = Applicant(
      location: SourceLocation(file: "a.csv", line: 2), idNumber: "330602199001011234",
      name: "张三")
    let codes = ReasonCode.known + [ReasonCode("X-LOCAL-NOTE"), ReasonCode("Ａ-CE-TOTAL")]
    let routeSets: [[Route]] = [[], [.normal], [.direct], [.normal, .direct], [.direct, .normal]]
    for (index, level) in TitleLevel.allCases.enumerated() {
      let reasons = codes.enumerated().map { offset, code in
        Reason(code, ["hours": "\(offset)"], informational: (offset + index) % 3 == 0)
      }
      let title = TitleVerdict(
        conclusion: .eligible, target: level, routes: routeSets[index % routeSets.count],
        candidates: [
          SeriesCandidate(series: "工程", specialty: "机械", annexRow: 1),
          SeriesCandidate(series: "经济", specialty: "", annexRow: nil),
        ],
        next: FutureTarget(level: level, date: date),
        reasons: reasons)
      let verdict = Verdict(
        title: title, skill: .notApplicable, equivalentEducation: nil,
        reasons: reasons + reasons.prefix(3))
      var expected: [UInt8] = []
      CSVFormat.appendRow(table.row(for: applicant, verdict: verdict), to: &expected)
      var written: [UInt8] = []
      writer.append(applicant, verdict, to: &written)
      #expect(written == expected, "\(String(decoding: written, as: UTF8.self))")
    }
  }

  /// Direction A's series and specialty cells, which a writer copies from its memo once it has
  /// written a list: lists shared and remade with the same texts, texts that need quoting or
  /// neutralising, long and reordered lists, written by one writer after another on the same
  /// table, must still come out as the general formatting writes them.
  @Test(arguments: Language.allCases)
  func candidateCellsMatchTheCellFormatting(language: Language) {
    let texts = [
      "工程", "经济", "材料工程", "自然资源工程", "a,b", "=1+1", "-", " x", "x ", "q\"uote", "",
      "基础地质、水工环地质、物化探、勘查技术与工程、测试、土建工程、测绘地理信息", "sep=x", "123456789012",
    ]
    var lists: [[SeriesCandidate]] = []
    for (index, series) in texts.enumerated() {
      let specialty = texts[(index * 5 + 3) % texts.count]
      let candidate = SeriesCandidate(series: series, specialty: specialty, annexRow: index)
      let other = SeriesCandidate(
        series: texts[(index + 1) % texts.count], specialty: series, annexRow: nil)
      lists.append([candidate])
      lists.append([candidate, other])
      lists.append([other, candidate])
      lists.append(Array(repeating: other, count: 9 + index % 2))
    }
    let table = VerdictTable(language: language, policy: Self.policy)
    let applicant = Applicant(
      location: SourceLocation(file: "a.csv", line: 2), idNumber: "330602199001011234",
      name: "张三")
    for round in 0..<3 {
      var writer = VerdictRowWriter(table: table)
      for (index, list) in lists.enumerated() {
        // The same texts in an array of their own every other round.
        let candidates = round == 1 ? list.map { $0 } : list
        let title = TitleVerdict(
          conclusion: .ineligible, target: .intermediate, routes: [.normal],
          candidates: candidates, next: nil, reasons: [])
        let skill = SkillVerdict(
          conclusion: Conclusion.allCases[index % Conclusion.allCases.count],
          target: index % 9 == 0 ? nil : SkillLevel.allCases[index % SkillLevel.allCases.count],
          occupation: "钳工", exemptFromTheory: nil, servicePoints: [], promotion: nil, reasons: [])
        let verdict = Verdict(title: title, skill: skill, equivalentEducation: nil, reasons: [])
        var expected: [UInt8] = []
        CSVFormat.appendRow(table.row(for: applicant, verdict: verdict), to: &expected)
        var written: [UInt8] = []
        writer.append(applicant, verdict, to: &written)
        #expect(written == expected, "\(round) \(String(decoding: written, as: UTF8.self))")
      }
    }
  }

  /// More distinct lists than the candidate memo keeps (512), of long texts made afresh for each
  /// row and let go after it, some texts coming back in new storage: the memo must forget and
  /// never hand out the cells of a list whose freed storage another text was given.
  @Test func candidateCellsOfManyFreshListsMatchTheCellFormatting() {
    let table = VerdictTable(language: .chinese, policy: Self.policy)
    let applicant = Applicant(
      location: SourceLocation(file: "a.csv", line: 2), idNumber: "330602199001011234",
      name: "张三")
    var writer = VerdictRowWriter(table: table)
    for index in 0..<2000 {
      func fresh(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }
      let candidates = [
        SeriesCandidate(
          series: fresh("工程技术系列第\(index % 900)类"), specialty: fresh("专业\(index % 7)方向甲乙丙丁"),
          annexRow: index),
        SeriesCandidate(series: fresh("经济系列\(index % 3)号"), specialty: "", annexRow: nil),
      ]
      let title = TitleVerdict(
        conclusion: .eligible, target: .intermediate, routes: [.normal], candidates: candidates,
        next: nil, reasons: [])
      let verdict = Verdict(
        title: title, skill: .notApplicable, equivalentEducation: nil, reasons: [])
      var expected: [UInt8] = []
      CSVFormat.appendRow(table.row(for: applicant, verdict: verdict), to: &expected)
      var written: [UInt8] = []
      writer.append(applicant, verdict, to: &written)
      #expect(written == expected, "\(index)")
    }
  }

  /// Districts, occupations and equivalent education, whose cells a writer copies from its memo
  /// once it has written them: texts made afresh for each row and let go after it, all of one
  /// length so that a freed text's storage is soon given to another, some needing quotes, more
  /// of them than the memo holds, must still come out as the general formatting writes them.
  @Test func fewValuedCellsOfManyFreshTextsMatchTheCellFormatting() {
    let table = VerdictTable(language: .chinese, policy: Self.policy)
    var writer = VerdictRowWriter(table: table)
    for index in 0..<5000 {
      func fresh(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }
      var applicant = Applicant(
        location: SourceLocation(file: "a.csv", line: index + 2), idNumber: "330602199001011234",
        name: "张三")
      applicant.district = fresh("绍兴市越城区第\(1000 + index % 1300)号街道")
      let skill = SkillVerdict(
        conclusion: .review, target: .technician,
        occupation: fresh(
          index % 3 == 0 ? "钳工,第\(1000 + index % 2100)类" : "车工第\(1000 + index % 2100)类"),
        exemptFromTheory: nil, servicePoints: [], promotion: nil, reasons: [])
      let verdict = Verdict(
        title: .notApplicable, skill: skill,
        equivalentEducation: index % 5 == 0 ? nil : fresh("高级工班第\(1000 + index % 700)期"),
        reasons: [])
      var expected: [UInt8] = []
      CSVFormat.appendRow(table.row(for: applicant, verdict: verdict), to: &expected)
      var written: [UInt8] = []
      writer.append(applicant, verdict, to: &written)
      #expect(written == expected, "\(index) \(String(decoding: written, as: UTF8.self))")
    }
  }

  /// The word-at-a-time digit check against the byte-by-byte one: every byte value at every
  /// place among digits, and among digits next to a byte at or above 0x80 that could carry.
  @Test func wordDigitCheckAgreesWithBytes() {
    for filler in [UInt8(ascii: "0"), UInt8(ascii: "5"), UInt8(ascii: "9")] {
      for place in 0..<8 {
        for value in 0...255 {
          var bytes = [UInt8](repeating: filler, count: 8)
          bytes[place] = UInt8(value)
          let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
          let expected = bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
          #expect(VerdictRowWriter.areDigits(word) == expected, "\(bytes)")
        }
      }
    }
  }
}
