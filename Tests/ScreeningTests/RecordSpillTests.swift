import CSVStream
import Foundation
import Roster
import Testing

@testable import Screening

/// The screening pass judges the records the first pass read: replayed from its spills, they are
/// the batches, skipped rows, counts and reader facts a fresh read of the input gives.
@Suite struct RecordSpillTests {
  struct Drained: Equatable {
    var records: [CSVRecord] = []
    var skipped: [CSVRecord] = []
    var kinds: [String] = []
    var counts = SkippedRows()
    var header: [String] = []
    var encoding: InputEncoding?
    var byteOrderMark = false
    var bytesRead = 0
    var sha256: String?
  }

  static func drain(_ source: any RosterBatches) throws -> Drained {
    var drained = Drained()
    while let batch = try source.nextBatch() {
      drained.records += batch
      for row in source.takeSkippedRecords() {
        drained.skipped.append(row.record)
        drained.kinds.append("\(row.kind)")
      }
    }
    drained.counts = source.skipped
    drained.header = source.header.map { $0.names + ["\($0.location)"] } ?? []
    drained.encoding = source.encoding
    drained.byteOrderMark = source.hadByteOrderMark
    drained.bytesRead = source.bytesRead
    drained.sha256 = source.sha256
    return drained
  }

  static func fresh(_ path: String, name: String, batchSize: Int) throws -> Drained {
    var options = CSVReaderOptions()
    options.batchSize = batchSize
    return try drain(RosterSource(path: path, displayName: name, options: options))
  }

  @Test(arguments: [1, 2])
  func everyInputReplaysAsAFreshReadGivesIt(readers: Int) throws {
    let folder = try TestSupport.temporaryDirectory()
    let inputs = try DuplicatePlanTests.inputs(in: folder)
    var options = CSVReaderOptions()
    options.batchSize = 7
    var plan = try DuplicatePlan.make(
      inputs: inputs.map { ($0, URL(fileURLWithPath: $0).lastPathComponent) }, options: options,
      directory: folder.path, runCapacity: 5, readers: readers)
    for (file, path) in inputs.enumerated() {
      let name = URL(fileURLWithPath: path).lastPathComponent
      let handedOut = plan.replay(file: file)
      let replay = try #require(handedOut)
      // Handed out once: its chunks are given back as they are read.
      let again = plan.replay(file: file)
      #expect(again == nil)
      let replayed = try Self.drain(replay)
      let expected = try Self.fresh(path, name: name, batchSize: 7)
      #expect(replayed == expected, "\(name)")
      let size = try #require(
        try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
      #expect(replayed.bytesRead == size)
    }
    // The hand-made input has a title row, a blank row and a damaged record.
    let mixed = try Self.fresh(inputs[2], name: "c.csv", batchSize: 7)
    #expect(mixed.counts.titleRows == 1 && mixed.counts.blankRows == 1)
    #expect(mixed.records.contains { $0.damage != nil })
  }

  @Test(arguments: [false, true], [2, 4])
  func aLargeInputReadInPiecesReplaysAsOneInput(middleInsideARecord: Bool, readers: Int) throws {
    let folder = try TestSupport.temporaryDirectory()
    let input = try DuplicatePlanTests.largeInput(
      in: folder, middleInsideARecord: middleInsideARecord)
    var plan = try DuplicatePlan.make(
      inputs: [(input, "big.csv")], options: CSVReaderOptions(), directory: folder.path,
      readers: readers, splitSize: 0)
    #expect(plan.reading == (middleInsideARecord ? .piecesThenWhole : .pieces))
    let handedOut = plan.replay(file: 0)
    let replay = try #require(handedOut)
    let replayed = try Self.drain(replay)
    #expect(replayed == (try Self.fresh(input, name: "big.csv", batchSize: 4096)))
    #expect(replayed.sha256 == plan.digests[0])
  }

  /// Records that could not be written (here: a folder that does not exist, as a full disk
  /// would) leave the input to be read again by the screening pass, not lost.
  @Test func anInputWhoseRecordsCouldNotBeKeptIsReadAgain() throws {
    let folder = try TestSupport.temporaryDirectory()
    let inputs = try DuplicatePlanTests.inputs(in: folder)
    var plan = try DuplicatePlan.make(
      inputs: [(inputs[2], "c.csv")], options: CSVReaderOptions(),
      directory: folder.appendingPathComponent("missing").path)
    let replay = plan.replay(file: 0)
    #expect(replay == nil)
    #expect(plan.digests[0] != nil)
  }

