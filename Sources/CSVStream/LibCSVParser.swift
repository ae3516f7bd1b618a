import CLibCSV

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One libcsv parser (strict, exact fields, bounded field buffer) and the record its callbacks
/// are assembling. The reader feeds it one physical line (or part of one) at a time, so at most
/// one record completes per call, at the line's end.
final class LibCSVParser {
  /// libcsv's `pstate` values (libcsv.c).
  private enum State {
    static let rowNotBegun: Int32 = 0
    static let fieldBegun: Int32 = 2
    static let fieldMightHaveEnded: Int32 = 3
  }

  let maxFieldBytes: Int
  /// The field delimiter; kept across `reset()`.
  var delimiter: UInt8 = UInt8(ascii: ",") {
    didSet { csv_set_delim(parser, delimiter) }
  }
  /// Set by the field callback when a field is longer than `maxFieldBytes`.
  var fieldTooLarge: Bool { callbacks.pointee.fieldTooLarge }

  private let parser: UnsafeMutablePointer<csv_parser>
  /// Where the fields go: shared with the records already taken from it, so it is replaced by a
  /// fresh one (`startNewStorage()`) before those records leave the reading thread.
  // Read for every record, on the one thread that owns the parser and never while another
  // access is open, so the runtime's exclusivity check is skipped. The field callback appends to
  // it through `callbacks`, which `didSet` points at each new storage's buffers.
  @exclusivity(unchecked) private var storage: CSVFieldStorage {
    didSet { callbacks.pointee.target = storage.buffers }
  }
  /// What libcsv's callbacks work on, which their context points to.
  private let callbacks: UnsafeMutablePointer<CallbackState>
  /// The storage index of the first field of the record being assembled.
  private var recordFirstField = 0
  /// A record was completed by the last `parse` or `finish` and waits for `takeRecord`.
  var recordComplete: Bool { callbacks.pointee.recordComplete }

  /// The input's name, which every record's location carries.
  let file: String

  init(maxFieldBytes: Int, file: String) {
    self.maxFieldBytes = max(0, maxFieldBytes)
    self.file = file
    let storage = CSVFieldStorage(file: file)
    self.storage = storage
    callbacks = .allocate(capacity: 1)
    parser = .allocate(capacity: 1)
    callbacks.initialize(
      to: CallbackState(
        target: storage.buffers, maxFieldBytes: self.maxFieldBytes, parser: parser))
    configure()
  }

  deinit {
    csv_free(parser)
    parser.deallocate()
    callbacks.deinitialize(count: 1)
    callbacks.deallocate()
  }

  /// `true` when the parser is between records, so whatever comes next starts a new one.
  var isBetweenRecords: Bool { parser.pointee.pstate == State.rowNotBegun }

  /// `true` when the last short `parse` stopped on a strict-mode syntax error; otherwise the
  /// bounded field buffer could not grow (`CSV_ENOMEM`/`CSV_ETOOBIG`): the field is too large.
  var stoppedOnSyntaxError: Bool { csv_error(parser) == CSV_EPARSE }

  /// `true` while inside a quoted field.
  var isInQuotedField: Bool { parser.pointee.quoted != 0 }

  /// Explains a strict-mode parse error from the state libcsv stopped in.
  var syntaxErrorExplanation: String {
    let state = parser.pointee.pstate
    if state == State.fieldBegun && parser.pointee.quoted == 0 {
      return "未加引号的字段中出现引号 / a quote inside an unquoted field"
    }
    if state == State.fieldMightHaveEnded {
      return "闭合引号后应紧跟分隔符或换行 / a closing quote must be followed by a delimiter or line end"
    }
    return "无法解析 / " + String(cString: csv_strerror(csv_error(parser)))
  }

