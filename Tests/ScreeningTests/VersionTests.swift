import Testing

@testable import Screening

@Suite struct VersionTests {
  @Test func versionIsSemantic() {
    #expect(TalentScreenVersion.current.split(separator: ".").count == 3)
  }
}
