import Roster
import Yams

/// Everything `policy.yaml` holds: the policy without its two annex tables.
struct PolicySettings {
  var document: PolicyDocument
  var normalRoute: [NormalRouteRule]
  var topLevel: [TopLevelRule]
  var honourTiers: [HonourTier]
  var honourAliases: [String: String]
  var assessment: AssessmentWords
  var continuingEducation: [ContinuingEducationRule]
  var teacherSeries: String
  var teacherClause: String
  var titleToSkill: [TitleToSkillRule]
  var promotionWaitYears: Int
  var promotionClause: String
  var equivalence: [EducationEquivalence]
  var equivalenceExams: [String]
  var accessOccupations: [String]
  var reasons: [ReasonCode: ReasonText]

  /// The codes every bundle must give a text for: RULES.md's and the ones the tool adds.
  static let requiredReasonCodes: [ReasonCode] =
    ReasonCode.specified + [.noDirection, .nextTarget, .promotionDate]

  /// The placeholders the evaluator fills for each code; a template may use only these.
  static let placeholders: [ReasonCode: Set<String>] = [
    .assessmentFail: ["results"],
    .assessmentMissing: ["results", "required"],
    .continuingEducationTotal: ["total", "training", "required"],
    .continuingEducationPublic: ["public", "required"],
    .continuingEducationMissing: ["columns"],
    .levelLow: ["level", "required"],
    .yearsShort: ["level", "years", "required", "target", "date"],
    .notInField: ["level"],
    .occupationUnmapped: ["occupation"],
    .publicInstitution: [],
    .honourUnknown: ["honour"],
    .titleLow: ["title"],
    .occupationMissing: [],
    .occupationSeriesMismatch: ["occupation", "series", "titleSeries"],
    .chiefNeedsSpecial: ["level"],
    .alreadyHeld: ["level", "target"],
    .noServicePoint: ["occupation", "target"],
    .accessOccupation: ["occupation"],
    .integrity: [],
    .duplicate: ["first"],
    .dataID: ["column", "value", "detail"],
    .dataDate: ["column", "value", "detail"],
    .dataLevel: ["column", "value", "detail"],
    .dataHours: ["column", "value", "detail"],
    .dataFlag: ["column", "value", "detail"],
    .dataMissing: ["column"],
    .noDirection: [],
    .nextTarget: ["target", "date"],
    .promotionDate: ["level", "date"],
  ]

  /// Parses and checks the text of `policy.yaml`.
  init(yaml text: String) throws(PolicyError) {
    let root: Node
    do {
      guard let node = try Yams.compose(yaml: text) else {
        throw PolicyError(file: YAMLValue.file, line: 1, message: "文件为空 / the file is empty")
      }
      root = node
    } catch let error as PolicyError {
      throw error
    } catch let error as YamlError {
      throw Self.located(error)
    } catch {
      throw PolicyError(file: YAMLValue.file, message: "无法读取 YAML / unreadable YAML: \(error)")
    }
    let top = try YAMLValue(node: root, path: "", keyLine: nil).mapping(keys: [
      "document", "ladders", "assessment", "continuing_education", "teacher", "normal_route",
      "top_level", "honours", "equivalence", "title_to_skill", "promotion", "access_occupations",
      "reasons",
    ])
    let ladders = try Ladders(top.required("ladders"))
    document = try Self.document(top.required("document"))
    assessment = try Self.assessment(top.required("assessment"))
    continuingEducation = try Self.continuingEducation(top.required("continuing_education"))
    let teacher = try top.required("teacher").mapping(keys: ["series", "clause"])
    teacherSeries = try teacher.required("series").string()
    teacherClause = try teacher.required("clause").string()
    normalRoute = try Self.normalRoute(top.required("normal_route"), ladders)
    topLevel = try Self.topLevel(top.required("top_level"), ladders)
    let honours = try top.required("honours").mapping(keys: ["tiers", "aliases"])
    honourTiers = try Self.honourTiers(honours.required("tiers"), ladders)
    honourAliases = try Self.aliases(honours.required("aliases"), tiers: honourTiers)
    let equivalenceMapping = try top.required("equivalence").mapping(keys: ["exams", "classes"])
    equivalenceExams = try equivalenceMapping.required("exams").strings()
    equivalence = try Self.equivalence(equivalenceMapping.required("classes"))
    titleToSkill = try Self.titleToSkill(top.required("title_to_skill"), ladders)
    let promotion = try top.required("promotion").mapping(keys: ["wait_years", "clause"])
    promotionWaitYears = try promotion.required("wait_years").int(in: 0...20)
    promotionClause = try promotion.required("clause").string()
    accessOccupations = try Self.uniqueStrings(top.required("access_occupations"))
    reasons = try Self.reasons(top.required("reasons"))
  }

