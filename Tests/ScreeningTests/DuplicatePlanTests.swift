import CSVStream
import Foundation
import Policy
import Roster
import Synchronization
import Testing

@testable import RosterSynthesis
@testable import Screening

@Suite struct ExternalSorterTests {
  struct Pair: BitwiseCopyable, Comparable {
    var key: UInt64
    var ordinal: UInt64

    static func < (left: Pair, right: Pair) -> Bool {
      (left.key, left.ordinal) < (right.key, right.ordinal)
    }
  }

  static func drain(_ runs: inout SortedRuns<Pair>) throws -> [Pair] {
    var out: [Pair] = []
    while let next = try runs.next() { out.append(next) }
    return out
  }

  @Test(arguments: [0, 1, 6, 7, 8, 100, 1_000])
  func mergesRunsIntoOneOrder(count: Int) throws {
    let folder = try TestSupport.temporaryDirectory()
    var generator = SplitMix64(seed: 11)
    let pairs = (0..<count).map {
      Pair(key: UInt64.random(in: 0..<20, using: &generator), ordinal: UInt64($0))
    }
    var sorter = ExternalSorter<Pair>(directory: folder.path, runCapacity: 7)
    for pair in pairs { try sorter.append(pair) }
    var runs = try sorter.sorted()
    let merged = try Self.drain(&runs)
    #expect(merged == pairs.sorted { ($0.key, $0.ordinal) < ($1.key, $1.ordinal) })
    // The spill files have no names: nothing is left in the folder.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }

  /// Values appended a list at a time fill runs across the lists' edges, as one at a time does.
  @Test(arguments: [[0], [3, 4], [7, 1, 13], [6, 0, 22, 7]])
  func listsAppendedFillRunsAcrossTheirEdges(sizes: [Int]) throws {
    let folder = try TestSupport.temporaryDirectory()
    var generator = SplitMix64(seed: 22)
    var sorter = ExternalSorter<Pair>(directory: folder.path, runCapacity: 7)
    var all: [Pair] = []
    for size in sizes {
      let list = (all.count..<all.count + size).map {
        Pair(key: UInt64.random(in: 0..<5, using: &generator), ordinal: UInt64($0))
      }
      try sorter.append(contentsOf: list)
      all += list
    }
    var runs = try sorter.sorted()
    #expect(try Self.drain(&runs) == all.sorted())
  }

  /// The sorter handed over keeps every value, spilled or not; the one left behind is empty.
  @Test(arguments: [3, 30])
  func takingAllLeavesAnEmptySorter(count: Int) throws {
    let folder = try TestSupport.temporaryDirectory()
    var sorter = ExternalSorter<Pair>(directory: folder.path, runCapacity: 7)
    let pairs = (0..<count).map { Pair(key: UInt64((count - $0) % 4), ordinal: UInt64($0)) }
    try sorter.append(contentsOf: pairs)
    let taken = sorter.takeAll()
    var runs = try taken.sorted()
    #expect(try Self.drain(&runs) == pairs.sorted())
    var left = try sorter.sorted()
    #expect(try Self.drain(&left).isEmpty)
  }

  /// Runs sorted by their callers merge with values appended one at a time.
  @Test(arguments: [0, 5, 7, 30])
  func sortedRunsMergeWithAppendedValues(appended: Int) throws {
    let folder = try TestSupport.temporaryDirectory()
    var generator = SplitMix64(seed: 33)
    func pairs(_ count: Int, from start: Int) -> [Pair] {
      (start..<start + count).map {
        Pair(key: UInt64.random(in: 0..<20, using: &generator), ordinal: UInt64($0))
      }
    }
    var sorter = ExternalSorter<Pair>(directory: folder.path, runCapacity: 7)
    let first = pairs(40, from: 0).sorted()
    let second = pairs(3, from: 40).sorted()
    let loose = pairs(appended, from: 43)
    try sorter.append(sorted: first)
    for pair in loose { try sorter.append(pair) }
    try sorter.append(sorted: second)
    try sorter.append(sorted: [])
    var runs = try sorter.sorted()
    #expect(try Self.drain(&runs) == (first + second + loose).sorted())
  }

  /// Every run goes into one spill file, so a sort of many runs holds one descriptor.
  @Test func manyRunsHoldOneDescriptor() throws {
    let folder = try TestSupport.temporaryDirectory()
    // Only descriptors on files in this test's folder count: other tests run at the same time.
    func openDescriptors() throws -> Int {
      try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter { name in
        let target = try? FileManager.default.destinationOfSymbolicLink(
          atPath: "/proc/self/fd/\(name)")
        return target?.hasPrefix(folder.path) == true
      }.count
    }
    let before = try openDescriptors()
    var sorter = ExternalSorter<Pair>(directory: folder.path, runCapacity: 2)
    for index in 0..<3_000 { try sorter.append(Pair(key: UInt64(index % 97), ordinal: 0)) }
    var runs = try sorter.sorted()
    #expect(try openDescriptors() == before + 1)
    let merged = try Self.drain(&runs)
    #expect(merged.count == 3_000)
    #expect(merged.map(\.key) == merged.map(\.key).sorted())
  }

  @Test func anUnwritableFolderIsAnOutputError() throws {
    var sorter = ExternalSorter<Pair>(directory: "/nonexistent-folder", runCapacity: 2)
    try sorter.append(Pair(key: 1, ordinal: 0))
    #expect(throws: ScreeningError.self) { try sorter.append(Pair(key: 2, ordinal: 1)) }
  }
}

@Suite struct DuplicatePlanTests {
  static let names = [
    "verdicts.csv", "rejects.csv", "skipped.csv", "summary-series-district.csv",
    "summary-skill-district.csv", "reasons.csv", "summary.json",
  ]

