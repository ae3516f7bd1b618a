import CSVStream
import Roster
import Testing

@testable import Policy

/// `Evaluator.evaluate(_:context:into:)` over one verdict reused row after row must give what
/// the returning `evaluate` gives: nothing of an earlier applicant may stay behind.
@Suite struct EvaluateInPlaceTests {
  static let contexts: [EvaluationContext] = [
    EvaluationContext(),
    EvaluationContext(onIntegrityList: true),
    EvaluationContext(firstOccurrence: SourceLocation(file: "名单.csv", line: 7)),
  ]

  /// The scenario's row read as an applicant, or `nil` when the row is rejected.
  static func applicant(_ scenario: ScenarioTests.Scenario) throws -> Applicant? {
    let header = CSVRecord(
      location: SourceLocation(file: scenario.file, line: 1), fields: scenario.row.map(\.0))
    let record = CSVRecord(
      location: SourceLocation(file: scenario.file, line: 2), fields: scenario.row.map(\.1))
    let parser = ApplicantParser(header: try RosterHeader(record: header))
    guard case .applicant(let applicant) = parser.parse(record) else { return nil }
    return applicant
  }

  @Test(arguments: contexts)
  func reusedVerdictMatchesAFreshOne(context: EvaluationContext) throws {
    var reused = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    let scenarios = try ScenarioTests.loadScenarios()
    #expect(!scenarios.isEmpty)
    // Forwards and backwards, so every scenario follows a different one each way.
    for scenario in scenarios + scenarios.reversed() {
      guard let applicant = try Self.applicant(scenario) else { continue }
      let evaluator = Fixtures.evaluator(asOf: scenario.asOf)
      evaluator.evaluate(applicant, context: context, into: &reused)
      #expect(reused == evaluator.evaluate(applicant, context: context), "\(scenario)")
    }
  }

