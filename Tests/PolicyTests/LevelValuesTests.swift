import Roster
import Testing

@testable import Policy

/// The shared reason values made once at start-up must hold what building them per row held.
@Suite struct LevelValuesTests {
  static let skillLevels: [SkillLevel?] = SkillLevel.allCases + [nil]

  @Test(arguments: SkillLevel.allCases)
  func levelAndRequiredNameBothLevels(level: SkillLevel) {
    for lowest in SkillLevel.allCases {
      let values = LevelValues.level(level, required: lowest)
      #expect(values == ["level": level.chineseName, "required": lowest.chineseName])
      #expect(values.pairs.map(\.name) == ["level", "required"])
    }
  }

  @Test(arguments: skillLevels)
  func heldLevelValues(level: SkillLevel?) {
    #expect(LevelValues.level(level) == ["level": level?.chineseName ?? "无"])
    guard let level else { return }
    for target in SkillLevel.allCases {
      #expect(
        LevelValues.held(level, target: target)
          == ["level": level.chineseName, "target": target.chineseName])
    }
  }

  @Test(arguments: TitleLevel.allCases.map(Optional.some) + [nil])
  func titleValues(title: TitleLevel?) {
    #expect(LevelValues.title(title) == ["title": title?.chineseName ?? "无"])
  }
}
