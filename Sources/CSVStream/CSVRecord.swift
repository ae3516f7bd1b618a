#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One parsed CSV record: its fields as UTF-8 text, where it began and, for a record the reader
/// could not parse, what was wrong with it.
///
/// The fields' bytes live in storage shared by the records of one batch, so reading a record
/// costs no allocation of its own; `field(_:)` and `withFieldBytes(_:_:)` read one field without
/// making the others into strings.
public struct CSVRecord: Hashable, Sendable {
  // One reference only, so copying a record (as every batch and worker does) is one retain:
  // the file name and any damage live in the storage.
  @usableFromInline let storage: CSVFieldStorage
  @usableFromInline let firstField: Int
  /// How many fields the record has.
  public let fieldCount: Int
  @usableFromInline var line: Int

  /// A record of the given fields; a field without a flag in `quoted` counts as not quoted.
  public init(
    location: SourceLocation, fields: [String], quoted: [Bool]? = nil,
    damage: RecordDamage? = nil
  ) {
    let storage = CSVFieldStorage(file: location.file, damage: damage, fields: fields.count)
    for (index, field) in fields.enumerated() {
      let isQuoted = quoted.map { index < $0.count && $0[index] } ?? false
      storage.append(field: Array(field.utf8), quoted: isQuoted)
    }
    self.init(storage: storage, firstField: 0, fieldCount: fields.count, line: location.line)
  }

  init(storage: CSVFieldStorage, firstField: Int, fieldCount: Int, line: Int) {
    self.storage = storage
    self.firstField = firstField
    self.fieldCount = fieldCount
    self.line = line
  }

  /// Where the record starts in its input.
  @inlinable
  public var location: SourceLocation {
    get { SourceLocation(file: storage.file, line: line) }
    set {
      if newValue.file != storage.file { self = rehomed(file: newValue.file, damage: damage) }
      line = newValue.line
    }
  }

  /// Why the record could not be parsed; `nil` for a good record.
  @inlinable
  public var damage: RecordDamage? {
    get { storage.damaged?.damage }
    set { self = rehomed(file: storage.file, damage: newValue) }
  }

  /// This record alone in a new storage with `file` and `damage`: how a record changes them
  /// without changing the records that share its storage.
  @usableFromInline
  func rehomed(file: String, damage: RecordDamage?) -> CSVRecord {
    let own = CSVFieldStorage(file: file, damage: damage, fields: fieldCount)
    for index in firstField..<firstField + fieldCount {
      own.append(field: storage.fieldBytes(index), quoted: storage.isQuoted(index))
    }
    return CSVRecord(storage: own, firstField: 0, fieldCount: fieldCount, line: line)
  }

  /// The fields in order, exactly as parsed (no trimming). A damaged record has one field: the
  /// text of its start line, with bytes that are not valid in the input encoding shown as `\xNN`.
  public var fields: [String] { (0..<fieldCount).map(field) }

  /// `true` for each field that was written in quotes, so `""` and an empty field differ.
  public var quoted: [Bool] { (0..<fieldCount).map(isQuoted) }

  /// The field at `index` (`0..<fieldCount`) as text.
  @inlinable
  public func field(_ index: Int) -> String {
    withFieldBytes(index) { String(decoding: $0, as: UTF8.self) }
  }

  /// Whether the field at `index` was written in quotes.
  @inlinable
  public func isQuoted(_ index: Int) -> Bool {
    precondition(index >= 0 && index < fieldCount, "field index out of range")
    return storage.isQuoted(firstField + index)
  }

  /// Calls `body` with the UTF-8 bytes of the field at `index` (`0..<fieldCount`); the bytes are
  /// valid only inside `body`.
  @inlinable
  public func withFieldBytes<Result>(
    _ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
  ) rethrows -> Result {
    precondition(index >= 0 && index < fieldCount, "field index out of range")
    let start = storage.offsets[firstField + index]
    let end = storage.offsets[firstField + index + 1]
    return try body(UnsafeBufferPointer(start: storage.bytes + start, count: end - start))
  }