  /// One verdict and one memo per screening date over every scenario: the lists refilled in
  /// place and the joined list kept in the memo must leave nothing behind, and a copy the
  /// caller kept of an earlier verdict must not change when the reused one is written over.
  @Test(arguments: contexts)
  func reusedVerdictAndMemoMatchFreshOnes(context: EvaluationContext) throws {
    var reused = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    var memos: [String: EvaluationMemo] = [:]
    var kept: [(copy: Verdict, fresh: Verdict)] = []
    let scenarios = try ScenarioTests.loadScenarios()
    for scenario in scenarios + scenarios.reversed() + scenarios {
      guard let applicant = try Self.applicant(scenario) else { continue }
      let evaluator = Fixtures.evaluator(asOf: scenario.asOf)
      var memo = memos[scenario.asOf] ?? EvaluationMemo()
      evaluator.evaluate(applicant, context: context, into: &reused, memo: &memo)
      memos[scenario.asOf] = memo
      let fresh = evaluator.evaluate(applicant, context: context)
      #expect(reused == fresh, "\(scenario)")
      if kept.count < 8 { kept.append((reused, fresh)) }
    }
    for (copy, fresh) in kept { #expect(copy == fresh) }
  }

  /// Rows with reasons in both directions, in one and in none, in turn: the joined list is
  /// made in the memo's room and handed back there, and each direction's list refilled.
  @Test func joinedReasonsAreRebuiltEachRow() {
    let evaluator = Fixtures.evaluator()
    let both = Fixtures.skillHolder {
      $0.continuingEducationHours = 60
      $0.titleLevel = .intermediate
      $0.titleSeries = "经济"
      $0.skillDate = Fixtures.date("2025-06-30")
    }
    let titleOnly = Fixtures.skillHolder { $0.publicSubjectHours = 10 }
    let skillOnly = Fixtures.titleHolder { $0.targetOccupation = "不在附件里的工种" }
    let none = Applicant(location: SourceLocation(file: "名单.csv", line: 9))
    let rows = [both, titleOnly, both, both, skillOnly, none, both, titleOnly, skillOnly, both]
    let freshBoth = evaluator.evaluate(both)
    #expect(!freshBoth.title.reasons.isEmpty && !freshBoth.skill.reasons.isEmpty)
    #expect(freshBoth.reasons.count > freshBoth.title.reasons.count)
    var memo = EvaluationMemo()
    var reused = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    for (line, applicant) in rows.enumerated() {
      evaluator.evaluate(applicant, into: &reused, memo: &memo)
      #expect(reused == evaluator.evaluate(applicant), "row \(line)")
    }
  }

  /// The targets missed on years are listed in room the memo keeps from row to row: rows
  /// missing three, one and no targets in turn must each report their own A-YEARS-SHORT reasons
  /// and next target, and the memo must get the room back empty.
  @Test func missedTargetsRoomIsHandedBackEmpty() {
    let evaluator = Fixtures.evaluator()
    let threeMissed = Fixtures.skillHolder {
      $0.skillLevel = .specialTechnician
      $0.skillDate = Fixtures.date("2026-01-01")
      $0.isStillInRelatedField = false
    }
    let oneMissed = Fixtures.skillHolder {
      $0.skillLevel = .seniorWorker
      $0.skillDate = Fixtures.date("2024-10-01")
    }
    let noneMissed = Fixtures.skillHolder { $0.skillDate = Fixtures.date("2010-01-01") }
    let counts = [threeMissed, oneMissed, noneMissed].map { applicant in
      evaluator.evaluate(applicant).title.reasons.filter { $0.code == .yearsShort }.count
    }
    #expect(counts == [3, 1, 0])
    var memo = EvaluationMemo()
    var reused = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    let rows = [threeMissed, oneMissed, noneMissed, threeMissed, noneMissed, oneMissed]
    for (line, applicant) in rows.enumerated() {
      evaluator.evaluate(applicant, into: &reused, memo: &memo)
      let fresh = evaluator.evaluate(applicant)
      #expect(reused == fresh, "row \(line)")
      #expect(reused.title.next == fresh.title.next, "row \(line)")
      #expect(memo.missedTargets.isEmpty, "row \(line)")
    }
    #expect(memo.missedTargets.capacity >= 3)
  }

  /// Direction B sets the occupation and service points once a row, in the branch that
  /// decides them: a row with a target and service points followed by rows whose title opens
  /// no target (员级, none), names no occupation, or one without service points must each
  /// leave none of the earlier row's behind.
  @Test func skillOccupationAndServicePointsAreSetEachRow() {
    let evaluator = Fixtures.evaluator()
    let withPoints = Fixtures.titleHolder()
    let clerk = Fixtures.titleHolder { $0.titleLevel = .clerk }
    let noTitle = Fixtures.titleHolder { $0.titleLevel = nil }
    let noOccupation = Fixtures.titleHolder {
      $0.targetOccupation = nil
      $0.occupation = nil
    }
    let unlisted = Fixtures.titleHolder { $0.targetOccupation = "不在附件里的工种" }
    let freshPoints = evaluator.evaluate(withPoints).skill
    #expect(freshPoints.occupation == "钢筋工" && !freshPoints.servicePoints.isEmpty)
    #expect(evaluator.evaluate(clerk).skill.occupation == nil)
    #expect(evaluator.evaluate(unlisted).skill.servicePoints.isEmpty)
    var memo = EvaluationMemo()
    var reused = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    let rows = [
      withPoints, clerk, withPoints, noTitle, withPoints, noOccupation, withPoints, unlisted,
    ]
    for (line, applicant) in rows.enumerated() {
      evaluator.evaluate(applicant, into: &reused, memo: &memo)
      let fresh = evaluator.evaluate(applicant)
      #expect(reused == fresh, "row \(line)")
      #expect(reused.skill.occupation == fresh.skill.occupation, "row \(line)")
      #expect(reused.skill.servicePoints == fresh.skill.servicePoints, "row \(line)")
    }
  }

  /// Direction A searches Annex 1 by 职业工种 and direction B evaluates 申请评价职业工种 when it
  /// is filled in: the occupation looked up once for both directions must be that of the row, and
  /// be the one direction B evaluates only when no other is asked for.
  @Test func bothDirectionsUseTheirOwnOccupation() {
    let evaluator = Fixtures.evaluator()
    func row(_ occupation: String?, target: String?) -> Applicant {
      Fixtures.skillHolder {
        $0.occupation = occupation
        $0.targetOccupation = target
        $0.titleLevel = .intermediate
        $0.titleSeries = "建设工程"
      }
    }
    let rows = [
      row("钢筋工", target: nil), row("钢筋工", target: "电工"), row("电工", target: ""),
      row("电工（高压电工）", target: nil), row("电工（高压电工）", target: "钢筋工"),
      row("不存在的工种", target: nil), row(nil, target: "电工"), row("钢筋工", target: "不存在的工种"),
    ]
    let separate = evaluator.evaluate(row("钢筋工", target: "电工"))
    #expect(separate.title.candidates.map(\.series) == ["建设工程"])
    #expect(separate.skill.occupation == "电工")
    #expect(
      separate.skill.servicePoints.map(\.institution)
        != evaluator.evaluate(row("钢筋工", target: nil)).skill.servicePoints.map(\.institution))
    var memo = EvaluationMemo()
    var reused = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    for applicant in rows + rows.reversed() + rows {
      evaluator.evaluate(applicant, into: &reused, memo: &memo)
      let fresh = evaluator.evaluate(applicant)
      #expect(
        reused == fresh, "\(applicant.occupation ?? "-") / \(applicant.targetOccupation ?? "-")")
    }
  }

  /// A row without assessments is found in the memo as any empty list: missing, empty and
  /// passing lists in turn must each give the finding a fresh verdict gives, from two entries.
  @Test func missingAssessmentsShareTheEmptyListsEntry() {
    let evaluator = Fixtures.evaluator()
    let missing = Fixtures.skillHolder { $0.assessments = nil }
    let empty = Fixtures.skillHolder { $0.assessments = [] }
    let passing = Fixtures.skillHolder()
    #expect(evaluator.evaluate(missing).title.reasons.contains { $0.code == .assessmentMissing })
    #expect(!evaluator.evaluate(passing).title.reasons.contains { $0.code == .assessmentMissing })
    var memo = EvaluationMemo()
    var reused = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    for (line, applicant) in [missing, passing, empty, missing, passing, empty].enumerated() {
      evaluator.evaluate(applicant, into: &reused, memo: &memo)
      #expect(reused == evaluator.evaluate(applicant), "row \(line)")
    }
    #expect(memo.assessments.count == 2)
  }

  /// The coverage of each 职称系列 is kept in the memo: rows of several series in turn, umbrella
  /// names and unknown ones among them, must each find a mismatch exactly as a fresh verdict does.
  @Test func seriesCoverageKeptPerSeries() {
    let evaluator = Fixtures.evaluator()
    let series = ["建设工程", "工程", "经济", "农业", "工艺美术", "不存在的系列", "建设工程", "经济"]
    let rows = series.map { name in Fixtures.titleHolder { $0.titleSeries = name } }
    let mismatched = rows.map {
      evaluator.evaluate($0).skill.reasons.contains { $0.code == .occupationSeriesMismatch }
    }
    #expect(mismatched.contains(true) && mismatched.contains(false))
    var memo = EvaluationMemo()
    var reused = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    for applicant in rows + rows.reversed() {
      evaluator.evaluate(applicant, into: &reused, memo: &memo)
      #expect(reused == evaluator.evaluate(applicant), "\(applicant.titleSeries ?? "-")")
    }
  }

  @Test func rowWithoutDirectionClearsTheEarlierVerdict() {
    let evaluator = Fixtures.evaluator()
    var reused = evaluator.evaluate(Fixtures.titleHolder())
    #expect(reused.skill.conclusion != .notApplicable)
    let empty = Applicant(location: SourceLocation(file: "名单.csv", line: 3))
    evaluator.evaluate(empty, into: &reused)
    #expect(reused == evaluator.evaluate(empty))
    #expect(reused.skill.conclusion == .review || reused.skill.conclusion == .notApplicable)
    #expect(reused.reasons.contains { $0.code == .noDirection })
  }

  /// `clear(recycling:)` must leave nothing of the row before: a field added to a verdict later
  /// and not cleared would carry over from one row to the next.
  @Test func clearedVerdictsAreNotApplicable() throws {
    var pool = ValuesPool()
    let evaluator = Fixtures.evaluator(asOf: "2026-09-30")
    for scenario in try ScenarioTests.loadScenarios() {
      guard let applicant = try Self.applicant(scenario) else { continue }
      var verdict = evaluator.evaluate(applicant, context: EvaluationContext())
      verdict.title.clear(recycling: &pool)
      verdict.skill.clear(recycling: &pool)
      #expect(verdict.title == .notApplicable, "\(scenario)")
      #expect(verdict.skill == .notApplicable, "\(scenario)")
    }
  }
}

