import Testing

@testable import CSVStream

@Suite struct SourceLocationTests {
  @Test func describesAsFileColonLine() {
    #expect(SourceLocation(file: "roster.csv", line: 1042).description == "roster.csv:1042")
  }
}
