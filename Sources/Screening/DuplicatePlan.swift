import CSVStream
import Foundation
import Roster

/// Where each repeated ID number was first seen, worked out by a first pass over the inputs that
/// sorts every ID on disk. The screening pass then meets the repeats in input order, so memory
/// stays flat whatever the number of people; only the repeats' read buffers are held.
struct DuplicatePlan {
  /// One ID number seen at one place: the key (the packed ID, or a hash of any other text),
  /// the running count of IDs before it, and its file and line.
  /// Sightings sort by key, then by position, so the first of each key leads its group.
  struct Sighting: BitwiseCopyable, Comparable {
    var keyHigh: UInt64
    var keyLow: UInt64
    var ordinal: UInt64
    var location: UInt64

    static func < (left: Sighting, right: Sighting) -> Bool {
      (left.keyHigh, left.keyLow, left.ordinal) < (right.keyHigh, right.keyLow, right.ordinal)
    }
  }

  /// A later occurrence of an ID: its running count, and where the ID was first seen and here.
  /// Repeats sort by running count, the order the screening meets them in.
  struct Repeat: BitwiseCopyable, Comparable {
    var ordinal: UInt64
    var first: UInt64
    var location: UInt64

    static func < (left: Repeat, right: Repeat) -> Bool { left.ordinal < right.ordinal }
  }

  /// How many inputs the first pass reads at once at most: each reader holds its blocks and a
  /// batch of records (about 10 MiB in all measured), so more would break the flat memory bound
  /// on machines with many cores.
  static let maximumReaders = 4

  /// How a single large input was read by the first pass.
  enum Reading: Equatable {
    /// Whole, by one reader (several inputs, one job, a small file, or standard input).
    case whole
    /// In pieces at once, one reader each.
    case pieces
    /// In pieces that did not hold (a cut fell inside a record, or the encoding was decided
    /// late), then again whole.
    case piecesThenWhole
  }

  /// How the input was read, when there was one input.
  private(set) var reading = Reading.whole

  /// Each input's SHA-256 as the first pass read it, to prove the second pass read the same.
  let digests: [String?]
  /// The records the first pass read from each input, by input, when it read the input to its
  /// end: the screening pass judges them without parsing the CSV again.
  private var spilledSegments: [Int: [SpilledSegment]] = [:]
  private var repeats: SortedRuns<Repeat>
  private var head: Repeat?
  private var ordinal: UInt64 = 0
  private let files: [String]
  private let fileStarts: [UInt64]