/// `skillTargetLevel` must pick what `skillTarget` picks for every title and held level.
@Suite struct SkillTargetLevelTests {
  @Test(arguments: TitleLevel.allCases)
  func agreesWithSkillTarget(title: TitleLevel) {
    let evaluator = Fixtures.evaluator()
    for held in [nil] + SkillLevel.allCases.map(Optional.some) {
      let full = evaluator.skillTarget(title: title, held: held)
      let reduced = evaluator.skillTargetLevel(title: title, held: held)
      #expect(reduced.skill == full.chosen?.skill, "\(title) \(String(describing: held))")
      #expect(reduced.blocked == !full.blocked.isEmpty, "\(title) \(String(describing: held))")
    }
  }
}

/// A memo kept across rows must not change any verdict: a list seen before gives what it gave
/// the first time, and lists past the memo's limit are still judged.
@Suite struct EvaluationMemoTests {
  static let lists: [[String]?] = [
    nil, [], ["合格", "优秀", "合格"], ["合格", "合格"], ["不合格", "合格", "合格"],
    ["称职", "基本称职", "不称职"], ["优秀"], ["未考核", "合格", "合格"], ["ＡＢＣ"],
  ]

  @Test func memoGivesWhatAFreshEvaluationGives() {
    let evaluator = Fixtures.evaluator()
    var memo = EvaluationMemo()
    var reused = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    // Many distinct lists (past the limit), each met three times — the last time in new storage
    // — so the remembered, the unremembered and the found-by-words paths all run.
    let many = Self.lists + (1...40).map { ["合格", "第\($0)年"] }
    for list in many + many.reversed() + many.map({ $0?.map { $0 } }) {
      let applicant = Fixtures.skillHolder { $0.assessments = list }
      evaluator.evaluate(applicant, context: EvaluationContext(), into: &reused, memo: &memo)
      #expect(reused == evaluator.evaluate(applicant), "\(String(describing: list))")
    }
    #expect(memo.assessments.count == EvaluationMemo.assessmentLimit)
  }