  /// Three inputs: a generated roster, the same roster again (every ID repeats in another file),
  /// and a hand-made one with title and blank rows, a damaged record, malformed IDs that repeat,
  /// and a repeat of an ID from the first file.
  static func inputs(in folder: URL) throws -> [String] {
    let first = folder.appendingPathComponent("a.csv")
    let again = folder.appendingPathComponent("b.csv")
    let mixed = folder.appendingPathComponent("c.csv")
    let synthetic = SyntheticRoster(seed: 3, badRate: 0.1)
    try synthetic.write(
      rows: 3_000, to: first.path, encoding: .utf8BOM, policy: TestSupport.defaultPolicy)
    try FileManager.default.copyItem(at: first, to: again)
    let firstRows = try TestSupport.rows(first)
    let idColumn = try #require(SyntheticRoster.header.firstIndex(of: "身份证号"))
    let repeated = firstRows[10]
    var text = "2026年第三季度人员名单\n" + SyntheticRoster.header.joined(separator: ",") + "\n"
    let width = SyntheticRoster.header.count
    func row(id: String) -> String {
      var cells = repeated
      cells[idColumn] = id
      return cells.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",")
    }
    text += row(id: "12345") + "\n"
    text += String(repeating: ",", count: width - 1) + "\n"
    text += row(id: "12345") + "\n"
    text += "\"broken,\"x\n"
    text += row(id: repeated[idColumn]) + "\n"
    text += row(id: "") + "\n"
    text += row(id: " 12345 ") + "\n"
    try Data(text.utf8).write(to: mixed)
    return [first.path, again.path, mixed.path]
  }

  @Test(arguments: [1, 2])
  func theTwoPassRunWritesWhatTheOnePassRunWrites(jobs: Int) throws {
    let folder = try TestSupport.temporaryDirectory()
    let inputs = try Self.inputs(in: folder)
    let report = try Self.expectSameBothWays(inputs, in: folder, jobs: jobs)
    #expect(report.duplicates >= 3_000 + 3)
    #expect(report.failedInputs.isEmpty)
  }

  @Test(arguments: [1, 2, 1 << 19])
  func theRepeatsComeInInputOrderNamingTheFirstPlace(runCapacity: Int) throws {
    let folder = try TestSupport.temporaryDirectory()
    let mixed = try Self.inputs(in: folder)[2]
    var plan = try DuplicatePlan.make(
      inputs: [(mixed, "c.csv")], options: CSVReaderOptions(), directory: folder.path,
      runCapacity: runCapacity)
    #expect(plan.digests.count == 1)
    #expect(plan.digests.allSatisfy { $0 != nil })
    // Line 3 holds 12345 first; lines 5 and 9 repeat it (line 9 with spaces around); line 7 is
    // the first occurrence of its ID in this file; the damaged line 6 and the empty ID on line
    // 8 are not counted.
    #expect(try plan.firstSeen(file: 0, line: 3) == nil)
    #expect(try plan.firstSeen(file: 0, line: 5) == SourceLocation(file: "c.csv", line: 3))
    #expect(try plan.firstSeen(file: 0, line: 7) == nil)
    #expect(try plan.firstSeen(file: 0, line: 9) == SourceLocation(file: "c.csv", line: 3))
    #expect(try plan.firstSeen(file: 0, line: 10) == nil)
  }

