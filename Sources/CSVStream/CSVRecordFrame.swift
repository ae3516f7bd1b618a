/// A batch of records in a compact binary form, so that a run that must read its input twice
/// can parse it once: the first pass writes each batch it read as a frame, the second reads the
/// frames back instead of the CSV. Each record carries a one-byte tag for the caller.
///
/// The frames hold what the records hold — line, fields with their quoted flags, damage — in
/// the machine's byte order; they are temporary and never leave the machine. A frame is its
/// size, the size of its field bytes, a header, a table entry per record, one byte per field
/// (its length and quoted flag), the lengths too long for a byte, the damaged records' damage
/// and, last, the fields' bytes: whole sections, so that writing and reading them is a copy or a
/// tight loop, not work per field through calls, and the field bytes can go between a file and
/// the records' storage without another copy (`appendHead`, `records(head:file:fieldBytes:)`).
public enum CSVRecordFrame {
  /// One record's entry in the frame's table.
  private struct Entry {
    var line: Int64
    var fieldCount: UInt32
    var tag: UInt8
    var damaged: UInt8
    var padding: UInt16 = 0
  }

  /// The header after the frame's size: field bytes, records, fields and long lengths.
  private static let headerSize = 8 + 4 + 4 + 4

  /// Appends one frame holding `records`, each with the tag at the same index, to `buffer`.
  public static func append(_ records: [CSVRecord], tags: [UInt8], to buffer: inout [UInt8]) {
    let fieldBytes = appendHead(records, tags: tags, to: &buffer)
    buffer.reserveCapacity(buffer.count + fieldBytes.count)
    fieldBytes.forEach { buffer.append(contentsOf: $0) }
  }

  /// Appends the frame holding `records`, each with the tag at the same index, to `buffer` but
  /// for its field bytes, which end the frame: they are returned where the records keep them,
  /// to be written right after `buffer` without copying them into it first.
  public static func appendHead(_ records: [CSVRecord], tags: [UInt8], to buffer: inout [UInt8])
    -> FrameFieldBytes
  {
    precondition(records.count == tags.count, "one tag for each record")
    var fieldTotal = 0
    var byteTotal = 0
    for record in records {
      fieldTotal += record.fieldCount
      byteTotal += record.byteCount
    }
    let frameStart = buffer.count
    let entriesStart = frameStart + 8 + headerSize
    let lengthsStart = entriesStart + records.count * MemoryLayout<Entry>.stride
    buffer.append(contentsOf: repeatElement(0, count: lengthsStart + fieldTotal - frameStart))
    var longLengths: [UInt64] = []
    var runs: [FrameFieldBytes.Run] = []
    buffer.withUnsafeMutableBytes { raw in
      guard let base = raw.baseAddress else { return }
      base.storeBytes(of: UInt64(byteTotal), toByteOffset: frameStart + 8, as: UInt64.self)
      base.storeBytes(of: UInt32(records.count), toByteOffset: frameStart + 16, as: UInt32.self)
      base.storeBytes(of: UInt32(fieldTotal), toByteOffset: frameStart + 20, as: UInt32.self)
      // Read in place: a copy of each record would retain and release its storage.
      records.withUnsafeBufferPointer { records in
        var entry = entriesStart
        for index in records.indices {
          base.storeBytes(
            of: Entry(
              line: Int64(records[index].line), fieldCount: UInt32(records[index].fieldCount),
              tag: tags[index], damaged: records[index].storage.damaged == nil ? 0 : 1),
            toByteOffset: entry, as: Entry.self)
          entry += MemoryLayout<Entry>.stride
        }
      }
      var lengths = (base + lengthsStart).assumingMemoryBound(to: UInt8.self)
      // Records of one batch follow each other in one storage, so their fields are taken a run
      // of records at a time: one loop over the run's fields, one run of bytes.
      var runStart = 0
      while runStart < records.count {
        let storage = records[runStart].storage
        let firstField = records[runStart].firstField
        var lastField = firstField + records[runStart].fieldCount
        var runEnd = runStart + 1
        while runEnd < records.count, records[runEnd].storage === storage,
          records[runEnd].firstField == lastField
        {
          lastField += records[runEnd].fieldCount
          runEnd += 1
        }
        encodeFields(
          of: storage, from: firstField, to: lastField, into: lengths, longLengths: &longLengths)
        lengths += lastField - firstField
        let start = storage.offsets[firstField]
        runs.append(
          FrameFieldBytes.Run(
            storage: storage, start: start, count: storage.offsets[lastField] - start))
        runStart = runEnd
      }
      base.storeBytes(
        of: UInt32(longLengths.count), toByteOffset: frameStart + 24, as: UInt32.self)
    }
    for length in longLengths { appendValue(length, to: &buffer) }
    // Read in place, as above; nearly every record is undamaged, which a pointer test tells.
    records.withUnsafeBufferPointer { records in
      for index in records.indices {
        guard let damage = records[index].storage.damaged?.damage else { continue }
        buffer.append(UInt8(RecordDamage.Kind.allCases.firstIndex(of: damage.kind) ?? 0))
        appendValue(Int64(damage.failingLine), to: &buffer)
        appendValue(Int64(damage.column ?? -1), to: &buffer)
        appendValue(UInt32(damage.message.utf8.count), to: &buffer)
        buffer.append(contentsOf: damage.message.utf8)
      }
    }
    let frameLength = UInt64(buffer.count - frameStart - 8 + byteTotal)
    buffer.withUnsafeMutableBytes {
      $0.storeBytes(of: frameLength, toByteOffset: frameStart, as: UInt64.self)
    }
    return FrameFieldBytes(runs: runs, count: byteTotal)
  }