  /// Feeds bytes of one physical line; returns how many libcsv consumed (fewer than `count` on
  /// error: see `stoppedOnSyntaxError`). `mayHoldTab` is `false` only when the bytes hold no tab.
  ///
  /// libcsv asks its space test about nearly every byte. Its built-in test (`is_space` `NULL`:
  /// blank or tab) parses bytes that hold neither exactly as `talent_screen_no_spaces` does, and
  /// no state that depends on the test outlives a blank or tab (`spaces` stays 0), so only the
  /// stretch from the first to the last blank or tab is parsed with the function. With a tab
  /// delimiter every tab must be seen as the delimiter, so the function is used throughout.
  func parse(_ bytes: UnsafeRawPointer, count: Int, mayHoldTab: Bool = true) -> Int {
    guard delimiter != Self.tab else { return parseRun(bytes, count: count, keepsBlanks: true) }
    var firstBlank = memchr(bytes, Int32(Self.blank), count).map {
      bytes.distance(to: UnsafeRawPointer($0))
    }
    var lastBlank = firstBlank ?? 0
    if mayHoldTab, let tab = memchr(bytes, Int32(Self.tab), count) {
      // Tabs are rare outside tab-delimited files: everything from the first one on uses the
      // function.
      firstBlank = min(firstBlank ?? count, bytes.distance(to: UnsafeRawPointer(tab)))
      lastBlank = count - 1
    }
    guard let firstBlank else { return parseRun(bytes, count: count, keepsBlanks: false) }
    while lastBlank < count - 1,
      let next = memchr(bytes + lastBlank + 1, Int32(Self.blank), count - lastBlank - 1)
    {
      lastBlank = bytes.distance(to: UnsafeRawPointer(next))
    }
    let head = parseRun(bytes, count: firstBlank, keepsBlanks: false)
    guard head == firstBlank else { return head }
    let middleCount = lastBlank + 1 - firstBlank
    let middle = parseRun(bytes + firstBlank, count: middleCount, keepsBlanks: true)
    guard middle == middleCount else { return firstBlank + middle }
    let tailStart = lastBlank + 1
    return tailStart + parseRun(bytes + tailStart, count: count - tailStart, keepsBlanks: false)
  }

  private static let blank = UInt8(ascii: " ")
  private static let tab = UInt8(ascii: "\t")

  /// One `csv_parse` call with libcsv's blank-and-tab space test, or, when `keepsBlanks`, one
  /// that calls nothing a space.
  private func parseRun(_ bytes: UnsafeRawPointer, count: Int, keepsBlanks: Bool) -> Int {
    guard count > 0 else { return 0 }
    parser.pointee.is_space = keepsBlanks ? talent_screen_no_spaces : nil
    return csv_parse(parser, bytes, count, fieldCallback, recordCallback, callbacks)
  }

  /// Ends the input, completing a last record that had no line end; `false` when a quoted field
  /// is still open.
  func finish() -> Bool {
    return csv_fini(parser, fieldCallback, recordCallback, callbacks) == 0
  }

  /// The record completed by the last `parse` or `finish`, once, starting on line `line`.
  func takeRecord(line: Int) -> CSVRecord? {
    guard recordComplete else { return nil }
    callbacks.pointee.recordComplete = false
    let record = CSVRecord(
      storage: storage, firstField: recordFirstField,
      fieldCount: storage.fieldTotal - recordFirstField, line: line)
    recordFirstField = storage.fieldTotal
    return record
  }

  /// Puts the fields of later records in a new storage, so the records taken so far can be read
  /// on other threads; a record being assembled moves along with its fields.
  func startNewStorage() {
    let old = storage
    let partial = old.fieldTotal - recordFirstField
    // Room for a batch an eighth larger than the last, so that the next batch's storage rarely
    // has to grow (each growth copies the whole batch so far).
    storage = CSVFieldStorage(
      file: file, reservingBytes: old.byteCount + old.byteCount / 8 + 256,
      fields: max(old.fieldTotal + old.fieldTotal / 8, partial) + 1)
    for field in recordFirstField..<old.fieldTotal {
      storage.append(field: old.fieldBytes(field), quoted: old.quoted[field])
    }
    recordFirstField = 0
  }

  /// Throws away any partial record and starts a fresh parser (`csv_free`/`csv_init`).
  func reset() {
    csv_free(parser)
    configure()
    storage.truncate(toField: recordFirstField)
    callbacks.pointee.recordComplete = false
    callbacks.pointee.fieldTooLarge = false
  }

  private func configure() {
    let options = CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL
    csv_init(parser, UInt8(options))
    csv_set_delim(parser, delimiter)
    csv_set_space_func(parser, talent_screen_no_spaces)
    csv_set_realloc_func(parser, boundedRealloc)
    csv_set_free_func(parser, boundedFree)
    csv_set_blk_size(parser, 64 * 1024)
    // A field needs its bytes plus libcsv's copy of the closing quote plus one more byte, because
    // libcsv grows the buffer before looking at the character after the field.
    let limit = maxFieldBytes > Int.max / 2 ? Int.max / 2 : maxFieldBytes + 2
    let initial = min(4096, limit)
    if let buffer = FieldBuffer.allocate(capacity: initial, limit: limit) {
      parser.pointee.entry_buf = buffer.assumingMemoryBound(to: UInt8.self)
      parser.pointee.entry_size = initial
    }
  }
}