  /// Reads every input the way the screening will (same header search, same skipped rows, same
  /// damaged records) and sorts the ID numbers of the records that will be judged. Up to
  /// `readers` files are read at once (the bureau's run has one file per enterprise); a single
  /// input of `splitSize` bytes or more is read in `readers` pieces at once. Each sighting is
  /// ordered by segment (file or piece) and by its count inside it, which is the input order.
  /// Each reader also spills the batches it read, which the screening pass then replays.
  static func make(
    inputs: [(path: String, displayName: String)], options: CSVReaderOptions, directory: String,
    runCapacity: Int = 1 << 17, readers: Int = 1, splitSize: Int = 64 << 20,
    progress: (@Sendable (Int, Int) -> Void)? = nil
  ) throws(ScreeningError) -> DuplicatePlan {
    // Each reader sorts runs of its own, so together they take the memory of one run.
    let shared = SharedSightings(
      sorter: ExternalSorter<Sighting>(
        directory: directory, runCapacity: runCapacity, sortRun: Sighting.sort),
      runCapacity: max(1, runCapacity / max(1, readers)),
      files: inputs.count, spillDirectory: directory, progress: progress)
    var reading = Reading.whole
    if inputs.count == 1, readers >= 2 {
      reading = readInPieces(
        inputs[0], options: options, splitSize: splitSize, pieces: readers, shared: shared)
    } else {
      for _ in inputs { _ = shared.newSegment() }
      DispatchQueue.concurrentPerform(iterations: max(1, min(readers, inputs.count))) { _ in
        while let fileIndex = shared.nextFile() {
          let input = inputs[fileIndex]
          guard
            let source = try? RosterSource(
              path: input.path, displayName: input.displayName, options: options)
          else { continue }
          shared.read(source, segment: fileIndex, file: fileIndex)
          shared.setDigest(source.reader.sha256, file: fileIndex)
        }
      }
    }
    let (sightings, counts, valid, digests, spills) = try shared.finish()
    // The running count of the first judged record of each segment.
    var bases: [UInt64] = []
    var total: UInt64 = 0
    for (count, isValid) in zip(counts, valid) {
      bases.append(total)
      if isValid { total += count }
    }
    func ordinal(_ sighting: Sighting) -> UInt64 {
      bases[Int(sighting.ordinal >> 40)] + (sighting.ordinal & (1 << 40 - 1))
    }
    func isValid(_ sighting: Sighting) -> Bool { valid[Int(sighting.ordinal >> 40)] }
    // Where each input's records begin in the running count: one segment per input, or all
    // the segments of the only input.
    let fileStarts = inputs.count == 1 ? [0] : bases

    var sorted = try (consume sightings).sorted()
    var repeats = ExternalSorter<Repeat>(directory: directory, runCapacity: runCapacity / 8)
    var first: Sighting?
    while let sighting = try sorted.next() {
      guard isValid(sighting) else { continue }
      if let earlier = first, earlier.keyHigh == sighting.keyHigh,
        earlier.keyLow == sighting.keyLow
      {
        try repeats.append(
          Repeat(
            ordinal: ordinal(sighting), first: earlier.location, location: sighting.location))
      } else {
        first = sighting
      }
    }
    var plan = try DuplicatePlan(
      digests: digests, repeats: repeats.sorted(mergeBudget: 256 << 10),
      files: inputs.map(\.displayName), fileStarts: fileStarts)
    plan.reading = reading
    // Each input's records, from the segments that stand, in order; an input with a segment
    // that did not reach its end (or lost its spill) is read again by the screening pass.
    for file in inputs.indices {
      let segments = spills.indices.filter { valid[$0] && spills[$0].file == file }
      let spilled = segments.compactMap { spills[$0].segment }
      guard !segments.isEmpty, spilled.count == segments.count else { continue }
      plan.spilledSegments[file] = spilled
    }
    return plan
  }

