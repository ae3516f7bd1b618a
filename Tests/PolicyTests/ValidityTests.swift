import Roster
import Testing

@testable import Policy

@Suite struct ValidityTests {
  @Test func bothEndsAreInclusive() throws {
    let from = try #require(CivilDate(year: 2023, month: 1, day: 1))
    let until = try #require(CivilDate(year: 2023, month: 12, day: 31))
    let validity = Validity(from: from, until: until)
    #expect(validity.contains(from))
    #expect(validity.contains(until))
    #expect(!validity.contains(until.adding(years: 1)))
  }
}