  /// When the first pass's records could not be kept, the screening reads the input again, and
  /// an input changed in between is FAILED rather than judged from other bytes than the repeats
  /// were found in.
  @Test func anInputReadAgainAndChangedInBetweenIsFailed() throws {
    let folder = try TestSupport.temporaryDirectory()
    let inputs = try DuplicatePlanTests.inputs(in: folder)
    var configuration = TestSupport.configuration(
      inputs: [inputs[0]], out: folder.appendingPathComponent("out"))
    configuration.inMemoryDuplicateLimit = 0
    configuration.replaysFirstPass = false
    let path = inputs[0]
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    // The same size, one digit of the first ID number changed.
    let digit = try #require(bytes.firstIndex(of: UInt8(ascii: "3")))
    bytes[digit] = UInt8(ascii: "4")
    let changed = bytes
    let once = TruncateOnce()
    // The input is under one read block, so the first pass has read all of it when it first
    // reports progress.
    configuration.progress = { progress in
      guard progress.phase == .duplicates else { return }
      once.run { try? changed.write(to: URL(fileURLWithPath: path)) }
    }
    let report = try ScreeningRun.run(configuration)
    #expect(report.failedInputs.count == 1)
    #expect(report.failedInputs.first?.failure?.contains("被改动") == true)
  }

  /// A spill damaged on disk, or shorter than its chunks say, fails the replay with an error
  /// instead of trapping or handing out records that were never read.
  @Test(arguments: [
    (8, [UInt8](repeating: 0xFF, count: 8)), (8, [UInt8](repeating: 0, count: 8)),
    (16, [UInt8](repeating: 0xFF, count: 8)), (16, [UInt8](repeating: 0x7F, count: 4)),
    (-1, []),
  ])
  func aDamagedSpillFailsTheReplay(offset: Int, bytes: [UInt8]) throws {
    let folder = try TestSupport.temporaryDirectory()
    let writer = RecordSpillWriter(store: SpillStore(directory: folder.path))
    let records = (0..<50).map { line in
      CSVRecord(
        location: SourceLocation(file: "d.csv", line: line + 2),
        fields: ["330602199001011231", "周测\(line)", "诸暨市"])
    }
    writer.append(Array(records[..<20]), skipped: [], bytesRead: 900)
    writer.append(Array(records[20...]), skipped: [], bytesRead: 2000)
    let written = try #require(writer.finish())
    let file = try #require(written.file)
    let chunk = try #require(written.chunks.first)
    let header = try RosterHeader(
      record: CSVRecord(
        location: SourceLocation(file: "d.csv", line: 1), fields: ["身份证号", "姓名", "所在区县"]))
    func replay(_ chunks: [RecordSpill.Chunk]) -> ReplayedRosterSource {
      let segment = SpilledSegment(
        spill: RecordSpill(file: file, chunks: chunks), header: header, encoding: .utf8,
        hadByteOrderMark: false, bytesRead: 2000)
      return ReplayedRosterSource(segments: [segment], displayName: "d.csv", digest: nil)
    }
    #expect(try Self.drain(replay(written.chunks)).records == records)
    var chunks = written.chunks
    if offset < 0 {
      chunks[chunks.count - 1].size += 100
    } else {
      try bytes.withUnsafeBytes { try file.write($0, at: chunk.offset + Int64(offset)) }
    }
    #expect(throws: ScreeningError.self) { _ = try Self.drain(replay(chunks)) }
  }

  /// The screening's replay gives back each chunk's disk space once it has read it, and still
  /// hands out every record; a replay that does not release leaves the spill whole.
  @Test func aReplayThatReleasesGivesBackTheSpillsSpace() throws {
    let folder = try TestSupport.temporaryDirectory()
    let writer = RecordSpillWriter(store: SpillStore(directory: folder.path))
    // Field bytes over 64 KiB are written at once, so each batch is a chunk of its own.
    let remark = String(repeating: "备注", count: 20_000)
    let records = (0..<6).map { line in
      CSVRecord(
        location: SourceLocation(file: "g.csv", line: line + 2),
        fields: ["330602199001011231", "吴测\(line)", remark])
    }
    for (index, record) in records.enumerated() {
      writer.append([record], skipped: [], bytesRead: 130_000 * (index + 1))
    }
    let written = try #require(writer.finish())
    let file = try #require(written.file)
    #expect(written.chunks.count == 6)
    let header = try RosterHeader(
      record: CSVRecord(
        location: SourceLocation(file: "g.csv", line: 1), fields: ["身份证号", "姓名", "备注"]))
    func replay(releasing: Bool) -> ReplayedRosterSource {
      let segment = SpilledSegment(
        spill: written, header: header, encoding: .utf8, hadByteOrderMark: false,
        bytesRead: 780_000)
      return ReplayedRosterSource(
        segments: [segment], displayName: "g.csv", digest: nil, releasesReadChunks: releasing)
    }
    func allocatedBytes() -> Int {
      var status = stat()
      return fstat(file.descriptor, &status) == 0 ? Int(status.st_blocks) * 512 : -1
    }
    let whole = allocatedBytes()
    #expect(whole >= 6 * 80_000)
    #expect(try Self.drain(replay(releasing: false)).records == records)
    #expect(allocatedBytes() == whole)
    #expect(try Self.drain(replay(releasing: true)).records == records)
    // A file system without holes keeps the space until the file is closed.
    guard FileSystemHoles.supported(in: folder.path) else { return }
    #expect(allocatedBytes() < 64 << 10)
  }