  @Test func failingListIsRememberedWithItsReason() {
    let evaluator = Fixtures.evaluator()
    var memo = EvaluationMemo()
    var verdict = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])
    let applicant = Fixtures.skillHolder { $0.assessments = ["不合格", "合格", "合格"] }
    for _ in 0..<3 {
      evaluator.evaluate(applicant, into: &verdict, memo: &memo)
      #expect(verdict.title.conclusion == .ineligible)
      #expect(verdict.title.reasons.contains { $0.code == .assessmentFail })
    }
    #expect(memo.assessments.count == 1)
  }
}

/// Joining lists of reasons drops a reason already listed, and only such a reason: the codes'
/// masks may only spare comparisons, never decide that two reasons are the same.
@Suite struct MergedReasonsTests {
  static func data(_ column: String, _ code: ReasonCode = .dataDate) -> Reason {
    Reason(code, with: .of(.init("column", column)))
  }

  @Test func dropsRepeatsAndKeepsTheOrder() {
    let first = [Self.data("取证日期"), Reason(.integrity)]
    let second = [Reason(.integrity), Self.data("职称等级"), Self.data("取证日期")]
    #expect(
      Evaluator.merged(first, second) == [Self.data("取证日期"), Reason(.integrity), Self.data("职称等级")])
    #expect(Evaluator.deduplicated(first + second) == Evaluator.merged(first, second))
  }

  @Test func unknownAndLookAlikeCodesAreCompared() {
    let other = Reason(ReasonCode("OTHER"))
    let lookAlike = Reason(ReasonCode("A-HONOR-UN\u{212A}NOWN"))
    let known = Reason(.honourUnknown)
    #expect(Evaluator.merged([other], [other, known]) == [other, known])
    #expect(Evaluator.deduplicated([other, known, other]) == [other, known])
    // A look-alike code is told apart from the known one by its bytes, as before the masks.
    #expect(Evaluator.merged([lookAlike], [known]) == [lookAlike, known])
    #expect(Evaluator.deduplicated([lookAlike, known, lookAlike]) == [lookAlike, known])
  }

  @Test func masksOfKnownCodesAreDistinctBitsAndOthersCoverAll() {
    let masks = ReasonCode.known.map(\.equalityMask)
    #expect(masks.allSatisfy { $0.nonzeroBitCount == 1 })
    #expect(Set(masks).count == masks.count)
    #expect(ReasonCode("OTHER").equalityMask == .max)
    #expect(ReasonCode("A-HONOR-UN\u{212A}NOWN").equalityMask == .max)
  }
}

