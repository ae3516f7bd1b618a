import CSVStream
import Foundation
import Yams

/// Something in a policy bundle that loads without error but is probably a slip of the editor:
/// it is reported with its file and line so that the bureau can confirm or fix it.
public struct PolicyWarning: Hashable, Sendable, CustomStringConvertible {
  /// What kind of suspicious thing was found; the raw values are stable.
  public enum Kind: String, Hashable, Sendable, CaseIterable {
    /// Annex 1 maps the same occupation to two series in the same period.
    case occupationInTwoSeries = "occupation-in-two-series"
    /// Annex 2 names an occupation that Annex 1 does not list.
    case serviceOccupationNotInAnnex1 = "annex2-occupation-not-in-annex1"
    /// Two aliases compare equal (width, spaces and quotes aside).
    case aliasRepeated = "alias-repeated"
    /// An alias contains the name of another honour, or another honour's alias.
    case aliasShadowsHonour = "alias-shadows-honour"

    /// The heading of the group in the report, Chinese and English.
    public var title: String {
      switch self {
      case .occupationInTwoSeries: "同一职业工种对应两个系列 / occupation in two series"
      case .serviceOccupationNotInAnnex1:
        "附件2的职业工种不在附件1中 / Annex 2 occupations not in Annex 1"
      case .aliasRepeated: "重复的荣誉别名 / repeated honour aliases"
      case .aliasShadowsHonour: "可能指错的荣誉别名 / aliases that may name the wrong honour"
      }
    }

    /// What it means for the screening and what to check.
    public var advice: String {
      switch self {
      case .occupationInTwoSeries:
        "两个系列都会成为候选，第一个为主；如非有意，请删去一处。"
          + " / Both series become candidates, the first is primary; delete one unless intended."
      case .serviceOccupationNotInAnnex1:
        "技能评价照常推荐这些服务点；但以该职业申报职称时系列需人工确定。附件1缺第1、5、6行时属正常，补上即可。"
          + " / Skill evaluation still lists these points, but a title applicant in such an"
          + " occupation gets a human decision on the series; add the missing Annex 1 rows."
      case .aliasRepeated:
        "比较时宽度、空格和引号不计，两个别名实为同一个；指向不同荣誉时只有一个生效。"
          + " / Width, spaces and quotes do not count, so these are one alias; if they name"
          + " different honours only one takes effect."
      case .aliasShadowsHonour:
        "别名中含有另一荣誉的名称，却指向别的荣誉，请确认档次无误。"
          + " / The alias contains another honour's name but points elsewhere; confirm the tier."
      }
    }
  }

  public var kind: Kind
  /// The file's name inside the bundle.
  public var file: String
  public var line: Int?
  /// The CSV column or YAML path concerned.
  public var field: String?
  /// What looks wrong and what to check, in Chinese and English.
  public var message: String

  public init(kind: Kind, file: String, line: Int?, field: String?, message: String) {
    self.kind = kind
    self.file = file
    self.line = line
    self.field = field
    self.message = message
  }

  public var description: String {
    var location = file
    if let line { location += ":\(line)" }
    if let field { location += " \(field)" }
    return "\(location): \(message)"
  }
}

/// Checks an edited policy bundle for things that are legal but suspicious, after it has loaded:
/// an occupation mapped to two series, an Annex 2 occupation missing from Annex 1, an honour
/// alias that repeats or shadows another honour or alias.
public enum PolicyReview {
  /// Loads the bundle in `directory` (throwing its first mistake, as `PolicyLoader.load` does)
  /// and returns the warnings, in file and line order.
  public static func review(directory: URL) throws(PolicyError) -> [PolicyWarning] {
    _ = try PolicyLoader.load(directory: directory)
    let annex1 = try CSVTable(
      records: PolicyLoader.records(of: AnnexTables.annex1File, in: directory),
      file: AnnexTables.annex1File, header: AnnexTables.annex1Header)
    let annex2 = try AnnexTables.servicePointRows(
      PolicyLoader.records(of: AnnexTables.annex2File, in: directory))
    var warnings = try occupationsInTwoSeries(annex1)
    warnings += try serviceOccupationsNotInAnnex1(annex2, annex1: annex1)
    warnings += try aliasWarnings(PolicyLoader.text(of: PolicyLoader.settingsFile, in: directory))
    return warnings
  }

  struct Listing {
    var series: String
    var row: Int
    var line: Int
    var validity: Validity
  }

