/// The text encoding of a CSV input: detected automatically, or forced by the user.
public enum InputEncoding: String, Sendable, CaseIterable {
  /// Decide from the data: a byte order mark names UTF-8, UTF-16LE/BE or GB18030; otherwise the
  /// first 64 KiB decide between UTF-8 (nearly all bytes that are not ASCII form valid UTF-8)
  /// and GB18030, and an ASCII-only start is decided at the first byte that is not ASCII.
  case auto
  /// UTF-8, with or without a byte order mark.
  case utf8 = "utf-8"
  /// GB18030 (a superset of GBK and GB2312), transcoded to UTF-8 while reading.
  case gb18030
  /// UTF-16 little-endian, as Excel's “Unicode 文本” export writes it (tab-separated, with the
  /// byte order mark `FF FE`); transcoded to UTF-8 while reading.
  case utf16le = "utf-16le"
  /// UTF-16 big-endian (byte order mark `FE FF`); transcoded to UTF-8 while reading.
  case utf16be = "utf-16be"
}

/// How `CSVReader` decodes its input, how much it reads at a time and how large it lets fields
/// grow.
public struct CSVReaderOptions: Sendable {
  /// The input encoding; `.auto` detects it.
  public var encoding: InputEncoding
  /// Bytes read from the input and decoded at a time (at least 4).
  public var blockSize: Int
  /// Records returned by one `CSVReader.nextBatch()` call (at least 1).
  public var batchSize: Int
  /// The largest field, in UTF-8 bytes, the parser accepts; a longer one makes its record
  /// damaged (`fieldTooLarge`).
  public var maxFieldBytes: Int
  /// How far past `maxFieldBytes` a damaged record's bytes are kept so reading can resume on
  /// the line after its start line; beyond that it resumes after the failing line.
  var rewindSlack = 64 * 1024
  /// Read no more than this many bytes of the input (from `continuation`'s offset when there is
  /// one), as if the input ended there; `nil` reads to the end.
  public var byteLimit: Int?
  /// Start inside a file that another reader has opened, instead of at its beginning.
  public var continuation: CSVContinuation?
  /// Whether to hash the raw bytes for `CSVReader.sha256` (readers of a piece of a file, whose
  /// digest is taken whole elsewhere, skip it).
  public var computesDigest = true

  public init(
    encoding: InputEncoding = .auto, blockSize: Int = 1 << 20, batchSize: Int = 4096,
    maxFieldBytes: Int = 1 << 20
  ) {
    self.encoding = encoding
    self.blockSize = blockSize
    self.batchSize = batchSize
    self.maxFieldBytes = maxFieldBytes
  }
}
