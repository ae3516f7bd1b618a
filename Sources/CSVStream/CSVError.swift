/// Why reading or writing CSV failed, with the place it happened, rendered once at the edge.
public enum CSVError: Error, Equatable, CustomStringConvertible {
  /// The file could not be opened (missing, no permission, a directory, …).
  case cannotOpen(path: String, reason: String)
  /// A quoted field never closed; the location is the line where its record began.
  case unterminatedQuote(SourceLocation)
  /// Strict-mode syntax error; the location is where the record began, `line` where parsing
  /// failed, and `message` says what was wrong (with the column).
  case malformed(SourceLocation, line: Int, message: String)
  /// Bytes that are not valid in `encoding`; the location is the physical line of the first bad
  /// byte and `column` its 1-based character position in that line.
  case invalidEncoding(SourceLocation, column: Int?, encoding: InputEncoding)
  /// A field grew beyond `limit` UTF-8 bytes; the location is where its record began.
  case fieldTooLarge(SourceLocation, limit: Int)
  /// Reading or writing failed after the file was open.
  case io(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason):
      return "\(path): 无法打开文件 / cannot open file: \(reason)"
    case .unterminatedQuote(let location):
      return "\(location): 引号未闭合，从此行开始的记录一直延续到文件末尾"
        + " / unterminated quoted field: the record starting here runs to the end of the file"
    case .malformed(let location, let line, let message):
      return "\(location.file):\(line): CSV 格式错误 / malformed CSV: \(message)"
        + "（记录始于第 \(location.line) 行 / record starts at line \(location.line)）"
    case .invalidEncoding(let location, let column, let encoding):
      let position = column.map { "\(location):\($0)" } ?? location.description
      switch encoding {
      case .gb18030:
        return "\(position): 不是有效的 GB18030 编码 / invalid GB18030 byte sequence"
      case .utf8, .auto:
        return "\(position): 不是有效的 UTF-8 编码（文件可能是 GB18030）"
          + " / invalid UTF-8 byte sequence (the file may be GB18030)"
      }
    case .fieldTooLarge(let location, let limit):
      return "\(location): 字段超过 \(limit) 字节上限 / field exceeds the limit of \(limit) bytes"
    case .io(let path, let reason):
      return "\(path): 读写错误 / I/O error: \(reason)"
    }
  }
}