  /// Writes the length byte of each of `storage`'s fields from `firstField` up to `lastField`
  /// to `lengths`, and adds the lengths too long for a byte to `longLengths`.
  private static func encodeFields(
    of storage: CSVFieldStorage, from firstField: Int, to lastField: Int,
    into lengths: UnsafeMutablePointer<UInt8>, longLengths: inout [UInt64]
  ) {
    let tags = storage.tags + firstField
    let count = lastField - firstField
    // A field's tag is its length byte (`FieldTag`); the long ones are counted without a branch,
    // so the loop is vectorised, and only then are their lengths listed.
    lengths.update(from: tags, count: count)
    var longs: UInt32 = 0
    for index in 0..<count {
      longs &+= UInt32(truncatingIfNeeded: (UInt16(tags[index] | FieldTag.quotedBit) &+ 1) >> 8)
    }
    guard longs > 0 else { return }
    let offsets = storage.offsets + firstField
    for index in 0..<count where tags[index] & FieldTag.long == FieldTag.long {
      longLengths.append(UInt64(offsets[index + 1] - offsets[index]))
    }
  }

  /// How many bytes the frame starting at `bytes` takes, once its first eight bytes are there.
  public static func frameSize(startingWith bytes: UnsafeRawBufferPointer) -> Int? {
    guard bytes.count >= 8, let length = Int(exactly: bytes.loadUnaligned(as: UInt64.self)),
      length <= Int.max - 8
    else { return nil }
    return 8 + length
  }