  private static func located(_ error: YamlError) -> PolicyError {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      return PolicyError(
        file: YAMLValue.file, line: mark.line, message: "YAML 语法错误 / YAML syntax: \(problem)")
    case .duplicatedKeysInMapping(let duplicates, let context):
      return PolicyError(
        file: YAMLValue.file, line: context.mark.line,
        message: "键重复 / duplicated key: \(duplicates.joined(separator: ", "))")
    default:
      return PolicyError(file: YAMLValue.file, message: "无法读取 YAML / unreadable YAML: \(error)")
    }
  }

  private static func document(_ value: YAMLValue) throws(PolicyError) -> PolicyDocument {
    let mapping = try value.mapping(keys: ["id", "title", "effective"])
    return PolicyDocument(
      id: try mapping.required("id").string(),
      title: try mapping.required("title").string(),
      effective: try mapping.required("effective").optionalDate())
  }

  private static func assessment(_ value: YAMLValue) throws(PolicyError) -> AssessmentWords {
    let mapping = try value.mapping(keys: ["clause", "years", "pass", "fail", "missing"])
    var seen: [String: String] = [:]
    var lists: [String: [String]] = [:]
    for key in ["pass", "fail", "missing"] {
      let list = try mapping.required(key)
      var words: [String] = []
      for item in try list.sequence() {
        let word = try item.string()
        if let earlier = seen[word] {
          throw item.error("“\(word)”已列在 \(earlier) / the word is already listed in \(earlier)")
        }
        seen[word] = key
        words.append(word)
      }
      lists[key] = words
    }
    return AssessmentWords(
      pass: lists["pass"] ?? [], fail: lists["fail"] ?? [], missing: lists["missing"] ?? [],
      yearsRequired: try mapping.required("years").int(in: 1...10),
      clause: try mapping.required("clause").string())
  }

  private static func continuingEducation(
    _ value: YAMLValue
  ) throws(PolicyError) -> [ContinuingEducationRule] {
    var rules: [ContinuingEducationRule] = []
    for item in try value.sequence() {
      let mapping = try item.mapping(keys: [
        "clause", "total_hours", "public_hours", "skill_training_counts", "from", "until",
      ])
      rules.append(
        ContinuingEducationRule(
          totalHours: try mapping.required("total_hours").number(),
          publicHours: try mapping.required("public_hours").number(),
          skillTrainingCounts: try mapping.required("skill_training_counts").bool(),
          clause: try mapping.required("clause").string(),
          validity: try mapping.validity()))
    }
    return rules
  }

  private static func normalRoute(
    _ value: YAMLValue, _ ladders: Ladders
  ) throws(PolicyError) -> [NormalRouteRule] {
    var rules: [NormalRouteRule] = []
    for item in try value.sequence() {
      let mapping = try item.mapping(keys: ["level", "years", "target", "clause", "from", "until"])
      rules.append(
        NormalRouteRule(
          level: try ladders.skill(mapping.required("level")),
          years: try mapping.required("years").int(in: 0...50),
          target: try ladders.title(mapping.required("target")),
          clause: try mapping.required("clause").string(),
          validity: try mapping.validity()))
    }
    return rules
  }

  private static func topLevel(
    _ value: YAMLValue, _ ladders: Ladders
  ) throws(PolicyError) -> [TopLevelRule] {
    var rules: [TopLevelRule] = []
    for item in try value.sequence() {
      let mapping = try item.mapping(keys: ["levels", "target", "clause", "from", "until"])
      let levelsValue = try mapping.required("levels")
      var levels: [SkillLevel] = []
      for level in try levelsValue.sequence() { levels.append(try ladders.skill(level)) }
      if levels.isEmpty { throw levelsValue.error("至少列出一个等级 / list at least one level") }
      rules.append(
        TopLevelRule(
          levels: levels, target: try ladders.title(mapping.required("target")),
          clause: try mapping.required("clause").string(), validity: try mapping.validity()))
    }
    return rules
  }

  private static func honourTiers(
    _ value: YAMLValue, _ ladders: Ladders
  ) throws(PolicyError) -> [HonourTier] {
    var tiers: [HonourTier] = []
    var seen: [String: (tier: Int, path: String, line: Int?)] = [:]
    for (index, item) in try value.sequence().enumerated() {
      let mapping = try item.mapping(keys: ["target", "clause", "names", "from", "until"])
      let target = try ladders.title(mapping.required("target"))
      let clause = try mapping.required("clause").string()
      let validity = try mapping.validity()
      var names: [String] = []
      for nameValue in try mapping.required("names").sequence() {
        let name = try nameValue.string()
        let key = LookupKey.make(name)
        if let first = seen[key],
          first.tier == index || PolicyText.overlap(tiers[first.tier].validity, validity)
        {
          let place = first.line.map { "\(first.path)（第\($0)行 line \($0)）" } ?? first.path
          throw nameValue.error("荣誉“\(name)”已列在 \(place) / honour already listed there")
        }
        seen[key] = (index, nameValue.path, nameValue.line)
        names.append(name)
      }
      tiers.append(HonourTier(target: target, clause: clause, honours: names, validity: validity))
    }
    return tiers
  }

  private static func aliases(
    _ value: YAMLValue, tiers: [HonourTier]
  ) throws(PolicyError) -> [String: String] {
    // Compared as the evaluator compares them: width, spaces and quote marks do not count.
    var canonical: [String: String] = [:]
    for name in tiers.flatMap(\.honours) { canonical[LookupKey.make(name)] = name }
    var aliases: [String: String] = [:]
    for (alias, target) in try value.openMapping().entries {
      let name = try target.string()
      if canonical[LookupKey.make(alias)] != nil {
        throw target.error("“\(alias)”本身是荣誉名称，不需要别名 / an honour name needs no alias")
      }
      guard let honour = canonical[LookupKey.make(name)] else {
        throw target.error("“\(name)”不是任何一档中的荣誉 / not an honour of any tier")
      }
      aliases[alias] = honour
    }
    return aliases
  }

  private static func equivalence(_ value: YAMLValue) throws(PolicyError) -> [EducationEquivalence]
  {
    var rows: [EducationEquivalence] = []
    var seen: Set<String> = []
    for item in try value.sequence() {
      let mapping = try item.mapping(keys: ["classes", "education", "clause"])
      var classes: [String] = []
      for classValue in try mapping.required("classes").sequence() {
        let name = try classValue.string()
        guard seen.insert(name).inserted else {
          throw classValue.error("班次“\(name)”重复 / class listed twice")
        }
        classes.append(name)
      }
      rows.append(
        EducationEquivalence(
          classes: classes, education: try mapping.required("education").string(),
          clause: try mapping.required("clause").string()))
    }
    return rows
  }

  private static func titleToSkill(
    _ value: YAMLValue, _ ladders: Ladders
  ) throws(PolicyError) -> [TitleToSkillRule] {
    var rules: [TitleToSkillRule] = []
    for item in try value.sequence() {
      let mapping = try item.mapping(keys: [
        "title", "skill", "clause", "requires_held", "from", "until",
      ])
      rules.append(
        TitleToSkillRule(
          title: try ladders.title(mapping.required("title")),
          skill: try ladders.skill(mapping.required("skill")),
          clause: try mapping.required("clause").string(),
          requiresHeld: try mapping.optional("requires_held").map { (held) throws(PolicyError) in
            try ladders.skill(held)
          },
          validity: try mapping.validity()))
    }
    return rules
  }

  private static func uniqueStrings(_ value: YAMLValue) throws(PolicyError) -> [String] {
    var result: [String] = []
    for item in try value.sequence() {
      let text = try item.string()
      if result.contains(text) { throw item.error("“\(text)”重复 / listed twice") }
      result.append(text)
    }
    return result
  }

  private static func reasons(_ value: YAMLValue) throws(PolicyError) -> [ReasonCode: ReasonText] {
    var reasons: [ReasonCode: ReasonText] = [:]
    let entries = try value.openMapping().entries
    for (key, entry) in entries {
      guard !key.isEmpty,
        key.unicodeScalars.allSatisfy({
          ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        })
      else {
        throw entry.error("原因代码只能含大写字母、数字和连字符 / a code is A–Z, 0–9 and '-'")
      }
      let code = ReasonCode(key)
      let mapping = try entry.mapping(keys: ["clause", "zh", "en"])
      let chinese = try mapping.required("zh")
      let english = mapping.optional("en")
      for template in [chinese, english].compactMap({ $0 }) {
        try checkPlaceholders(template, code: code)
      }
      let chineseText = try chinese.string()
      reasons[code] = ReasonText(
        clause: try mapping.required("clause").string(allowEmpty: true),
        chinese: chineseText,
        english: try english?.string() ?? chineseText)
    }
    for code in requiredReasonCodes where reasons[code] == nil {
      throw PolicyError(
        file: YAMLValue.file, line: value.keyLine, field: "\(value.path).\(code.rawValue)",
        message: "原因代码 \(code.rawValue) 缺少文字 / reason code has no text")
    }
    return reasons
  }

  private static func checkPlaceholders(_ template: YAMLValue, code: ReasonCode) throws(PolicyError)
  {
    guard let allowed = placeholders[code] else { return }
    let text = try template.string()
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "{") {
      guard let close = rest[open...].firstIndex(of: "}") else {
        throw template.error("“{”没有配对的“}” / unclosed placeholder")
      }
      let name = String(rest[rest.index(after: open)..<close])
      guard allowed.contains(name) else {
        let known = allowed.sorted().map { "{\($0)}" }.joined(separator: " ")
        throw template.error(
          "占位符 {\(name)} 不适用于 \(code.rawValue)，可用：\(known.isEmpty ? "无" : known) / unknown placeholder"
        )
      }
      rest = rest[rest.index(after: close)...]
    }
  }
}