  /// One roster made of two generated ones; with `middleInsideARecord`, a record with a
  /// quoted field of many lines sits across the middle of the file.
  static func largeInput(in folder: URL, middleInsideARecord: Bool) throws -> String {
    var parts: [Data] = []
    for seed: UInt64 in [5, 6] {
      let url = folder.appendingPathComponent("part\(seed).csv")
      try SyntheticRoster(seed: seed, badRate: 0.1)
        .write(rows: 1_500, to: url.path, encoding: .utf8BOM, policy: TestSupport.defaultPolicy)
      parts.append(try Data(contentsOf: url))
    }
    var bytes = parts[0]
    if middleInsideARecord {
      let width = SyntheticRoster.header.count
      var row = "330602199001011237,林晓测,\""
      row += String(repeating: "多行备注\n", count: 40_000) + "\""
      row += String(repeating: ",", count: width - 3) + "\r\n"
      bytes.append(contentsOf: Array(row.utf8))
    }
    let second = parts[1]
    let headerEnd = try #require(second.firstIndex(of: UInt8(ascii: "\n")))
    bytes.append(second[(headerEnd + 1)...])
    let url = folder.appendingPathComponent("large.csv")
    try bytes.write(to: url)
    return url.path
  }

  @Test(arguments: [false, true], [2, 3, 4])
  func oneLargeInputReadInPiecesWritesWhatOneReaderWrites(
    middleInsideARecord: Bool, readers: Int
  ) throws {
    let folder = try TestSupport.temporaryDirectory()
    let input = try Self.largeInput(in: folder, middleInsideARecord: middleInsideARecord)
    let plan = try DuplicatePlan.make(
      inputs: [(input, input)], options: CSVReaderOptions(), directory: folder.path,
      readers: readers, splitSize: 0)
    #expect(plan.reading == (middleInsideARecord ? .piecesThenWhole : .pieces))
    let whole = try DuplicatePlan.make(
      inputs: [(input, input)], options: CSVReaderOptions(), directory: folder.path, readers: 1)
    #expect(whole.reading == .whole)
    #expect(plan.digests == whole.digests)
    #expect(plan.digests[0] != nil)

    let report = try Self.expectSameBothWays([input], in: folder, jobs: readers, splitSize: 0)
    #expect(report.duplicates > 0)
    #expect(report.failedInputs.isEmpty)
  }

  /// Runs the inputs with the in-memory index and with the duplicate pass (runs of three, so
  /// they spill and merge; pieces from `splitSize`) and expects the same seven files.
  static func expectSameBothWays(
    _ inputs: [String], in folder: URL, jobs: Int = 2, splitSize: Int = 64 << 20
  ) throws -> RunReport {
    let memory = folder.appendingPathComponent("memory-\(UUID().uuidString)")
    let disk = folder.appendingPathComponent("disk-\(UUID().uuidString)")
    let one = try ScreeningRun.run(
      TestSupport.configuration(inputs: inputs, out: memory, jobs: jobs, batchSize: 100))
    var configuration = TestSupport.configuration(
      inputs: inputs, out: disk, jobs: jobs, batchSize: 100)
    configuration.inMemoryDuplicateLimit = 0
    configuration.duplicateRunCapacity = 3
    configuration.duplicateSplitSize = splitSize
    let two = try ScreeningRun.run(configuration)
    #expect(two.duplicates == one.duplicates)
    #expect(two.failedInputs.map(\.path) == one.failedInputs.map(\.path))
    for name in Self.names {
      let a = try Data(contentsOf: memory.appendingPathComponent(name))
      let b = try Data(contentsOf: disk.appendingPathComponent(name))
      #expect(a == b, "\(name) differs between the one-pass and the two-pass run")
    }
    return one
  }

