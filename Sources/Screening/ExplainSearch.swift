import CSVStream
import Policy
import Roster

/// One row of the inputs that carries the ID number looked for, read as `screen` reads it.
public struct ApplicantOccurrence: Sendable {
  public var applicant: Applicant
  /// The integrity list and the earlier row with the same ID (every occurrence after the first
  /// is a duplicate, as in `screen`).
  public var context: EvaluationContext
  /// Each column the file has, under its header as written there.
  public var headers: [RosterColumn: String]
}

/// Finds the rows of one person in the rosters, for `explain`.
public enum ApplicantSearch {
  /// Every row whose ID number is `idNumber` (compared in canonical form), in input order.
  ///
  /// An input that cannot be read is passed to `unreadable` and the search goes on, as a
  /// screening run would; only when the ID is found nowhere is the first such error thrown.
  public static func find(
    idNumber: String, in paths: [String], encoding: InputEncoding = .auto,
    integrity: IntegrityList = IntegrityList(),
    unreadable: (ScreeningError) -> Void = { _ in }
  ) throws(ScreeningError) -> [ApplicantOccurrence] {
    let key = IntegrityList.key(idNumber)
    var found: [ApplicantOccurrence] = []
    var first: SourceLocation?
    var failures: [ScreeningError] = []
    for path in paths {
      do {
        try search(
          path, key: key, encoding: encoding, integrity: integrity, first: &first,
          found: &found)
      } catch {
        failures.append(error)
      }
    }
    if found.isEmpty, let failure = failures.first { throw failure }
    failures.forEach(unreadable)
    return found
  }

  private static func search(
    _ path: String, key: String, encoding: InputEncoding, integrity: IntegrityList,
    first: inout SourceLocation?, found: inout [ApplicantOccurrence]
  ) throws(ScreeningError) {
    let name = path == "-" ? "stdin" : path
    let source = try RosterSource(
      path: path, displayName: name, options: CSVReaderOptions(encoding: encoding))
    var parser: ApplicantParser?
    var headers: [RosterColumn: String] = [:]
    while let records = try source.nextBatch() {
      guard let header = source.header, let idIndex = header.columnIndex[.idNumber] else {
        continue
      }
      if parser == nil {
        parser = ApplicantParser(header: header)
        for column in header.columnIndex.keys { headers[column] = header.name(of: column) }
      }
      guard let parser else { continue }
      for record in records where record.fieldCount == header.fieldCount {
        guard IntegrityList.key(record.field(idIndex)) == key,
          case .applicant(let applicant) = parser.parse(record)
        else { continue }
        let context = EvaluationContext(
          onIntegrityList: integrity.contains(key), firstOccurrence: first)
        if first == nil { first = record.location }
        found.append(
          ApplicantOccurrence(applicant: applicant, context: context, headers: headers))
      }
    }
  }
}
