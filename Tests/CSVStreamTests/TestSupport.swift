import Foundation
import Testing

@testable import CSVStream

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct ScratchDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("csvstream-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  /// Writes `bytes` to a new file and returns its path.
  func write(_ bytes: [UInt8], name: String = "input.csv") throws -> String {
    let target = path(name)
    try Data(bytes).write(to: URL(fileURLWithPath: target))
    return target
  }

  func remove() {
    try? FileManager.default.removeItem(at: url)
  }
}

/// A record reduced to what most tests compare: start line and fields.
struct LineAndFields: Equatable, CustomStringConvertible {
  var line: Int
  var fields: [String]

  init(_ line: Int, _ fields: [String]) {
    self.line = line
    self.fields = fields
  }

  var description: String { "\(line): \(fields)" }
}

/// A record reduced to what recovery tests compare: start line, fields, and for a damaged
/// record its kind, failing line and column.
struct RecordSummary: Equatable, CustomStringConvertible {
  var line: Int
  var fields: [String]
  var damage: RecordDamage.Kind?
  var failingLine: Int?
  var column: Int?

  init(
    _ line: Int, _ fields: [String], damage: RecordDamage.Kind? = nil, failingLine: Int? = nil,
    column: Int? = nil
  ) {
    self.line = line
    self.fields = fields
    self.damage = damage
    self.failingLine = failingLine
    self.column = column
  }

  init(_ record: CSVRecord) {
    self.init(
      record.location.line, record.fields, damage: record.damage?.kind,
      failingLine: record.damage?.failingLine, column: record.damage?.column)
  }

  var description: String {
    guard let damage else { return "\(line): \(fields)" }
    return "\(line): \(fields) \(damage) at \(failingLine ?? 0):\(column.map(String.init) ?? "-")"
  }
}

/// Reads a file and reduces its records to summaries.
func readSummaries(
  _ bytes: [UInt8], options: CSVReaderOptions = .init()
) throws -> [RecordSummary] {
  try readFile(bytes, options: options).records.map(RecordSummary.init)
}

/// Writes `bytes` to a real file and reads every record from it.
func readFile(
  _ bytes: [UInt8], options: CSVReaderOptions = .init(), name: String = "input.csv"
) throws -> (records: [CSVRecord], reader: CSVReader) {
  let scratch = try ScratchDirectory()
  defer { scratch.remove() }
  let path = try scratch.write(bytes, name: name)
  let reader = try CSVReader(path: path, displayName: name, options: options)
  return (try reader.readAll(), reader)
}

/// Reads a file and reduces its records to start lines and fields.
func readLines(_ bytes: [UInt8], options: CSVReaderOptions = .init()) throws -> [LineAndFields] {
  try readFile(bytes, options: options).records.map { LineAndFields($0.location.line, $0.fields) }
}

/// Reads a file expecting a file-level error; fails the test when there is none.
func readError(
  _ bytes: [UInt8], options: CSVReaderOptions = .init(), name: String = "input.csv"
) throws -> CSVError? {
  let scratch = try ScratchDirectory()
  defer { scratch.remove() }
  let path = try scratch.write(bytes, name: name)
  let reader = try CSVReader(path: path, displayName: name, options: options)
  do {
    _ = try reader.readAll()
    Issue.record("expected an error, got none")
    return nil
  } catch {
    return error
  }
}

extension Array where Element == UInt8 {
  init(_ text: String) { self = Array(text.utf8) }

  /// `text` in UTF-16 little-endian (`bigEndian: false`) or big-endian, without a byte order
  /// mark.
  init(utf16 text: String, bigEndian: Bool = false) {
    self = text.utf16.flatMap { unit -> [UInt8] in
      let low = UInt8(unit & 0xFF)
      let high = UInt8(unit >> 8)
      return bigEndian ? [high, low] : [low, high]
    }
  }
}

/// A generated resident ID number with a valid GB 11643 check digit (never a real person's).
func makeIDNumber(region: String = "330602", birthDate: String = "19900101", sequence: Int)
  -> String
{
  let body = region + birthDate + String(format: "%03d", sequence)
  let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = zip(body, weights).reduce(0) { total, pair in
    total + (pair.0.wholeNumberValue ?? 0) * pair.1
  }
  let checkCharacters: [Character] = Array("10X98765432")
  return body + String(checkCharacters[sum % 11])
}

/// The platform's UTF-8 → GB18030 conversion of `text` (the library's own iconv wrapper).
func gb18030Bytes(_ text: String) throws -> [UInt8] {
  let encoder = try #require(Transcoder(from: "UTF-8", to: "GB18030"))
  let input = Array(text.utf8)
  var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
  let (consumed, produced, stop) = input.withUnsafeBytes { source in
    output.withUnsafeMutableBytes { target in encoder.convert(source, into: target) }
  }
  #expect(stop == .finished)
  #expect(consumed == input.count)
  return Array(output[..<produced])
}
