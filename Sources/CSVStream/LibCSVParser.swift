import CLibCSV

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One libcsv parser (strict, exact fields, bounded field length) and the record its callbacks
/// are assembling. The reader feeds it one physical line (or part of one) at a time, so at most
/// one record completes per call, at the line's end.
///
/// libcsv writes each field's bytes straight into the storage the records keep (its entry
/// buffer points at the end of the storage's bytes, `pointBuffer(forInput:)`), and the field
/// callback only counts them and moves the buffer past them: no copy of the bytes per field.
/// Before each `csv_parse` call the storage has room for the field being written and every byte
/// of the call, so libcsv never grows its buffer; only the field length limit makes it try,
/// which `refuseRealloc` turns into the error a field over the limit has always given.
final class LibCSVParser {
  /// libcsv's `pstate` values (libcsv.c).
  private enum State {
    static let rowNotBegun: Int32 = 0
    static let fieldBegun: Int32 = 2
    static let fieldMightHaveEnded: Int32 = 3
  }

  let maxFieldBytes: Int
  /// The most bytes libcsv may hold of one field: its bytes plus libcsv's copy of the closing
  /// quote plus one, because libcsv checks for room before looking at the byte after a field.
  private let bufferLimit: Int
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
    bufferLimit = self.maxFieldBytes > Int.max / 2 ? Int.max / 2 : self.maxFieldBytes + 2
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
    // The entry buffer is the storage's, not libcsv's to free.
    parser.pointee.entry_buf = nil
    csv_free(parser)
    parser.deallocate()
    callbacks.deinitialize(count: 1)
    callbacks.deallocate()
  }

  /// Whether the libcsv linked at run time behaves as this parser relies on; checked once per
  /// process, before any input is read (`CSVReader.nextBatch`).
  ///
  /// Pointing libcsv's entry buffer into the storage depends on how libcsv 3.0.3 works inside,
  /// beyond its public struct: `csv_parse` reads `entry_buf` and `entry_size` through the parser
  /// after every callback, grows its buffer only when `entry_pos` reaches `entry_size`, writes
  /// at most one byte per input byte, leaves a quoted field's closing quote right after it, and
  /// `csv_init` sets `entry_buf` to NULL. The program links the system's shared libcsv, so a
  /// library that did otherwise would come in with an update, not a build: a line with quoted,
  /// escaped, empty and multi-line fields, fed in pieces, must come back exactly.
  static let linkedLibraryBehaves: Bool = {
    let line = Array("ab, c d ,\"x \"\"y\"\" z\",,\"\",\"多 行\r\n内容\",末尾\n".utf8)
    let parser = LibCSVParser(maxFieldBytes: 1 << 20, file: "")
    var parsed: CSVRecord?
    for start in stride(from: 0, to: line.count, by: 3) {
      let piece = Array(line[start..<min(start + 3, line.count)])
      let consumed = piece.withUnsafeBytes { raw -> Int in
        guard let base = raw.baseAddress else { return 0 }
        return parser.parse(base, count: raw.count)
      }
      guard consumed == piece.count else { return false }
      if let record = parser.takeRecord(line: 1) { parsed = record }
    }
    guard
      parsed?.fields == ["ab", " c d ", "x \"y\" z", "", "", "多 行\r\n内容", "末尾"]
        && parsed?.quoted == [false, false, true, false, true, true, false]
    else { return false }
    // A line's only blank inside quotes (parsed to its end in one run with the built-in space
    // test), and after a closing quote (still an error), each fed whole.
    let quotedBlank = Array("1,\"x y\",2\n".utf8)
    let inQuotes = LibCSVParser(maxFieldBytes: 1 << 20, file: "")
    let whole = quotedBlank.withUnsafeBytes { raw in
      raw.baseAddress.map { inQuotes.parse($0, count: raw.count) } ?? 0
    }
    guard whole == quotedBlank.count, inQuotes.takeRecord(line: 1)?.fields == ["1", "x y", "2"]
    else { return false }
    let blankAfterQuote = Array("\"x\" ,y\n".utf8)
    let afterQuote = LibCSVParser(maxFieldBytes: 1 << 20, file: "")
    let stopped = blankAfterQuote.withUnsafeBytes { raw in
      raw.baseAddress.map { afterQuote.parse($0, count: raw.count) } ?? 0
    }
    return stopped < blankAfterQuote.count && afterQuote.stoppedOnSyntaxError
  }()

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
    guard count > 0 else { return 0 }
    // Room for the whole line at once; the callbacks keep the buffer pointed between the runs.
    pointBuffer(forInput: count)
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
    // Inside a quoted field libcsv takes a blank or tab as it takes any other character, without
    // asking its space test; when the line has no other, the rest is parsed in one run with the
    // built-in test (a 工作单位 such as `"绍兴某厂, 第7车间"`, in nearly half the rows here).
    if lastBlank == firstBlank && isInQuotedField && parser.pointee.pstate == State.fieldBegun {
      return firstBlank
        + parseRun(bytes + firstBlank, count: count - firstBlank, keepsBlanks: false)
    }
    let middleCount = lastBlank + 1 - firstBlank
    let middle = parseRun(bytes + firstBlank, count: middleCount, keepsBlanks: true)
    guard middle == middleCount else { return firstBlank + middle }
    let tailStart = lastBlank + 1
    return tailStart + parseRun(bytes + tailStart, count: count - tailStart, keepsBlanks: false)
  }

  private static let blank = UInt8(ascii: " ")
  private static let tab = UInt8(ascii: "\t")

  /// One `csv_parse` call with libcsv's blank-and-tab space test, or, when `keepsBlanks`, one
  /// that calls nothing a space; `pointBuffer` has made room for its bytes.
  private func parseRun(_ bytes: UnsafeRawPointer, count: Int, keepsBlanks: Bool) -> Int {
    guard count > 0 else { return 0 }
    parser.pointee.is_space = keepsBlanks ? talent_screen_no_spaces : nil
    return csv_parse(parser, bytes, count, fieldCallback, recordCallback, callbacks)
  }

  /// Points libcsv's entry buffer at the end of the storage's bytes, where the field it is
  /// writing (`entry_pos` bytes) already lies, with room for `count` more bytes and the one
  /// after them (a call cannot write more bytes than it is given) and for the fields they can
  /// end.
  @inline(__always)
  private func pointBuffer(forInput count: Int) {
    let buffers = storage.buffers
    let pending = parser.pointee.entry_pos
    // Each field ends at a byte given, or at the input's end (`finish`).
    if !buffers.pointee.hasParserRoom(pending: pending, more: count &+ 1, fields: count &+ 1) {
      buffers.pointee.makeParserRoom(pending: pending, more: count &+ 1, fields: count &+ 1)
    }
    let start = buffers.pointee.bytes + buffers.pointee.byteCount
    let last = buffers.pointee.bytes + (buffers.pointee.byteCapacity - 1)
    // The bytes the call may write and the one after them hold no quote (see `addField`).
    // Zeroed here, as they are about to be written, rather than a whole storage at a time.
    memset(start + pending, 0, count &+ 1)
    parser.pointee.entry_buf = start
    parser.pointee.entry_size = min(start.distance(to: last), bufferLimit)
  }

  /// Ends the input, completing a last record that had no line end; `false` when a quoted field
  /// is still open.
  func finish() -> Bool {
    pointBuffer(forInput: 0)
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
    // The bytes of a field libcsv is still writing, right after the storage's bytes.
    let pending = parser.pointee.entry_buf == nil ? 0 : parser.pointee.entry_pos
    // Room for a batch an eighth larger than the last, so that the next batch's storage rarely
    // has to grow (each growth copies the whole batch so far).
    storage = CSVFieldStorage(
      file: file, reservingBytes: old.byteCount + old.byteCount / 8 + pending + 256,
      fields: max(old.fieldTotal + old.fieldTotal / 8, partial) + 1)
    for field in recordFirstField..<old.fieldTotal {
      storage.append(field: old.fieldBytes(field), quoted: old.isQuoted(field))
    }
    let buffers = storage.buffers
    if pending > 0 {
      buffers.pointee.bytes.advanced(by: buffers.pointee.byteCount).update(
        from: old.bytes + old.byteCount, count: pending)
    }
    recordFirstField = 0
    pointBuffer(forInput: 0)
  }

  /// Throws away any partial record and starts a fresh parser (`csv_free`/`csv_init`).
  func reset() {
    let buffers = storage.buffers
    // The bytes libcsv wrote past the storage's end, up to the byte after them.
    let written =
      parser.pointee.entry_buf.map {
        buffers.pointee.bytes.distance(to: $0) + parser.pointee.entry_pos + 1
      } ?? 0
    parser.pointee.entry_buf = nil
    csv_free(parser)
    configure()
    storage.truncate(toField: recordFirstField)
    // A quote left there (the record's fields, or an unfinished one) would mark a later field at
    // the same place as quoted.
    buffers.pointee.zeroUnused(
      from: buffers.pointee.byteCount, to: min(written, buffers.pointee.byteCapacity))
    callbacks.pointee.recordComplete = false
    callbacks.pointee.fieldTooLarge = false
  }

  private func configure() {
    let options = CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL
    csv_init(parser, UInt8(options))
    csv_set_delim(parser, delimiter)
    csv_set_space_func(parser, talent_screen_no_spaces)
    csv_set_realloc_func(parser, refuseRealloc)
    csv_set_free_func(parser, keepBuffer)
    csv_set_blk_size(parser, 64 * 1024)
  }
}

