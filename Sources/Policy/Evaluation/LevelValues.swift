import Roster

/// Reason values that name only levels, made once: the reasons that show nothing but levels
/// (B-TITLE-LOW, B-CHIEF-NEEDS-SPECIAL, B-ALREADY-HELD) then share these instead of each row
/// allocating its own.
enum LevelValues {
  /// `["title": name]` by `TitleLevel.rawValue`; index 0 (and `nil`) is 无.
  private static let titles: [ReasonValues] = (0...5).map { rank in
    ["title": TitleLevel(rawValue: rank)?.chineseName ?? "无"]
  }

  /// `["level": name]` by `SkillLevel.rawValue + 1`; the last entry is 无.
  private static let skills: [ReasonValues] = (-1...6).map { rank in
    ["level": SkillLevel(rawValue: rank)?.chineseName ?? "无"]
  }

  /// `["level": held, "target": target]` by both levels' `rawValue + 1`.
  private static let heldAndTarget: [[ReasonValues]] = (-1...5).map { held in
    (-1...5).map { target in
      [
        "level": SkillLevel(rawValue: held)?.chineseName ?? "",
        "target": SkillLevel(rawValue: target)?.chineseName ?? "",
      ]
    }
  }

  /// `["level": level, "required": lowest]` by both levels' `rawValue + 1`.
  private static let levelAndRequired: [[ReasonValues]] = (-1...5).map { level in
    (-1...5).map { lowest in
      [
        "level": SkillLevel(rawValue: level)?.chineseName ?? "",
        "required": SkillLevel(rawValue: lowest)?.chineseName ?? "",
      ]
    }
  }

  /// `["title": title?.chineseName ?? "无"]`.
  static func title(_ title: TitleLevel?) -> ReasonValues {
    guard let title else { return titles[0] }
    guard titles.indices.contains(title.rawValue) else {
      return ["title": title.chineseName]
    }
    return titles[title.rawValue]
  }

  /// `["level": level?.chineseName ?? "无"]`.
  static func level(_ level: SkillLevel?) -> ReasonValues {
    guard let level else { return skills[skills.count - 1] }
    guard skills.indices.contains(level.rawValue + 1) else {
      return ["level": level.chineseName]
    }
    return skills[level.rawValue + 1]
  }

  /// `["level": held.chineseName, "target": target.chineseName]`.
  static func held(_ held: SkillLevel, target: SkillLevel) -> ReasonValues {
    guard heldAndTarget.indices.contains(held.rawValue + 1),
      heldAndTarget[held.rawValue + 1].indices.contains(target.rawValue + 1)
    else { return ["level": held.chineseName, "target": target.chineseName] }
    return heldAndTarget[held.rawValue + 1][target.rawValue + 1]
  }

  /// `["level": level.chineseName, "required": lowest.chineseName]`, for A-LEVEL-LOW.
  static func level(_ level: SkillLevel, required lowest: SkillLevel) -> ReasonValues {
    guard levelAndRequired.indices.contains(level.rawValue + 1),
      levelAndRequired[level.rawValue + 1].indices.contains(lowest.rawValue + 1)
    else { return ["level": level.chineseName, "required": lowest.chineseName] }
    return levelAndRequired[level.rawValue + 1][lowest.rawValue + 1]
  }
}