/// The values a reused verdict lets go of are written over for the next reasons of their code
/// only when nothing else holds them.
@Suite struct ValuesPoolTests {
  static let welder = ReasonValues.of(.init("occupation", "焊工"), .init("target", "高级工"))

  @Test func recycledValuesAreRefilledWithTheNewTexts() {
    var pool = ValuesPool()
    var list = [
      Reason(.levelLow, with: ["level": "中级工", "required": "高级工"]),
      Reason(
        .noServicePoint, with: ReasonValues.of(.init("occupation", "焊工"), .init("target", "技师"))),
      Reason(ReasonCode("OTHER"), with: ["a": "1", "b": "2"]),
    ]
    let room = list.capacity
    let keptPairs = list[1].namedValues.pairs.withUnsafeBufferPointer { $0.baseAddress }
    pool.empty(&list)
    #expect(list.isEmpty && list.capacity == room)
    #expect(pool.keptCount(.noServicePoint) == 1)
    #expect(
      ValuesPool.Code.allCases.allSatisfy { pool.keptCount($0) == ($0 == .noServicePoint ? 1 : 0) })
    let made = pool.values(.noServicePoint, "车工", "技师")
    #expect(made == ["occupation": "车工", "target": "技师"])
    // Written in the kept array itself.
    #expect(made.pairs.withUnsafeBufferPointer { $0.baseAddress } == keptPairs)
    #expect(pool.keptCount(.noServicePoint) == 0)
    // Only one array of that code was kept; the next is made afresh.
    let next = pool.values(.noServicePoint, "钳工", "高级工")
    #expect(next == ["occupation": "钳工", "target": "高级工"])
    #expect(made == ["occupation": "车工", "target": "技师"])
  }

  /// Values are kept by code: the kept array of one code is not handed to a reason of another,
  /// and its names are written too when a reason of its code was made with other names.
  @Test func valuesAreKeptByCodeAndRenamedWhenNeeded() {
    var pool = ValuesPool()
    var list = [
      Reason(.promotionDate, with: .of(.init("level", "技师"), .init("date", "2027-01-01"))),
      Reason(.noServicePoint, with: .of(.init("x", "1"), .init("y", "2"))),
    ]
    pool.empty(&list)
    #expect(list.isEmpty)
    #expect(pool.keptCount(.promotionDate) == 1 && pool.keptCount(.noServicePoint) == 1)
    let other = pool.values(.occupationSeriesMismatch, "车工", "机械工程", "农业")
    #expect(other == ["occupation": "车工", "series": "机械工程", "titleSeries": "农业"])
    let renamed = pool.values(.noServicePoint, "车工", "技师")
    #expect(renamed == ["occupation": "车工", "target": "技师"])
    #expect(renamed.pairs.map(\.name) == ["occupation", "target"])
    let date = pool.values(.promotionDate, "高级技师", "2028-02-02")
    #expect(date.pairs.map(\.name) == ["level", "date"])
    #expect(date == ["level": "高级技师", "date": "2028-02-02"])
  }

  /// More reasons of one code let go of than the pool keeps (four): one's values are not kept,
  /// and five asked for afterwards are the four kept and one made afresh, each with the texts it
  /// was asked for.
  @Test func valuesBeyondTheLimitAreMadeAfresh() {
    var pool = ValuesPool()
    var list = (0..<5).map { number in
      Reason(
        .noServicePoint,
        with: .of(.init("occupation", "工种\(number)"), .init("target", "技师")))
    }
    pool.empty(&list)
    #expect(list.isEmpty)
    #expect(pool.keptCount(.noServicePoint) == 4)
    var made: [ReasonValues] = []
    for number in 0..<5 {
      made.append(
        pool.values(
          .noServicePoint, "车工\(number)", "高级工"))
    }
    for (number, values) in made.enumerated() {
      #expect(values == ["occupation": "车工\(number)", "target": "高级工"])
    }
  }

  /// A reason the pool makes has its code's reason code, the values given and the flag given,
  /// whether its values come from a kept array or are made afresh.
  @Test func reasonsMadeByThePoolCarryTheirCode() {
    var pool = ValuesPool()
    for round in 0..<2 {
      var made: [Reason] = []
      for code in ValuesPool.Code.allCases {
        let texts = (0..<code.valueCount).map { "\(round)-\($0)" }
        let reason: Reason
        switch texts.count {
        case 1: reason = pool.reason(code, texts[0], informational: code == .promotionDate)
        case 2:
          reason = pool.reason(code, texts[0], texts[1], informational: code == .promotionDate)
        default:
          reason = pool.reason(
            code, texts[0], texts[1], texts[2], informational: code == .promotionDate)
        }
        #expect(reason.code == code.code)
        #expect(reason.namedValues.pairs.map(\.text) == texts)
        #expect(reason.namedValues.pairs.map(\.name) == texts.indices.map(code.name))
        #expect(reason.isInformational == (code == .promotionDate))
        made.append(reason)
      }
      pool.empty(&made)
      #expect(made.isEmpty)
    }
    #expect(
      pool.reason(.occupationUnmapped, "甲").values == ["occupation": "甲"])
  }

  /// The names a code gives its values are the placeholders of its texts in the default policy,
  /// in both languages: a reason the pool makes is rendered with every value in its place.
  @Test func valueNamesAreTheTemplatesPlaceholders() throws {
    for code in ValuesPool.Code.allCases {
      let text = try #require(Fixtures.defaultPolicy.reasons[code.code], "\(code)")
      let names = Set((0..<code.valueCount).map(code.name))
      #expect(names.count == code.valueCount, "\(code)")
      for template in [text.chinese, text.english.isEmpty ? text.chinese : text.english] {
        let placeholders = ReasonTemplate.parts(template).compactMap { part -> String? in
          if case .placeholder(let name) = part { return name }
          return nil
        }
        #expect(Set(placeholders) == names, "\(code): \(template)")
      }
    }
  }

  /// The words a kept pair's name is checked against are those of the code's own names, so that
  /// a kept array of the code is refilled without writing its names again.
  @Test func nameWordsAreTheNamesWords() {
    for code in ValuesPool.Code.allCases {
      for position in 0..<code.valueCount {
        #expect(TextWords(code.name(position)) == code.nameWords(position), "\(code) \(position)")
      }
    }
  }

  /// The pool counts the slots in use of each code in eight lanes: a ninth code would trap.
  @Test func everyCodeHasALaneToCountIn() {
    #expect(ValuesPool.Code.allCases.count <= 8)
  }

  /// A kept array with another number of values than asked for is not used.
  @Test func keptValuesOfAnotherCountAreNotUsed() {
    var pool = ValuesPool()
    var list = [Reason(.noServicePoint, with: .of(.init("occupation", "焊工")))]
    pool.empty(&list)
    #expect(pool.keptCount(.noServicePoint) == 1)
    let made = pool.values(.noServicePoint, "车工", "技师")
    #expect(made == ["occupation": "车工", "target": "技师"])
  }

  @Test func valuesHeldElsewhereAreCopiedNotChanged() {
    var pool = ValuesPool()
    let kept = Reason(.noServicePoint, with: Self.welder)
    var list = [kept]
    pool.empty(&list)
    let made = pool.values(.noServicePoint, "车工", "技师")
    #expect(kept.namedValues == Self.welder)
    #expect(made == ["occupation": "车工", "target": "技师"])
  }

  @Test func valuesOfOneAndThreePairs() {
    var pool = ValuesPool()
    var list = [
      Reason(.occupationUnmapped, with: .of(.init("occupation", "甲"))),
      Reason(
        .occupationSeriesMismatch,
        with: .of(.init("occupation", "乙"), .init("series", "丙"), .init("titleSeries", "丁"))),
    ]
    pool.empty(&list)
    #expect(pool.values(.occupationUnmapped, "戊") == ["occupation": "戊"])
    #expect(
      pool.values(
        .occupationSeriesMismatch, "己", "庚",
        "辛")
        == ["occupation": "己", "series": "庚", "titleSeries": "辛"])
  }

  /// Every code the pool keeps by has its place, and no other code is kept.
  @Test func everyCodeHasItsPlace() {
    for code in ValuesPool.Code.allCases {
      var pool = ValuesPool()
      var list = [Reason(code.code, with: .of(.init("a", "1")))]
      pool.empty(&list)
      #expect(list.isEmpty)
      #expect(pool.keptCount(code) == 1, "\(code)")
    }
    var pool = ValuesPool()
    var others = ReasonCode.known.filter { known in
      !ValuesPool.Code.allCases.contains { $0.code == known }
    }.map { Reason($0, with: .of(.init("a", "1"))) }
    let held = others
    pool.empty(&others)
    #expect(others.isEmpty)
    #expect(ValuesPool.Code.allCases.allSatisfy { pool.keptCount($0) == 0 })
    #expect(held.allSatisfy { $0.namedValues.count == 1 })
  }
}

