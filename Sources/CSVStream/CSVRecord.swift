/// One parsed CSV record: its fields, decoded to UTF-8 text, where it began and, for a record
/// the reader could not parse, what was wrong with it.
public struct CSVRecord: Hashable, Sendable {
  /// Where the record starts in its input.
  public var location: SourceLocation
  /// The fields in order, exactly as parsed (no trimming). A damaged record has one field: the
  /// text of its start line, with bytes that are not valid in the input encoding shown as `\xNN`.
  public var fields: [String]
  /// `true` for each field that was written in quotes, so `""` and an empty field differ.
  public var quoted: [Bool]
  /// Why the record could not be parsed; `nil` for a good record.
  public var damage: RecordDamage?

  public init(
    location: SourceLocation, fields: [String], quoted: [Bool]? = nil,
    damage: RecordDamage? = nil
  ) {
    self.location = location
    self.fields = fields
    self.quoted = quoted ?? Array(repeating: false, count: fields.count)
    self.damage = damage
  }
}

/// What made a record unreadable and where: the reader emits such a record in place of the
/// broken one and goes on with the rest of the file.
public struct RecordDamage: Hashable, Sendable {
  /// The kind of problem.
  public enum Kind: String, Sendable {
    /// A quote in the wrong place: inside an unquoted field, text after a closing quote, or a
    /// quoted field that never closes.
    case malformedQuotes
    /// Bytes that are not valid in the input's encoding (e.g. one GB18030 row in a UTF-8 file).
    case invalidEncoding
    /// A field longer than `CSVReaderOptions.maxFieldBytes` (often an unclosed quote).
    case fieldTooLarge
  }

  public var kind: Kind
  /// The physical line where parsing failed; the record starts at `CSVRecord.location.line`.
  public var failingLine: Int
  /// The 1-based character column in `failingLine`, when known.
  public var column: Int?
  /// One line, Chinese then English, e.g. `引号未闭合 / unterminated quoted field`.
  public var message: String

  public init(kind: Kind, failingLine: Int, column: Int?, message: String) {
    self.kind = kind
    self.failingLine = failingLine
    self.column = column
    self.message = message
  }
}
