import CSVStream
import Foundation
import Roster

/// What the screening pass reads one input through: the CSV file itself (`RosterSource`), or the
/// records the first pass read from it (`ReplayedRosterSource`).
protocol RosterBatches: AnyObject {
  var header: RosterHeader? { get }
  var skipped: SkippedRows { get }
  /// Raw input bytes behind the records handed out so far, for progress.
  var bytesRead: Int { get }
  var encoding: InputEncoding? { get }
  var hadByteOrderMark: Bool { get }
  /// SHA-256 of the raw input once it has been read to its end.
  var sha256: String? { get }
  func nextBatch() throws(ScreeningError) -> [CSVRecord]?
  func takeSkippedRecords() -> [SkippedRecord]
}

extension RosterSource: RosterBatches {
  var encoding: InputEncoding? { reader.encoding }
  var hadByteOrderMark: Bool { reader.hadByteOrderMark }
  var sha256: String? { reader.sha256 }
}

/// One spill file for every reader of the first pass, so a run over thousands of inputs holds
/// one descriptor: each writer reserves a place at the end and writes there on its own thread.
final class SpillStore: @unchecked Sendable {
  private let directory: String
  private let lock = NSLock()
  private var file: SpillFile?
  private var end: Int64 = 0
  private var failed = false

  init(directory: String) {
    self.directory = directory
  }

  /// Reserves `count` bytes at the end of the file for the caller to write, or `nil` when the
  /// file cannot be made (a full disk, say).
  func reserve(_ count: Int) -> (file: SpillFile, offset: Int64)? {
    lock.lock()
    defer { lock.unlock() }
    if file == nil, !failed {
      file = try? SpillFile(directory: directory)
      failed = file == nil
    }
    guard let file else { return nil }
    defer { end += Int64(count) }
    return (file, end)
  }
}

/// Writes the batches one reader of the first pass got from its `RosterSource` — the data
/// records and the skipped rows — to the spill store as `CSVRecordFrame`s, so the screening pass
/// can judge them without parsing the CSV again. A write that fails (a full disk) only loses
/// the spill: the screening pass then reads the input itself.
final class RecordSpillWriter {
  private let store: SpillStore
  private var buffer: [UInt8] = []
  private var chunks: [RecordSpill.Chunk] = []
  private var file: SpillFile?
  private var failed = false
  private static let flushSize = 1 << 20
  /// Field bytes of at least this size are written from the records' storage, not copied.
  private static let directSize = 64 << 10

  init(store: SpillStore) {
    self.store = store
    buffer.reserveCapacity(Self.flushSize + (256 << 10))
  }

  /// Adds one batch: the records `nextBatch()` returned, the rows skipped with them and the
  /// input bytes read so far.
  func append(_ records: [CSVRecord], skipped: [SkippedRecord], bytesRead: Int) {
    guard !failed else { return }
    withUnsafeBytes(of: UInt64(bytesRead)) { buffer.append(contentsOf: $0) }
    var tags: [UInt8] = []
    tags.reserveCapacity(records.count + skipped.count)
    tags.append(contentsOf: repeatElement(0, count: records.count))
    for row in skipped { tags.append(Self.tag(row.kind)) }
    let fieldBytes = CSVRecordFrame.appendHead(
      skipped.isEmpty ? records : records + skipped.map(\.record), tags: tags, to: &buffer)
    // A large batch's field bytes go to the file from where its records keep them, right after
    // the frame's head; a small one's join the buffer, so small batches still make large writes.
    if fieldBytes.count < Self.directSize {
      fieldBytes.forEach { buffer.append(contentsOf: $0) }
      if buffer.count >= Self.flushSize { flush() }
    } else {
      flush(then: fieldBytes)
    }
  }

  /// The spill, or `nil` when a write failed.
  func finish() -> RecordSpill? {
    flush()
    return failed ? nil : RecordSpill(file: file, chunks: chunks)
  }

  /// Writes the buffer and then `fieldBytes`, if any, as one chunk.
  private func flush(then fieldBytes: FrameFieldBytes? = nil) {
    let size = buffer.count + (fieldBytes?.count ?? 0)
    guard !failed, size > 0 else { return }
    defer { buffer.removeAll(keepingCapacity: true) }
    guard let (file, offset) = store.reserve(size) else {
      failed = true
      return
    }
    var position = offset
    do {
      try buffer.withUnsafeBytes { try file.write($0, at: position) }
      position += Int64(buffer.count)
      try fieldBytes?.forEach { bytes throws(ScreeningError) in
        try file.write(bytes, at: position)
        position += Int64(bytes.count)
      }
    } catch {
      failed = true
      return
    }
    self.file = file
    chunks.append(RecordSpill.Chunk(offset: offset, size: Int64(size)))
  }

  fileprivate static func tag(_ kind: SkippedRecord.Kind) -> UInt8 {
    switch kind {
    case .title: 1
    case .blank: 2
    case .repeatedHeader: 3
    case .total: 4
    }
  }

  fileprivate static func kind(_ tag: UInt8) -> SkippedRecord.Kind? {
    switch tag {
    case 1: .title
    case 2: .blank
    case 3: .repeatedHeader
    case 4: .total
    default: nil
    }
  }
}

