#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The text encoding of a CSV file written by `CSVWriter`.
public enum OutputEncoding: String, Sendable, CaseIterable {
  /// UTF-8 preceded by a byte order mark, so Excel on Windows detects UTF-8 (the default).
  case utf8BOM = "utf-8-bom"
  /// UTF-8 without a byte order mark.
  case utf8 = "utf-8"
  /// GB18030, for tools that only read the Chinese national encoding.
  case gb18030
}

/// Writes CSV rows to a new owner-only (mode 0600) file through a large buffer, formatting cells
/// with `CSVFormat` and encoding the output as asked. Call `close()` to flush and see errors.
public final class CSVWriter {
  private static let flushThreshold = 1 << 20
  /// Blocks of rows at least this large are written without being copied into `pending`.
  private static let directWriteThreshold = 64 << 10

  private let path: String
  private let encoding: OutputEncoding
  private var descriptor: Int32
  /// UTF-8 rows not yet written; always ends at a row boundary when flushed.
  private var pending: [UInt8] = []
  private var encoder: Transcoder?
  private var encoded: [UInt8] = []

  /// Creates (or truncates) the file at `path` with permissions 0600 and writes the byte order
  /// mark when the encoding has one.
  public init(path: String, encoding: OutputEncoding = .utf8BOM) throws(CSVError) {
    self.path = path
    self.encoding = encoding
    descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: systemErrorMessage()) }
    // An existing file keeps its old mode through open(2); make it owner-only too.
    guard fchmod(descriptor, 0o600) == 0 else {
      let reason = systemErrorMessage()
      _ = systemClose(descriptor)
      throw .cannotOpen(path: path, reason: reason)
    }
    if encoding == .gb18030 {
      guard let encoder = Transcoder(from: "UTF-8", to: "GB18030") else {
        _ = systemClose(descriptor)
        throw .cannotOpen(path: path, reason: "iconv 不支持 GB18030 / iconv cannot convert GB18030")
      }
      self.encoder = encoder
    }
    pending.reserveCapacity(Self.flushThreshold + 64 * 1024)
    if encoding == .utf8BOM { pending.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
  }

  deinit {
    if descriptor >= 0 {
      try? flush()
      _ = systemClose(descriptor)
    }
  }

  /// Appends one row, formatted by `CSVFormat.appendRow`.
  public func write(row: [String]) throws(CSVError) {
    try ensureOpen()
    CSVFormat.appendRow(row, to: &pending)
    if pending.count >= Self.flushThreshold { try flush() }
  }

  /// Appends rows that are already formatted as UTF-8 (whole rows, e.g. produced concurrently
  /// with `CSVFormat.appendRow`); fails if they are not valid UTF-8.
  public func write(encodedRows: [UInt8]) throws(CSVError) {
    try ensureOpen()
    let check = encodedRows.withUnsafeBytes { scanUTF8($0).result }
    guard check == .valid else {
      throw .io(path: path, reason: "待写入的行不是有效的 UTF-8 / rows to write are not valid UTF-8")
    }
    try append(encodedRows)
  }

  /// Appends whole rows that `CSVFormat` assembled from `String`s (`appendRow`, or `appendCell`
  /// with delimiters and CRLF), which are valid UTF-8 by construction, so they are checked only
  /// in debug builds; `write(encodedRows:)` checks bytes of any other origin.
  public func write(formattedRows: [UInt8]) throws(CSVError) {
    assert(
      formattedRows.withUnsafeBytes { scanUTF8($0).result } == .valid,
      "rows to write are not valid UTF-8")
    try ensureOpen()
    try append(formattedRows)
  }

  private func append(_ rows: [UInt8]) throws(CSVError) {
    if pending.count + rows.count > Self.flushThreshold { try flush() }
    if rows.count >= Self.directWriteThreshold && encoding != .gb18030 {
      // A large block (a batch of rows) goes out as it is, after what is pending, rather than
      // being copied into the buffer first.
      try flush()
      try writeAll(rows, count: rows.count)
    } else {
      pending.append(contentsOf: rows)
      if pending.count >= Self.flushThreshold { try flush() }
    }
  }

  /// Writes out the buffer and closes the file; later calls do nothing.
  public func close() throws(CSVError) {
    guard descriptor >= 0 else { return }
    var flushError: CSVError?
    do throws(CSVError) {
      try flush()
    } catch {
      flushError = error
    }
    let closed = systemClose(descriptor)
    descriptor = -1
    if let flushError { throw flushError }
    if closed != 0 { throw .io(path: path, reason: systemErrorMessage()) }
  }

  private func ensureOpen() throws(CSVError) {
    if descriptor < 0 { throw .io(path: path, reason: "文件已关闭 / the writer is closed") }
  }

  private func flush() throws(CSVError) {
    guard !pending.isEmpty else { return }
    if let encoder {
      // UTF-8 → GB18030 grows text by at most a third (three bytes become four).
      let capacity = pending.count * 2 + 16
      if encoded.count < capacity { encoded = [UInt8](repeating: 0, count: capacity) }
      let (_, produced, stop) = pending.withUnsafeBytes { input in
        encoded.withUnsafeMutableBytes { output in encoder.convert(input, into: output) }
      }
      guard stop == .finished else {
        throw .io(path: path, reason: "无法转换为 GB18030 / cannot convert to GB18030")
      }
      try writeAll(encoded, count: produced)
    } else {
      try writeAll(pending, count: pending.count)
    }
    pending.removeAll(keepingCapacity: true)
  }

  private func writeAll(_ bytes: [UInt8], count: Int) throws(CSVError) {
    let failure: Int32? = bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return nil }
      var written = 0
      while written < count {
        let result = systemWrite(descriptor, base + written, count - written)
        if result >= 0 {
          written += result
        } else if errno != EINTR {
          return errno
        }
      }
      return nil
    }
    if let failure { throw .io(path: path, reason: systemErrorMessage(failure)) }
  }
}
