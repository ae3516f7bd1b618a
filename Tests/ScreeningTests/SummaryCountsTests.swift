import CSVStream
import Policy
import Roster
import Testing

@testable import Screening

/// The tallies counted under numbered texts must equal tallies keyed by `String`, spelling and
/// all, however the rows are split into batches.
@Suite struct SummaryCountsTests {
  /// The summary counts as a plain `[GroupKey: …]` per row would give them.
  struct Reference {
    var duplicates = 0
    var series: [GroupKey: SeriesTally] = [:]
    var skills: [GroupKey: SkillTally] = [:]
    var reasons: [GroupKey: Int] = [:]

    mutating func add(_ applicant: Applicant, _ verdict: Verdict) {
      let district = applicant.district.isEmpty ? SummaryCounts.noDistrict : applicant.district
      if verdict.reasons.contains(where: { $0.code == .duplicate }) { duplicates += 1 }
      if verdict.title.conclusion != .notApplicable {
        let group = verdict.title.primary?.series ?? SummaryCounts.unmatchedSeries
        series[GroupKey(group: group, district: district), default: SeriesTally()]
          .add(verdict.title)
      }
      let skill = verdict.skill
      if skill.conclusion != .notApplicable || skill.target != nil {
        let group = skill.target?.chineseName ?? SummaryCounts.noLevel
        skills[GroupKey(group: group, district: district), default: SkillTally()]
          .add(skill.conclusion)
      }
      var seen = Set<ReasonCode>()
      for reason in verdict.reasons where seen.insert(reason.code).inserted {
        reasons[GroupKey(group: reason.code.rawValue, district: district), default: 0] += 1
      }
    }
  }

  static let districts = [
    "越城区", "柯桥区", "", "Café", "Cafe\u{301}", "诸暨市", "x", "上虞区 ", "新昌县", "嵊州市",
  ]
  static let series = [
    SeriesCandidate(series: "工程技术", specialty: "机械", annexRow: 1),
    SeriesCandidate(series: "农业技术", specialty: "", annexRow: 2),
    SeriesCandidate(series: "e\u{301}", specialty: "", annexRow: 3),
    SeriesCandidate(series: "\u{e9}", specialty: "", annexRow: 4),
  ]
  static let codes: [ReasonCode] = [
    .duplicate, .integrity, .dataID, .occupationSeriesMismatch, .noServicePoint, .levelLow,
  ]

  /// A verdict that varies every field the tallies read, driven by `index`.
  static func row(_ index: Int) -> (Applicant, Verdict) {
    var applicant = Applicant(
      location: SourceLocation(file: "a.csv", line: index + 2), idNumber: "", name: "张\(index)")
    applicant.district = districts[index % districts.count]
    let conclusions = Conclusion.allCases
    let titleLevels: [TitleLevel?] = [
      nil, .assistant, .intermediate, .associateSenior, .fullSenior,
    ]
    let title = TitleVerdict(
      conclusion: conclusions[index % conclusions.count],
      target: titleLevels[index / 3 % titleLevels.count],
      routes: index % 4 == 0 ? [.normal, .direct] : [.normal],
      candidates: index % 7 == 0 ? [] : [series[index / 2 % series.count]], next: nil,
      reasons: [])
    let skillLevels: [SkillLevel?] = [nil] + SkillLevel.allCases
    let skill = SkillVerdict(
      conclusion: conclusions[index / 5 % conclusions.count],
      target: skillLevels[index % skillLevels.count], occupation: nil, exemptFromTheory: nil,
      servicePoints: [], promotion: nil, reasons: [])
    var reasons: [Reason] = []
    for (offset, code) in codes.enumerated() where (index >> offset) & 1 == 1 {
      reasons.append(Reason(code))
      if offset % 2 == 0 { reasons.append(Reason(code, ["n": "\(index)"])) }
    }
    let verdict = Verdict(title: title, skill: skill, equivalentEducation: nil, reasons: reasons)
    return (applicant, verdict)
  }

  static func expectSameSpelling<Value: Equatable>(
    _ actual: [GroupKey: Value], _ expected: [GroupKey: Value]
  ) {
    #expect(actual == expected)
    let spelled = { (table: [GroupKey: Value]) in
      table.keys.map { Array($0.group.utf8) + [0] + Array($0.district.utf8) }.sorted {
        $0.lexicographicallyPrecedes($1)
      }
    }
    #expect(spelled(actual) == spelled(expected))
  }

