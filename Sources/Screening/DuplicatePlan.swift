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

  /// Each input's SHA-256 as the first pass read it, to prove the second pass read the same.
  let digests: [String?]
  private var repeats: SortedRuns<Repeat>
  private var head: Repeat?
  private var ordinal: UInt64 = 0
  private let files: [String]

  /// Reads every input the way the screening will (same header search, same skipped rows, same
  /// damaged records) and sorts the ID numbers of the records that will be judged.
  static func make(
    inputs: [(path: String, displayName: String)], options: CSVReaderOptions, directory: String,
    runCapacity: Int = 1 << 17, progress: ((Int, Int) -> Void)? = nil
  ) throws(ScreeningError) -> DuplicatePlan {
    var sightings = ExternalSorter<Sighting>(directory: directory, runCapacity: runCapacity) {
      ($0.keyHigh, $0.keyLow, $0.ordinal) < ($1.keyHigh, $1.keyLow, $1.ordinal)
    }
    var ordinal: UInt64 = 0
    var rows = 0
    var bytesBefore = 0
    var digests: [String?] = []
    for (fileIndex, input) in inputs.enumerated() {
      guard
        let source = try? RosterSource(
          path: input.path, displayName: input.displayName, options: options)
      else {
        digests.append(nil)
        continue
      }
      do throws(ScreeningError) {
        while let records = try source.nextBatch() {
          guard let header = source.header else { continue }
          for record in records {
            guard let key = ScreeningRun.duplicateKey(record, header: header), !key.isEmpty
            else { continue }
            let (high, low) = Self.key(key)
            try sightings.append(
              Sighting(
                keyHigh: high, keyLow: low, ordinal: ordinal,
                location: Self.location(file: fileIndex, line: record.location.line)))
            ordinal += 1
          }
          rows += records.count
          progress?(rows, bytesBefore + source.bytesRead)
        }
      } catch {
        // The screening pass meets the same failure at the same record and reports it.
      }
      bytesBefore += source.bytesRead
      digests.append(source.reader.sha256)
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
          Repeat(ordinal: sighting.ordinal, first: earlier.location, location: sighting.location))
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

  private static func location(file: Int, line: Int) -> UInt64 {
    UInt64(file) << 48 | UInt64(clamping: line) & (1 << 48 - 1)
  }

  /// The packed ID when it has the valid 18-character form; otherwise the first 128 bits of the
  /// text's SHA-256, marked by the top bit so the two kinds never meet.
  private static func key(_ text: String) -> (UInt64, UInt64) {
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
