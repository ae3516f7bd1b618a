import CSVStream
import Policy
import Roster

/// Formats verdict rows straight into the output bytes, cell by cell, exactly as
/// `CSVFormat.appendRow(table.row(for:verdict:))` would, without building a `[String]` row or
/// the joined cell strings first: a cell of several parts is written in place and formatted
/// there (`CSVFormat.formatCell(in:from:)`). A worker keeps one for all its rows.
struct VerdictRowWriter {
  let table: VerdictTable
  private let fixed: FixedCells

  init(table: VerdictTable) {
    self.table = table
    fixed = FixedCells(table)
  }

  /// Appends the row of one verdict, ending in CRLF.
  mutating func append(_ applicant: Applicant, _ verdict: Verdict, to out: inout [UInt8]) {
    let language = table.language
    let separator = table.separator
    let title = verdict.title
    let skill = verdict.skill

    var start = out.count
    text(applicant.location.file, to: &out)
    out.append(UInt8(ascii: ":"))
    number(applicant.location.line, to: &out)
    CSVFormat.formatCell(in: &out, from: start)
    field(applicant.idNumber, to: &out)
    field(applicant.name, to: &out)
    field(applicant.employer, to: &out)
    field(applicant.district, to: &out)
    out.append(contentsOf: fixed.conclusion(title.conclusion))
    out.append(contentsOf: fixed.level(title.target))
    start = begin(&out)
    for (index, route) in title.routes.enumerated() {
      if index > 0 { text(separator, to: &out) }
      text(table.route(route), to: &out)
    }
    CSVFormat.formatCell(in: &out, from: start)
    start = begin(&out)
    for (index, candidate) in title.candidates.enumerated() {
      if index > 0 { text(separator, to: &out) }
      text(candidate.series, to: &out)
    }
    CSVFormat.formatCell(in: &out, from: start)
    field(title.primary?.specialty ?? "", to: &out)
    start = begin(&out)
    if let next = title.next {
      text(table.level(next.level), to: &out)
      out.append(UInt8(ascii: " "))
      text(next.date.description, to: &out)
    }
    CSVFormat.formatCell(in: &out, from: start)
    out.append(contentsOf: fixed.conclusion(skill.conclusion))
    out.append(contentsOf: fixed.level(skill.target))
    field(
      skill.conclusion == .notApplicable && skill.target == nil ? "" : skill.occupation ?? "",
      to: &out)
    out.append(contentsOf: fixed.flag(skill.exemptFromTheory))
    start = begin(&out)
    for (index, point) in skill.servicePoints.enumerated() {
      if index > 0 { text("；", to: &out) }
      servicePoint(point, to: &out)
    }
    CSVFormat.formatCell(in: &out, from: start)
    field(verdict.equivalentEducation ?? "", to: &out)
    let reasons = verdict.reasons
    start = begin(&out)
    for (index, reason) in reasons.enumerated()
    where !reasons[..<index].contains(where: { $0.code == reason.code }) {
      if out.count > start { out.append(UInt8(ascii: ";")) }
      text(reason.code.rawValue, to: &out)
    }
    CSVFormat.formatCell(in: &out, from: start)
    start = begin(&out)
    for (index, reason) in reasons.enumerated() {
      if index > 0 { text("；", to: &out) }
      if reason.isInformational { text(language == .chinese ? "（提示）" : "(note) ", to: &out) }
      table.policy.appendText(for: reason, in: language, to: &out)
    }
    CSVFormat.formatCell(in: &out, from: start)
    out.append(UInt8(ascii: "\r"))
    out.append(UInt8(ascii: "\n"))
  }

  /// Starts a cell of several parts after its comma; returns where its bytes begin.
  private func begin(_ out: inout [UInt8]) -> Int {
    out.append(UInt8(ascii: ","))
    return out.count
  }

  private func text(_ string: String, to out: inout [UInt8]) {
    var string = string
    string.withUTF8 { out.append(contentsOf: $0) }
  }

  /// A cell of one text, formatted straight from the text's bytes.
  private func field(_ string: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: ","))
    guard !string.isEmpty else { return }
    var string = string
    string.withUTF8 { CSVFormat.appendCell($0, to: &out) }
  }

  /// The decimal digits of `value`, as `String(value)` writes them.
  private func number(_ value: Int, to out: inout [UInt8]) {
    guard value >= 0 else { return text(String(value), to: &out) }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &digits) { buffer in
      var rest = value
      var position = buffer.count
      repeat {
        position -= 1
        buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
      } while rest > 0
      out.append(contentsOf: buffer[position...])
    }
  }

  private func servicePoint(_ point: ServicePoint, to out: inout [UInt8]) {
    text(point.institution, to: &out)
    let hasContact = !point.contact.isEmpty
    let hasPhone = !point.phone.isEmpty
    guard hasContact || hasPhone else { return }
    text("（", to: &out)
    text(point.contact, to: &out)
    if hasContact && hasPhone { out.append(UInt8(ascii: " ")) }
    text(point.phone, to: &out)
    text("）", to: &out)
  }
}

/// The cells that depend only on a conclusion, a level or a flag, formatted once in the table's
/// language, each with the comma before it.
private struct FixedCells {
  private let conclusions: [[UInt8]]
  /// By `TitleLevel.rawValue`; index 0 and missing ranks hold the empty cell.
  private let titleLevels: [[UInt8]]
  /// By `SkillLevel.rawValue + 1` (ranks start at -1); missing ranks hold the empty cell.
  private let skillLevels: [[UInt8]]
  private let flags: [[UInt8]]
  private let empty: [UInt8] = [UInt8(ascii: ",")]

  init(_ table: VerdictTable) {
    var conclusions = Array(repeating: empty, count: Conclusion.allCases.count)
    for conclusion in Conclusion.allCases {
      conclusions[Self.index(conclusion)] = Self.cell(table.conclusion(conclusion))
    }
    self.conclusions = conclusions
    var titles = Array(
      repeating: empty, count: 1 + (TitleLevel.allCases.map(\.rawValue).max() ?? 0))
    for level in TitleLevel.allCases { titles[level.rawValue] = Self.cell(table.level(level)) }
    titleLevels = titles
    var skills = Array(
      repeating: empty, count: 2 + (SkillLevel.allCases.map(\.rawValue).max() ?? 0))
    for level in SkillLevel.allCases { skills[level.rawValue + 1] = Self.cell(table.level(level)) }
    skillLevels = skills
    flags = [Self.cell(table.flag(false)), Self.cell(table.flag(true))]
  }

  func conclusion(_ conclusion: Conclusion) -> [UInt8] { conclusions[Self.index(conclusion)] }

  private static func index(_ conclusion: Conclusion) -> Int {
    switch conclusion {
    case .eligible: 0
    case .ineligible: 1
    case .review: 2
    case .notApplicable: 3
    }
  }

  func level(_ level: TitleLevel?) -> [UInt8] { level.map { titleLevels[$0.rawValue] } ?? empty }

  func level(_ level: SkillLevel?) -> [UInt8] {
    level.map { skillLevels[$0.rawValue + 1] } ?? empty
  }

  func flag(_ flag: Bool?) -> [UInt8] { flag.map { flags[$0 ? 1 : 0] } ?? empty }

  private static func cell(_ text: String) -> [UInt8] {
    var bytes = [UInt8(ascii: ",")]
    var text = text
    text.withUTF8 { CSVFormat.appendCell($0, to: &bytes) }
    return bytes
  }
}
