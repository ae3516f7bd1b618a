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
  public var damage: RecordDamage? {
    get { storage.damage }
    set { self = rehomed(file: storage.file, damage: newValue) }
  }

  /// This record alone in a new storage with `file` and `damage`: how a record changes them
  /// without changing the records that share its storage.
  @usableFromInline
  func rehomed(file: String, damage: RecordDamage?) -> CSVRecord {
    let own = CSVFieldStorage(file: file, damage: damage, fields: fieldCount)
    for index in firstField..<firstField + fieldCount {
      own.append(field: storage.fieldBytes(index), quoted: storage.quoted[index])
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
    return storage.quoted[firstField + index]
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
  let damage: RecordDamage?
  /// Every field's bytes, one after another.
  @usableFromInline @exclusivity(unchecked) var bytes: UnsafeMutablePointer<UInt8>
  /// Where each field starts in `bytes`; one more entry than there are fields, the last being
  /// the end of the last field.
  @usableFromInline @exclusivity(unchecked) var offsets: UnsafeMutablePointer<Int>
  @usableFromInline @exclusivity(unchecked) var quoted: UnsafeMutablePointer<Bool>
  @exclusivity(unchecked) private var byteCapacity: Int
  @exclusivity(unchecked) private var fieldCapacity: Int
  /// How many bytes have been appended.
  @exclusivity(unchecked) private(set) var byteCount = 0
  /// How many fields have been appended.
  @exclusivity(unchecked) private(set) var fieldTotal = 0

  init(
    file: String, damage: RecordDamage? = nil, reservingBytes byteCount: Int = 64,
    fields fieldCount: Int = 8
  ) {
    self.file = file
    self.damage = damage
    byteCapacity = max(16, byteCount)
    fieldCapacity = max(4, fieldCount)
    bytes = .allocate(capacity: byteCapacity)
    offsets = .allocate(capacity: fieldCapacity + 1)
    quoted = .allocate(capacity: fieldCapacity)
    offsets[0] = 0
  }

  deinit {
    bytes.deallocate()
    offsets.deallocate()
    quoted.deallocate()
  }

  func append(field: UnsafeBufferPointer<UInt8>, quoted isQuoted: Bool) {
    if byteCount + field.count > byteCapacity {
      grow(bytesTo: max(byteCapacity * 2, byteCount + field.count))
    }
    if fieldTotal == fieldCapacity { grow(fieldsTo: fieldCapacity * 2) }
    if let source = field.baseAddress {
      copyBytes(from: source, to: bytes + byteCount, count: field.count)
    }
    byteCount += field.count
    quoted[fieldTotal] = isQuoted
    fieldTotal += 1
    offsets[fieldTotal] = byteCount
  }

  func append(field: [UInt8], quoted isQuoted: Bool) {
    field.withUnsafeBufferPointer { append(field: $0, quoted: isQuoted) }
  }

  /// Makes room for `fieldCount` more fields of `byteCount` bytes in all and lets `fill` write
  /// them: the bytes from the first pointer on, each field's end (an offset from the start of
  /// the storage, where the fields' bytes begin at the last argument) through the second, and
  /// each field's quoted flag through the third. Reads a record frame back without a call per
  /// field.
  func appendFields(
    count fieldCount: Int, bytes byteCount: Int,
    _ fill: (
      UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Int>, UnsafeMutablePointer<Bool>, Int
    )
      -> Void
  ) {
    if self.byteCount + byteCount > byteCapacity {
      grow(bytesTo: max(byteCapacity * 2, self.byteCount + byteCount))
    }
    if fieldTotal + fieldCount > fieldCapacity {
      grow(fieldsTo: max(fieldCapacity * 2, fieldTotal + fieldCount))
    }
    fill(bytes + self.byteCount, offsets + fieldTotal + 1, quoted + fieldTotal, self.byteCount)
    self.byteCount += byteCount
    fieldTotal += fieldCount
  }

  /// The bytes of the field at storage index `index`.
  func fieldBytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: bytes + offsets[index], count: offsets[index + 1] - offsets[index])
  }

  /// Drops the fields from `field` on (a record abandoned part-way).
  func truncate(toField field: Int) {
    guard field < fieldTotal else { return }
    fieldTotal = field
    byteCount = offsets[field]
  }

  private func grow(bytesTo capacity: Int) {
    bytes = bytes.moved(count: byteCount, toCapacity: capacity)
    byteCapacity = capacity
  }

  private func grow(fieldsTo capacity: Int) {
    offsets = offsets.moved(count: fieldTotal + 1, toCapacity: capacity + 1)
    quoted = quoted.moved(count: fieldTotal, toCapacity: capacity)
    fieldCapacity = capacity
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