/// Reasons added to their groups in any order are listed group after group, each group in the
/// order found, a prepended reason first in its group.
@Suite struct ReasonGroupsTests {
  @Test func groupsKeepTheirOrderWhateverTheOrderOfAdding() {
    var groups = ReasonGroups(failed: [Reason(.integrity)], review: [Reason(.duplicate)])
    groups.append(Reason(.promotionDate), to: .info)
    groups.append(Reason(.titleLow), to: .failed)
    groups.append(Reason(.noServicePoint), to: .info)
    groups.append(Reason(.yearsShort), to: .notReached)
    groups.append(Reason(.occupationMissing), to: .review)
    groups.prepend(Reason(.alreadyHeld), to: .info)
    groups.prepend(Reason(.levelLow), to: .notReached)
    #expect(
      groups.list.codes == [
        "INTEGRITY", "B-TITLE-LOW", "A-LEVEL-LOW", "A-YEARS-SHORT", "DUPLICATE", "B-OCC-MISSING",
        "B-ALREADY-HELD", "B-PROMOTION-DATE", "B-NO-SERVICE-POINT",
      ])
    #expect(groups.reasons == groups.list)
    #expect(groups.reasons(in: .failed).map(\.code) == [.integrity, .titleLow])
    #expect(
      groups.reasons(in: .info).map(\.code) == [.alreadyHeld, .promotionDate, .noServicePoint])
  }
}