  /// How many of a frame's bytes are its field bytes, which end it, once its first sixteen bytes
  /// are there; `nil` when they cannot be.
  public static func fieldByteCount(startingWith bytes: UnsafeRawBufferPointer) -> Int? {
    guard let size = frameSize(startingWith: bytes), bytes.count >= 16,
      let count = Int(exactly: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
      count <= size - 8 - headerSize
    else { return nil }
    return count
  }

  /// The records of one whole frame (`frameSize` bytes), for the input named `file`, with their
  /// tags; `nil` when the bytes are not a well-formed frame.
  public static func records(in frame: UnsafeRawBufferPointer, file: String)
    -> (records: [CSVRecord], tags: [UInt8])?
  {
    guard let byteCount = fieldByteCount(startingWith: frame), byteCount <= frame.count else {
      return nil
    }
    let headSize = frame.count - byteCount
    return records(
      head: UnsafeRawBufferPointer(rebasing: frame[..<headSize]), file: file,
      fieldByteCount: byteCount
    ) { bytes in
      bytes.copyMemory(from: UnsafeRawBufferPointer(rebasing: frame[headSize...]))
    }
  }

  /// The records of the frame whose bytes but its field bytes (`frameSize` less
  /// `fieldByteCount`) are in `head`, with their tags; `fieldBytes` fills the buffer it is given
  /// with the field bytes, which is where the records keep them: a spill read back copies them
  /// once, from the file. `fieldByteCount` is how many field bytes the caller has found to be
  /// there (at most what it can read), so that a damaged head cannot make room for more. `nil`
  /// when the bytes are not a well-formed frame of that many field bytes.
  public static func records<Failure: Error>(
    head: UnsafeRawBufferPointer, file: String, fieldByteCount: Int,
    fieldBytes: (UnsafeMutableRawBufferPointer) throws(Failure) -> Void
  ) throws(Failure) -> (records: [CSVRecord], tags: [UInt8])? {
    var reader = FrameReader(bytes: head)
    guard reader.skip(8), let byteTotal = reader.read(UInt64.self).flatMap({ Int(exactly: $0) }),
      let recordCount = reader.read(UInt32.self).map(Int.init),
      let fieldTotal = reader.read(UInt32.self).map(Int.init),
      let longCount = reader.read(UInt32.self).map(Int.init),
      let entries = reader.take(recordCount * MemoryLayout<Entry>.stride),
      let lengths = reader.take(fieldTotal), let longLengths = reader.take(longCount * 8),
      let frameLength = Int(exactly: head.loadUnaligned(as: UInt64.self)),
      byteTotal == fieldByteCount, frameLength - (head.count - 8) == byteTotal
    else { return nil }
    let storage = CSVFieldStorage(file: file, reservingBytes: byteTotal, fields: fieldTotal)
    var lengthsHold = false
    var failure: Failure?
    storage.appendFields(count: fieldTotal, bytes: byteTotal) { bytes, ends, tags, firstByte in
      do throws(Failure) {
        try fieldBytes(UnsafeMutableRawBufferPointer(start: bytes, count: byteTotal))
      } catch {
        failure = error
        return
      }
      lengthsHold = decodeLengths(
        lengths, longLengths: longLengths, byteTotal: byteTotal, ends: ends, tags: tags,
        firstByte: firstByte)
    }
    if let failure { throw failure }
    guard lengthsHold else { return nil }
    var tags = [UInt8](repeating: 0, count: recordCount)
    var firstField = 0
    var whole = true
    let records = [CSVRecord](unsafeUninitializedCapacity: recordCount) { records, built in
      guard let base = records.baseAddress else { return }
      while built < recordCount {
        let entry = entries.loadUnaligned(
          fromByteOffset: built * MemoryLayout<Entry>.stride, as: Entry.self)
        let fieldCount = Int(entry.fieldCount)
        guard fieldCount <= fieldTotal - firstField else { break }
        var record = CSVRecord(
          storage: storage, firstField: firstField, fieldCount: fieldCount, line: Int(entry.line))
        if entry.damaged != 0 {
          guard let damage = reader.readDamage() else { break }
          record.damage = damage
        }
        (base + built).initialize(to: record)
        tags[built] = entry.tag
        firstField += fieldCount
        built += 1
      }
      whole = built == recordCount
    }
    guard whole, firstField == fieldTotal, reader.position == head.count else { return nil }
    return (records, tags)
  }

  /// Turns the frame's field bytes (and its long lengths) into each field's end, counted from
  /// `firstByte`, and tag; `false` when the lengths do not add up to the frame's bytes.
  private static func decodeLengths(
    _ lengths: UnsafeRawBufferPointer, longLengths: UnsafeRawBufferPointer, byteTotal: Int,
    ends: UnsafeMutablePointer<Int>, tags: UnsafeMutablePointer<UInt8>, firstByte: Int
  ) -> Bool {
    let fields = lengths.assumingMemoryBound(to: UInt8.self)
    guard let source = fields.baseAddress else { return byteTotal == 0 && longLengths.isEmpty }
    // The frame's byte for a field is its tag.
    tags.update(from: source, count: fields.count)
    var total = 0
    if longLengths.isEmpty {
      // Without long lengths every byte holds its field's length: at most 127 a field, their
      // sum cannot overflow, and it is checked once at the end.
      var end = firstByte
      for index in 0..<fields.count {
        end &+= Int(source[index] & FieldTag.long)
        ends[index] = end
      }
      return end &- firstByte == byteTotal
    }
    // Only long lengths can run the sum past the frame's bytes: they are checked as they come.
    var longIndex = 0
    for index in 0..<fields.count {
      var length = Int(source[index] & FieldTag.long)
      if length == Int(FieldTag.long) {
        guard longIndex < longLengths.count / 8,
          let long = Int(
            exactly: longLengths.loadUnaligned(fromByteOffset: longIndex * 8, as: UInt64.self)),
          long <= byteTotal - total
        else { return false }
        length = long
        longIndex += 1
      }
      total &+= length
      ends[index] = firstByte &+ total
    }
    return total == byteTotal && longIndex == longLengths.count / 8
  }

  private static func appendValue<Value: BitwiseCopyable>(_ value: Value, to buffer: inout [UInt8])
  {
    withUnsafeBytes(of: value) { buffer.append(contentsOf: $0) }
  }

  /// Reads a frame's parts in order, checking each fits.
  private struct FrameReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    mutating func skip(_ count: Int) -> Bool { take(count) != nil }

    mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
      guard count >= 0, count <= bytes.count - position else { return nil }
      defer { position += count }
      return UnsafeRawBufferPointer(rebasing: bytes[position..<position + count])
    }

