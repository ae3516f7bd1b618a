import Testing

@testable import Roster

@Suite struct CivilDateTests {
  @Test func rejectsDaysThatDoNotExist() {
    #expect(CivilDate(year: 2023, month: 2, day: 30) == nil)
    #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
    #expect(CivilDate(year: 2023, month: 2, day: 29) == nil)
    #expect(CivilDate(year: 2023, month: 13, day: 1) == nil)
  }

  @Test func wholeYearsCountTheAnniversaryDay() throws {
    let start = try #require(CivilDate(year: 2021, month: 6, day: 30))
    let dayBefore = try #require(CivilDate(year: 2023, month: 6, day: 29))
    let anniversary = try #require(CivilDate(year: 2023, month: 6, day: 30))
    #expect(start.wholeYears(until: dayBefore) == 1)
    #expect(start.wholeYears(until: anniversary) == 2)
  }

  @Test func leapDayAnniversaryFallsOnTheTwentyEighth() throws {
    let leap = try #require(CivilDate(year: 2020, month: 2, day: 29))
    #expect(leap.adding(years: 3).description == "2023-02-28")
  }

  @Test func skillLevelsOrderByHeight() {
    #expect(SkillLevel.seniorWorker < SkillLevel.technician)
    #expect(SkillLevel.chiefTechnician > SkillLevel.specialTechnician)
    #expect(SkillLevel.seniorTechnician.next == .specialTechnician)
  }
}
