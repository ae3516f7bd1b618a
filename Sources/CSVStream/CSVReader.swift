#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Streams CSV records from a file, standard input or memory: reads fixed-size blocks, decodes
/// them to UTF-8 (detecting or forcing the encoding), lets libcsv parse them line by line and
/// hands out the records in batches, each stamped with the physical line on which it began.
///
/// A record that cannot be parsed (a stray quote, bytes invalid in the encoding, a field over
/// the size limit) comes back with a `RecordDamage`, and reading resumes on the line after the
/// damaged record's start line, so one broken quote never swallows the rest of the file. Only
/// problems with the whole file throw: it cannot be opened or read, or it is not CSV text.
///
/// Memory stays bounded whatever the input size: a raw block (at least 64 KiB), a decoded
/// window of two blocks that grows only to keep up to `maxFieldBytes` + 64 KiB from the start
/// of a record spanning many blocks, the field being parsed, and one batch. Use one reader from one thread at a time. After an error the reader first returns
/// the records it completed before the error, then throws that error on every later call.
public final class CSVReader {
  /// The input's encoding once known: forced, named by a byte order mark, or detected
  /// (`.utf8` or `.gb18030`); `nil` while an auto-detected input has shown only ASCII (an
  /// ASCII-only input ends as `.utf8`).
  public private(set) var encoding: InputEncoding?
  /// `true` when the input began with a byte order mark (which is not part of the data).
  public private(set) var hadByteOrderMark = false
  /// Raw input bytes consumed so far, for progress reports.
  public private(set) var bytesRead = 0
  /// The field delimiter, decided before the first record: named by a `sep=` line, tab for
  /// UTF-16 input or a first line with tabs but no commas, comma otherwise.
  public private(set) var delimiter = UInt8(ascii: ",")
  /// `true` when the first line was Excel's `sep=X`, which was consumed; the next record starts
  /// on line 2.
  public private(set) var skippedSeparatorLine = false

  /// `true` once the input has ended with the parser between records: no record, quoted field
  /// or damaged line was still open at the end. A reader stopped by `byteLimit` at a line start
  /// with this `true` ended exactly where a reader of the whole file would start a record.
  public private(set) var endedBetweenRecords = false

  private var reachedEnd = false
  /// Bytes the source may still give under `byteLimit`.
  private var sourceAllowance = Int.max
  private let continuation: CSVContinuation?
  private let computesDigest: Bool

  /// SHA-256 of every raw byte read, so a manifest can name the input (standard input too)
  /// without reading it twice.
  private var hasher = SHA256()

  /// SHA-256 (lowercase hex) of the raw input, once it has been read to its end; `nil` before.
  public private(set) var sha256: String?

  private static let lineFeed = UInt8(ascii: "\n")
  private static let carriageReturn = UInt8(ascii: "\r")

  private enum Phase { case opening, reading, finished }

  /// What happens to the bytes of the current physical line.
  private enum LineSkip {
    /// Parse them.
    case parse
    /// Drop them (the `sep=` line, or the rest of a failing line).
    case discard
    /// Drop them: a record failed on this line; at its end `resolveFailure` decides how to go
    /// on.
    case failed(RecordDamage)
    /// Drop them but keep their text: they are the start line of `damage`'s record.
    case capture(RecordDamage, recordLine: Int)
  }

  private let displayName: String
  private let blockSize: Int
  private let batchSize: Int
  private let maxFieldBytes: Int
  /// How far past a record's start its bytes are kept so that reading can resume on the line
  /// after its start line if it turns out damaged.
  private let rewindLimit: Int
  private let forcedEncoding: InputEncoding
  private var source: ByteSource
  private let parser: LibCSVParser
  private var decoder: TextDecoder?
  private var phase = Phase.opening
  private var failure: CSVError?
  // The records of the batch being read and the escapes' offsets change for every record. Only
  // the reading thread touches a reader, so the runtime's exclusivity checks on them (seen in
  // profiles on every record) are left out.
  @exclusivity(unchecked) private var output: [CSVRecord] = []

  /// Raw bytes not yet decoded are `raw[rawStart..<rawEnd]`.
  private let raw: UnsafeMutableRawBufferPointer
  private var rawStart = 0
  private var rawEnd = 0
  private var sourceExhausted = false
  /// Bytes after `end` in the window: the start of a character that the last direct read of
  /// UTF-8 cut (`readUTF8`), completed by the next.
  private var pendingUTF8 = 0