    mutating func read<Value: BitwiseCopyable>(_: Value.Type) -> Value? {
      take(MemoryLayout<Value>.size).map { $0.loadUnaligned(as: Value.self) }
    }

    /// The damage of the next damaged record.
    mutating func readDamage() -> RecordDamage? {
      guard let kindIndex = read(UInt8.self).map(Int.init),
        kindIndex < RecordDamage.Kind.allCases.count,
        let failingLine = read(Int64.self), let column = read(Int64.self),
        let messageLength = read(UInt32.self), let message = take(Int(messageLength))
      else { return nil }
      return RecordDamage(
        kind: RecordDamage.Kind.allCases[kindIndex], failingLine: Int(failingLine),
        column: column < 0 ? nil : Int(column), message: String(decoding: message, as: UTF8.self))
    }
  }
}

extension CSVRecord {
  /// How many bytes the record's fields hold together.
  var byteCount: Int {
    storage.offsets[firstField + fieldCount] - storage.offsets[firstField]
  }
}

/// The field bytes that end a frame `CSVRecordFrame.appendHead` wrote, where the frame's records
/// keep them (which this holds on to): runs of bytes to write in order.
public struct FrameFieldBytes {
  struct Run {
    let storage: CSVFieldStorage
    let start: Int
    let count: Int
  }

  let runs: [Run]
  /// How many bytes the runs hold together.
  public let count: Int

  /// Calls `body` with each run of bytes in order; the bytes are valid only inside `body`.
  public func forEach<Failure: Error>(
    _ body: (UnsafeRawBufferPointer) throws(Failure) -> Void
  ) throws(Failure) {
    for run in runs {
      try body(UnsafeRawBufferPointer(start: run.storage.bytes + run.start, count: run.count))
    }
  }
}
