import Foundation
import Testing

@testable import CSVStream

/// Runs the fuzzer's properties (`ReaderProperties`) over every seed in `Fuzz/corpus`, so the
/// normal test build checks them without the sanitiser.
@Suite struct FuzzReplayTests {
  static var corpusDirectory: URL {
    URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
      .deletingLastPathComponent()  // CSVStreamTests
      .deletingLastPathComponent()  // Tests
      .deletingLastPathComponent()  // repository root
      .appendingPathComponent("Fuzz/corpus", isDirectory: true)
  }

  static var seeds: [String] {
    let names = try? FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path)
    return (names ?? []).filter { !$0.hasPrefix(".") }.sorted()
  }

  @Test func corpusIsThere() {
    #expect(Self.seeds.count >= 30, "\(Self.corpusDirectory.path)")
  }

  @Test(arguments: seeds)
  func seedSatisfiesEveryProperty(_ name: String) throws {
    let url = Self.corpusDirectory.appendingPathComponent(name)
    let input = Array(try Data(contentsOf: url))
    #expect(ReaderProperties.violations(of: input) == [])
  }

  @Test func roundTripReportsCellsThatChange() {
    let rows = [["a", "=1", "\u{0}b"], [makeIDNumber(sequence: 5)]]
    #expect(ReaderProperties.roundTrip(rows) == [])
    let unchanged = ReaderProperties.roundTrip(rows, readBack: { $0 })
    #expect(unchanged.count == 1)
    #expect(unchanged.first?.hasPrefix("round trip: row 1 reads back as") == true)
  }

  @Test func safeCells() {
    #expect(!ReaderProperties.isSafeCell("=1+1"))
    #expect(!ReaderProperties.isSafeCell("\t=1"))
    #expect(!ReaderProperties.isSafeCell("＠x"))
    #expect(!ReaderProperties.isSafeCell("a\u{0}b"))
    #expect(ReaderProperties.isSafeCell("\t330602199001011231"))
    #expect(ReaderProperties.isSafeCell("-12.5"))
    #expect(ReaderProperties.isSafeCell("'=1+1"))
  }
}