  /// Calls `body` with where the record's fields are: the field at `index` (`0..<fieldCount`) is
  /// the bytes from `offsets[index]` to `offsets[index + 1]` after `bytes`. For a reader that has
  /// checked the field count once and then reads many fields, each without the bounds checks of
  /// `withFieldBytes`; the pointers are valid only inside `body`.
  @inlinable
  public func withFieldOffsets<Result>(
    _ body: (_ bytes: UnsafePointer<UInt8>, _ offsets: UnsafePointer<Int>) throws -> Result
  ) rethrows -> Result {
    try body(UnsafePointer(storage.bytes), UnsafePointer(storage.offsets + firstField))
  }

  public static func == (left: CSVRecord, right: CSVRecord) -> Bool {
    left.location == right.location && left.damage == right.damage
      && left.fieldCount == right.fieldCount && left.fields == right.fields
      && left.quoted == right.quoted
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(location)
    hasher.combine(damage)
    hasher.combine(fields)
    hasher.combine(quoted)
  }
}

/// The bytes of consecutive fields, appended by one reader and then shared, unchanged, by the
/// records that point into it.
///
/// Only the thread that builds a storage appends to it, and it stops appending before handing any
/// of its records to another thread (`CSVReader` starts a new storage for every batch), so the
/// records may be read concurrently without locks or the runtime's exclusivity checks. The
/// buffers are plain heap blocks because this is the innermost loop of every read.
@usableFromInline
final class CSVFieldStorage: @unchecked Sendable {
  /// The input's name, for the records' locations.
  @usableFromInline let file: String
  /// The damage of the one record in a storage made for a damaged record; `nil` otherwise.
  /// Boxed, so that asking a good record for its damage (every pass does, for every record)
  /// checks a pointer instead of copying an optional `RecordDamage` through its type's
  /// metadata.
  @usableFromInline let damaged: DamageBox?
  /// The buffers and their counts, at one address for the storage's life, so that libcsv's field
  /// callback appends through a plain pointer: through the object it needed a call and, short
  /// of that, reference counting for every field.
  @usableFromInline let buffers: UnsafeMutablePointer<FieldBuffers>

  /// Every field's bytes, one after another.
  @usableFromInline var bytes: UnsafeMutablePointer<UInt8> {
    @inline(__always) get { buffers.pointee.bytes }
  }
  /// Where each field starts in `bytes`; one more entry than there are fields, the last being
  /// the end of the last field.
  @usableFromInline var offsets: UnsafeMutablePointer<Int> {
    @inline(__always) get { buffers.pointee.offsets }
  }
  /// Each field's `FieldTag`.
  @usableFromInline var tags: UnsafeMutablePointer<UInt8> {
    @inline(__always) get { buffers.pointee.tags }
  }

  /// Whether the field at storage index `index` was written in quotes.
  @inlinable @inline(__always)
  func isQuoted(_ index: Int) -> Bool { tags[index] >= FieldTag.quotedBit }
  /// How many bytes have been appended.
  var byteCount: Int { buffers.pointee.byteCount }
  /// How many fields have been appended.
  var fieldTotal: Int { buffers.pointee.fieldTotal }

  init(
    file: String, damage: RecordDamage? = nil, reservingBytes byteCount: Int = 64,
    fields fieldCount: Int = 8
  ) {
    self.file = file
    damaged = damage.map(DamageBox.init)
    buffers = .allocate(capacity: 1)
    buffers.initialize(to: FieldBuffers(bytes: byteCount, fields: fieldCount))
  }

  deinit {
    buffers.pointee.deallocate()
    buffers.deallocate()
  }

  func append(field: UnsafeBufferPointer<UInt8>, quoted isQuoted: Bool) {
    buffers.pointee.append(field.baseAddress, count: field.count, quoted: isQuoted)
  }

  func append(field: [UInt8], quoted isQuoted: Bool) {
    field.withUnsafeBufferPointer { append(field: $0, quoted: isQuoted) }
  }