  /// One large input read as `pieces` pieces at once: the first from the file's start (which
  /// decides the encoding, delimiter and header) up to a line start, each other from a line start
  /// with what the first decided, up to the next. The pieces stand only if every piece but the
  /// last ended between records and nothing the first decided changed; otherwise the file is
  /// read again whole.
  private static func readInPieces(
    _ input: (path: String, displayName: String), options: CSVReaderOptions, splitSize: Int,
    pieces: Int, shared: SharedSightings
  ) -> Reading {
    func readWhole() -> Reading {
      let segment = shared.newSegment()
      guard
        let source = try? RosterSource(
          path: input.path, displayName: input.displayName, options: options)
      else { return .whole }
      shared.read(source, segment: segment, file: 0)
      shared.setDigest(source.reader.sha256, file: 0)
      return .whole
    }
    var status = stat()
    guard input.path != "-", stat(input.path, &status) == 0,
      status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) >= splitSize,
      let cuts = try? CSVContinuation.cutOffsets(
        inFile: input.path,
        after: (1..<max(2, pieces)).map { Int(status.st_size) * $0 / max(2, pieces) },
        encoding: .utf8),
      let first = cuts.first
    else { return readWhole() }
    // A first piece shorter than the 64 KiB the reader examines would decide from less text.
    guard first >= 64 << 10 else { return readWhole() }
    // The pieces skip hashing; the whole file is hashed once below.
    var headOptions = options
    headOptions.computesDigest = false
    headOptions.byteLimit = first
    guard
      let head = try? RosterSource(
        path: input.path, displayName: input.displayName, options: headOptions),
      (try? head.locateHeader()) != nil, let known = head.knownHeader,
      let encoding = head.reader.encoding, encoding == .utf8 || encoding == .gb18030
    else { return readWhole() }
    let delimiter = head.reader.delimiter
    let headSegment = shared.newSegment()
    let laterSegments = cuts.map { _ in shared.newSegment() }
    // Each later piece's thread counts the lines of the piece before it and adds the counts of
    // the pieces before that, so the head starts parsing at once and no core waits for a count.
    let lines = PieceLines(pieces: cuts.count)
    // Each piece's thread stores its reader under the lock; they are read after `wait()`.
    let laterLock = NSLock()
    nonisolated(unsafe) var later = [RosterSource?](repeating: nil, count: cuts.count)
    let group = DispatchGroup()
    for (index, cut) in cuts.enumerated() {
      let segment = laterSegments[index]
      DispatchQueue.global(qos: .userInitiated).async(group: group) {
        lines.publish(
          try? CSVContinuation.lineEnds(
            inFile: input.path, from: index == 0 ? 0 : cuts[index - 1], to: cut),
          piece: index)
        var pieceOptions = options
        pieceOptions.computesDigest = false
        if index + 1 < cuts.count { pieceOptions.byteLimit = cuts[index + 1] - cut }
        // A piece whose line or reader is missing is never read, so the pieces do not stand.
        guard let line = lines.line(atCut: index) else { return }
        pieceOptions.continuation = CSVContinuation(
          offset: cut, line: line, encoding: encoding, delimiter: delimiter)
        guard
          let source = try? RosterSource(
            path: input.path, displayName: input.displayName, options: pieceOptions,
            header: known)
        else { return }
        laterLock.lock()
        later[index] = source
        laterLock.unlock()
        shared.read(source, segment: segment, file: 0)
      }
    }
    // The whole file is hashed beside the pieces rather than after them, where one core would
    // hash while the others waited.
    nonisolated(unsafe) var digest: String?
    DispatchQueue.global(qos: .userInitiated).async(group: group) {
      digest = try? FileDigest.sha256(path: input.path)
    }
    shared.read(head, segment: headSegment, file: 0)
    group.wait()
    let segments = [headSegment] + laterSegments
    // Without the whole file's digest the pieces would be judged without the SHA-256 a whole
    // read reports.
    guard segments.allSatisfy(shared.isCompleted), head.reader.endedBetweenRecords,
      later.dropLast().allSatisfy({ $0?.reader.endedBetweenRecords == true }),
      head.reader.encoding == encoding, digest != nil
    else {
      for segment in segments { shared.setAside(segment) }
      _ = readWhole()
      return .piecesThenWhole
    }
    shared.setDigest(digest, file: 0)
    return .pieces
  }

  private init(
    digests: [String?], repeats: SortedRuns<Repeat>, files: [String], fileStarts: [UInt64]
  ) throws(ScreeningError) {
    self.digests = digests
    self.repeats = repeats
    self.files = files
    self.fileStarts = fileStarts
    head = try self.repeats.next()
  }

  /// Whether the first pass kept every record of input `file`, so it is not read again.
  func replays(file: Int) -> Bool { file < files.count && spilledSegments[file] != nil }

  /// The first pass's records of input `file`, to be judged in place of reading it again. Each
  /// chunk's disk space is given back as the replay passes it, so they are handed out once: a
  /// second call gives `nil`, and the input is then read itself rather than from released
  /// chunks.
  mutating func replay(file: Int) -> ReplayedRosterSource? {
    guard file < files.count, let segments = spilledSegments.removeValue(forKey: file) else {
      return nil
    }
    return ReplayedRosterSource(
      segments: segments, displayName: files[file], digest: digests[file],
      releasesReadChunks: true)
  }

  /// Moves to the first judged record of input `file`, passing over whatever an earlier input
  /// that failed part-way did not reach.
  mutating func startFile(_ file: Int) throws(ScreeningError) {
    guard file < fileStarts.count else { return }
    ordinal = fileStarts[file]
    while let repeated = head, repeated.ordinal < ordinal { head = try repeats.next() }
  }

  /// Where the ID of the next judged record was first seen, or `nil` when this is its first
  /// occurrence. Called for the same records, in the same order, as the first pass saw them.
  mutating func firstSeen(file: Int, line: Int) throws(ScreeningError) -> SourceLocation? {
    defer { ordinal += 1 }
    guard let repeated = head, repeated.ordinal == ordinal else { return nil }
    guard repeated.location == Self.location(file: file, line: line) else {
      throw .inputChanged(path: files[file])
    }
    head = try repeats.next()
    return SourceLocation(
      file: files[Int(repeated.first >> 40)], line: Int(repeated.first & (1 << 40 - 1)))
  }

  /// The input's number in the top 24 bits, the line (at most 2⁴⁰ − 1) in the rest.
  fileprivate static func location(file: Int, line: Int) -> UInt64 {
    UInt64(file) << 40 | min(UInt64(clamping: line), 1 << 40 - 1)
  }

  /// The packed ID when it has the valid 18-character form; otherwise the first 128 bits of the
  /// SHA-256 of the text's NFC form (texts Swift holds equal, as the in-memory index does, hash
  /// alike), marked by the top bit so the two kinds never meet.
  fileprivate static func key(_ key: DuplicateKey) -> (UInt64, UInt64) {
    let text: String
    switch key {
    case .packed(let packed): return (0, packed)
    case .text(let written): text = written
    }
    if let packed = DuplicateIndex.pack(text) { return (0, packed) }
    var hash = SHA256()
    if text.utf8.allSatisfy({ $0 < 0x80 }) {
      hash.update(text.utf8)
    } else {
      hash.update(text.precomposedStringWithCanonicalMapping.utf8)
    }
    let digest = hash.finalize()
    var high: UInt64 = 0
    var low: UInt64 = 0
    for index in 0..<8 {
      high = high << 8 | UInt64(digest[index])
      low = low << 8 | UInt64(digest[index + 8])
    }
    return (high | 1 << 63, low)
  }
}

