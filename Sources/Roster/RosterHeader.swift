import CSVStream

/// A roster file whose header row cannot be used; fatal for that file, rendered once at the edge.
public enum RosterError: Error, Equatable, CustomStringConvertible {
  /// 身份证号 or 姓名 (under any alias) is absent; `missing` holds canonical headers, `found` the
  /// header cells as written.
  case missingRequiredColumns(file: String, line: Int, missing: [String], found: [String])
  /// Two header cells name the same column; columns are 1-based.
  case duplicateColumn(file: String, line: Int, name: String, firstColumn: Int, secondColumn: Int)

  public var description: String {
    switch self {
    case .missingRequiredColumns(let file, let line, let missing, let found):
      let expected = missing.map { name in
        let aliases = RosterColumn(rawValue: name)?.acceptedHeaders ?? [name]
        return aliases.joined(separator: "/")
      }
      let foundText = found.isEmpty ? "（无）" : found.joined(separator: "、")
      return "\(file):\(line): 表头缺少必需的列 \(missing.joined(separator: "、"))"
        + "（可写作 \(expected.joined(separator: "；"))）；表头中的列：\(foundText)"
        + " / missing required column(s) \(missing.joined(separator: ", ")); found: "
        + (found.isEmpty ? "(none)" : found.joined(separator: ", "))
    case .duplicateColumn(let file, let line, let name, let first, let second):
      return "\(file):\(line): 表头第\(first)列和第\(second)列都是“\(name)”"
        + " / columns \(first) and \(second) both name \"\(name)\""
    }
  }
}

/// A roster's header row mapped onto the known columns; it tells the parser where each value is.
public struct RosterHeader: Sendable {
  /// Where the header row is.
  public let location: SourceLocation
  /// 0-based field index of each known column present in the file.
  public let columnIndex: [RosterColumn: Int]
  /// `columnIndex[.idNumber]`, looked up once: every record's ID number is read for the
  /// duplicate and integrity checks.
  public let idNumberColumn: Int?
  /// Header cells that name no known column (0-based index, text as written but trimmed); blank
  /// header cells are not listed. Their values are ignored; report them once per file.
  public let unknownHeaders: [(index: Int, name: String)]
  /// The number of fields in the header row; every data row must have the same.
  public let fieldCount: Int
  /// The header cells as written (trimmed), to name a column the way the file names it.
  public let names: [String]

  /// Maps a header record; throws when 身份证号 or 姓名 is missing or a column is named twice.
  public init(record: CSVRecord) throws(RosterError) {
    var index: [RosterColumn: Int] = [:]
    var unknown: [(index: Int, name: String)] = []
    for (position, cell) in record.fields.enumerated() {
      guard let column = RosterColumn.matching(header: cell) else {
        let name = ValueParser.trimmed(cell)
        if !name.isEmpty { unknown.append((position, name)) }
        continue
      }
      if let first = index[column] {
        throw .duplicateColumn(
          file: record.location.file, line: record.location.line, name: column.header,
          firstColumn: first + 1, secondColumn: position + 1)
      }
      index[column] = position
    }
    let missing = RosterColumn.allCases.filter { $0.isRequired && index[$0] == nil }
    guard missing.isEmpty else {
      throw .missingRequiredColumns(
        file: record.location.file, line: record.location.line,
        missing: missing.map(\.header),
        found: record.fields.map(ValueParser.trimmed).filter { !$0.isEmpty })
    }
    self.location = record.location
    self.columnIndex = index
    self.idNumberColumn = index[.idNumber]
    self.unknownHeaders = unknown
    self.fieldCount = record.fields.count
    self.names = record.fields.map(ValueParser.trimmed)
  }

  /// `true` for a record that reads as a header row: at least two cells name known columns and one
  /// of them is 身份证号 or 姓名. Used to skip title rows above the header.
  public static func looksLikeHeader(_ record: CSVRecord) -> Bool {
    looksLikeHeader(fields: record.fields)
  }

  /// `looksLikeHeader` for a record's fields already made into strings.
  public static func looksLikeHeader(fields: [String]) -> Bool {
    var seen: UInt32 = 0
    var required = false
    for field in fields {
      guard let column = RosterColumn.matching(header: field) else { continue }
      seen |= 1 << column.ordinal
      required = required || column.isRequired
    }
    return seen.nonzeroBitCount >= 2 && required
  }

  /// The 0-based field index of a column, or `nil` when the file does not have it.
  public func index(of column: RosterColumn) -> Int? {
    columnIndex[column]
  }

  /// The header of a column as the file writes it, or `nil` when the file does not have it.
  public func name(of column: RosterColumn) -> String? {
    columnIndex[column].map { names[$0] }
  }
}
