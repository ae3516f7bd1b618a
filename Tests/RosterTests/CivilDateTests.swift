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

  /// `adding(years:)` as it was written before its shortcut for days up to the 28th: every
  /// date, valid or set out of range through the properties, must give what this gives.
  private static func referenceAdding(_ date: CivilDate, years: Int) -> CivilDate {
    let target = date.year + years
    let clampedDay = min(date.day, CivilDate.daysIn(month: date.month, year: target))
    return CivilDate(year: target, month: date.month, day: clampedDay) ?? date
  }

  @Test(arguments: [-3000, -1, 0, 1, 2, 4, 8000])
  func addingYearsMatchesTheCheckedForm(years: Int) throws {
    var compared = 0
    for year in [1, 1999, 2000, 2023, 2024, 9998, 9999] {
      for month in 0...13 {
        for day in 0...32 {
          var date = try #require(CivilDate(year: 2000, month: 1, day: 1))
          date.year = year
          date.month = month
          date.day = day
          #expect(date.adding(years: years) == Self.referenceAdding(date, years: years))
          compared += 1
        }
      }
    }
    #expect(compared == 7 * 14 * 33)
  }

  @Test func skillLevelsOrderByHeight() {
    #expect(SkillLevel.seniorWorker < SkillLevel.technician)
    #expect(SkillLevel.chiefTechnician > SkillLevel.specialTechnician)
    #expect(SkillLevel.seniorTechnician.next == .specialTechnician)
  }

  @Test func descriptionIsTheISOFormPaddedLikeInterpolation() {
    var checked = 0
    for year in [1, 9, 10, 99, 100, 999, 1000, 1900, 2026, 9999, 0, -5, 10000] {
      for (month, day) in [(1, 1), (9, 9), (10, 10), (12, 31), (0, 0), (7, 100)] {
        var date = CivilDate(year: 2000, month: 1, day: 1)
        date?.year = year
        date?.month = month
        date?.day = day
        let expected =
          "\(year)-\(month < 10 ? "0\(month)" : "\(month)")-\(day < 10 ? "0\(day)" : "\(day)")"
        #expect(date?.description == expected)
        checked += 1
      }
    }
    #expect(checked == 78)
  }
}