/// The line ends before each cut of a large input, published by the thread that counted them:
/// the reader of a later piece waits for the counts of every range before its cut to number its
/// first line.
private final class PieceLines: @unchecked Sendable {
  private let condition = NSCondition()
  /// The line ends between one cut and the next, by the later cut's index.
  private var counts: [Int?]
  private var failed = false

  init(pieces: Int) {
    counts = Array(repeating: nil, count: pieces)
  }

  /// Records the line ends of the range that ends at cut `piece`, or `nil` when they could not
  /// be counted.
  func publish(_ lineEnds: Int?, piece: Int) {
    condition.lock()
    defer { condition.unlock() }
    if let lineEnds { counts[piece] = lineEnds } else { failed = true }
    condition.broadcast()
  }

  /// The number of the line that starts at cut `piece`, once every range before it is counted;
  /// `nil` when one could not be.
  func line(atCut piece: Int) -> Int? {
    condition.lock()
    defer { condition.unlock() }
    while !failed, counts[...piece].contains(where: { $0 == nil }) { condition.wait() }
    return failed ? nil : counts[...piece].reduce(1) { $0 + ($1 ?? 0) }
  }
}

/// The first pass's state shared by the threads that read the inputs. Sightings are kept per
/// segment — a whole input, or a piece of one large input — numbered in input order; a segment
/// can be set aside when its piece turns out not to match what one reader would have read.
private final class SharedSightings: @unchecked Sendable {
  private let lock = NSLock()
  private var sorter: ExternalSorter<DuplicatePlan.Sighting>
  /// How many sightings a reader gathers and sorts, outside the lock, before it writes them.
  private let runCapacity: Int
  /// Where every reader's batches go, for the screening pass.
  private let spills: SpillStore
  /// Each segment's input and, once it was read to its end, its spilled records.
  private var spilledSegments: [(file: Int, segment: SpilledSegment?)] = []
  private var next = 0
  private let files: Int
  private var counts: [UInt64] = []
  private var valid: [Bool] = []
  private var completed: [Bool] = []
  /// Rows and bytes each segment added to the progress count, taken back if it is set aside.
  private var segmentProgress: [(rows: Int, bytes: Int)] = []
  private var digests: [String?]
  private var rows = 0
  private var bytes = 0
  private var failure: ScreeningError?
  private let progress: (@Sendable (Int, Int) -> Void)?

