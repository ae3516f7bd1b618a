#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where a reader starts inside a file whose beginning another reader has examined: a byte
/// offset at the start of a physical line, that line's number, and the encoding and delimiter
/// decided at the file's start. Lets several readers parse one large file in pieces.
public struct CSVContinuation: Sendable, Equatable {
  public var offset: Int
  public var line: Int
  public var encoding: InputEncoding
  public var delimiter: UInt8

  public init(offset: Int, line: Int, encoding: InputEncoding, delimiter: UInt8) {
    self.offset = offset
    self.line = line
    self.encoding = encoding
    self.delimiter = delimiter
  }

  /// The first line start after `offset` in the file at `path` (the byte after a line feed),
  /// with its physical line number counted as `CSVReader` counts them (LF, CRLF and a lone CR
  /// each end a line), or `nil` when no line feed follows `offset`. Only for encodings in which
  /// the bytes of CR and LF never occur inside a character: UTF-8 and GB18030.
  public static func lineStart(
    inFile path: String, after offset: Int, encoding: InputEncoding, delimiter: UInt8
  ) throws(CSVError) -> CSVContinuation? {
    try lineStarts(inFile: path, after: [offset], encoding: encoding, delimiter: delimiter)?
      .first
  }

  /// The first line start after each of `offsets` (in increasing order), as `lineStart` finds
  /// one, to read the file in that many pieces and one more; a cut that would not lie after the
  /// one before is left out, and the list ends where no line feed follows. `nil` when there is
  /// no cut at all. The lines are counted here, range after range; the first pass instead has
  /// each piece's reader count the range before its cut (`cutOffsets`, `lineEnds`).
  public static func lineStarts(
    inFile path: String, after offsets: [Int], encoding: InputEncoding, delimiter: UInt8
  ) throws(CSVError) -> [CSVContinuation]? {
    guard let cuts = try cutOffsets(inFile: path, after: offsets, encoding: encoding) else {
      return nil
    }
    var line = 1
    var start = 0
    var continuations: [CSVContinuation] = []
    for cut in cuts {
      line += try lineEnds(inFile: path, from: start, to: cut)
      start = cut
      continuations.append(
        CSVContinuation(offset: cut, line: line, encoding: encoding, delimiter: delimiter))
    }
    return continuations
  }

  /// The offsets of the line starts `lineStarts` would give, without their line numbers: each
  /// found by reading on from its offset to the next line feed, so it costs a block a cut, not
  /// a pass over the file. A reader of a piece then counts the lines before it with `lineEnds`,
  /// on its own thread.
  public static func cutOffsets(
    inFile path: String, after offsets: [Int], encoding: InputEncoding
  ) throws(CSVError) -> [Int]? {
    guard encoding == .utf8 || encoding == .gb18030 else { return nil }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: systemErrorMessage()) }
    defer { _ = close(descriptor) }
    var cuts: [Int] = []
    for offset in offsets {
      guard let feed = try firstLineFeed(descriptor, from: max(offset, cuts.last ?? 0), path: path)
      else { break }
      if feed + 1 > cuts.last ?? 0 { cuts.append(feed + 1) }
    }
    return cuts.isEmpty ? nil : cuts
  }

  /// How many lines end between `start` and `end` of the file at `path`, counted as `CSVReader`
  /// counts them (LF, CRLF and a lone CR each end a line). Both must be line starts (or the
  /// file's start), so that no CRLF is split: a line start numbered `line` is followed by one
  /// numbered `line + lineEnds(…)` at `end`.
  public static func lineEnds(inFile path: String, from start: Int, to end: Int)
    throws(CSVError) -> Int
  {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: systemErrorMessage()) }
    defer { _ = close(descriptor) }
    let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 8)
    defer { block.deallocate() }
    guard let base = block.baseAddress else { return 0 }
    var position = start
    var lines = 0
    var afterCarriageReturn = false
    while position < end {
      let count = pread(descriptor, base, min(block.count, end - position), off_t(position))
      if count < 0, errno == EINTR { continue }
      guard count >= 0 else { throw .io(path: path, reason: systemErrorMessage()) }
      guard count > 0 else {
        throw .io(path: path, reason: "文件在读取时变短 / the file became shorter while it was read")
      }
      let bytes = base.assumingMemoryBound(to: UInt8.self)
      lines += countLineEnds(bytes, count: count, afterCarriageReturn: afterCarriageReturn)
      afterCarriageReturn = bytes[count - 1] == UInt8(ascii: "\r")
      position += count
    }
    return lines
  }

  /// Where the first line feed at or after `offset` is, or `nil` when none follows.
  private static func firstLineFeed(_ descriptor: Int32, from offset: Int, path: String)
    throws(CSVError) -> Int?
  {
    let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 8)
    defer { block.deallocate() }
    guard let base = block.baseAddress else { return nil }
    var position = offset
    while true {
      let count = pread(descriptor, base, block.count, off_t(position))
      if count < 0, errno == EINTR { continue }
      guard count >= 0 else { throw .io(path: path, reason: systemErrorMessage()) }
      guard count > 0 else { return nil }
      if let feed = memchr(base, Int32(UInt8(ascii: "\n")), count) {
        return position + UnsafeRawPointer(base).distance(to: UnsafeRawPointer(feed))
      }
      position += count
    }
  }
}