  /// Makes room for `fieldCount` more fields of `byteCount` bytes in all and lets `fill` write
  /// them: the bytes from the first pointer on, each field's end (an offset from the start of
  /// the storage, where the fields' bytes begin at the last argument) through the second, and
  /// each field's `FieldTag` through the third. Reads a record frame back without a call per
  /// field.
  func appendFields(
    count fieldCount: Int, bytes byteCount: Int,
    _ fill: (
      UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Int>, UnsafeMutablePointer<UInt8>, Int
    )
      -> Void
  ) {
    buffers.pointee.makeRoom(bytes: byteCount, fields: fieldCount)
    let used = buffers.pointee
    fill(
      used.bytes + used.byteCount, used.offsets + used.fieldTotal + 1,
      used.tags + used.fieldTotal, used.byteCount)
    buffers.pointee.byteCount += byteCount
    buffers.pointee.fieldTotal += fieldCount
  }

  /// The bytes of the field at storage index `index`.
  func fieldBytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
    let offsets = offsets
    return UnsafeBufferPointer(
      start: bytes + offsets[index], count: offsets[index + 1] - offsets[index])
  }

  /// Drops the fields from `field` on (a record abandoned part-way).
  func truncate(toField field: Int) {
    guard field < fieldTotal else { return }
    buffers.pointee.fieldTotal = field
    buffers.pointee.byteCount = offsets[field]
  }
}

/// A damaged record's damage, held by its storage.
@usableFromInline
final class DamageBox: Sendable {
  @usableFromInline let damage: RecordDamage

  init(_ damage: RecordDamage) {
    self.damage = damage
  }
}

/// A `CSVFieldStorage`'s buffers and how much of them is used. Only the thread building a
/// storage changes them (see `CSVFieldStorage`).
@usableFromInline
struct FieldBuffers {
  @usableFromInline var bytes: UnsafeMutablePointer<UInt8>
  @usableFromInline var offsets: UnsafeMutablePointer<Int>
  @usableFromInline var tags: UnsafeMutablePointer<UInt8>
  private(set) var byteCapacity: Int
  private var fieldCapacity: Int
  var byteCount = 0
  var fieldTotal = 0

  init(bytes byteCount: Int, fields fieldCount: Int) {
    byteCapacity = max(16, byteCount)
    fieldCapacity = max(4, fieldCount)
    bytes = .allocate(capacity: byteCapacity)
    offsets = .allocate(capacity: fieldCapacity + 1)
    tags = .allocate(capacity: fieldCapacity)
    offsets[0] = 0
  }

  func deallocate() {
    bytes.deallocate()
    offsets.deallocate()
    tags.deallocate()
  }

  /// Appends the `count` bytes at `source` (`nil` only when `count` is 0) as a field. Inlined
  /// into libcsv's field callback, the innermost step of every read: the counts never come near
  /// overflowing (the buffers they index are allocated), so they are added unchecked, and room
  /// is checked once for bytes and fields together.
  @inline(__always)
  mutating func append(_ source: UnsafePointer<UInt8>?, count: Int, quoted isQuoted: Bool) {
    if byteCount &+ count > byteCapacity || fieldTotal == fieldCapacity {
      makeRoom(bytes: count, fields: 1)
    }
    if let source { copyBytes(from: source, to: bytes + byteCount, count: count) }
    byteCount &+= count
    tags[fieldTotal] = FieldTag.make(length: count, quoted: isQuoted)
    fieldTotal &+= 1
    offsets[fieldTotal] = byteCount
  }

  /// Counts as a field the `count` bytes already written after the bytes appended so far (by
  /// libcsv, whose entry buffer `LibCSVParser` points there). `makeParserRoom` made room for the
  /// field beforehand, so the field callback calls nothing.
  @inline(__always)
  mutating func appendWritten(count: Int, quoted isQuoted: Bool) {
    byteCount &+= count
    tags[fieldTotal] = FieldTag.make(length: count, quoted: isQuoted)
    fieldTotal &+= 1
    offsets[fieldTotal] = byteCount
  }

