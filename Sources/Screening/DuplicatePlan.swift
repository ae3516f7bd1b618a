import CSVStream
import Foundation

/// Where each repeated ID number was first seen, worked out by a first pass over the inputs that
/// sorts every ID on disk. The screening pass then meets the repeats in input order, so memory
/// stays flat whatever the number of people; only the repeats' read buffers are held.
struct DuplicatePlan {
  /// One ID number seen at one place: the key (the packed ID, or a hash of any other text),
  /// the running count of IDs before it, and its file and line.
  struct Sighting: BitwiseCopyable {
    var keyHigh: UInt64
    var keyLow: UInt64
    var ordinal: UInt64
    var location: UInt64
  }

  /// A later occurrence of an ID: its running count, and where the ID was first seen and here.
  struct Repeat: BitwiseCopyable {
    var ordinal: UInt64
    var first: UInt64
    var location: UInt64
  }

  /// How many inputs the first pass reads at once at most: each reader holds its blocks and a
  /// batch of records (about 10 MiB in all measured), so more would break the flat memory bound
  /// on machines with many cores.
  static let maximumReaders = 2

  /// Each input's SHA-256 as the first pass read it, to prove the second pass read the same.
  let digests: [String?]
  private var repeats: SortedRuns<Repeat>
  private var head: Repeat?
  private var ordinal: UInt64 = 0
  private let files: [String]

  /// Reads every input the way the screening will (same header search, same skipped rows, same
  /// damaged records) and sorts the ID numbers of the records that will be judged. Up to
  /// `readers` files are read at once (the bureau's run has one file per enterprise); each
  /// sighting is ordered by file and by its count inside the file, which is the input order.
  static func make(
    inputs: [(path: String, displayName: String)], options: CSVReaderOptions, directory: String,
    runCapacity: Int = 1 << 17, readers: Int = 1,
    progress: (@Sendable (Int, Int) -> Void)? = nil
  ) throws(ScreeningError) -> DuplicatePlan {
    let shared = SharedSightings(
      sorter: ExternalSorter<Sighting>(directory: directory, runCapacity: runCapacity) {
        ($0.keyHigh, $0.keyLow, $0.ordinal) < ($1.keyHigh, $1.keyLow, $1.ordinal)
      }, files: inputs.count, progress: progress)
    DispatchQueue.concurrentPerform(iterations: max(1, min(readers, inputs.count))) { _ in
      while let fileIndex = shared.nextFile() {
        shared.read(
          file: fileIndex, path: inputs[fileIndex].path,
          displayName: inputs[fileIndex].displayName, options: options)
      }
    }
    let (sightings, counts, digests) = try shared.finish()
    // The running count of the first judged record of each file.
    var bases: [UInt64] = []
    var total: UInt64 = 0
    for count in counts {
      bases.append(total)
      total += count
    }
    func ordinal(_ sighting: Sighting) -> UInt64 {
      bases[Int(sighting.ordinal >> 40)] + (sighting.ordinal & (1 << 40 - 1))
    }

    var sorted = try sightings.sorted()
    var repeats = ExternalSorter<Repeat>(directory: directory, runCapacity: runCapacity / 8) {
      $0.ordinal < $1.ordinal
    }
    var first: Sighting?
    while let sighting = try sorted.next() {
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
    return try DuplicatePlan(
      digests: digests, repeats: repeats.sorted(mergeBudget: 256 << 10),
      files: inputs.map(\.displayName))
  }

  private init(digests: [String?], repeats: SortedRuns<Repeat>, files: [String])
    throws(ScreeningError)
  {
    self.digests = digests
    self.repeats = repeats
    self.files = files
    head = try self.repeats.next()
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
      file: files[Int(repeated.first >> 48)], line: Int(repeated.first & (1 << 48 - 1)))
  }

  fileprivate static func location(file: Int, line: Int) -> UInt64 {
    UInt64(file) << 48 | UInt64(clamping: line) & (1 << 48 - 1)
  }