  /// Decoded UTF-8: `window[cursor..<end]` waits for the parser; bytes before `cursor` are kept
  /// from the start of the record being parsed. `windowBase` is the absolute decoded offset of
  /// `window[0]`.
  private var window: UnsafeMutableRawBufferPointer
  private var windowBase = 0
  private var cursor = 0
  private var end = 0
  /// Absolute decoded offsets of `\xNN` escapes not yet behind a finished record.
  @exclusivity(unchecked) private var marks: [Int] = []
  @exclusivity(unchecked) private var marksHead = 0

  private var line = 1
  /// Characters of the current physical line already fed in earlier segments.
  private var column = 0
  /// The last segment ended with a CR that may be followed by the LF of a CRLF.
  private var afterCarriageReturn = false
  /// The last segment fed ended a physical line.
  private var atLineStart = true

  /// The record being parsed: its start in `window` (`nil` once dropped for memory), absolute
  /// start, start line, and the first invalid byte seen in it.
  private var recordStart: Int?
  private var recordStartAbsolute = 0
  private var recordLine = 1
  private var droppedStartLine: String?
  private var encodingFailure: (line: Int, column: Int)?

  /// No tab lies in the decoded bytes from absolute offset `tabFreeFrom` to `tabFreeUntil`: one
  /// search serves many segments, and the parser needs to know which segments hold a tab.
  private var tabFreeFrom = 0
  private var tabFreeUntil = 0

  private var skip = LineSkip.parse
  private var captured: [UInt8] = []

