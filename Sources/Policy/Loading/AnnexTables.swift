import CSVStream
import Roster

/// One line of `annex2-service-points.csv`: an institution's occupation group and its levels.
///
/// Annex 2 gives an institution several such sub-rows; the policy keeps one `ServicePoint` per
/// occupation, this keeps the lines as written.
struct ServicePointRow: Hashable {
  var number: Int
  var institution: String
  var district: String
  var occupations: [String]
  var levels: [Int]
  var contact: String
  var phone: String
  var validity: Validity
  var line: Int

  var servicePoints: [ServicePoint] {
    occupations.map {
      ServicePoint(
        institution: institution, district: district, occupation: $0, levels: levels,
        contact: contact, phone: phone, validity: validity)
    }
  }
}

/// The two annex files of a bundle and how their rows are read and checked.
enum AnnexTables {
  static let annex1File = "annex1-occupations.csv"
  static let annex2File = "annex2-service-points.csv"
  static let annex1Header = ["序号", "职称系列", "专业", "职业工种", "生效日期", "失效日期"]
  static let annex2Header = [
    "序号", "机构", "所在区县", "职业工种", "等级", "联系人", "联系电话", "生效日期", "失效日期",
  ]
  /// The separator of lists inside a cell, as in the notice.
  static let listSeparator: Character = "、"

  /// Annex 1 rows; an occupation may appear once per series in any period.
  static func occupations(_ records: [CSVRecord]) throws(PolicyError) -> [OccupationMapping] {
    let table = try CSVTable(records: records, file: annex1File, header: annex1Header)
    var mappings: [OccupationMapping] = []
    var firstLine: [String: [(validity: Validity, line: Int)]] = [:]
    for record in table.rows {
      let row = try table.int(record, "序号", in: 1...9999)
      let series = try table.required(record, "职称系列")
      let occupations = try table.list(record, "职业工种")
      let validity = try table.validity(record)
      for occupation in occupations {
        let key = "\(series)\u{0}\(LookupKey.make(occupation))"
        if let earlier = firstLine[key, default: []].first(where: {
          PolicyText.overlap($0.validity, validity)
        }) {
          throw table.error(
            record, "职业工种",
            "“\(occupation)”已在第\(earlier.line)行的同一职称系列“\(series)”中列出"
              + " / already listed under the same series on line \(earlier.line)")
        }
        firstLine[key, default: []].append((validity, record.location.line))
      }
      mappings.append(
        OccupationMapping(
          row: row, series: series, specialty: table.text(record, "专业"),
          occupations: occupations, validity: validity))
    }
    return mappings
  }

  /// Annex 2 lines as written, one per institution and occupation group.
  static func servicePointRows(_ records: [CSVRecord]) throws(PolicyError) -> [ServicePointRow] {
    let table = try CSVTable(records: records, file: annex2File, header: annex2Header)
    var rows: [ServicePointRow] = []
    for record in table.rows {
      let number = try table.int(record, "序号", in: 1...9999)
      let institution = try table.required(record, "机构")
      let occupations = try table.list(record, "职业工种")
      var levels: [Int] = []
      for item in try table.list(record, "等级") {
        guard item.count == 1, let level = Int(item), (1...5).contains(level) else {
          throw table.error(
            record, "等级", "等级“\(item)”应为 1–5（5 = 初级工 … 1 = 高级技师）/ level must be 1–5")
        }
        levels.append(level)
      }
      rows.append(
        ServicePointRow(
          number: number, institution: institution, district: table.text(record, "所在区县"),
          occupations: occupations, levels: levels, contact: table.text(record, "联系人"),
          phone: table.text(record, "联系电话"), validity: try table.validity(record),
          line: record.location.line))
    }
    return rows
  }
}

/// A checked annex CSV: the header is as expected and every data row has its field count.
struct CSVTable {
  var file: String
  var header: [String]
  /// Data records; lines whose cells are all blank are dropped.
  var rows: [CSVRecord]

  init(records: [CSVRecord], file: String, header expected: [String]) throws(PolicyError) {
    self.file = file
    header = expected
    guard let first = records.first else {
      throw PolicyError(file: file, line: 1, message: "文件为空，缺少表头 / the file is empty")
    }
    let written = first.fields.map(PolicyText.trimmed)
    for (index, name) in expected.enumerated()
    where index >= written.count || written[index] != name {
      throw PolicyError(
        file: file, line: first.location.line, field: name,
        message: "表头应为“\(expected.joined(separator: ","))” / the header differs")
    }
    if written.count != expected.count {
      throw PolicyError(
        file: file, line: first.location.line,
        message: "表头应为“\(expected.joined(separator: ","))” / the header differs")
    }
    rows = []
    for record in records.dropFirst() {
      if record.fields.allSatisfy({ PolicyText.trimmed($0).isEmpty }) { continue }
      guard record.fields.count == expected.count else {
        throw PolicyError(
          file: file, line: record.location.line,
          message: "应有\(expected.count)列，实有\(record.fields.count)列"
            + " / expected \(expected.count) fields, found \(record.fields.count)")
      }
      rows.append(record)
    }
  }

  func error(_ record: CSVRecord, _ column: String, _ message: String) -> PolicyError {
    PolicyError(file: file, line: record.location.line, field: column, message: message)
  }

  func text(_ record: CSVRecord, _ column: String) -> String {
    guard let index = header.firstIndex(of: column) else { return "" }
    return PolicyText.trimmed(record.fields[index])
  }

  func required(_ record: CSVRecord, _ column: String) throws(PolicyError) -> String {
    let value = text(record, column)
    if value.isEmpty { throw error(record, column, "\(column)未填写 / value missing") }
    return value
  }

  func int(_ record: CSVRecord, _ column: String, in range: ClosedRange<Int>) throws(PolicyError)
    -> Int
  {
    let value = try required(record, column)
    guard let number = Int(value), range.contains(number) else {
      throw error(record, column, "“\(value)”应为正整数 / expected a whole number")
    }
    return number
  }

  /// A `、`-separated list without blanks or repeats.
  func list(_ record: CSVRecord, _ column: String) throws(PolicyError) -> [String] {
    let value = try required(record, column)
    var items: [String] = []
    var keys: Set<String> = []
    for part in value.split(separator: AnnexTables.listSeparator, omittingEmptySubsequences: false)
    {
      let item = PolicyText.trimmed(String(part))
      if item.isEmpty {
        throw error(record, column, "列表中有空项（多余的“、”）/ empty item in the list")
      }
      // Compared as the evaluator compares names: width and spaces do not count.
      guard keys.insert(LookupKey.make(item)).inserted else {
        throw error(record, column, "“\(item)”在本行重复 / listed twice in this row")
      }
      items.append(item)
    }
    return items
  }

  func validity(_ record: CSVRecord) throws(PolicyError) -> Validity {
    let from = try date(record, "生效日期")
    let until = try date(record, "失效日期")
    if let from, let until, until < from {
      throw error(record, "失效日期", "失效日期 \(until) 早于生效日期 \(from) / until is before from")
    }
    return Validity(from: from, until: until)
  }

  private func date(_ record: CSVRecord, _ column: String) throws(PolicyError) -> CivilDate? {
    let value = text(record, column)
    if value.isEmpty { return nil }
    guard let date = PolicyText.date(value) else {
      throw error(record, column, "“\(value)”不是有效日期（YYYY-MM-DD）/ not a valid date")
    }
    return date
  }
}