/// What libcsv's callbacks read and change, in one block their context pointer points to, so
/// that the field callback, run for every field, reaches it without reference counting or a
/// call through the parser object.
private struct CallbackState {
  /// The buffers of the parser's current storage.
  var target: UnsafeMutablePointer<FieldBuffers>
  let maxFieldBytes: Int
  let parser: UnsafeMutablePointer<csv_parser>
  var fieldTooLarge = false
  var recordComplete = false

  init(
    target: UnsafeMutablePointer<FieldBuffers>, maxFieldBytes: Int,
    parser: UnsafeMutablePointer<csv_parser>
  ) {
    self.target = target
    self.maxFieldBytes = maxFieldBytes
    self.parser = parser
  }

  @inline(__always)
  mutating func addField(_ field: UnsafeMutableRawPointer?, length: Int) {
    guard !fieldTooLarge else { return }
    guard length <= maxFieldBytes else {
      fieldTooLarge = true
      return
    }
    guard let field else {
      target.pointee.append(nil, count: 0, quoted: false)
      return
    }
    // libcsv leaves a quoted field's closing quote in its buffer right after the field. Only a
    // quoted field puts quotes in the buffer (strict mode stops at a quote in an unquoted one),
    // and it writes nowhere past its closing quote, so zeroing a quoted field's bytes and quote
    // after use keeps the buffer free of stale quotes.
    let bytes = field.assumingMemoryBound(to: UInt8.self)
    let bufferSize = parser.pointee.entry_size
    let isQuoted = length < bufferSize && bytes[length] == UInt8(ascii: "\"")
    target.pointee.append(bytes, count: length, quoted: isQuoted)
    if isQuoted { zeroBytes(at: field, count: length + 1) }
  }

  mutating func endRecord() {
    guard !fieldTooLarge else { return }
    recordComplete = true
  }
}

private func fieldCallback(
  _ field: UnsafeMutableRawPointer?, _ length: Int, _ data: UnsafeMutableRawPointer?
) {
  data?.assumingMemoryBound(to: CallbackState.self).pointee.addField(field, length: length)
}

private func recordCallback(_ terminator: Int32, _ data: UnsafeMutableRawPointer?) {
  data?.assumingMemoryBound(to: CallbackState.self).pointee.endRecord()
}

/// The parser's field buffer: a zero-filled heap block whose header records its capacity and the
/// most it may grow to, so the context-free realloc hook can refuse to grow past the field limit.
private enum FieldBuffer {
  static let headerSize = 16

  static func allocate(capacity: Int, limit: Int) -> UnsafeMutableRawPointer? {
    guard let base = calloc(1, capacity + headerSize) else { return nil }
    base.storeBytes(of: capacity, as: Int.self)
    base.storeBytes(of: limit, toByteOffset: 8, as: Int.self)
    return base + headerSize
  }
}

/// libcsv's realloc hook: grows geometrically (libcsv asks for small steps), never past the limit
/// stored in the header; returning `nil` makes libcsv fail with `CSV_ENOMEM`.
private func boundedRealloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int)
  -> UnsafeMutableRawPointer?
{
  guard let pointer else {
    return FieldBuffer.allocate(capacity: size, limit: Int.max / 2)
  }
  let base = pointer - FieldBuffer.headerSize
  let capacity = base.load(as: Int.self)
  let limit = base.load(fromByteOffset: 8, as: Int.self)
  guard size <= limit else { return nil }
  guard size > capacity else { return pointer }
  let grown = min(max(size, capacity > limit / 2 ? limit : capacity * 2), limit)
  guard let newBase = realloc(base, grown + FieldBuffer.headerSize) else { return nil }
  memset(newBase + FieldBuffer.headerSize + capacity, 0, grown - capacity)
  newBase.storeBytes(of: grown, as: Int.self)
  return newBase + FieldBuffer.headerSize
}

private func boundedFree(_ pointer: UnsafeMutableRawPointer?) {
  guard let pointer else { return }
  free(pointer - FieldBuffer.headerSize)
}
