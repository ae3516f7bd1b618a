#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Streams CSV records from a file, standard input or memory: reads fixed-size blocks, decodes
/// them to UTF-8 (detecting or forcing the encoding), lets libcsv parse them and hands out the
/// records in batches, each stamped with the physical line on which it began.
///
/// Memory stays at about one block plus one batch whatever the input size. Use one reader from
/// one thread at a time. After an error the reader first returns the records it completed before
/// the error, then throws that error on every later call.
public final class CSVReader {
  /// The input's encoding once known: forced, or detected at the first non-ASCII bytes
  /// (`.utf8` or `.gb18030`; an ASCII-only input ends as `.utf8`).
  public private(set) var encoding: InputEncoding?
  /// `true` when the input began with a byte order mark (which is not part of the data).
  public private(set) var hadByteOrderMark = false
  /// Raw input bytes consumed so far, for progress reports.
  public private(set) var bytesRead = 0

  private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  private let displayName: String
  private let blockSize: Int
  private let batchSize: Int
  private let forcedEncoding: InputEncoding
  private var source: ByteSource
  private let parser: LibCSVParser

  /// Raw bytes: a tail carried over from the previous block, then the latest block.
  private let rawBuffer: UnsafeMutableRawBufferPointer
  /// UTF-8 converted from GB18030 (unused for UTF-8 input).
  private var decodedBuffer: UnsafeMutableRawBufferPointer?
  private var decoder: Transcoder?
  /// Raw bytes of `rawBuffer` not yet decoded: a character cut by the block boundary.
  private var tail = 0..<0

  /// The UTF-8 bytes ready for the parser, and how far they have been fed.
  private var feedBase: UnsafeRawPointer?
  private var feedCursor = 0
  private var feedEnd = 0
  /// An encoding error located right after the last byte of the feed range.
  private var encodingErrorAtFeedEnd: InputEncoding?

  private var line = 1
  /// Characters of the current physical line already fed in earlier segments.
  private var column = 0
  private var isFirstBlock = true
  private var sourceExhausted = false
  private var finished = false
  private var failure: CSVError?

  /// Opens a file for reading; `path` `-` reads standard input. `displayName` (default: `path`)
  /// is the file name used in record locations and messages.
  public init(
    path: String, displayName: String? = nil, options: CSVReaderOptions = .init()
  ) throws(CSVError) {
    let name = displayName ?? path
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
    self.displayName = name
    blockSize = max(4, options.blockSize)
    batchSize = max(1, options.batchSize)
    forcedEncoding = options.encoding
    encoding = options.encoding == .auto ? nil : options.encoding
    parser = LibCSVParser(file: name, maxFieldBytes: options.maxFieldBytes)
    rawBuffer = .allocate(byteCount: blockSize + 4, alignment: 8)
  }

  /// Reads CSV held in memory; `displayName` names it in record locations and messages.
  public init(bytes: [UInt8], displayName: String, options: CSVReaderOptions = .init()) {
    source = .memory(bytes, position: 0)
    self.displayName = displayName
    blockSize = max(4, options.blockSize)
    batchSize = max(1, options.batchSize)
    forcedEncoding = options.encoding
    encoding = options.encoding == .auto ? nil : options.encoding
    parser = LibCSVParser(file: displayName, maxFieldBytes: options.maxFieldBytes)
    rawBuffer = .allocate(byteCount: blockSize + 4, alignment: 8)
  }

  deinit {
    source.close()
    rawBuffer.deallocate()
    decodedBuffer?.deallocate()
  }

  /// The next `batchSize` records in file order (fewer at the end), or `nil` when the input is
  /// exhausted.
  public func nextBatch() throws(CSVError) -> [CSVRecord]? {
    while parser.records.count < batchSize && failure == nil && !finished {
      do throws(CSVError) {
        try step()
      } catch {
        failure = error
      }
    }
    if !parser.records.isEmpty { return takeBatch() }
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
    if parser.records.count <= batchSize {
      let batch = parser.records
      parser.records = []
      parser.records.reserveCapacity(batchSize)
      return batch
    }
    let batch = Array(parser.records[..<batchSize])
    parser.records.removeFirst(batchSize)
    return batch
  }

  /// Does one unit of work: feeds one line segment, reports a pending encoding error, reads the
  /// next block, or finishes the input.
  private func step() throws(CSVError) {
    if feedCursor < feedEnd {
      try feedSegment()
    } else if let encodingError = encodingErrorAtFeedEnd {
      throw .invalidEncoding(
        SourceLocation(file: displayName, line: line), column: column + 1,
        encoding: encodingError)
    } else if sourceExhausted {
      try finish()
    } else {
      try readBlock()
    }
  }

  /// Feeds libcsv the bytes up to and including the next LF (or to the end of the feed range).
  private func feedSegment() throws(CSVError) {
    guard let base = feedBase else { return }
    let start = base + feedCursor
    let available = feedEnd - feedCursor
    let newline = memchr(start, 0x0A, available).map { UnsafeRawPointer($0) }
    let length = newline.map { start.distance(to: $0) + 1 } ?? available
    let consumed = parser.parse(start, count: length, line: line)
    if parser.fieldTooLarge {
      throw .fieldTooLarge(recordStart, limit: parser.maxFieldBytes)
    }
    if consumed < length {
      throw parseError(segment: UnsafeRawBufferPointer(start: start, count: consumed))
    }
    feedCursor += length
    if newline != nil {
      line += 1
      column = 0
    } else {
      column += utf8CharacterCount(UnsafeRawBufferPointer(start: start, count: length))
    }
  }

  private var recordStart: SourceLocation {
    SourceLocation(file: displayName, line: parser.recordStartLine)
  }