  static func occupationsInTwoSeries(_ table: CSVTable) throws(PolicyError) -> [PolicyWarning] {
    var listings: [String: [Listing]] = [:]
    var names: [String: String] = [:]
    var order: [String] = []
    for record in table.rows {
      let listing = Listing(
        series: try table.required(record, "职称系列"),
        row: try table.int(record, "序号", in: 1...9999), line: record.location.line,
        validity: try table.validity(record))
      for occupation in try table.list(record, "职业工种") {
        let key = LookupKey.make(occupation)
        if listings[key] == nil {
          order.append(key)
          names[key] = occupation
        }
        listings[key, default: []].append(listing)
      }
    }
    var warnings: [PolicyWarning] = []
    for key in order {
      let all = listings[key] ?? []
      guard let first = all.first,
        let other = all.dropFirst().first(where: {
          $0.series != first.series && PolicyText.overlap($0.validity, first.validity)
        })
      else { continue }
      let name = names[key] ?? key
      warnings.append(
        PolicyWarning(
          kind: .occupationInTwoSeries, file: AnnexTables.annex1File, line: other.line,
          field: "职业工种",
          message: "“\(name)”同时对应\(first.series)（第\(first.row)行）和\(other.series)"
            + "（第\(other.row)行） / mapped to \(first.series) and \(other.series)"))
    }
    return warnings
  }

  static func serviceOccupationsNotInAnnex1(_ rows: [ServicePointRow], annex1: CSVTable)
    throws(PolicyError) -> [PolicyWarning]
  {
    var known = Set<String>()
    for record in annex1.rows {
      for occupation in try annex1.list(record, "职业工种") {
        known.insert(LookupKey.make(occupation))
      }
    }
    var lines: [String: [Int]] = [:]
    var names: [String: String] = [:]
    var order: [String] = []
    for row in rows {
      for occupation in row.occupations {
        let key = LookupKey.make(occupation)
        if known.contains(key) { continue }
        if let base = LookupKey.beforeBracket(key), known.contains(base) { continue }
        if lines[key] == nil {
          order.append(key)
          names[key] = occupation
        }
        if lines[key]?.last != row.line { lines[key, default: []].append(row.line) }
      }
    }
    return order.map { key in
      let found = lines[key] ?? []
      let name = names[key] ?? key
      let listed = found.map(String.init).joined(separator: "、")
      return PolicyWarning(
        kind: .serviceOccupationNotInAnnex1, file: AnnexTables.annex2File, line: found.first,
        field: "职业工种",
        message: "“\(name)”（第\(listed)行 / lines "
          + found.map(String.init).joined(separator: ", ") + "）")
    }
  }

  struct Alias {
    var text: String
    var key: String
    var target: String
    var targetKey: String
    var line: Int?
    var path: String
  }

  static func aliasWarnings(_ yaml: String) throws(PolicyError) -> [PolicyWarning] {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch {
      throw PolicyError(file: YAMLValue.file, message: "无法读取 YAML / unreadable YAML: \(error)")
    }
    guard let root else { return [] }
    let honours = try YAMLValue(node: root, path: "", keyLine: nil).openMapping()
      .required("honours").openMapping()
    var honourKeys: [String: String] = [:]
    for tier in try honours.required("tiers").sequence() {
      for name in try tier.openMapping().required("names").strings() {
        honourKeys[LookupKey.make(name)] = name
      }
    }
    var aliases: [Alias] = []
    for (text, value) in try honours.required("aliases").openMapping().entries {
      let target = try value.string()
      aliases.append(
        Alias(
          text: text, key: LookupKey.make(text), target: target, targetKey: LookupKey.make(target),
          line: value.line, path: value.path))
    }
    var warnings: [PolicyWarning] = []
    for (index, alias) in aliases.enumerated() {
      func warn(_ kind: PolicyWarning.Kind, _ message: String) {
        warnings.append(
          PolicyWarning(
            kind: kind, file: YAMLValue.file, line: alias.line, field: alias.path,
            message: message))
      }
      if let earlier = aliases[..<index].first(where: { $0.key == alias.key }) {
        let at = earlier.line.map { "第\($0)行" } ?? ""
        if earlier.targetKey == alias.targetKey {
          warn(
            .aliasRepeated,
            "别名“\(alias.text)”与\(at)的“\(earlier.text)”比较时相同（宽度、空格、引号不计），重复了"
              + " / the alias repeats \"\(earlier.text)\"")
        } else {
          warn(
            .aliasRepeated,
            "别名“\(alias.text)”与\(at)的“\(earlier.text)”比较时相同，却分别指向“\(alias.target)”"
              + "和“\(earlier.target)”，只有一个会生效 / the alias equals \"\(earlier.text)\" but"
              + " names another honour; only one of them takes effect")
        }
        continue
      }
      if let name = honourKeys.sorted(by: { $0.key < $1.key }).first(where: {
        $0.key != alias.targetKey && alias.key.contains($0.key)
      })?.value {
        warn(
          .aliasShadowsHonour,
          "别名“\(alias.text)”含有另一荣誉“\(name)”的全称，却指向“\(alias.target)”；请确认"
            + " / the alias contains the honour \"\(name)\" but names \"\(alias.target)\"")
      } else if let other = aliases.first(where: {
        $0.targetKey != alias.targetKey && $0.key != alias.key && alias.key.contains($0.key)
      }) {
        warn(
          .aliasShadowsHonour,
          "别名“\(alias.text)”含有指向“\(other.target)”的别名“\(other.text)”，却指向“\(alias.target)”；"
            + "请确认 / the alias contains the alias \"\(other.text)\" of another honour")
      }
    }
    return warnings
  }
}