  /// Opens a file for reading; `path` `-` reads standard input. `displayName` (default: `path`)
  /// is the file name used in record locations and messages.
  public convenience init(
    path: String, displayName: String? = nil, options: CSVReaderOptions = .init()
  ) throws(CSVError) {
    let name = displayName ?? path
    let source: ByteSource
    if path == "-" {
      source = .descriptor(STDIN_FILENO, owned: false, path: name)
    } else {
      let descriptor = open(path, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else {
        throw .cannotOpen(path: path, reason: systemErrorMessage())
      }
      var status = stat()
      if fstat(descriptor, &status) == 0, status.st_mode & mode_t(S_IFMT) == mode_t(S_IFDIR) {
        close(descriptor)
        throw .cannotOpen(path: path, reason: "是目录 / is a directory")
      }
      source = .descriptor(descriptor, owned: true, path: name)
    }
    self.init(source: source, displayName: name, options: options)
  }

  /// Reads CSV held in memory; `displayName` names it in record locations and messages.
  public convenience init(
    bytes: [UInt8], displayName: String, options: CSVReaderOptions = .init()
  ) {
    self.init(source: .memory(bytes, position: 0), displayName: displayName, options: options)
  }

  private init(source: ByteSource, displayName: String, options: CSVReaderOptions) {
    self.source = source
    self.displayName = displayName
    blockSize = max(4, options.blockSize)
    batchSize = max(1, options.batchSize)
    maxFieldBytes = min(max(0, options.maxFieldBytes), Int.max / 4)
    rewindLimit = maxFieldBytes + min(max(0, options.rewindSlack), Int.max / 4)
    forcedEncoding = options.encoding
    encoding = options.encoding == .auto ? nil : options.encoding
    parser = LibCSVParser(maxFieldBytes: maxFieldBytes, file: displayName)
    raw = .allocate(byteCount: max(blockSize, InputPrefix.size) + 8, alignment: 8)
    sourceAllowance = options.byteLimit.map { max(0, $0) } ?? Int.max
    continuation = options.continuation
    computesDigest = options.computesDigest
    window = .allocate(byteCount: max(4096, 2 * blockSize + 64), alignment: 8)
  }

  deinit {
    source.close()
    raw.deallocate()
    window.deallocate()
  }

  /// The next `batchSize` records in file order (fewer at the end), or `nil` when the input is
  /// exhausted.
  public func nextBatch() throws(CSVError) -> [CSVRecord]? {
    guard LibCSVParser.linkedLibraryBehaves else { throw .incompatibleLibCSV(path: displayName) }
    while output.count < batchSize && failure == nil && phase != .finished {
      do throws(CSVError) {
        try step()
      } catch {
        failure = error
      }
    }
    if !output.isEmpty { return takeBatch() }
    if let failure { throw failure }
    return nil
  }

  /// Every remaining record; meant for small inputs.
  public func readAll() throws(CSVError) -> [CSVRecord] {
    var all: [CSVRecord] = []
    while let batch = try nextBatch() { all.append(contentsOf: batch) }
    return all
  }

  private func takeBatch() -> [CSVRecord] {
    // The records handed out may be read on other threads from now on, so nothing more is
    // appended to their storage.
    parser.startNewStorage()
    if output.count <= batchSize {
      let batch = output
      output = []
      output.reserveCapacity(batchSize)
      return batch
    }
    let batch = Array(output[..<batchSize])
    output.removeFirst(batchSize)
    return batch
  }

  /// Does one unit of work: examines the start of the input, feeds one line segment, decodes or
  /// reads more input, or finishes it.
  private func step() throws(CSVError) {
    switch phase {
    case .opening:
      try start()
    case .reading:
      if cursor < end {
        feedSegment()
      } else if try !refill() {
        finishInput()
      }
    case .finished:
      break
    }
  }

  // MARK: Opening

  /// Reads the first 64 KiB and decides whether it is CSV text, the encoding, the byte order
  /// mark, the delimiter and whether the first line is `sep=X`.
  private func start() throws(CSVError) {
    if let continuation { return try resume(at: continuation) }
    guard let base = raw.baseAddress else { return }
    let count = try readSource(into: base, count: InputPrefix.size)
    if computesDigest { hasher.update(UnsafeRawBufferPointer(start: base, count: count)) }
    bytesRead += count
    rawEnd = count
    sourceExhausted = count < InputPrefix.size
    let prefixBytes = UnsafeRawBufferPointer(start: base, count: count)
    let prefix = InputPrefix(prefixBytes, isWholeInput: sourceExhausted, forced: forcedEncoding)
    if let reason = prefix.notCSVReason {
      phase = .finished
      throw .notCSV(path: displayName, reason: reason)
    }
    hadByteOrderMark = prefix.byteOrderMarkLength > 0
    rawStart = prefix.byteOrderMarkLength
    guard let decoder = TextDecoder(encoding: prefix.encoding) else {
      phase = .finished
      let name = prefix.encoding?.rawValue ?? "?"
      throw .io(path: displayName, reason: "iconv 不支持 \(name) / iconv cannot convert \(name)")
    }
    self.decoder = decoder
    encoding = decoder.encoding
    let layout = firstLineLayout(UnsafeRawBufferPointer(rebasing: prefixBytes[rawStart...]))
    delimiter = layout.delimiter
    parser.delimiter = layout.delimiter
    skippedSeparatorLine = layout.isSeparatorLine
    if layout.isSeparatorLine { skip = .discard }
    phase = .reading
  }

  /// Starts at a line inside the file with what its beginning decided.
  private func resume(at continuation: CSVContinuation) throws(CSVError) {
    try source.seek(to: continuation.offset)
    guard let decoder = TextDecoder(encoding: continuation.encoding) else {
      phase = .finished
      let name = continuation.encoding.rawValue
      throw .io(path: displayName, reason: "iconv 不支持 \(name) / iconv cannot convert \(name)")
    }
    self.decoder = decoder
    encoding = decoder.encoding
    delimiter = continuation.delimiter
    parser.delimiter = continuation.delimiter
    line = continuation.line
    recordLine = continuation.line
    phase = .reading
  }

  /// Reads from the source, as if it ended after `byteLimit` bytes.
  private func readSource(into buffer: UnsafeMutableRawPointer, count: Int) throws(CSVError)
    -> Int
  {
    let wanted = min(count, sourceAllowance)
    guard wanted > 0 else { return 0 }
    let got = try source.read(into: buffer, count: wanted)
    sourceAllowance -= got
    return got
  }

  /// Decodes the examined bytes with a scratch decoder to look at the first line.
  private func firstLineLayout(_ bytes: UnsafeRawBufferPointer) -> FirstLineLayout {
    let scratch = UnsafeMutableRawBufferPointer.allocate(
      byteCount: 4 * bytes.count + 16, alignment: 8)
    defer { scratch.deallocate() }
    var ignored: [Int] = []
    let produced =
      TextDecoder(encoding: encoding)?.decode(
        bytes, into: scratch, final: sourceExhausted, offset: 0, marks: &ignored
      ).produced ?? 0
    return FirstLineLayout(
      UnsafeRawBufferPointer(rebasing: scratch[..<produced]), isWholeInput: sourceExhausted,
      encoding: encoding)
  }

  // MARK: Decoding

  /// Decodes more input into the window, reading a block when needed; `false` at the end of
  /// the input.
  private func refill() throws(CSVError) -> Bool {
    guard let decoder, let rawBase = raw.baseAddress else { return false }
    if rawStart < rawEnd {
      makeRoom()
      let sliceEnd = min(rawEnd, rawStart + blockSize)
      let (consumed, produced) = decoder.decode(
        UnsafeRawBufferPointer(start: rawBase + rawStart, count: sliceEnd - rawStart),
        into: UnsafeMutableRawBufferPointer(rebasing: window[end...]),
        final: sourceExhausted && sliceEnd == rawEnd, offset: windowBase + end, marks: &marks)
      rawStart += consumed
      end += produced
      if encoding == nil { encoding = decoder.encoding }
      if consumed > 0 || produced > 0 { return true }
    }
    if rawStart == rawEnd, !sourceExhausted, decoder.isUTF8 { return try readUTF8() }
    if sourceExhausted {
      // The decoder always makes progress on the final bytes; never drop them silently.
      guard rawStart == rawEnd else {
        throw .io(path: displayName, reason: "无法解码文件末尾 / cannot decode the end of the file")
      }
      return false
    }
    let leftover = rawEnd - rawStart
    if leftover > 0 && rawStart > 0 { memmove(rawBase, rawBase + rawStart, leftover) }
    rawStart = 0
    rawEnd = leftover
    let wanted = min(blockSize, raw.count - leftover)
    let count = try readSource(into: rawBase + leftover, count: wanted)
    if computesDigest {
      hasher.update(UnsafeRawBufferPointer(start: rawBase + leftover, count: count))
    }
    bytesRead += count
    rawEnd += count
    if count < wanted { sourceExhausted = true }
    return true
  }

  /// Reads a block of UTF-8 input straight into the window, where it is checked in place: UTF-8
  /// decodes to itself, so the bytes are not copied from the raw buffer. A character cut by the
  /// block's end waits after `end` for the next block (`pendingUTF8`); what follows a byte that
  /// is not UTF-8, or a character cut by the input's end, goes to the raw buffer and is decoded
  /// from there as usual (`\xNN` escapes).
  private func readUTF8() throws(CSVError) -> Bool {
    makeRoom()
    guard let base = window.baseAddress, let rawBase = raw.baseAddress else { return false }
    let start = base + end
    let target = start + pendingUTF8
    let wanted = min(blockSize, window.count - end - pendingUTF8)
    let count = try readSource(into: target, count: wanted)
    if computesDigest { hasher.update(UnsafeRawBufferPointer(start: target, count: count)) }
    bytesRead += count
    if count < wanted { sourceExhausted = true }
    let total = pendingUTF8 + count
    var cut = false
    let valid: Int
    switch scanUTF8(UnsafeRawBufferPointer(start: start, count: total)).result {
    case .valid:
      valid = total
    case .incomplete(let at):
      valid = at
      cut = !sourceExhausted
    case .invalid(let at):
      valid = at
    }
    end += valid
    pendingUTF8 = cut ? total - valid : 0
    if !cut && valid < total {
      // At most a cut character's three bytes and a block: `raw` has a block and eight more.
      precondition(total - valid <= raw.count, "the bytes left over fit the raw buffer")
      memcpy(rawBase, start + valid, total - valid)
      rawStart = 0
      rawEnd = total - valid
    }
    return true
  }

  /// Makes room in the window before decoding: moves the bytes still needed (the current
  /// record's, unless it has grown past what a rewind may re-read) to the front, and grows the
  /// window when they fill more than half of it.
  private func makeRoom() {
    let free = window.count - end
    guard free < max(64, window.count / 4), let base = window.baseAddress else { return }
    var keepFrom = cursor
    if isInRecord, let start = recordStart {
      if windowBase + cursor - recordStartAbsolute > rewindLimit {
        droppedStartLine = startLineText(at: start)
        recordStart = nil
      } else {
        keepFrom = start
      }
    } else if !isInRecord {
      recordStart = nil
    }
    if recordStart == nil {
      // Nothing before the cursor can be re-read any more, so its escapes are not needed.
      dropMarks(below: windowBase + cursor)
    }
    // The start of a character a direct read cut (`readUTF8`) moves with the bytes before it.
    let kept = end - keepFrom + pendingUTF8
    if keepFrom > 0 {
      memmove(base, base + keepFrom, kept)
      windowBase += keepFrom
      cursor -= keepFrom
      end -= keepFrom
      recordStart = recordStart.map { $0 - keepFrom }
    }
    if window.count - end < window.count / 2 {
      let grown = UnsafeMutableRawBufferPointer.allocate(
        byteCount: 2 * window.count, alignment: 8)
      if let target = grown.baseAddress { memcpy(target, base, end + pendingUTF8) }
      window.deallocate()
      window = grown
    }
  }

  /// `true` while the bytes since `recordStart` may still be needed: a record is being parsed,
  /// or one has failed and the rest of its failing line is being passed over.
  private var isInRecord: Bool {
    switch skip {
    case .parse: !parser.isBetweenRecords
    case .failed: true
    case .discard, .capture: false
    }
  }

  // MARK: Parsing

  /// One run of decoded bytes handed to the parser: up to and including the next line end
  /// (LF, CRLF or a lone CR), or to the end of the decoded data.
  private struct Segment {
    var start: Int
    var length: Int
    /// Bytes of line end at the segment's end: 0 (the line goes on), 1 or 2 (CRLF).
    var terminatorLength = 0
    /// The segment is only the LF of a CRLF whose CR ended the previous segment (and the line).
    var isCRLFTail = false

    var endsLine: Bool { terminatorLength > 0 }
    /// The segment ends a line that was not already counted.
    var endsNewLine: Bool { terminatorLength > 0 && !isCRLFTail }
  }

  @inline(__always)
  private func nextSegment(_ pointer: UnsafeRawPointer) -> Segment {
    var segment = Segment(start: cursor, length: end - cursor)
    let available = segment.length
    if afterCarriageReturn && pointer.load(as: UInt8.self) == Self.lineFeed {
      afterCarriageReturn = false
      segment.length = 1
      segment.terminatorLength = 1
      segment.isCRLFTail = true
      return segment
    }
    afterCarriageReturn = false
    let lineEnd = firstLineEnd(pointer, count: available)
    guard lineEnd < available else { return segment }
    if pointer.load(fromByteOffset: lineEnd, as: UInt8.self) == Self.lineFeed {
      segment.length = lineEnd + 1
      segment.terminatorLength = 1
    } else if lineEnd + 1 < available
      && pointer.load(fromByteOffset: lineEnd + 1, as: UInt8.self) == Self.lineFeed
    {
      segment.length = lineEnd + 2
      segment.terminatorLength = 2
    } else {
      // A lone CR, or one that ends the decoded bytes: its LF, if any, comes next.
      segment.length = lineEnd + 1
      segment.terminatorLength = 1
      afterCarriageReturn = true
    }
    return segment
  }

  /// Feeds libcsv the next segment, or passes over it when the line is being skipped.
  private func feedSegment() {
    guard let base = window.baseAddress else { return }
    let pointer = UnsafeRawPointer(base + cursor)
    let segment = nextSegment(pointer)
    if isSkipping {
      skipSegment(pointer, segment)
      return
    }
    if parser.isBetweenRecords {
      recordStart = segment.start
      recordStartAbsolute = windowBase + segment.start
      recordLine = line
      droppedStartLine = nil
      encodingFailure = nil
      dropMarks(below: recordStartAbsolute)
    }
    let segmentEnd = windowBase + segment.start + segment.length
    if encodingFailure == nil, let mark = firstMark, mark < segmentEnd {
      let offset = max(0, mark - windowBase - segment.start)
      let before = UnsafeRawBufferPointer(start: pointer, count: offset)
      encodingFailure = (line, column + utf8CharacterCount(before) + 1)
    }
    let consumed = parser.parse(
      pointer, count: segment.length,
      mayHoldTab: parser.delimiter == UInt8(ascii: "\t") || mayHoldTab(pointer, segment))
    if consumed < segment.length || parser.fieldTooLarge {
      recordFailed(pointer, segment, consumed: consumed)
      return
    }
    cursor = segment.start + segment.length
    advanceLine(pointer, segment)
    if parser.recordComplete, let record = parser.takeRecord(line: recordLine) {
      emit(record, endAbsolute: segmentEnd)
    }
  }

  /// Whether `segment` may hold a tab; searches past it, to the end of the decoded bytes, only
  /// when it reaches beyond the last search.
  @inline(__always)
  private func mayHoldTab(_ pointer: UnsafeRawPointer, _ segment: Segment) -> Bool {
    let start = windowBase + segment.start
    let stop = start + segment.length
    if start < tabFreeFrom || stop > tabFreeUntil { searchTab(pointer, from: start) }
    return stop > tabFreeUntil
  }

  /// Finds the next tab from the segment at `pointer` (absolute offset `start`) on.
  private func searchTab(_ pointer: UnsafeRawPointer, from start: Int) {
    tabFreeFrom = start
    tabFreeUntil =
      memchr(pointer, Int32(UInt8(ascii: "\t")), windowBase + end - start).map {
        start + pointer.distance(to: UnsafeRawPointer($0))
      } ?? windowBase + end
  }

  private var isSkipping: Bool {
    if case .parse = skip { return false }
    return true
  }

  private func advanceLine(_ pointer: UnsafeRawPointer, _ segment: Segment) {
    if segment.endsLine {
      if segment.endsNewLine { line += 1 }
      column = 0
      atLineStart = true
    } else {
      column += utf8CharacterCount(UnsafeRawBufferPointer(start: pointer, count: segment.length))
      atLineStart = false
    }
  }

  /// Passes over a segment of a line that is not parsed. When the line ends: a failed record is
  /// resolved, and a captured start line becomes its damaged record.
  private func skipSegment(_ pointer: UnsafeRawPointer, _ segment: Segment) {
    let segmentEnd = windowBase + segment.start + segment.length
    cursor = segment.start + segment.length
    advanceLine(pointer, segment)
    if case .capture = skip {
      let textLength = segment.length - segment.terminatorLength
      let room = maxFieldBytes + 4 - captured.count
      if room > 0 {
        captured.append(
          contentsOf: UnsafeRawBufferPointer(start: pointer, count: min(textLength, room)))
      }
    }
    if case .failed = skip {
      // Escapes in the lines a rewind may re-read stay until the failure is resolved.
    } else {
      dropMarks(below: segmentEnd)
    }
    guard segment.endsNewLine else { return }
    switch skip {
    case .parse, .discard:
      skip = .parse
    case .failed(let damage):
      skip = .parse
      resolveFailure(damage, lineEnd: segmentEnd - segment.terminatorLength)
    case .capture(let damage, let recordLine):
      skip = .parse
      emitDamaged(recordLine: recordLine, text: truncatedText(captured), damage: damage)
      captured = []
    }
  }

  /// Handles a record libcsv could not parse: resets the parser and passes over the rest of the
  /// failing line; at its end `resolveFailure` decides how to go on.
  private func recordFailed(_ pointer: UnsafeRawPointer, _ segment: Segment, consumed: Int) {
    let consumedText = UnsafeRawBufferPointer(start: pointer, count: consumed)
    // The LF of a split CRLF belongs to the line its CR ended.
    let failingLine = segment.isCRLFTail ? line - 1 : line
    let damage: RecordDamage
    if parser.stoppedOnSyntaxError && !parser.fieldTooLarge {
      let failingColumn = column + utf8CharacterCount(consumedText) + 1
      damage = RecordDamage(
        kind: .malformedQuotes, failingLine: failingLine,
        column: segment.isCRLFTail ? nil : failingColumn,
        message: parser.syntaxErrorExplanation)
    } else {
      // A field that ended too long (`fieldTooLarge`) is closed; one that could not grow may
      // be an open quoted field.
      damage = tooLarge(
        line: failingLine, quotedFieldOpen: !parser.fieldTooLarge && parser.isInQuotedField)
    }
    parser.reset()
    if segment.isCRLFTail || (consumed == segment.length && segment.endsLine) {
      let segmentEnd = windowBase + segment.start + segment.length
      cursor = segment.start + segment.length
      advanceLine(pointer, segment)
      resolveFailure(damage, lineEnd: segmentEnd - segment.terminatorLength)
    } else {
      cursor = segment.start + consumed
      column += utf8CharacterCount(consumedText)
      afterCarriageReturn = false
      atLineStart = false
      skip = .failed(damage)
    }
  }

  /// Goes on after a failed record whose failing line ends at absolute offset `lineEnd`: when
  /// the record's bytes up to there are kept, re-reads from its start, skipping the start line
  /// (whose text becomes the damaged record); otherwise emits the damaged record at once and
  /// goes on after the failing line. `true` when it rewound.
  @discardableResult
  private func resolveFailure(_ damage: RecordDamage, lineEnd: Int) -> Bool {
    guard let start = recordStart, lineEnd - recordStartAbsolute <= rewindLimit else {
      emitDamaged(recordLine: recordLine, text: droppedRecordText(), damage: damage)
      dropMarks(below: lineEnd)
      return false
    }
    cursor = start
    line = recordLine
    column = 0
    afterCarriageReturn = false
    atLineStart = true
    encodingFailure = nil
    captured = []
    skip = .capture(damage, recordLine: recordLine)
    recordStart = nil
    return true
  }

  private func tooLarge(line: Int, quotedFieldOpen: Bool) -> RecordDamage {
    let hint = quotedFieldOpen ? "（可能是引号未闭合）" : ""
    let englishHint = quotedFieldOpen ? " (perhaps an unterminated quote)" : ""
    return RecordDamage(
      kind: .fieldTooLarge, failingLine: line, column: nil,
      message: "字段超过 \(maxFieldBytes) 字节上限\(hint) / field exceeds the limit of "
        + "\(maxFieldBytes) bytes\(englishHint)")
  }

  private func finishInput() {
    // Only the first end counts: a damaged record resolved here rewinds and reaches it again.
    if !reachedEnd {
      reachedEnd = true
      if case .parse = skip, parser.isBetweenRecords { endedBetweenRecords = true }
    }
    let dataEnd = windowBase + end
    switch skip {
    case .parse, .discard:
      skip = .parse
    case .failed(let damage):
      skip = .parse
      if resolveFailure(damage, lineEnd: dataEnd) { return }
    case .capture(let damage, let recordLine):
      skip = .parse
      emitDamaged(recordLine: recordLine, text: truncatedText(captured), damage: damage)
      captured = []
    }
    let lastLine = atLineStart && line > 1 ? line - 1 : line
    let complete = parser.finish()
    if parser.fieldTooLarge || !complete {
      let damage =
        parser.fieldTooLarge
        ? tooLarge(line: lastLine, quotedFieldOpen: false)
        : RecordDamage(
          kind: .malformedQuotes, failingLine: lastLine, column: nil,
          message: "引号未闭合，记录一直延续到文件末尾 / unterminated quoted field: the record runs to"
            + " the end of the file")
      parser.reset()
      if resolveFailure(damage, lineEnd: dataEnd) { return }
    } else if let record = parser.takeRecord(line: recordLine) {
      emit(record, endAbsolute: dataEnd)
    }
    if encoding == nil { encoding = .utf8 }
    if computesDigest { sha256 = SHA256.hex(hasher.finalize()) }
    phase = .finished
  }

  // MARK: Records

  private func emit(_ record: consuming CSVRecord, endAbsolute: Int) {
    if let failure = encodingFailure {
      let text = recordStart.map { startLineText(at: $0) } ?? droppedStartLine ?? ""
      let damage = RecordDamage(
        kind: .invalidEncoding, failingLine: failure.line, column: failure.column,
        message: invalidEncodingMessage)
      output.append(
        CSVRecord(location: record.location, fields: [text], quoted: [false], damage: damage))
      encodingFailure = nil
    } else {
      output.append(record)
    }
    dropMarks(below: endAbsolute)
    recordStart = nil
  }

  private func emitDamaged(recordLine: Int, text: String, damage: RecordDamage) {
    output.append(
      CSVRecord(
        location: SourceLocation(file: displayName, line: recordLine), fields: [text],
        quoted: [false], damage: damage))
    encodingFailure = nil
    recordStart = nil
  }

  private var invalidEncodingMessage: String {
    switch decoder?.encoding ?? .utf8 {
    case .gb18030:
      return "不是有效的 GB18030 编码 / invalid GB18030 byte sequence"
    case .utf16le, .utf16be:
      return "不是有效的 UTF-16 编码 / invalid UTF-16 data"
    case .utf8, .auto:
      return "不是有效的 UTF-8 编码（这一行可能是 GB18030） / invalid UTF-8 byte sequence"
        + " (this row may be GB18030)"
    }
  }

  /// The start line of a record whose bytes are no longer (or not entirely) kept for a rewind.
  private func droppedRecordText() -> String {
    recordStart.map { startLineText(at: $0) } ?? droppedStartLine ?? ""
  }

  /// The decoded text of the line starting at window offset `start`, without its line end, cut
  /// to `maxFieldBytes` bytes at a character boundary.
  private func startLineText(at start: Int) -> String {
    guard let base = window.baseAddress else { return "" }
    let available = min(end - start, maxFieldBytes + 4)
    let pointer = UnsafeRawPointer(base + start)
    var length = available
    if let lineFeed = memchr(pointer, Int32(Self.lineFeed), available) {
      length = pointer.distance(to: UnsafeRawPointer(lineFeed))
    }
    if let carriageReturn = memchr(pointer, Int32(Self.carriageReturn), length) {
      length = pointer.distance(to: UnsafeRawPointer(carriageReturn))
    }
    return truncatedText(UnsafeRawBufferPointer(start: pointer, count: length))
  }

  /// `bytes` as text, cut to `maxFieldBytes` bytes at a character boundary.
  private func truncatedText<Bytes: Collection>(_ bytes: Bytes) -> String
  where Bytes.Element == UInt8, Bytes.Index == Int {
    var length = min(bytes.count, maxFieldBytes)
    if length < bytes.count {
      while length > 0, bytes[bytes.startIndex + length] & 0xC0 == 0x80 { length -= 1 }
    }
    return String(decoding: bytes.prefix(length), as: UTF8.self)
  }

  // MARK: Escape marks

  private var firstMark: Int? { marksHead < marks.count ? marks[marksHead] : nil }

  /// Called for every line and record: the check whether any escape is left is inlined.
  @inline(__always)
  private func dropMarks(below limit: Int) {
    if marksHead < marks.count { dropPendingMarks(below: limit) }
  }

  private func dropPendingMarks(below limit: Int) {
    while marksHead < marks.count, marks[marksHead] < limit { marksHead += 1 }
    if marksHead == marks.count {
      marks.removeAll(keepingCapacity: true)
      marksHead = 0
    } else if marksHead > 1024 && marksHead * 2 > marks.count {
      marks.removeFirst(marksHead)
      marksHead = 0
    }
  }
}

/// Where a reader's raw bytes come from.
private enum ByteSource {
  case descriptor(Int32, owned: Bool, path: String)
  case memory([UInt8], position: Int)

