import Foundation
import Testing

@testable import CSVStream

/// The csv-spectrum acceptance cases (`shared/csv-spectrum` beside the repository): every CSV
/// must read to exactly the records of its JSON twin.
@Suite struct CSVSpectrumTests {
  /// `<repo>/../shared/csv-spectrum`, found from this source file so a fresh clone works.
  static var spectrumDirectory: URL {
    URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
      .deletingLastPathComponent()  // CSVStreamTests
      .deletingLastPathComponent()  // Tests
      .deletingLastPathComponent()  // repository root
      .deletingLastPathComponent()
      .appendingPathComponent("shared/csv-spectrum", isDirectory: true)
  }

  @Test func everyCaseMatchesItsJSON() throws {
    let directory = Self.spectrumDirectory
    let csvDirectory = directory.appendingPathComponent("csvs")
    try #require(
      FileManager.default.fileExists(atPath: csvDirectory.path),
      "csv-spectrum not found at \(csvDirectory.path): check out shared/ beside the repository")
    let names = try FileManager.default.contentsOfDirectory(atPath: csvDirectory.path)
      .filter { $0.hasSuffix(".csv") }.sorted()
    try #require(!names.isEmpty, "no .csv files in \(csvDirectory.path)")

    for name in names {
      let csvPath = csvDirectory.appendingPathComponent(name).path
      let jsonURL = directory.appendingPathComponent("json")
        .appendingPathComponent(String(name.dropLast(4)) + ".json")
      let json = try JSONSerialization.jsonObject(with: Data(contentsOf: jsonURL))
      let expected = try #require(json as? [[String: String]], "\(jsonURL.path) is not rows")

      let records = try CSVReader(path: csvPath, displayName: name).readAll()
      let header = try #require(records.first, "\(name) has no header").fields
      let rows = records.dropFirst().map { record in
        Dictionary(zip(header, record.fields), uniquingKeysWith: { first, _ in first })
      }
      #expect(rows == expected, "\(name)")
      #expect(records.dropFirst().allSatisfy { $0.fields.count == header.count }, "\(name)")
    }
  }
}
