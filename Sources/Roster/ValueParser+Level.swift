extension ValueParser {
  /// Reads a skill level in any form the notice uses: 初级工…高级技师, 五级…一级, 5…1, 特级技师,
  /// 首席技师, and combinations that agree (`三级/高级工`, `高级工（三级）`); `nil` otherwise.
  public static func skillLevel(_ s: String) -> SkillLevel? {
    try? readSkillLevel(s).get()
  }

  /// Like `skillLevel(_:)`, saying why a cell could not be read.
  public static func readSkillLevel(_ s: String) -> Result<SkillLevel, UnreadableValue> {
    readSkillLevel(normalised: normalise(s))
  }

  /// Reads a title level: 员级, 助理级, 中级, 副高级 (or 高级), 正高级, and title names such as
  /// 助理工程师 or 高级会计师; 初级 alone is ambiguous and gives `nil`.
  public static func titleLevel(_ s: String) -> TitleLevel? {
    try? readTitleLevel(s).get()
  }

  /// Like `titleLevel(_:)`, saying why a cell could not be read (e.g. 初级 without 员级/助理级).
  public static func readTitleLevel(_ s: String) -> Result<TitleLevel, UnreadableValue> {
    readTitleLevel(normalised: normalise(s))
  }

  // MARK: - Skill levels

  static let skillTable = TextTable<SkillLevel>(skillForms)

  private static let skillForms: [String: SkillLevel] = {
    var table: [String: SkillLevel] = [:]
    let forms: [(SkillLevel, [String])] = [
      (.juniorWorker, ["初级工", "初级", "五级", "5", "5级"]),
      (.intermediateWorker, ["中级工", "中级", "四级", "4", "4级"]),
      (.seniorWorker, ["高级工", "高级", "三级", "3", "3级"]),
      (.technician, ["技师", "二级", "2", "2级"]),
      (.seniorTechnician, ["高级技师", "一级", "1", "1级"]),
      (.specialTechnician, ["特级技师"]),
      (.chiefTechnician, ["首席技师"]),
    ]
    for (level, names) in forms {
      for name in names { table[name] = level }
    }
    return table
  }()

  static let skillPrefixes = ["国家职业资格", "职业资格", "职业技能等级", "国家"]

  static func readSkillLevel(normalised s: String) -> Result<SkillLevel, UnreadableValue> {
    if let level = skillTable[s] { return .success(level) }
    let parts = levelParts(s)
    guard !parts.isEmpty else { return .failure(UnreadableValue(detail: "技能等级为空")) }
    var found: SkillLevel?
    for part in parts {
      // No form in the table begins with a prefix or ends in 证书: a form is read as written.
      if let level = skillTable[part] {
        if let found, found != level {
          return .failure(UnreadableValue(detail: "技能等级前后不一致"))
        }
        found = level
        continue
      }
      var name = Substring(part)
      for prefix in skillPrefixes where name.hasPrefix(prefix) && name.count > prefix.count {
        name = name.dropFirst(prefix.count)
        break
      }
      if name.hasSuffix("证书") { name = name.dropLast(2) }
      guard let level = skillTable[String(name)] else {
        let outOfRange = isNumberedLevel(name)
        return .failure(
          UnreadableValue(
            detail: outOfRange ? "技能等级只有一级至五级及特级、首席技师" : "无法识别的技能等级"))
      }
      if let found, found != level {
        return .failure(UnreadableValue(detail: "技能等级前后不一致"))
      }
      found = level
    }
    return found.map { .success($0) } ?? .failure(UnreadableValue(detail: "无法识别的技能等级"))
  }

  /// `六级`, `七级`, `0`, `6级`: a rank written like a level but outside the ladder.
  private static func isNumberedLevel(_ name: Substring) -> Bool {
    let body = name.hasSuffix("级") ? name.dropLast() : name
    guard !body.isEmpty else { return false }
    return body.allSatisfy { $0.isASCII && $0.isNumber }
      || (name.hasSuffix("级") && body.allSatisfy { "零〇一二三四五六七八九十".contains($0) })
  }

  /// The pieces of a level cell: split on brackets, slashes and list marks, spaces removed.
  static func levelParts(_ s: String) -> [String] {
    var compact = s
    if s.unicodeScalars.contains(where: isTrimmable) {
      compact = String(String.UnicodeScalarView(s.unicodeScalars.filter { !isTrimmable($0) }))
    }
    return split(compact) { scalar in
      switch scalar {
      case "(", ")", "[", "]", "【", "】", "/", "、", ",", ";", "|", "-": true
      default: false
      }
    }
  }

  // MARK: - Title levels

  /// Series whose title names follow the pattern X (中级), 助理X, 高级X, 正高级X.
  static let titleBases = [
    "工程师", "会计师", "经济师", "统计师", "审计师", "讲师", "农艺师", "畜牧师", "兽医师", "实验师",
    "工艺美术师", "政工师", "馆员", "编辑", "记者", "翻译", "律师", "主管护师",
  ]

  static let titleTable = TextTable<TitleLevel>(titleForms)

  private static let titleForms: [String: TitleLevel] = {
    var table: [String: TitleLevel] = [
      "员级": .clerk, "员": .clerk, "技术员": .clerk, "会计员": .clerk, "经济员": .clerk,
      "统计员": .clerk, "实验员": .clerk, "管理员": .clerk, "工艺美术员": .clerk,
      "助理级": .assistant, "助理": .assistant, "助教": .assistant,
      "中级": .intermediate,
      "副高级": .associateSenior, "副高": .associateSenior, "高级": .associateSenior,
      "副教授": .associateSenior,
      "正高级": .fullSenior, "正高": .fullSenior, "教授": .fullSenior,
    ]
    for base in titleBases {
      table[base] = .intermediate
      table["助理" + base] = .assistant
      table["高级" + base] = .associateSenior
      table["副高级" + base] = .associateSenior
      table["正高级" + base] = .fullSenior
    }
    return table
  }()

  static func readTitleLevel(normalised s: String) -> Result<TitleLevel, UnreadableValue> {
    if let level = titleTable[s] { return .success(level) }
    let parts = levelParts(s)
    guard !parts.isEmpty else { return .failure(UnreadableValue(detail: "职称等级为空")) }
    var found: TitleLevel?
    var saysJunior = false
    for part in parts {
      var name = Substring(part)
      for suffix in ["专业技术职务", "专业技术资格", "职称"]
      where name.hasSuffix(suffix) && name.count > suffix.count {
        name = name.dropLast(suffix.count)
        break
      }
      if name == "初级" {
        saysJunior = true
        continue
      }
      guard let level = titleTable[String(name)] else {
        return .failure(UnreadableValue(detail: "无法识别的职称等级"))
      }
      if let found, found != level {
        return .failure(UnreadableValue(detail: "职称等级前后不一致"))
      }
      found = level
    }
    guard let found else {
      return .failure(UnreadableValue(detail: "“初级”未说明是员级还是助理级"))
    }
    if saysJunior, found > .assistant {
      return .failure(UnreadableValue(detail: "职称等级前后不一致"))
    }
    return .success(found)
  }
}