/// A text memo gives the value kept for the very text asked, and works a value out again for
/// any other text, or for the same words in other storage.
@Suite struct TextMemoTests {
  @Test func keepsOneValuePerSlot() {
    var memo = TextMemo<Int>(slots: 1)
    var made = 0
    func value(_ text: String) -> Int {
      memo.value(for: text) {
        made += 1
        return text.unicodeScalars.count
      }
    }
    #expect(value("工程") == 2 && made == 1)
    #expect(value("工程") == 2 && made == 1)
    #expect(value("建设工程") == 4 && made == 2)
    #expect(value("工程") == 2 && made == 3)
  }

  /// `kept(for:)` finds only what `keep(_:for:)` put in the text's slot, and a value kept as
  /// `nil` is found as such, not taken for a miss.
  @Test func keptValuesAreFoundForTheirTextOnly() {
    var memo = TextMemo<Int?>(slots: 1)
    #expect(memo.kept(for: "工程") == nil)
    memo.keep(2, for: "工程")
    #expect(memo.kept(for: "工程") == .some(2))
    #expect(memo.kept(for: "农业") == nil)
    memo.keep(nil, for: "农业")
    #expect(memo.kept(for: "农业") == .some(nil))
    #expect(memo.kept(for: "工程") == nil)
  }

