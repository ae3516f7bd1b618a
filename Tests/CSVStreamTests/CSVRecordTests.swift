import Dispatch
import Foundation
import Testing

@testable import CSVStream

/// Records share their batch's storage: each must keep its own fields whatever is read after it.
@Suite struct CSVRecordTests {
  @Test func fieldsReadOneAtATimeMatchTheWholeRecord() {
    let record = CSVRecord(
      location: SourceLocation(file: "a.csv", line: 3), fields: ["张三", "", "x,y"],
      quoted: [false, true, true])
    #expect(record.fieldCount == 3)
    #expect(record.field(0) == "张三")
    #expect(record.withFieldBytes(0) { Array($0) } == Array("张三".utf8))
    #expect(record.withFieldBytes(1) { $0.count } == 0)
    #expect(record.isQuoted(1) && !record.isQuoted(0))
    #expect(record.fields == ["张三", "", "x,y"])
    #expect(record.quoted == [false, true, true])
  }

  @Test func recordsEqualByContentNotByStorage() {
    let location = SourceLocation(file: "a.csv", line: 1)
    let one = CSVRecord(location: location, fields: ["a", "b"])
    let other = CSVRecord(location: location, fields: ["a", "b"])
    #expect(one == other)
    #expect(Set([one, other]).count == 1)
    #expect(one != CSVRecord(location: location, fields: ["a", "b"], quoted: [true, false]))
  }

  /// Small batches and blocks put records, and quoted fields running over several lines, across
  /// many storages; every record read earlier must still hold its own fields at the end.
  @Test(arguments: [1, 2, 3, 7])
  func recordsKeepTheirFieldsAcrossBatches(batchSize: Int) throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    var text = "id,note\n"
    var expected: [[String]] = []
    for row in 0..<40 {
      let note = row % 3 == 0 ? "第\(row)行\n续行, 含逗号" : "备注\(row)"
      text += "\(row),\"\(note)\"\n"
      expected.append(["\(row)", note])
    }
    let path = try scratch.write(Array(text.utf8))
    let reader = try CSVReader(
      path: path, options: CSVReaderOptions(blockSize: 64, batchSize: batchSize))
    var records: [CSVRecord] = []
    while let batch = try reader.nextBatch() { records.append(contentsOf: batch) }
    #expect(records.dropFirst().map(\.fields) == expected)
    #expect(records.dropFirst().allSatisfy { $0.isQuoted(1) && !$0.isQuoted(0) })
  }

  /// The file name and damage live in the storage a batch's records share; changing them on one
  /// record (or one copy) leaves every other record as it was.
  @Test func changingLocationOrDamageChangesOnlyThatRecord() throws {
    let reader = CSVReader(bytes: Array("a,\"b c\"\nd,e\n".utf8), displayName: "roster.csv")
    let records = try reader.readAll()
    try #require(records.count == 2)
    var moved = records[0]
    moved.location.line = 9
    #expect(moved.location == SourceLocation(file: "roster.csv", line: 9))
    moved.location = SourceLocation(file: "other.csv", line: 4)
    #expect(moved.location == SourceLocation(file: "other.csv", line: 4))
    let damage = RecordDamage(kind: .malformedQuotes, failingLine: 4, column: 2, message: "m")
    var damaged = moved
    damaged.damage = damage
    #expect(damaged.damage == damage)
    #expect(damaged.location == SourceLocation(file: "other.csv", line: 4))
    #expect(damaged.fields == ["a", "b c"] && damaged.quoted == [false, true])
    #expect(moved.damage == nil && moved.fields == ["a", "b c"] && moved.quoted == [false, true])
    damaged.damage = nil
    #expect(damaged == moved)
    #expect(records.map(\.location.description) == ["roster.csv:1", "roster.csv:2"])
    #expect(records.allSatisfy { $0.damage == nil })
    #expect(records.map(\.fields) == [["a", "b c"], ["d", "e"]])
  }

  @Test func damageAndLocationComeFromTheInitialiser() {
    let damage = RecordDamage(kind: .invalidEncoding, failingLine: 7, column: nil, message: "x")
    let location = SourceLocation(file: "名单.csv", line: 6)
    let record = CSVRecord(location: location, fields: ["\\xB0"], damage: damage)
    let copy = record
    #expect(copy.location == location && copy.damage == damage)
    #expect(record != CSVRecord(location: location, fields: ["\\xB0"]))
    let elsewhere = SourceLocation(file: "b.csv", line: 6)
    #expect(record != CSVRecord(location: elsewhere, fields: ["\\xB0"], damage: damage))
  }

  /// Short fields are copied without `memcpy`, in pieces chosen by length: every length up to
  /// and past the largest piece reads back whole, next to fields of other lengths.
  @Test func fieldsOfEveryLengthReadBackWhole() throws {
    let alphabet: [Character] = Array("abcdefghijklmnopqrstuvwxyz")
    var fields: [String] = []
    for length in 0...40 {
      var field = ""
      for index in 0..<length { field.append(alphabet[(index * 7 + length) % 26]) }
      fields.append(field)
    }
    let text = fields.joined(separator: ",") + "\n" + fields.reversed().joined(separator: ",")
    let (records, _) = try readFile(Array(text))
    #expect(records.map(\.fields) == [fields, Array(fields.reversed())])
    let made = CSVRecord(location: SourceLocation(file: "a.csv", line: 1), fields: fields)
    #expect(made.fields == fields)
  }

  @Test func missingQuoteFlagsCountAsNotQuoted() {
    let record = CSVRecord(
      location: SourceLocation(file: "a.csv", line: 1), fields: ["a", "b"], quoted: [true])
    #expect(record.quoted == [true, false])
  }

  /// Batches are read on other threads while the reader fills the next storage, as the
  /// screening's workers do (meant to be run under ThreadSanitizer as well).
  @Test func batchesReadOnOtherThreadsWhileTheReaderGoesOn() throws {
    var text = "id,note,extra\n"
    var expected: [[String]] = [["id", "note", "extra"]]
    for row in 0..<3000 {
      let note = row % 5 == 0 ? "第\(row)行\n续, 行" : String(repeating: "备注", count: row % 17)
      let extra = row % 7 == 0 ? "" : "e\(row)"
      text += "\(row),\"\(note)\",\(extra)\n"
      expected.append(["\(row)", note, extra])
    }
    let reader = CSVReader(
      bytes: Array(text.utf8), displayName: "t.csv",
      options: CSVReaderOptions(blockSize: 64, batchSize: 3))
    let queue = DispatchQueue(label: "csv-record-tests", attributes: .concurrent)
    let group = DispatchGroup()
    let lock = NSLock()
    nonisolated(unsafe) var seen: [Int: [[String]]] = [:]
    var count = 0
    while let batch = try reader.nextBatch() {
      let number = count
      count += 1
      queue.async(group: group) {
        let fields = batch.map(\.fields)
        lock.lock()
        seen[number] = fields
        lock.unlock()
      }
    }
    group.wait()
    #expect((0..<count).flatMap { seen[$0] ?? [] } == expected)
  }
}