  init(
    sorter: ExternalSorter<DuplicatePlan.Sighting>, runCapacity: Int, files: Int,
    spillDirectory: String, progress: (@Sendable (Int, Int) -> Void)?
  ) {
    self.sorter = sorter
    self.runCapacity = runCapacity
    spills = SpillStore(directory: spillDirectory)
    self.files = files
    self.digests = Array(repeating: nil, count: files)
    self.progress = progress
  }

  /// Numbers a new segment (after every earlier one, so later in the input order).
  func newSegment() -> Int {
    lock.lock()
    defer { lock.unlock() }
    counts.append(0)
    valid.append(true)
    completed.append(false)
    spilledSegments.append((file: -1, segment: nil))
    segmentProgress.append((0, 0))
    return counts.count - 1
  }

  /// The next input nobody reads yet, or `nil` when all are taken (or sorting failed).
  func nextFile() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard next < files, failure == nil else { return nil }
    next += 1
    return next - 1
  }

  /// Reads a source to its end, handing its sightings to the sorter a sorted run at a time and
  /// its batches to a spill, and records whether it got there. An input that cannot be read is
  /// left to the screening pass, which meets the same failure and reports it.
  func read(_ source: RosterSource, segment: Int, file: Int) {
    var local: UInt64 = 0
    var run: [DuplicatePlan.Sighting] = []
    var wroteRuns = false
    var bytesBefore = 0
    var finished = false
    let spill = RecordSpillWriter(store: spills)
    do throws(ScreeningError) {
      while let records = try source.nextBatch() {
        spill.append(records, skipped: source.takeSkippedRecords(), bytesRead: source.bytesRead)
        guard let header = source.header else { continue }
        if run.isEmpty { run.reserveCapacity(runCapacity + records.count) }
        Self.addSightings(
          of: records, header: header, segment: segment, file: file, count: &local, to: &run)
        if run.count >= runCapacity {
          DuplicatePlan.Sighting.sort(&run)
          guard add(sorted: run) else { return }
          run.removeAll(keepingCapacity: true)
          wroteRuns = true
        }
        guard count(segment: segment, rows: records.count, bytes: source.bytesRead - bytesBefore)
        else { return }
        bytesBefore = source.bytesRead
      }
      // A reader that wrote runs sorts its last one too, here beside the other readers: joined
      // in the sorter's memory run, the readers' last runs are out of order and sorted by
      // comparison, on one thread, while the other cores wait. An input with no run written
      // leaves its sightings in that memory run, so a small input never touches the disk.
      if wroteRuns {
        DuplicatePlan.Sighting.sort(&run)
        guard add(sorted: run) else { return }
      } else {
        guard add(run) else { return }
      }
      finished = true
    } catch {
      // As above: the screening pass reports it.
    }
    var spilled: SpilledSegment?
    if finished, let header = source.header, let records = spill.finish() {
      spilled = SpilledSegment(
        spill: records, header: header, encoding: source.reader.encoding,
        hadByteOrderMark: source.reader.hadByteOrderMark, bytesRead: source.bytesRead)
    }
    lock.lock()
    counts[segment] = local
    completed[segment] = finished
    spilledSegments[segment] = (file, spilled)
    lock.unlock()
  }

  /// Appends a sighting of each judged record's ID to `run`, counting them in `count`.
  private static func addSightings(
    of records: [CSVRecord], header: RosterHeader, segment: Int, file: Int,
    count: inout UInt64, to run: inout [DuplicatePlan.Sighting]
  ) {
    // Read in place: a copy of each record would retain and release its storage.
    records.withUnsafeBufferPointer { records in
      for index in records.indices {
        guard let key = ScreeningRun.duplicateKey(records[index], header: header) else {
          continue
        }
        let high: UInt64
        let low: UInt64
        if case .packed(let packed) = key {
          (high, low) = (0, packed)
        } else {
          (high, low) = DuplicatePlan.key(key)
        }
        run.append(
          DuplicatePlan.Sighting(
            keyHigh: high, keyLow: low, ordinal: UInt64(segment) << 40 | count,
            location: DuplicatePlan.location(file: file, line: records[index].location.line)))
        count += 1
      }
    }
  }

  func isCompleted(_ segment: Int) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    return completed[segment]
  }

  /// Leaves a segment's sightings out of the plan.
  func setAside(_ segment: Int) {
    lock.lock()
    valid[segment] = false
    rows -= segmentProgress[segment].rows
    bytes -= segmentProgress[segment].bytes
    lock.unlock()
  }

  func setDigest(_ digest: String?, file: Int) {
    lock.lock()
    digests[file] = digest
    lock.unlock()
  }

  /// Writes a sorted run of sightings; `false` once sorting has failed.
  private func add(sorted run: [DuplicatePlan.Sighting]) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    guard failure == nil else { return false }
    do throws(ScreeningError) {
      try sorter.append(sorted: run)
    } catch {
      failure = error
      return false
    }
    return true
  }

  /// Adds sightings in any order; `false` once sorting has failed.
  private func add(_ sightings: [DuplicatePlan.Sighting]) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    guard failure == nil else { return false }
    do throws(ScreeningError) {
      try sorter.append(contentsOf: sightings)
    } catch {
      failure = error
      return false
    }
    return true
  }

  /// Counts a batch's rows and bytes for progress; `false` once sorting has failed.
  private func count(segment: Int, rows: Int, bytes: Int) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    guard failure == nil else { return false }
    self.rows += rows
    self.bytes += bytes
    segmentProgress[segment].rows += rows
    segmentProgress[segment].bytes += bytes
    progress?(self.rows, self.bytes)
    return true
  }

  func finish() throws(ScreeningError) -> (
    sorter: ExternalSorter<DuplicatePlan.Sighting>, counts: [UInt64], valid: [Bool],
    digests: [String?], spills: [(file: Int, segment: SpilledSegment?)]
  ) {
    lock.lock()
    defer { lock.unlock() }
    if let failure { throw failure }
    return (sorter.takeAll(), counts, valid, digests, spilledSegments)
  }
}