  /// The series, skill and reason tables of `counts` as the reference keyed by text has them.
  static func expectSameTables(_ counts: SummaryCounts, _ reference: Reference) {
    expectSameSpelling(counts.series, reference.series)
    expectSameSpelling(counts.skills, reference.skills)
    expectSameSpelling(counts.reasons, reference.reasons)
  }

  @Test(arguments: [1, 7, 64, 1000])
  func batchedCountsEqualCountsKeyedByText(batchSize: Int) {
    var reference = Reference()
    var merged = SummaryCounts()
    var batch = SummaryCounts()
    for index in 0..<900 {
      let (applicant, verdict) = Self.row(index)
      reference.add(applicant, verdict)
      batch.add(applicant, verdict)
      if (index + 1) % batchSize == 0 {
        merged.merge(batch)
        batch = SummaryCounts()
      }
    }
    merged.merge(batch)
    #expect(merged.verdicts == 900)
    #expect(merged.duplicates == reference.duplicates)
    Self.expectSameTables(merged, reference)
  }

  /// A worker's counts, kept from batch to batch with the numbers of its texts (or with them
  /// forgotten between batches, past a text limit), handed over batch by batch.
  @Test(arguments: [1, 7, 64], [0, 3, 4096])
  func batchesTakenFromOneWorkerEqualCountsKeyedByText(batchSize: Int, textLimit: Int) {
    var reference = Reference()
    var merged = SummaryCounts()
    var worker = SummaryCounts()
    var batches = 0
    for index in 0..<900 {
      var (applicant, verdict) = Self.row(index)
      // Texts that come once, so that a worker meets more than the text limit.
      if index % 11 == 0 { applicant.district = "区\(index)" }
      reference.add(applicant, verdict)
      worker.add(applicant, verdict)
      if (index + 1) % batchSize == 0 {
        let batch = worker.takeBatch(textLimit: textLimit)
        #expect(batch.verdicts == batchSize)
        merged.merge(batch)
        batches += 1
      }
    }
    merged.merge(worker.takeBatch(textLimit: textLimit))
    #expect(worker.takeBatch().verdicts == 0)
    #expect(batches == 900 / batchSize)
    #expect(merged.verdicts == 900)
    #expect(merged.duplicates == reference.duplicates)
    Self.expectSameTables(merged, reference)
  }

  /// Districts long enough to live in storage of their own, each made afresh and let go after
  /// its row, some texts coming back in a new storage: far more than the slots of the lately
  /// seen texts (`RecentTexts`), so slots are taken over and freed storage is handed out again.
  @Test func freshLongTextsEveryRowAreCountedByTheirText() {
    var reference = Reference()
    var merged = SummaryCounts()
    var worker = SummaryCounts()
    for index in 0..<3000 {
      var (applicant, verdict) = Self.row(index)
      applicant.district = String(decoding: Array("绍兴市新区第\(index % 700)街道".utf8), as: UTF8.self)
      reference.add(applicant, verdict)
      worker.add(applicant, verdict)
      if (index + 1) % 64 == 0 { merged.merge(worker.takeBatch()) }
    }
    merged.merge(worker.takeBatch())
    #expect(merged.verdicts == 3000)
    Self.expectSameTables(merged, reference)
  }

  @Test func unmergedCountsAreReadable() {
    var reference = Reference()
    var counts = SummaryCounts()
    for index in 0..<300 {
      let (applicant, verdict) = Self.row(index)
      reference.add(applicant, verdict)
      counts.add(applicant, verdict)
    }
    Self.expectSameSpelling(counts.series, reference.series)
    Self.expectSameSpelling(counts.skills, reference.skills)
    Self.expectSameSpelling(counts.reasons, reference.reasons)
    #expect(counts.eligibleByLevel.values.reduce(0, +) > 0)
  }

