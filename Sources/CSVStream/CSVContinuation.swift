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
    guard encoding == .utf8 || encoding == .gb18030 else { return nil }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: systemErrorMessage()) }
    defer { _ = close(descriptor) }
    let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 8)
    defer { block.deallocate() }
    guard let base = block.baseAddress else { return nil }
    var position = 0
    var lines = 1
    var afterCarriageReturn = false
    while true {
      let count = read(descriptor, base, block.count)
      if count < 0, errno == EINTR { continue }
      guard count >= 0 else { throw .io(path: path, reason: systemErrorMessage()) }
      guard count > 0 else { return nil }
      let bytes = base.assumingMemoryBound(to: UInt8.self)
      // A block wholly before `offset` only needs its line ends counted, which a vector scan
      // does 32 bytes at a time.
      if position + count <= offset {
        lines += countLineEnds(bytes, count: count, afterCarriageReturn: afterCarriageReturn)
        afterCarriageReturn = bytes[count - 1] == UInt8(ascii: "\r")
        position += count
        continue
      }
      for index in 0..<count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\n") {
          if !afterCarriageReturn { lines += 1 }
          afterCarriageReturn = false
          if position + index >= offset {
            return CSVContinuation(
              offset: position + index + 1, line: lines, encoding: encoding, delimiter: delimiter)
          }
        } else if byte == UInt8(ascii: "\r") {
          lines += 1
          afterCarriageReturn = true
        } else {
          afterCarriageReturn = false
        }
      }
      position += count
    }
  }
}