/// Where one reader's frames lie in the spill file: runs of whole frames, in order.
struct RecordSpill {
  struct Chunk {
    var offset: Int64
    var size: Int64
  }

  /// `nil` only when the reader wrote nothing.
  let file: SpillFile?
  let chunks: [Chunk]
}

/// One piece of an input as the first pass read it to its end: its spill and what its reader
/// decided.
struct SpilledSegment {
  var spill: RecordSpill
  var header: RosterHeader
  var encoding: InputEncoding?
  var hadByteOrderMark: Bool
  var bytesRead: Int
}

/// An input's records replayed from the first pass's spills, one segment after another, with
/// the header, skipped rows, encoding and digest that pass found: the same batches a new
/// `RosterSource` would give, without reading the CSV again.
final class ReplayedRosterSource: RosterBatches {
  private let segments: [SpilledSegment]
  private let displayName: String
  private var segment = 0
  private var chunk = 0
  /// Where the next frame starts in the current chunk.
  private var offset: Int64 = 0
  private var bytesBefore = 0
  /// The head of the frame being read (its field bytes go straight into the records' storage);
  /// it grows to the largest head.
  private var frame = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 8)
  private var skippedRecords: [SkippedRecord] = []
  let header: RosterHeader?
  let encoding: InputEncoding?
  let hadByteOrderMark: Bool
  private(set) var skipped = SkippedRows()
  private(set) var bytesRead = 0
  private(set) var sha256: String?
  private let digest: String?
  /// Whether each chunk's disk space is given back once its frames are read (`SpillFile.release`).
  private let releasesReadChunks: Bool

  /// With `releasesReadChunks`, the records can be replayed once only: the screening's replay
  /// gives back the spill's space as it goes, so the disk holds the spill and the outputs
  /// together only briefly, and the file's pages need no freeing when the run ends.
  init(
    segments: [SpilledSegment], displayName: String, digest: String?,
    releasesReadChunks: Bool = false
  ) {
    self.segments = segments
    self.displayName = displayName
    self.digest = digest
    self.releasesReadChunks = releasesReadChunks
    header = segments.first?.header
    encoding = segments.first?.encoding
    hadByteOrderMark = segments.first?.hadByteOrderMark ?? false
  }

  deinit { frame.deallocate() }

  func nextBatch() throws(ScreeningError) -> [CSVRecord]? {
    while segment < segments.count, chunk == segments[segment].spill.chunks.count {
      bytesBefore += segments[segment].bytesRead
      bytesRead = bytesBefore
      segment += 1
      chunk = 0
    }
    guard segment < segments.count, let file = segments[segment].spill.file else {
      sha256 = digest
      return nil
    }
    let place = segments[segment].spill.chunks[chunk]
    let remaining = place.size - offset
    let start = place.offset + offset
    guard remaining >= 24 else { throw Self.damaged(file) }
    try file.read(frame, at: start, count: 24)
    let bytes = Int(clamping: frame.loadUnaligned(as: UInt64.self))
    let prefix = UnsafeRawBufferPointer(rebasing: frame[8..<24])
    guard let size = CSVRecordFrame.frameSize(startingWith: prefix),
      Int64(size) <= remaining - 8,
      let fieldByteCount = CSVRecordFrame.fieldByteCount(startingWith: prefix)
    else { throw Self.damaged(file) }
    // The frame's head comes into the buffer, its field bytes straight into the records' storage.
    let headSize = size - fieldByteCount
    if frame.count < headSize {
      frame.deallocate()
      frame = .allocate(byteCount: headSize, alignment: 8)
    }
    try file.read(frame, at: start + 8, count: headSize)
    let fieldBytesStart = start + 8 + Int64(headSize)
    guard
      let (records, tags) = try CSVRecordFrame.records(
        head: UnsafeRawBufferPointer(rebasing: frame[..<headSize]), file: displayName,
        fieldByteCount: fieldByteCount,
        fieldBytes: { bytes throws(ScreeningError) in
          try file.read(bytes, at: fieldBytesStart, count: bytes.count)
        })
    else { throw Self.damaged(file) }
    offset += Int64(8 + size)
    if offset == place.size {
      if releasesReadChunks { file.release(at: place.offset, count: place.size) }
      chunk += 1
      offset = 0
    }
    bytesRead = bytesBefore + bytes
    guard let firstSkipped = tags.firstIndex(where: { $0 != 0 }) else { return records }
    for (record, tag) in zip(records[firstSkipped...], tags[firstSkipped...]) {
      guard let kind = RecordSpillWriter.kind(tag) else { throw Self.damaged(file) }
      switch kind {
      case .title: skipped.titleRows += 1
      case .blank: skipped.blankRows += 1
      case .repeatedHeader: skipped.repeatedHeaders += 1
      case .total: skipped.totalRows += 1
      }
      skippedRecords.append(SkippedRecord(record: record, kind: kind))
    }
    return Array(records[..<firstSkipped])
  }

  func takeSkippedRecords() -> [SkippedRecord] {
    defer { skippedRecords = [] }
    return skippedRecords
  }

  private static func damaged(_ file: SpillFile) -> ScreeningError {
    .output(path: file.directory, message: "临时文件已损坏 / a spill file is damaged")
  }
}
