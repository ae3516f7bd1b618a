/// The text encoding of a CSV input: detected automatically, or forced by the user.
public enum InputEncoding: String, Sendable, CaseIterable {
  /// Decide from the data: UTF-8 when the first bytes that are not ASCII are valid UTF-8 (or a
  /// UTF-8 byte order mark is present), GB18030 otherwise.
  case auto
  /// UTF-8, with or without a byte order mark.
  case utf8 = "utf-8"
  /// GB18030 (a superset of GBK and GB2312), transcoded to UTF-8 while reading.
  case gb18030
}

/// How `CSVReader` decodes its input, how much it reads at a time and how large it lets fields
/// grow.
public struct CSVReaderOptions: Sendable {
  /// The input encoding; `.auto` detects UTF-8 or GB18030.
  public var encoding: InputEncoding
  /// Bytes read from the input and handed to the parser at a time (at least 4).
  public var blockSize: Int
  /// Records returned by one `CSVReader.nextBatch()` call (at least 1).
  public var batchSize: Int
  /// The largest field, in UTF-8 bytes, the parser accepts before failing with `fieldTooLarge`.
  public var maxFieldBytes: Int

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