  /// Fills `buffer` with up to `count` bytes; fewer only at the end of the input.
  mutating func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(CSVError) -> Int {
    switch self {
    case .descriptor(let descriptor, _, let path):
      var total = 0
      while total < count {
        let result = systemRead(descriptor, buffer + total, count - total)
        if result > 0 {
          total += result
        } else if result == 0 {
          break
        } else if errno != EINTR {
          throw .io(path: path, reason: systemErrorMessage())
        }
      }
      return total
    case .memory(let bytes, let position):
      let taken = min(count, bytes.count - position)
      bytes.withUnsafeBytes { all in
        if let base = all.baseAddress, taken > 0 { memcpy(buffer, base + position, taken) }
      }
      self = .memory(bytes, position: position + taken)
      return taken
    }
  }

  /// Moves to `offset` bytes from the start of the input.
  mutating func seek(to offset: Int) throws(CSVError) {
    switch self {
    case .descriptor(let descriptor, _, let path):
      guard lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else {
        throw .io(path: path, reason: systemErrorMessage())
      }
    case .memory(let bytes, _):
      self = .memory(bytes, position: min(max(0, offset), bytes.count))
    }
  }

  func close() {
    if case .descriptor(let descriptor, let owned, _) = self, owned {
      _ = systemClose(descriptor)
    }
  }
}