/// What libcsv's callbacks read and change, in one block their context pointer points to, so
/// that the field callback, run for every field, reaches it without reference counting or a
/// call through the parser object.
private struct CallbackState {
  /// The buffers of the parser's current storage.
  var target: UnsafeMutablePointer<FieldBuffers>
  let maxFieldBytes: Int
  /// The longest field taken: `maxFieldBytes`, or -1 once a field was longer, so that one
  /// comparison a field checks both.
  private var acceptedLength: Int
  let parser: UnsafeMutablePointer<csv_parser>
  var recordComplete = false

  /// A field was longer than `maxFieldBytes`; the record is not taken.
  var fieldTooLarge: Bool {
    get { acceptedLength < 0 }
    set { acceptedLength = newValue ? -1 : maxFieldBytes }
  }

  init(
    target: UnsafeMutablePointer<FieldBuffers>, maxFieldBytes: Int,
    parser: UnsafeMutablePointer<csv_parser>
  ) {
    self.target = target
    self.maxFieldBytes = maxFieldBytes
    acceptedLength = maxFieldBytes
    self.parser = parser
  }

  /// Takes the field libcsv has just written at the end of the storage's bytes and moves its
  /// entry buffer past it.
  ///
  /// libcsv leaves a quoted field's closing quote right after the field; nothing else puts a
  /// quote there (strict mode stops at a quote in an unquoted field, and the storage's unused
  /// bytes hold no quote: `pointBuffer` zeroes the bytes each call may write and the one after
  /// them, the quote is zeroed once seen, and a reset zeroes what libcsv wrote past the end), so
  /// that byte tells whether the field was quoted.
  @inline(__always)
  mutating func addField(_ field: UnsafeMutableRawPointer?, length: Int) {
    guard let field else {
      if acceptedLength >= 0 { target.pointee.appendWritten(count: 0, quoted: false) }
      return
    }
    let bytes = field.assumingMemoryBound(to: UInt8.self)
    guard length <= acceptedLength else {
      acceptedLength = -1
      zeroBytes(at: field, count: length + 1)
      return
    }
    let isQuoted = bytes[length] == UInt8(ascii: "\"")
    // Zeroed whether quoted or not: the byte is where the next field starts, not yet written.
    bytes[length] = 0
    target.pointee.appendWritten(count: length, quoted: isQuoted)
    // `entry_size` stays as `pointBuffer` set it for the call: the storage has room for every
    // byte the call has left after this field (and the one after them), which is as many as
    // libcsv can write, so only the field length limit can make `entry_pos` reach it.
    parser.pointee.entry_buf = bytes + length
  }