/// How a run finds repeated ID numbers: an index in memory for inputs of a known, modest size,
/// or a plan made by a first pass over larger ones and standard input.
struct DuplicateFinder {
  private var index: DuplicateIndex?
  private var plan: DuplicatePlan?
  private var files = 0

  init(plan: DuplicatePlan?) {
    self.plan = plan
    index = plan == nil ? DuplicateIndex() : nil
  }

  /// The records the first pass read from input `file`, when it read all of them.
  private mutating func replay(file: Int) -> ReplayedRosterSource? { plan?.replay(file: file) }

  /// The first pass's digest of input `file`, when there was a first pass.
  private func plannedDigest(file: Int) -> String?? {
    guard let plan, file < plan.digests.count else { return nil }
    return .some(plan.digests[file])
  }

  /// Registers the next input and returns its number, counted from 0 in the order of the run.
  mutating func add(file: String) -> Int {
    _ = index?.add(file: file)
    files += 1
    return files - 1
  }

  /// Tells a planned finder that input `file` begins (an earlier one may have failed part-way).
  private mutating func startFile(_ file: Int) throws(ScreeningError) {
    try plan?.startFile(file)
  }

  /// Starts input `file` and gives what to read it through: the first pass's records when that
  /// pass read it to its end (and `replays`), else the CSV at `readPath` — the input itself, or
  /// the copy the first pass read of standard input or a pipe.
  mutating func open(
    file: Int, readPath: String, displayName: String, options: CSVReaderOptions,
    replays: Bool = true
  ) throws(ScreeningError) -> any RosterBatches {
    try startFile(file)
    if replays, let replay = replay(file: file) { return replay }
    return try RosterSource(path: readPath, displayName: displayName, options: options)
  }

  /// Throws `inputChanged` when input `file`, read again to its end, is not what the first pass
  /// read.
  func confirmUnchanged(file: Int, source: any RosterBatches, displayName: String)
    throws(ScreeningError)
  {
    if let digest = plannedDigest(file: file), digest != source.sha256 {
      throw .inputChanged(path: displayName)
    }
  }

  mutating func firstSeen(_ key: DuplicateKey, file: Int, line: Int) throws(ScreeningError)
    -> SourceLocation?
  {
    if index != nil { return index?.firstSeen(key, file: file, line: line) }
    return try plan?.firstSeen(file: file, line: line)
  }
}