  private func parseError(segment consumed: UnsafeRawBufferPointer) -> CSVError {
    guard parser.stoppedOnSyntaxError else {
      return .fieldTooLarge(recordStart, limit: parser.maxFieldBytes)
    }
    let failingColumn = column + utf8CharacterCount(consumed) + 1
    let explanation = parser.parseErrorExplanation
    return .malformed(
      recordStart, line: line,
      message: "第 \(failingColumn) 列：\(explanation.chinese) / column \(failingColumn): "
        + explanation.english)
  }

  private func finish() throws(CSVError) {
    finished = true
    if encoding == nil { encoding = .utf8 }
    let complete = parser.finish()
    if parser.fieldTooLarge { throw .fieldTooLarge(recordStart, limit: parser.maxFieldBytes) }
    if !complete { throw .unterminatedQuote(recordStart) }
  }

  /// Reads the next block behind the carried-over tail and decodes it into the feed range.
  private func readBlock() throws(CSVError) {
    guard let raw = rawBuffer.baseAddress else { return }
    let carried = tail.count
    if carried > 0 { memmove(raw, raw + tail.lowerBound, carried) }
    tail = 0..<0
    let count = try source.read(into: raw + carried, count: blockSize)
    bytesRead += count
    if count < blockSize { sourceExhausted = true }
    var start = 0
    let end = carried + count
    let atStreamStart = isFirstBlock
    if isFirstBlock {
      isFirstBlock = false
      if forcedEncoding != .gb18030, end >= 3,
        UnsafeRawBufferPointer(start: raw, count: 3).elementsEqual(Self.byteOrderMark)
      {
        start = 3
        hadByteOrderMark = true
        encoding = .utf8
      }
    }
    switch encoding {
    case .gb18030: try decodeGB18030(start..<end, atStreamStart: atStreamStart)
    case .utf8: takeUTF8(start..<end)
    case .auto, nil: try detect(start..<end, atStreamStart: atStreamStart)
    }
  }

  /// Decides the encoding at the first non-ASCII bytes; ASCII before them is fed as is.
  private func detect(_ range: Range<Int>, atStreamStart: Bool) throws(CSVError) {
    let bytes = UnsafeRawBufferPointer(rebasing: rawBuffer[range])
    let (result, firstNonASCII) = scanUTF8(bytes)
    switch result {
    case .valid where firstNonASCII == bytes.count:
      setFeed(rawBuffer.baseAddress, range)
    case .valid:
      encoding = .utf8
      takeUTF8(range)
    case .incomplete(let at) where firstNonASCII < at:
      encoding = .utf8
      takeUTF8(range)
    case .incomplete(let at) where !sourceExhausted:
      // The only non-ASCII bytes are a character cut by the block end: decide with the next block.
      setFeed(rawBuffer.baseAddress, range.lowerBound..<range.lowerBound + at)
      tail = range.lowerBound + at..<range.upperBound
    case .incomplete, .invalid:
      // Ill-formed UTF-8, or an input that ends inside its first multibyte character: GB18030.
      encoding = .gb18030
      try decodeGB18030(range, atStreamStart: atStreamStart && range.lowerBound == 0)
    }
  }

  private func takeUTF8(_ range: Range<Int>) {
    let bytes = UnsafeRawBufferPointer(rebasing: rawBuffer[range])
    switch scanUTF8(bytes).result {
    case .valid:
      setFeed(rawBuffer.baseAddress, range)
    case .incomplete(let at):
      setFeed(rawBuffer.baseAddress, range.lowerBound..<range.lowerBound + at)
      if sourceExhausted {
        encodingErrorAtFeedEnd = .utf8
      } else {
        tail = range.lowerBound + at..<range.upperBound
      }
    case .invalid(let at):
      setFeed(rawBuffer.baseAddress, range.lowerBound..<range.lowerBound + at)
      encodingErrorAtFeedEnd = .utf8
    }
  }

  private func decodeGB18030(_ range: Range<Int>, atStreamStart: Bool) throws(CSVError) {
    if decoder == nil {
      decoder = Transcoder(from: "GB18030", to: "UTF-8")
      // GB18030 → UTF-8 grows text by at most half (two bytes become three).
      decodedBuffer = .allocate(byteCount: 2 * (blockSize + 4) + 16, alignment: 8)
    }
    guard let decoder, let decodedBuffer else {
      throw .io(path: displayName, reason: "iconv 不支持 GB18030 / iconv cannot convert GB18030")
    }
    let input = UnsafeRawBufferPointer(rebasing: rawBuffer[range])
    let (consumed, produced, stop) = decoder.convert(input, into: decodedBuffer)
    var start = 0
    if atStreamStart, produced >= 3,
      UnsafeRawBufferPointer(rebasing: decodedBuffer[..<3]).elementsEqual(Self.byteOrderMark)
    {
      start = 3
      hadByteOrderMark = true
    }
    setFeed(decodedBuffer.baseAddress, start..<produced)
    switch stop {
    case .finished:
      break
    case .incompleteInput where !sourceExhausted:
      tail = range.lowerBound + consumed..<range.upperBound
    case .incompleteInput, .invalidInput:
      encodingErrorAtFeedEnd = .gb18030
    case .outputFull:
      throw .io(path: displayName, reason: "GB18030 转码缓冲区不足 / transcoding buffer too small")
    }
  }

  private func setFeed(_ base: UnsafeMutableRawPointer?, _ range: Range<Int>) {
    feedBase = base.map { UnsafeRawPointer($0) }
    feedCursor = range.lowerBound
    feedEnd = range.upperBound
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

  func close() {
    if case .descriptor(let descriptor, let owned, _) = self, owned {
      _ = systemClose(descriptor)
    }
  }
}