  /// Makes room for `fields` more fields and `more` bytes after the `pending` bytes libcsv has
  /// written past the bytes appended so far, keeping those.
  @inline(never)
  mutating func makeParserRoom(pending: Int, more: Int, fields: Int) {
    let kept = byteCount + pending
    if kept + more > byteCapacity {
      byteCapacity = max(byteCapacity * 2, kept + more)
      bytes = bytes.moved(count: kept, toCapacity: byteCapacity)
    }
    if fieldTotal + fields > fieldCapacity { makeRoom(bytes: 0, fields: fields) }
  }

  /// Whether `more` bytes fit after the `pending` bytes libcsv has written past the bytes
  /// appended so far, and `fields` more fields.
  @inline(__always)
  func hasParserRoom(pending: Int, more: Int, fields: Int) -> Bool {
    byteCount &+ pending &+ more <= byteCapacity && fieldTotal &+ fields <= fieldCapacity
  }

  /// Zeroes the bytes from offset `start` up to `end` (default: the capacity).
  func zeroUnused(from start: Int, to end: Int? = nil) {
    let stop = end ?? byteCapacity
    guard start < stop else { return }
    memset(bytes + start, 0, stop - start)
  }

  /// Makes room for `fieldCount` more fields of `byteCount` bytes in all.
  @inline(never)
  mutating func makeRoom(bytes byteCount: Int, fields fieldCount: Int) {
    if self.byteCount + byteCount > byteCapacity {
      byteCapacity = max(byteCapacity * 2, self.byteCount + byteCount)
      bytes = bytes.moved(count: self.byteCount, toCapacity: byteCapacity)
    }
    if fieldTotal + fieldCount > fieldCapacity {
      fieldCapacity = max(fieldCapacity * 2, fieldTotal + fieldCount)
      offsets = offsets.moved(count: fieldTotal + 1, toCapacity: fieldCapacity + 1)
      tags = tags.moved(count: fieldTotal, toCapacity: fieldCapacity)
    }
  }
}

/// The byte a storage keeps for each field, which is also the byte a record frame writes for it
/// (`CSVRecordFrame`): the field's length, or `long` for 127 bytes or more, and `quotedBit` when
/// the field was written in quotes. Made as the field is added, so a frame copies them whole.
@usableFromInline
enum FieldTag {
  @usableFromInline static let quotedBit: UInt8 = 0x80
  /// The length part of a field of 127 bytes or more, whose length a frame lists apart.
  static let long: UInt8 = 0x7F

  @inline(__always)
  static func make(length: Int, quoted: Bool) -> UInt8 {
    UInt8(truncatingIfNeeded: min(length, Int(long))) | (quoted ? quotedBit : 0)
  }
}

extension UnsafeMutablePointer where Pointee: BitwiseCopyable {
  /// A new block of `capacity` elements starting with the first `count` of this block, which
  /// is freed: how the byte buffers of records and rows grow.
  @usableFromInline
  func moved(count: Int, toCapacity capacity: Int) -> UnsafeMutablePointer<Pointee> {
    let grown = UnsafeMutablePointer<Pointee>.allocate(capacity: capacity)
    grown.update(from: self, count: count)
    deallocate()
    return grown
  }
}

/// What made a record unreadable and where: the reader emits such a record in place of the
/// broken one and goes on with the rest of the file.
public struct RecordDamage: Hashable, Sendable {
  /// The kind of problem.
  public enum Kind: String, Sendable, CaseIterable {
    /// A quote in the wrong place: inside an unquoted field, text after a closing quote, or a
    /// quoted field that never closes.
    case malformedQuotes
    /// Bytes that are not valid in the input's encoding (e.g. one GB18030 row in a UTF-8 file).
    case invalidEncoding
    /// A field longer than `CSVReaderOptions.maxFieldBytes` (often an unclosed quote).
    case fieldTooLarge
  }

  public var kind: Kind
  /// The physical line where parsing failed; the record starts at `CSVRecord.location.line`.
  public var failingLine: Int
  /// The 1-based character column in `failingLine`, when known.
  public var column: Int?
  /// One line, Chinese then English, e.g. `引号未闭合 / unterminated quoted field`.
  public var message: String

  public init(kind: Kind, failingLine: Int, column: Int?, message: String) {
    self.kind = kind
    self.failingLine = failingLine
    self.column = column
    self.message = message
  }
}