  /// IDs that Swift holds equal (canonically equivalent text) are repeats both ways.
  @Test func canonicallyEqualTextsAreOneKeyBothWays() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("r.csv")
    try TestSupport.writeRoster(
      roster, header: ["身份证号", "姓名"],
      rows: [["\u{C9}", "甲测"], ["E\u{0301}", "乙测"], ["E\u{200D}\u{0301}", "丙测"]])
    let report = try Self.expectSameBothWays([roster.path], in: folder)
    #expect(report.duplicates >= 1)
  }

  /// A symbolic link is measured by its target, and a pipe is copied before it is read twice.
  @Test func linksAndPipesAreReadTheSameBothWays() throws {
    let folder = try TestSupport.temporaryDirectory()
    let inputs = try Self.inputs(in: folder)
    let link = folder.appendingPathComponent("link.csv")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: inputs[2])
    let size = try #require(
      try FileManager.default.attributesOfItem(atPath: inputs[2])[.size] as? NSNumber)
    #expect(ScreeningRun.fileSize(link.path) == size.intValue)
    let fifo = folder.appendingPathComponent("pipe.csv")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: inputs[2]))
    let writer = Thread {
      if let handle = FileHandle(forWritingAtPath: fifo.path) {
        handle.write(bytes)
        try? handle.close()
      }
    }
    writer.start()
    let disk = folder.appendingPathComponent("disk")
    var configuration = TestSupport.configuration(
      inputs: [inputs[0], fifo.path, link.path], out: disk, jobs: 2)
    configuration.inMemoryDuplicateLimit = 0
    // The pipe's copy is needed only until the first pass has kept its records.
    let hidden = "\(folder.path)/.disk.partial-\(getpid())"
    let copiesDuringScreening = Mutex<Set<String>>([])
    configuration.progress = { progress in
      guard progress.phase == .screening else { return }
      let names = (try? FileManager.default.contentsOfDirectory(atPath: hidden)) ?? []
      copiesDuringScreening.withLock { $0.formUnion(names.filter { $0.hasPrefix(".input-") }) }
    }
    let report = try ScreeningRun.run(configuration)
    #expect(report.failedInputs.isEmpty, "\(report.failedInputs.map(\.failure))")
    #expect(copiesDuringScreening.withLock { $0 }.isEmpty)
    // The pipe's rows repeat rows of the first input and of each other; the link's repeat all.
    #expect(report.duplicates >= 3 + 4)
    #expect(report.inputs[2].size == size.intValue)
  }

  /// When an input stops part-way in the screening, the next one still meets its own repeats.
  @Test func theNextInputStartsAtItsOwnCount() throws {
    let folder = try TestSupport.temporaryDirectory()
    let inputs = try Self.inputs(in: folder)
    var plan = try DuplicatePlan.make(
      inputs: [(inputs[0], "a.csv"), (inputs[2], "c.csv")], options: CSVReaderOptions(),
      directory: folder.path, runCapacity: 4)
    try plan.startFile(0)
    _ = try plan.firstSeen(file: 0, line: 2)
    try plan.startFile(1)
    #expect(try plan.firstSeen(file: 1, line: 3) == nil)
    #expect(try plan.firstSeen(file: 1, line: 5) == SourceLocation(file: "c.csv", line: 3))
    #expect(try plan.firstSeen(file: 1, line: 7)?.file == "a.csv")
  }

  @Test func aRecordOutOfStepWithTheFirstPassIsAnInputChange() throws {
    let folder = try TestSupport.temporaryDirectory()
    let inputs = try Self.inputs(in: folder)
    var plan = try DuplicatePlan.make(
      inputs: [(inputs[2], "c.csv")], options: CSVReaderOptions(), directory: folder.path)
    #expect(try plan.firstSeen(file: 0, line: 3) == nil)
    #expect(throws: ScreeningError.self) { try plan.firstSeen(file: 0, line: 6) }
  }

  @Test func standardInputIsReadTwiceFromACopyThatIsRemovedAfterwards() throws {
    let folder = try TestSupport.temporaryDirectory()
    let inputs = try Self.inputs(in: folder)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: inputs[2]))
    let out = folder.appendingPathComponent("stdin-out")
    let result = try TestSupport.run(
      ["screen", "-", "--as-of", "2026-09-30", "--out", out.path, "--no-progress"], input: bytes)
    #expect(result.status == 0, "\(result.standardError)")
    let verdicts = try TestSupport.rows(out.appendingPathComponent("verdicts.csv"))
    let duplicateNotes = verdicts.filter { $0.dropFirst().joined().contains("stdin:3") }
    #expect(duplicateNotes.count == 2)
    let contents = try FileManager.default.contentsOfDirectory(atPath: out.path)
    #expect(Set(contents) == Set(Self.names))
    let siblings = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(!siblings.contains { $0.hasPrefix(".stdin-out") })
  }
}
