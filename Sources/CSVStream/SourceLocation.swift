/// Where a record came from: the input file as the user named it and the physical line on which
/// the record began, so every later message can say `roster.csv:1042`.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
  /// The input's path as given on the command line (or `-` for standard input).
  public var file: String
  /// 1-based physical line number on which the record starts.
  public var line: Int

  public init(file: String, line: Int) {
    self.file = file
    self.line = line
  }

  public var description: String { "\(file):\(line)" }
}