  @Test func longTextsAreFoundByTheirStorage() {
    var memo = TextMemo<String>(slots: 64)
    let long = String(repeating: "工艺美术", count: 3)
    let again = String(repeating: "工艺美术", count: 3)
    var made = 0
    for text in [long, long, again, long] {
      let value = memo.value(for: text) {
        made += 1
        return text + "系列"
      }
      #expect(value == text + "系列")
    }
    #expect(made >= 1 && made <= 3)
  }
}

extension ReasonGroupsTests {
  static func missing(_ column: String) -> Reason {
    Reason(.dataMissing, with: .of(.init("column", column)))
  }

  /// A reason added again, in its own group or another, is listed once; one with the same code
  /// and other values stays.
  @Test func repeatsAreDroppedWhereverTheyAreAdded() {
    var groups = ReasonGroups()
    groups.append(Self.missing("取证日期"), to: .review)
    groups.append(Reason(.publicInstitution), to: .review)
    groups.append(Self.missing("职业技能等级"), to: .review)
    groups.append(Self.missing("取证日期"), to: .review)
    #expect(groups.list.count == 4)
    #expect(groups.reasons.codes == ["DATA-MISSING", "A-PUBLIC-INST", "DATA-MISSING"])
    #expect(
      groups.takeReasons() == [
        Self.missing("取证日期"), Reason(.publicInstitution), Self.missing("职业技能等级"),
      ])
    var fresh = ReasonGroups()
    fresh.append(Self.missing("取证日期"), to: .review)
    fresh.append(Self.missing("职业技能等级"), to: .failed)
    #expect(fresh.takeReasons().count == 2)
  }

  @Test func sharedReasonsMayRepeatLaterOnes() {
    var groups = ReasonGroups(review: [Self.missing("身份证号")])
    groups.append(Self.missing("身份证号"), to: .review)
    #expect(groups.takeReasons() == [Self.missing("身份证号")])
  }
}

@Suite struct EmptyingReasonListsTests {
  @Test func emptiesKeepingTheRoomAndLeavesOtherHoldersAlone() {
    var list = [Reason(.integrity), Reason(.duplicate), Reason(.publicInstitution)]
    let shared = list
    list.reserveCapacity(16)
    let room = list.capacity
    Reason.removeAll(from: &list)
    #expect(list.isEmpty)
    #expect(list.capacity == room)
    var other = shared
    Reason.removeAll(from: &other)
    #expect(other.isEmpty)
    #expect(shared.codes == ["INTEGRITY", "DUPLICATE", "A-PUBLIC-INST"])
  }
}
