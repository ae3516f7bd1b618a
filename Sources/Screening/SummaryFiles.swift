import CSVStream
import Foundation
import Policy
import Roster

/// Writes the summary tables and `summary.json` (with the run manifest) from the merged counts.
enum SummaryFiles {
  static func write(
    report: inout RunReport, counts: SummaryCounts, configuration: ScreeningConfiguration,
    directory: String
  ) throws(ScreeningError) {
    let language = configuration.language
    let encoding = configuration.outputEncoding
    try writeTable(
      seriesTable(counts, language), to: "\(directory)/summary-series-district.csv", encoding)
    try writeTable(
      skillTable(counts, language), to: "\(directory)/summary-skill-district.csv", encoding)
    try writeTable(
      reasonTable(counts, configuration.policy, language), to: "\(directory)/reasons.csv",
      encoding)
    try writeJSON(
      report: report, counts: counts, configuration: configuration, directory: directory)
  }

  static func total(_ language: Language) -> String { language == .chinese ? "合计" : "Total" }

  static func seriesTable(_ counts: SummaryCounts, _ language: Language) -> [[String]] {
    let levels = SeriesTally.levels.map { language == .chinese ? $0.chineseName : $0.englishName }
    let header: [String] =
      language == .chinese
      ? ["职称系列", "所在区县", "申报人数"] + levels.map { "符合-\($0)" }
        + ["符合合计", "需复核", "不符合", "正常申报", "直接申报"]
      : ["Title series", "District", "Applicants"] + levels.map { "Eligible: \($0)" }
        + ["Eligible total", "Review", "Ineligible", "Normal route", "Direct route"]
    func cells(_ tally: SeriesTally) -> [String] {
      [String(tally.applicants)] + tally.eligible.map(String.init) + [
        String(tally.eligible.reduce(0, +)), String(tally.review), String(tally.ineligible),
        String(tally.normalRoute), String(tally.directRoute),
      ]
    }
    var rows = [header]
    var grand = SeriesTally()
    let keys = counts.series.keys.sorted()
    for series in orderedGroups(keys) {
      var subtotal = SeriesTally()
      for key in keys where key.group == series {
        let tally = counts.series[key] ?? SeriesTally()
        rows.append([series, key.district] + cells(tally))
        subtotal.merge(tally)
      }
      rows.append([series, total(language)] + cells(subtotal))
      grand.merge(subtotal)
    }
    rows.append([total(language), total(language)] + cells(grand))
    return rows
  }

  static func skillTable(_ counts: SummaryCounts, _ language: Language) -> [[String]] {
    let header =
      language == .chinese
      ? ["可申请技能等级", "所在区县", "申请人数", "符合", "需复核", "不符合", "不适用"]
      : [
        "Skill level", "District", "Applicants", "Eligible", "Review", "Ineligible",
        "Not applicable",
      ]
    func cells(_ tally: SkillTally) -> [String] {
      [tally.applicants, tally.eligible, tally.review, tally.ineligible, tally.notApplicable]
        .map(String.init)
    }
    let rank = Dictionary(
      uniqueKeysWithValues: SkillLevel.allCases.map { ($0.chineseName, $0.rawValue) })
    let keys = counts.skills.keys.sorted {
      let left = rank[$0.group] ?? 99
      let right = rank[$1.group] ?? 99
      return left != right ? left > right : $0.district < $1.district
    }
    var rows = [header]
    var grand = SkillTally()
    for key in keys {
      let tally = counts.skills[key] ?? SkillTally()
      let name =
        language == .english
        ? SkillLevel.allCases.first { $0.chineseName == key.group }?.englishName ?? key.group
        : key.group
      rows.append([name, key.district] + cells(tally))
      grand.merge(tally)
    }
    rows.append([total(language), total(language)] + cells(grand))
    return rows
  }

  static func reasonTable(_ counts: SummaryCounts, _ policy: ResolvedPolicy, _ language: Language)
    -> [[String]]
  {
    let header =
      language == .chinese
      ? ["原因代码", "条款", "说明", "所在区县", "人数"]
      : ["Reason code", "Clause", "Meaning", "District", "Count"]
    var rows = [header]
    var perCode: [String: Int] = [:]
    for key in counts.reasons.keys.sorted() {
      let count = counts.reasons[key] ?? 0
      let code = ReasonCode(key.group)
      let text = policy.policy.reasons[code]
      let meaning = placeholdersElided((language == .chinese ? text?.chinese : text?.english) ?? "")
      rows.append([key.group, text?.clause ?? "", meaning, key.district, String(count)])
      perCode[key.group, default: 0] += count
    }
    for code in perCode.keys.sorted() {
      rows.append([
        code, policy.clause(for: ReasonCode(code)), "", total(language), String(perCode[code] ?? 0),
      ])
    }
    return rows
  }

  /// Series in name order, with the unmatched group last.
  static func orderedGroups(_ keys: [GroupKey]) -> [String] {
    var seen: [String] = []
    for key in keys where !seen.contains(key.group) { seen.append(key.group) }
    return seen.filter { $0 != SummaryCounts.unmatchedSeries }
      + seen.filter { $0 == SummaryCounts.unmatchedSeries }
  }

  static func writeTable(_ rows: [[String]], to path: String, _ encoding: OutputEncoding)
    throws(ScreeningError)
  {
    do {
      let writer = try CSVWriter(path: path, encoding: encoding)
      for row in rows { try writer.write(row: row) }
      try writer.close()
    } catch {
      throw .input(error)
    }
  }
}

extension SummaryFiles {
  /// A reason template with its `{placeholders}` shown as `…`, to describe the code in general.
  static func placeholdersElided(_ template: String) -> String {
    var result = ""
    var inPlaceholder = false
    for character in template {
      if character == "{" {
        inPlaceholder = true
        result += "…"
      } else if character == "}" && inPlaceholder {
        inPlaceholder = false
      } else if !inPlaceholder {
        result.append(character)
      }
    }
    return result
  }
}
