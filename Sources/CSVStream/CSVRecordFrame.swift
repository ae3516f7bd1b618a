/// A batch of records in a compact binary form, so that a run that must read its input twice
/// can parse it once: the first pass writes each batch it read as a frame, the second reads the
/// frames back instead of the CSV. Each record carries a one-byte tag for the caller.
///
/// The frames hold what the records hold — line, fields with their quoted flags, damage — in
/// the machine's byte order; they are temporary and never leave the machine.
public enum CSVRecordFrame {
  /// One record's entry in the frame's table.
  private struct Entry {
    var line: Int64
    var fieldCount: UInt32
    var tag: UInt8
    var damaged: UInt8
    var padding: UInt16 = 0
  }

  /// Lengths of at least this many bytes are kept in the frame's list of long lengths.
  private static let longLength = 0x7FFF
  private static let quotedBit: UInt16 = 0x8000

  /// Appends one frame holding `records`, each with the tag at the same index, to `buffer`.
  public static func append(_ records: [CSVRecord], tags: [UInt8], to buffer: inout [UInt8]) {
    precondition(records.count == tags.count, "one tag for each record")
    var fieldTotal = 0
    var byteTotal = 0
    for record in records {
      fieldTotal += record.fieldCount
      byteTotal += record.byteCount
    }
    let frameStart = buffer.count
    appendValue(UInt64(0), to: &buffer)
    appendValue(UInt32(records.count), to: &buffer)
    appendValue(UInt32(fieldTotal), to: &buffer)
    appendValue(UInt64(byteTotal), to: &buffer)
    for (record, tag) in zip(records, tags) {
      appendValue(
        Entry(
          line: Int64(record.location.line), fieldCount: UInt32(record.fieldCount), tag: tag,
          damaged: record.damage == nil ? 0 : 1), to: &buffer)
    }
    var longLengths: [UInt64] = []
    let lengthsStart = buffer.count
    buffer.append(contentsOf: repeatElement(0, count: fieldTotal * 2))
    buffer.withUnsafeMutableBytes { raw in
      var position = lengthsStart
      for record in records {
        let storage = record.storage
        for index in record.firstField..<record.firstField + record.fieldCount {
          let length = storage.offsets[index + 1] - storage.offsets[index]
          var entry = UInt16(min(length, longLength))
          if length >= longLength { longLengths.append(UInt64(length)) }
          if storage.quoted[index] { entry |= quotedBit }
          raw.storeBytes(of: entry, toByteOffset: position, as: UInt16.self)
          position += 2
        }
      }
    }
    appendValue(UInt32(longLengths.count), to: &buffer)
    for length in longLengths { appendValue(length, to: &buffer) }
    for record in records {
      let storage = record.storage
      let start = storage.offsets[record.firstField]
      let end = storage.offsets[record.firstField + record.fieldCount]
      buffer.append(
        contentsOf: UnsafeBufferPointer(start: storage.bytes + start, count: end - start))
    }
    for record in records {
      guard let damage = record.damage else { continue }
      buffer.append(UInt8(RecordDamage.Kind.allCases.firstIndex(of: damage.kind) ?? 0))
      appendValue(Int64(damage.failingLine), to: &buffer)
      appendValue(Int64(damage.column ?? -1), to: &buffer)
      appendValue(UInt32(damage.message.utf8.count), to: &buffer)
      buffer.append(contentsOf: damage.message.utf8)
    }
    let frameLength = UInt64(buffer.count - frameStart - 8)
    buffer.withUnsafeMutableBytes {
      $0.storeBytes(of: frameLength, toByteOffset: frameStart, as: UInt64.self)
    }
  }

  /// How many bytes the frame starting at `bytes` takes, once its first eight bytes are there.
  public static func frameSize(startingWith bytes: UnsafeRawBufferPointer) -> Int? {
    guard bytes.count >= 8, let length = Int(exactly: bytes.loadUnaligned(as: UInt64.self)),
      length <= Int.max - 8
    else { return nil }
    return 8 + length
  }

  /// The records of one whole frame (`frameSize` bytes), for the input named `file`, with their
  /// tags; `nil` when the bytes are not a well-formed frame.
  public static func records(in frame: UnsafeRawBufferPointer, file: String)
    -> (records: [CSVRecord], tags: [UInt8])?
  {
    var reader = FrameReader(bytes: frame)
    guard reader.skip(8), let recordCount = reader.read(UInt32.self),
      let fieldTotal = reader.read(UInt32.self).map(Int.init),
      let byteTotal = reader.read(UInt64.self).flatMap({ Int(exactly: $0) }),
      let entries = reader.take(Int(recordCount) * MemoryLayout<Entry>.stride),
      let lengths = reader.take(fieldTotal * 2), let longCount = reader.read(UInt32.self),
      let longLengths = reader.take(Int(longCount) * 8), let fieldBytes = reader.take(byteTotal)
    else { return nil }
    let storage = CSVFieldStorage(file: file, reservingBytes: byteTotal, fields: fieldTotal)
    var longIndex = 0
    var lengthsHold = true
    storage.appendFields(count: fieldTotal, bytes: byteTotal) { bytes, ends, quoted, firstByte in
      if let source = fieldBytes.baseAddress {
        bytes.update(from: source.assumingMemoryBound(to: UInt8.self), count: byteTotal)
      }
      var end = firstByte
      for index in 0..<fieldTotal {
        let entry = lengths.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
        var length = Int(entry & ~quotedBit)
        if length == longLength {
          guard longIndex < Int(longCount),
            let long = Int(
              exactly: longLengths.loadUnaligned(fromByteOffset: longIndex * 8, as: UInt64.self))
          else {
            lengthsHold = false
            return
          }
          length = long
          longIndex += 1
        }
        // Lengths that add up past the frame's bytes are damage, caught before they overflow.
        guard length <= byteTotal - (end - firstByte) else {
          lengthsHold = false
          return
        }
        end += length
        ends[index] = end
        quoted[index] = entry & quotedBit != 0
      }
      lengthsHold = end - firstByte == byteTotal
    }
    guard lengthsHold else { return nil }
    var records: [CSVRecord] = []
    var tags: [UInt8] = []
    records.reserveCapacity(Int(recordCount))
    tags.reserveCapacity(Int(recordCount))
    var firstField = 0
    for index in 0..<Int(recordCount) {
      let entry = entries.loadUnaligned(
        fromByteOffset: index * MemoryLayout<Entry>.stride, as: Entry.self)
      let fieldCount = Int(entry.fieldCount)
      guard firstField + fieldCount <= fieldTotal else { return nil }
      var record = CSVRecord(
        storage: storage, firstField: firstField, fieldCount: fieldCount, line: Int(entry.line))
      if entry.damaged != 0 {
        guard let kindIndex = reader.read(UInt8.self).map(Int.init),
          kindIndex < RecordDamage.Kind.allCases.count,
          let failingLine = reader.read(Int64.self), let column = reader.read(Int64.self),
          let messageLength = reader.read(UInt32.self),
          let message = reader.take(Int(messageLength))
        else { return nil }
        record.damage = RecordDamage(
          kind: RecordDamage.Kind.allCases[kindIndex], failingLine: Int(failingLine),
          column: column < 0 ? nil : Int(column),
          message: String(decoding: message, as: UTF8.self))
      }
      records.append(record)
      tags.append(entry.tag)
      firstField += fieldCount
    }
    return (records, tags)
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
  }
}

extension CSVRecord {
  /// How many bytes the record's fields hold together.
  var byteCount: Int {
    storage.offsets[firstField + fieldCount] - storage.offsets[firstField]
  }
}