  /// Past the 64 code numbers a row's repeated codes are found by comparing the codes.
  @Test func manyCodesAreEachCountedOnceARow() {
    var reference = Reference()
    var counts = SummaryCounts()
    for index in 0..<400 {
      var (applicant, verdict) = Self.row(index)
      let codes = (0..<5).map { ReasonCode("X-\((index * 7 + $0 * 13) % 150)") }
      verdict.reasons += codes.map { Reason($0) } + codes.reversed().map { Reason($0) }
      verdict.reasons.append(Reason(.duplicate))
      reference.add(applicant, verdict)
      counts.add(applicant, verdict)
    }
    var merged = SummaryCounts()
    merged.merge(counts)
    #expect(merged.duplicates == reference.duplicates)
    #expect(merged.duplicates == 400)
    Self.expectSameSpelling(merged.reasons, reference.reasons)
  }

  @Test func canonicallyEqualTextsShareANumberAndByteEqualTextsAreFound() {
    var numbers = TextNumbers()
    let composed = numbers.id("Caf\u{e9}")
    let other = numbers.id("越城区")
    #expect(numbers.id("Cafe\u{301}") == composed)
    #expect(numbers.id(String(decoding: Array("越城区".utf8), as: UTF8.self)) == other)
    #expect(composed != other)
    for index in 0..<500 { #expect(numbers.id("区\(index)") == index + 2) }
    for index in 0..<500 { #expect(numbers.id("区\(index)") == index + 2) }
  }

  /// Texts with canonically equivalent spellings of plain texts (ASCII, CJK ideographs, full-width
  /// parentheses), which are numbered without asking `==` while every text so far is plain.
  static let spellings = [
    "越城区", "\u{8C48}区", "\u{F900}区", "（未填）", "Cafe", "Caf\u{e9}", "Cafe\u{301}", "\u{C5}",
    "\u{212B}", "A\u{30A}", "（未匹配）", "越城区\u{301}", "ab", "",
  ]

  @Test(arguments: 0..<14)
  func numbersAreThoseOfEqualTextsInEveryOrder(rotation: Int) {
    let texts = Array(Self.spellings[rotation...] + Self.spellings[..<rotation])
    for order in [texts, texts.reversed()] {
      var numbers = TextNumbers()
      var reference: [String: Int] = [:]
      for text in order + order {
        let expected = reference[text] ?? reference.count
        reference[text] = expected
        #expect(numbers.id(text) == expected, "\(text.debugDescription) in \(order)")
      }
    }
  }

  @Test(arguments: [
    ("越城区", true), ("（未匹配）", true), ("abc 1,2", true), ("", true), ("Caf\u{e9}", false),
    ("\u{F900}", false), ("\u{3400}", false), ("区\u{301}", false), ("\u{FF10}", false),
  ])
  func plainTextsAreOnlyASCIIIdeographsAndParentheses(text: String, isPlain: Bool) {
    var copy = text
    #expect(copy.withUTF8 { TextNumbers.isPlain($0) } == isPlain)
  }

  /// A series tally counts each eligible level in its own place (员级 nowhere) and each route
  /// once a row, however often the verdict lists it; merging adds every place.
  @Test(arguments: [
    (Conclusion.eligible, TitleLevel?.some(.assistant), [Route.normal], [1, 0, 0, 0], 1, 0),
    (.eligible, .intermediate, [.direct], [0, 1, 0, 0], 0, 1),
    (.eligible, .associateSenior, [.normal, .direct], [0, 0, 1, 0], 1, 1),
    (.eligible, .fullSenior, [.direct, .normal, .direct], [0, 0, 0, 1], 1, 1),
    (.eligible, .clerk, [.normal, .normal], [0, 0, 0, 0], 1, 0),
    (.eligible, nil, [], [0, 0, 0, 0], 0, 0),
    (.review, .fullSenior, [.normal], [0, 0, 0, 0], 0, 0),
  ])
  func seriesTallyCountsLevelsAndRoutes(
    conclusion: Conclusion, target: TitleLevel?, routes: [Route], eligible: [Int], normal: Int,
    direct: Int
  ) {
    let title = TitleVerdict(
      conclusion: conclusion, target: target, routes: routes, candidates: [], next: nil,
      reasons: [])
    var tally = SeriesTally()
    tally.add(title)
    #expect(tally.applicants == 1)
    #expect(tally.eligible == eligible)
    #expect(tally.normalRoute == normal)
    #expect(tally.directRoute == direct)
    #expect(tally.review == (conclusion == .review ? 1 : 0))
    var twice = tally
    twice.merge(tally)
    #expect(twice.eligible == eligible.map { $0 * 2 })
    #expect(twice.applicants == 2 && twice.normalRoute == 2 * normal)
  }
}
