/// One parsed CSV record: its fields, decoded to UTF-8 text, and where it began.
public struct CSVRecord: Hashable, Sendable {
  /// Where the record starts in its input.
  public var location: SourceLocation
  /// The fields in order, exactly as parsed (no trimming).
  public var fields: [String]
  /// `true` for each field that was written in quotes, so `""` and an empty field differ.
  public var quoted: [Bool]

  public init(location: SourceLocation, fields: [String], quoted: [Bool]? = nil) {
    self.location = location
    self.fields = fields
    self.quoted = quoted ?? Array(repeating: false, count: fields.count)
  }
}