  /// The packed ID when it has the valid 18-character form; otherwise the first 128 bits of the
  /// text's SHA-256, marked by the top bit so the two kinds never meet.
  fileprivate static func key(_ text: String) -> (UInt64, UInt64) {
    if let packed = DuplicateIndex.pack(text) { return (0, packed) }
    var hash = SHA256()
    hash.update(text.utf8)
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

/// The first pass's state shared by the threads that read the inputs.
private final class SharedSightings: @unchecked Sendable {
  private let lock = NSLock()
  private var sorter: ExternalSorter<DuplicatePlan.Sighting>
  private var next = 0
  private var counts: [UInt64]
  private var digests: [String?]
  private var rows = 0
  private var bytes = 0
  private var failure: ScreeningError?
  private let progress: (@Sendable (Int, Int) -> Void)?

  init(
    sorter: ExternalSorter<DuplicatePlan.Sighting>, files: Int,
    progress: (@Sendable (Int, Int) -> Void)?
  ) {
    self.sorter = sorter
    self.counts = Array(repeating: 0, count: files)
    self.digests = Array(repeating: nil, count: files)
    self.progress = progress
  }

  /// The next input nobody reads yet, or `nil` when all are taken (or sorting failed).
  func nextFile() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard next < counts.count, failure == nil else { return nil }
    next += 1
    return next - 1
  }

  /// Reads one input, handing its sightings to the sorter a batch at a time. An input that
  /// cannot be read is left to the screening pass, which meets the same failure and reports it.
  func read(file: Int, path: String, displayName: String, options: CSVReaderOptions) {
    guard let source = try? RosterSource(path: path, displayName: displayName, options: options)
    else { return }
    var local: UInt64 = 0
    var batch: [DuplicatePlan.Sighting] = []
    var bytesBefore = 0
    do throws(ScreeningError) {
      while let records = try source.nextBatch() {
        guard let header = source.header else { continue }
        batch.removeAll(keepingCapacity: true)
        for record in records {
          guard let key = ScreeningRun.duplicateKey(record, header: header), !key.isEmpty
          else { continue }
          let (high, low) = DuplicatePlan.key(key)
          batch.append(
            DuplicatePlan.Sighting(
              keyHigh: high, keyLow: low, ordinal: UInt64(file) << 40 | local,
              location: DuplicatePlan.location(file: file, line: record.location.line)))
          local += 1
        }
        guard add(batch, rows: records.count, bytes: source.bytesRead - bytesBefore) else {
          return
        }
        bytesBefore = source.bytesRead
      }
    } catch {
      // As above: the screening pass reports it.
    }
    lock.lock()
    counts[file] = local
    digests[file] = source.reader.sha256
    lock.unlock()
  }

  /// Adds a batch's sightings; `false` once sorting has failed.
  private func add(_ batch: [DuplicatePlan.Sighting], rows: Int, bytes: Int) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    guard failure == nil else { return false }
    do throws(ScreeningError) {
      for sighting in batch { try sorter.append(sighting) }
    } catch {
      failure = error
      return false
    }
    self.rows += rows
    self.bytes += bytes
    progress?(self.rows, self.bytes)
    return true
  }

  func finish() throws(ScreeningError) -> (
    ExternalSorter<DuplicatePlan.Sighting>, [UInt64], [String?]
  ) {
    lock.lock()
    defer { lock.unlock() }
    if let failure { throw failure }
    return (sorter, counts, digests)
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

  var isPlanned: Bool { plan != nil }

  /// The first pass's digest of input `file`, when there was a first pass.
  func plannedDigest(file: Int) -> String?? {
    guard let plan, file < plan.digests.count else { return nil }
    return .some(plan.digests[file])
  }

  /// Registers the next input and returns its number, counted from 0 in the order of the run.
  mutating func add(file: String) -> Int {
    _ = index?.add(file: file)
    files += 1
    return files - 1
  }

  mutating func firstSeen(_ key: String, file: Int, line: Int) throws(ScreeningError)
    -> SourceLocation?
  {
    guard !key.isEmpty else { return nil }
    if index != nil { return index?.firstSeen(key, file: file, line: line) }
    return try plan?.firstSeen(file: file, line: line)
  }
}