  /// A write that fails part-way (the disk filling up after the first chunks) loses the whole
  /// spill, not only its chunk: `finish()` gives no spill, so the screening pass reads that input
  /// itself instead of replaying records with a hole in them.
  @Test func aWriteFailingPartWayLosesTheWholeSpill() throws {
    let folder = try TestSupport.temporaryDirectory()
    let store = SpillStore(directory: folder.path)
    let writer = RecordSpillWriter(store: store)
    // Field bytes over 64 KiB are written at once, so each batch is its own write.
    let remark = String(repeating: "备注", count: 20_000)
    func batch(line: Int) -> [CSVRecord] {
      [
        CSVRecord(
          location: SourceLocation(file: "f.csv", line: line),
          fields: ["330602199001011231", "周测", remark])
      ]
    }
    writer.append(batch(line: 2), skipped: [], bytesRead: 120_000)
    let file = try #require(store.reserve(0)?.file)
    #expect(lseek(file.descriptor, 0, SEEK_END) > 120_000)
    // From here on the spill's descriptor refuses writes, as a full disk would.
    let readOnly = open("/dev/null", O_RDONLY)
    defer { close(readOnly) }
    #expect(dup2(readOnly, file.descriptor) == file.descriptor)
    writer.append(batch(line: 3), skipped: [], bytesRead: 240_000)
    writer.append(batch(line: 4), skipped: [], bytesRead: 360_000)
    #expect(writer.finish() == nil)
  }

  /// A run over many inputs keeps every input's records in one spill file, so it holds one
  /// descriptor for them however many enterprises sent a roster.
  @Test func manyInputsShareOneSpillFile() throws {
    let folder = try TestSupport.temporaryDirectory()
    let spills = folder.appendingPathComponent("spills")
    try FileManager.default.createDirectory(at: spills, withIntermediateDirectories: true)
    let source = try DuplicatePlanTests.inputs(in: folder)[2]
    let inputs = try (0..<40).map { index in
      let copy = folder.appendingPathComponent("e\(index).csv")
      try FileManager.default.copyItem(atPath: source, toPath: copy.path)
      return (copy.path, "e\(index).csv")
    }
    var plan = try DuplicatePlan.make(
      inputs: inputs, options: CSVReaderOptions(), directory: spills.path, runCapacity: 8,
      readers: 2)
    let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter {
      name in
      let target = try? FileManager.default.destinationOfSymbolicLink(
        atPath: "/proc/self/fd/\(name)")
      return target?.hasPrefix(spills.path) == true
    }
    // The sorter's runs and the records: two files.
    #expect(open.count == 2)
    let expected = try Self.fresh(source, name: "e0.csv", batchSize: 4096).records.count
    for file in inputs.indices {
      let handedOut = plan.replay(file: file)
      let replay = try #require(handedOut)
      #expect(try Self.drain(replay).records.count == expected)
    }
  }

  /// Once the first pass has read an input, changing the file does not change the run: the
  /// screening judges the records that pass read and found the repeats in.
  @Test func theScreeningJudgesWhatTheFirstPassRead() throws {
    let folder = try TestSupport.temporaryDirectory()
    let inputs = try DuplicatePlanTests.inputs(in: folder)
    let untouched = folder.appendingPathComponent("untouched")
    var configuration = TestSupport.configuration(inputs: inputs, out: untouched)
    configuration.inMemoryDuplicateLimit = 0
    _ = try ScreeningRun.run(configuration)

    let changed = folder.appendingPathComponent("changed")
    configuration = TestSupport.configuration(inputs: inputs, out: changed)
    configuration.inMemoryDuplicateLimit = 0
    let once = TruncateOnce()
    configuration.progress = { progress in
      guard progress.phase == .screening else { return }
      once.run { for path in inputs { _ = truncate(path, 10) } }
    }
    let report = try ScreeningRun.run(configuration)
    #expect(report.failedInputs.isEmpty)
    #expect(try Data(contentsOf: URL(fileURLWithPath: inputs[0])).count == 10)
    for name in DuplicatePlanTests.names where name != "summary.json" {
      let a = try Data(contentsOf: untouched.appendingPathComponent(name))
      let b = try Data(contentsOf: changed.appendingPathComponent(name))
      #expect(a == b, "\(name)")
    }
  }
}

/// Whether the file system of a folder can punch holes in files, as the spill's release needs:
/// asked of `fallocate` itself, not through `SpillFile.release`, whose work the tests check.
enum FileSystemHoles {
  static func supported(in folder: String) -> Bool {
    guard let symbol = dlsym(nil, "fallocate") else { return false }
    let punchHole = unsafeBitCast(
      symbol, to: (@convention(c) (Int32, Int32, off_t, off_t) -> Int32).self)
    let path = folder + "/holes-probe"
    let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { return false }
    defer {
      close(descriptor)
      unlink(path)
    }
    let bytes = [UInt8](repeating: 7, count: 1 << 20)
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    guard written == bytes.count, fsync(descriptor) == 0 else { return false }
    // FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE.
    return punchHole(descriptor, 0x02 | 0x01, 0, off_t(bytes.count)) == 0
  }
}