/// The ladder names of `policy.yaml`, checked against the ladders the program knows.
struct Ladders {
  private var skillNames: [String: SkillLevel] = [:]
  private var titleNames: [String: TitleLevel] = [:]

  init(_ value: YAMLValue) throws(PolicyError) {
    let mapping = try value.mapping(keys: ["skill", "title"])
    let skill = try mapping.required("skill")
    try Self.check(skill, expected: SkillLevel.allCases.map(\.chineseName))
    let title = try mapping.required("title")
    try Self.check(title, expected: TitleLevel.allCases.map(\.chineseName))
    for level in SkillLevel.allCases { skillNames[level.chineseName] = level }
    for level in TitleLevel.allCases { titleNames[level.chineseName] = level }
  }

  private static func check(_ value: YAMLValue, expected: [String]) throws(PolicyError) {
    let items = try value.sequence()
    for (index, name) in expected.enumerated() {
      guard index < items.count else {
        throw value.error(
          "缺少“\(name)”；应依次为 \(expected.joined(separator: " < ")) / ladder incomplete")
      }
      let written = try items[index].string()
      guard written == name else {
        throw items[index].error(
          "“\(written)”应为“\(name)”；应依次为 \(expected.joined(separator: " < ")) / ladder differs")
      }
    }
    if items.count > expected.count {
      throw items[expected.count].error("多余的等级 / extra ladder entry")
    }
  }

  func skill(_ value: YAMLValue) throws(PolicyError) -> SkillLevel {
    let word = try value.string()
    guard let level = skillNames[word] else {
      let known = SkillLevel.allCases.map(\.chineseName).joined(separator: ", ")
      throw value.error("未知的技能等级“\(word)”，可用：\(known) / unknown skill level")
    }
    return level
  }

  func title(_ value: YAMLValue) throws(PolicyError) -> TitleLevel {
    let word = try value.string()
    guard let level = titleNames[word] else {
      let known = TitleLevel.allCases.map(\.chineseName).joined(separator: ", ")
      throw value.error("未知的职称等级“\(word)”，可用：\(known) / unknown title level")
    }
    return level
  }
}