  mutating func endRecord() {
    guard !fieldTooLarge else { return }
    recordComplete = true
  }
}

/// libcsv's field callback. Its context is the `CallbackState` given to every `csv_parse` and
/// `csv_fini` call, never `nil`, so it is not checked for every field. Always inlined, into the
/// C entry point the compiler makes for it: otherwise that entry point only jumps here, a second
/// frame set up for every field.
@inline(__always)
private func fieldCallback(
  _ field: UnsafeMutableRawPointer?, _ length: Int, _ data: UnsafeMutableRawPointer?
) {
  data.unsafelyUnwrapped.assumingMemoryBound(to: CallbackState.self).pointee.addField(
    field, length: length)
}

private func recordCallback(_ terminator: Int32, _ data: UnsafeMutableRawPointer?) {
  data?.assumingMemoryBound(to: CallbackState.self).pointee.endRecord()
}

/// libcsv's realloc hook: its entry buffer lies in a storage with room for all it is given, so
/// it asks to grow only at the field length limit, and the answer `nil` makes it fail with
/// `CSV_ENOMEM`, which the reader reports as a field over the limit.
private func refuseRealloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int)
  -> UnsafeMutableRawPointer?
{
  nil
}

/// libcsv's free hook: the entry buffer belongs to a storage.
private func keepBuffer(_ pointer: UnsafeMutableRawPointer?) {}
