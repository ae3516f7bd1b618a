import CSVStream
import Roster

/// The IDs on the integrity list (五（三）): applicants found there are ineligible in both
/// directions. Read from a file of one ID a line, or a CSV with a 身份证号 column.
public struct IntegrityList: Sendable {
  public private(set) var ids: Set<String>
  /// The file the list came from and its SHA-256, recorded in the run manifest.
  public private(set) var path: String?
  public private(set) var sha256: String?

  public init(ids: some Sequence<String> = []) {
    self.ids = Set(ids.map(IntegrityList.key))
  }

  public func contains(_ idNumber: String) -> Bool {
    !ids.isEmpty && ids.contains(IntegrityList.key(idNumber))
  }

  func contains(_ key: DuplicateKey) -> Bool {
    !ids.isEmpty && ids.contains(key.text)
  }

  public var count: Int { ids.count }

  /// The form in which ID numbers are compared: normalised, upper-case X.
  public static func key(_ idNumber: String) -> String {
    ValueParser.canonicalIDNumber(idNumber)
  }

  public static func load(path: String) throws(ScreeningError) -> IntegrityList {
    let records: [CSVRecord]
    do {
      records = try CSVReader(path: path).readAll()
    } catch {
      throw .input(error)
    }
    var column = 0
    var body = records[...]
    if let first = records.first,
      let index = first.fields.firstIndex(where: { RosterColumn.matching(header: $0) == .idNumber })
    {
      column = index
      body = records.dropFirst()
    } else if let first = records.first, first.fields.count > 1 {
      throw .integrityList(
        path: path, line: first.location.line,
        message: "多列文件需要“身份证号”表头 / a file with several columns needs a 身份证号 header")
    }
    var list = IntegrityList()
    list.path = path
    list.sha256 = try? FileDigest.sha256(path: path)
    for record in body {
      guard column < record.fieldCount else { continue }
      let id = key(record.field(column))
      if id.isEmpty { continue }
      switch ValueParser.idNumber(id) {
      case .valid, .legacy15:
        list.ids.insert(id)
      case .missing, .invalid:
        throw .integrityList(
          path: path, line: record.location.line,
          message: "身份证号无效 / not a valid ID number: \(record.field(column))")
      }
    }
    return list
  }
}
