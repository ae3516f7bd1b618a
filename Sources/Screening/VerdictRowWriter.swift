import CSVStream
import Policy
import Roster

/// Formats verdict rows straight into the output bytes, cell by cell, exactly as
/// `CSVFormat.appendRow(table.row(for:verdict:))` would, without building a `[String]` row or
/// the joined cell strings first. A worker keeps one for all its rows.
struct VerdictRowWriter {
  let table: VerdictTable
  /// The cell being assembled, reused from row to row.
  private var cell: [UInt8] = []

  init(table: VerdictTable) {
    self.table = table
    cell.reserveCapacity(4096)
  }

  /// Appends the row of one verdict, ending in CRLF.
  mutating func append(_ applicant: Applicant, _ verdict: Verdict, to out: inout [UInt8]) {
    let language = table.language
    let separator = table.separator
    let title = verdict.title
    let skill = verdict.skill

    text(applicant.location.file)
    cell.append(UInt8(ascii: ":"))
    number(applicant.location.line)
    end(to: &out, first: true)
    field(applicant.idNumber, to: &out)
    field(applicant.name, to: &out)
    field(applicant.employer, to: &out)
    field(applicant.district, to: &out)
    field(table.conclusion(title.conclusion), to: &out)
    field(title.target.map(table.level) ?? "", to: &out)
    for (index, route) in title.routes.enumerated() {
      if index > 0 { text(separator) }
      text(table.route(route))
    }
    end(to: &out)
    for (index, candidate) in title.candidates.enumerated() {
      if index > 0 { text(separator) }
      text(candidate.series)
    }
    end(to: &out)
    field(title.primary?.specialty ?? "", to: &out)
    if let next = title.next {
      text(table.level(next.level))
      cell.append(UInt8(ascii: " "))
      date(next.date)
    }
    end(to: &out)
    field(table.conclusion(skill.conclusion), to: &out)
    field(skill.target.map(table.level) ?? "", to: &out)
    field(
      skill.conclusion == .notApplicable && skill.target == nil ? "" : skill.occupation ?? "",
      to: &out)
    field(skill.exemptFromTheory.map(table.flag) ?? "", to: &out)
    for (index, point) in skill.servicePoints.enumerated() {
      if index > 0 { text("；") }
      servicePoint(point)
    }
    end(to: &out)
    field(verdict.equivalentEducation ?? "", to: &out)
    let reasons = verdict.reasons
    for (index, reason) in reasons.enumerated()
    where !reasons[..<index].contains(where: { $0.code == reason.code }) {
      if !cell.isEmpty { cell.append(UInt8(ascii: ";")) }
      text(reason.code.rawValue)
    }
    end(to: &out)
    for (index, reason) in reasons.enumerated() {
      if index > 0 { text("；") }
      if reason.isInformational { text(language == .chinese ? "（提示）" : "(note) ") }
      table.policy.appendText(for: reason, in: language, to: &cell)
    }
    end(to: &out)
    out.append(UInt8(ascii: "\r"))
    out.append(UInt8(ascii: "\n"))
  }

  private mutating func text(_ string: String) {
    cell.append(contentsOf: string.utf8)
  }

  private mutating func field(_ string: String, to out: inout [UInt8]) {
    text(string)
    end(to: &out)
  }

  private mutating func number(_ value: Int) {
    text(String(value))
  }

  private mutating func date(_ date: CivilDate) {
    text(date.description)
  }

  private mutating func servicePoint(_ point: ServicePoint) {
    text(point.institution)
    let hasContact = !point.contact.isEmpty
    let hasPhone = !point.phone.isEmpty
    guard hasContact || hasPhone else { return }
    text("（")
    text(point.contact)
    if hasContact && hasPhone { cell.append(UInt8(ascii: " ")) }
    text(point.phone)
    text("）")
  }

  /// Writes the assembled cell to `out` (after a comma unless it is the first) and clears it.
  private mutating func end(to out: inout [UInt8], first: Bool = false) {
    if !first { out.append(UInt8(ascii: ",")) }
    CSVCell.append(cell, to: &out)
    cell.removeAll(keepingCapacity: true)
  }
}

/// One CSV cell, given as UTF-8, formatted by `CSVFormat`'s rules: plain cells are copied, cells
/// that need quotes are quoted here, and the rare cells a spreadsheet could take for a formula
/// or a number go through `CSVFormat` itself.
enum CSVCell {
  static func append(_ cell: [UInt8], to out: inout [UInt8]) {
    guard let first = cell.first else { return }
    if startsLikeFormula(cell, first) || isLongDigitString(cell) {
      var row: [UInt8] = []
      CSVFormat.appendRow([String(decoding: cell, as: UTF8.self), ""], to: &row)
      // The row is the cell, a comma, an empty cell and CRLF.
      out.append(contentsOf: row[..<(row.count - 3)])
      return
    }
    let last = cell[cell.count - 1]
    let quote = UInt8(ascii: "\"")
    let needsQuotes =
      first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
      || cell.contains { $0 == UInt8(ascii: ",") || $0 == quote || $0 == 0x0D || $0 == 0x0A }
    guard needsQuotes else {
      out.append(contentsOf: cell)
      return
    }
    out.append(quote)
    for byte in cell {
      if byte == quote { out.append(quote) }
      out.append(byte)
    }
    out.append(quote)
  }

  /// `=`, `+`, `-`, `@`, tab, CR, LF, or full-width `＝ ＋ － ＠` (EF BC 9D/8B/8D/A0) first.
  static func startsLikeFormula(_ cell: [UInt8], _ first: UInt8) -> Bool {
    switch first {
    case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D,
      0x0A:
      return true
    case 0xEF:
      guard cell.count >= 3, cell[1] == 0xBC else { return false }
      return cell[2] == 0x9D || cell[2] == 0x8B || cell[2] == 0x8D || cell[2] == 0xA0
    default:
      return false
    }
  }

  /// 12 or more ASCII digits, optionally followed by one `X` or `x`.
  static func isLongDigitString(_ cell: [UInt8]) -> Bool {
    guard cell.count >= 12 else { return false }
    var digits = 0
    for (index, byte) in cell.enumerated() {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
      case UInt8(ascii: "X"), UInt8(ascii: "x"): if index != cell.count - 1 { return false }
      default: return false
      }
    }
    return digits >= 12
  }
}
