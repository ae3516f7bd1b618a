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
