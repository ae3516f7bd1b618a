import ArgumentParser
import Foundation
import Policy
import Roster
import Screening

/// `talent-screen policy`: look at, check and export the policy bundle the screening applies.
struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy",
    abstract: "Show, check or export the policy the screening applies (政策数据).",
    discussion: """
      The rules of 绍市人社发〔2023〕3号 are data: policy.yaml (thresholds, honours, tables, \
      reason texts) and the two annex CSV files. The bundled copy is used unless --policy DIR \
      names an edited one.

      Examples:
        talent-screen policy show --as-of 2026-09-30
        talent-screen policy export my-policy
        talent-screen policy check my-policy
      """,
    subcommands: [Show.self, Validate.self, Export.self])

  /// `policy show`: the policy in force on a date, readable.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the policy in force on a date, table by table, with its clauses.",
      discussion: """
        Prints the document, the basic conditions and their thresholds, the normal-route table, \
        the honour tiers and their aliases, the title-to-skill table, the 三 equivalences, \
        Annex 1 (series, specialty and every occupation) and Annex 2 (institution, district, \
        occupations, levels by name, contact), each with the clause it transcribes. Entries not \
        in force on the date are left out (and counted).

        Example:
          talent-screen policy show --as-of 2026-09-30 --policy my-policy
        """)

    @Option(help: "Folder of an edited policy bundle (default: the bundled notice).")
    var policy: String?

    @Option(
      name: .customLong("as-of"), help: "Show the policy in force on YYYY-MM-DD (default: today).")
    var asOf: String?

    @Option(help: "Show the policy in force on the last day of a quarter, e.g. 2026Q3.")
    var quarter: String?

    func validate() throws {
      if asOf != nil && quarter != nil {
        throw ValidationError("give either --as-of or --quarter, not both")
      }
    }

    func run() throws {
      let (date, source) = try ScreeningDate.resolve(asOf: asOf, quarter: quarter)
      let loaded = try PolicySource.load(policy)
      let folder = policy ?? "（程序自带 / bundled）"
      Terminal.output(
        PolicyText(policy: loaded.policy, asOf: date).render(
          folder: folder, digest: loaded.digest, dateSource: source))
    }
  }

  /// `policy check DIR`: loads an edited bundle and reports what looks wrong in it.
  struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Check an edited policy bundle: errors with file:line, then suspicious entries.",
      discussion: """
        Loads the bundle in DIR as the screening would. A mistake (a misspelt key, a level \
        that does not exist, a bad date, a broken CSV row) is printed as file:line field and \
        the exit status is 2. A bundle that loads is then reviewed for things that are legal \
        but probably slips: an occupation mapped to two series, an Annex 2 occupation that \
        Annex 1 does not list, an honour alias that repeats another alias or contains the name \
        of a different honour. Each is printed with its file and line.

        Exit status: 0 loads and nothing looks wrong, 1 loads but there are warnings to \
        confirm, 2 does not load.

        Example:
          talent-screen policy check my-policy
        """)

    @Argument(help: "Folder of the policy bundle to check.")
    var directory: String

    func run() throws {
      let url = URL(fileURLWithPath: directory)
      let warnings: [PolicyWarning]
      let digest: String
      do {
        warnings = try PolicyReview.review(directory: url)
        digest = try PolicyLoader.digest(directory: url)
      } catch {
        throw CommandFailure(message: "\(directory)/\(error.description)")
      }
      Terminal.output("\(directory)：政策可以加载 / the bundle loads（SHA-256 \(digest)）")
      guard !warnings.isEmpty else {
        Terminal.output("未发现可疑之处 / nothing looks wrong")
        return
      }
      for kind in PolicyWarning.Kind.allCases {
        let group = warnings.filter { $0.kind == kind }
        guard !group.isEmpty else { continue }
        Terminal.output("")
        Terminal.output("⚠ \(kind.title)（\(group.count)）")
        for warning in group { Terminal.output("  \(warning)") }
        Terminal.output("  \(kind.advice)")
      }
      Terminal.output("")
      Terminal.output(
        "共 \(warnings.count) 条警告：政策可以使用，请逐条确认是否有意为之"
          + " / \(warnings.count) warnings: the bundle is usable; confirm each one")
      throw ExitCode(1)
    }
  }

  /// `policy export DIR`: writes the bundled policy for editing.
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the bundled policy files into a folder, to edit them.",
      discussion: """
        Copies policy.yaml, annex1-occupations.csv, annex2-service-points.csv and README.md \
        into DIR (created if needed). Existing files are never overwritten. Edit the copy, \
        check it with policy check, then screen with --policy DIR.

        Example:
          talent-screen policy export my-policy
        """)

    @Argument(help: "Folder to write the policy files into.")
    var directory: String

    func run() throws {
      do {
        try PolicyLoader.export(to: URL(fileURLWithPath: directory))
      } catch {
        throw CommandFailure(message: error.description)
      }
      Terminal.output(
        """
        已导出默认政策到 \(directory)/ / the bundled policy was written to \(directory)/:
          policy.yaml                 门槛、年限、荣誉及别名、职称与技能对照、等同学历、理由文字（各条附条款）
                                      thresholds, years, honours and aliases, tables, reason texts
          annex1-occupations.csv      附件1 职业工种与职称系列、专业对应（可补第1、5、6行）
                                      Annex 1: occupation → title series and specialty
          annex2-service-points.csv   附件2 评价服务点、职业工种、等级（5…1）、联系人
                                      Annex 2: service points, occupations, levels, contacts
        每行可加生效日期/失效日期（YAML 中为 from/until），旧的筛查仍可重现。
        Every row may carry from/until dates, so earlier screenings stay reproducible.
        修改后 / after editing:
          talent-screen policy check \(directory)
          talent-screen screen 花名册/ --policy \(directory) --quarter 2026Q3 --out 结果
        """)
    }
  }
}

/// The policy in force on one date as readable text, table by table, with clauses.
struct PolicyText {
  let policy: Policy
  let asOf: CivilDate
  private(set) var omitted = 0

  init(policy: Policy, asOf: CivilDate) {
    self.policy = policy
    self.asOf = asOf
  }

  mutating func inForce<T>(_ items: [T], _ validity: (T) -> Validity) -> [T] {
    let kept = items.filter { validity($0).contains(asOf) }
    omitted += items.count - kept.count
    return kept
  }

  func render(folder: String, digest: String, dateSource: String) -> String {
    var text = self
    return text.build(folder: folder, digest: digest, dateSource: dateSource)
  }

  private mutating func build(folder: String, digest: String, dateSource: String) -> String {
    var lines: [String] = []
    let document = policy.document
    lines.append("政策：\(document.id)")
    lines.append("  \(document.title)")
    lines.append("  生效日期：\(document.effective?.description ?? "未填写")")
    lines.append("  政策文件夹：\(folder)")
    lines.append("  SHA-256：\(digest)")
    lines.append("  基准日：\(asOf)（\(dateSource)），以下只列这一天有效的条目")

    lines.append("")
    lines.append("一、基本条件（二（一））")
    let assessment = policy.assessment
    lines.append("  \(assessment.clause) 近\(assessment.yearsRequired)年年度考核均须合格及以上")
    lines.append("      合格：\(assessment.pass.joined(separator: "、"))")
    lines.append("      不合格：\(assessment.fail.joined(separator: "、"))")
    lines.append("      视为未考核：\(assessment.missing.joined(separator: "、"))")
    for rule in inForce(policy.continuingEducation, \.validity) {
      let training = rule.skillTrainingCounts ? "；技能培训学时视同继续教育学时" : ""
      lines.append(
        "  \(rule.clause) 每年继续教育不少于 \(hours(rule.totalHours)) 学时，"
          + "其中公需科目不少于 \(hours(rule.publicHours)) 学时\(training)")
    }
    lines.append("  \(policy.teacherClause) 技工院校教师另可申报“\(policy.teacherSeries)”系列")
    if let text = policy.reasons[.publicInstitution] {
      lines.append("  \(text.clause) \(text.chinese)")
    }

    lines.append("")
    lines.append("二、正常申报（二（二））")
    let normal = inForce(policy.normalRoute, \.validity).sorted { $0.target < $1.target }
    for rule in normal {
      lines.append(
        "  \(rule.clause) \(rule.level.chineseName)及以上，取得后满 \(rule.years) 年"
          + " → \(rule.target.chineseName)"
      )
    }
    for rule in inForce(policy.topLevel, \.validity) {
      let levels = rule.levels.map(\.chineseName).joined(separator: "、")
      lines.append("  \(rule.clause) \(levels)，仍在相关岗位 → \(rule.target.chineseName)")
    }

    lines.append("")
    lines.append("三、直接申报（二（三））")
    for tier in inForce(policy.honourTiers, \.validity) {
      lines.append(
        "  \(tier.clause) → \(tier.target.chineseName)：\(tier.honours.joined(separator: "、"))")
    }
    let aliases = policy.honourAliases.sorted { $0.key < $1.key }
    lines.append("  荣誉别名（\(aliases.count) 个）：")
    for (alias, name) in aliases { lines.append("    \(alias) → \(name)") }

    lines.append("")
    lines.append("四、职称人才申报技能评价（四）")
    for rule in inForce(policy.titleToSkill, \.validity) {
      let held = rule.requiresHeld.map { "（须已取得\($0.chineseName)）" } ?? ""
      lines.append(
        "  \(rule.clause) \(rule.title.chineseName) → \(rule.skill.chineseName)\(held)")
    }
    lines.append(
      "  \(policy.promotionClause) 取得现等级满 \(policy.promotionWaitYears) 年可申请上一等级（晋级）")
    let access = policy.accessOccupations
    lines.append("  准入类职业：\(access.isEmpty ? "（无）" : access.joined(separator: "、"))")

    lines.append("")
    lines.append("五、技工院校毕业班次视同学历（三）")
    lines.append("  适用考试：\(policy.equivalenceExams.joined(separator: "、"))")
    for row in policy.equivalence {
      lines.append("  \(row.clause) \(row.classes.joined(separator: "、")) → \(row.education)")
    }

    let annex1 = inForce(policy.annex1, \.validity)
    let occupationCount = Set(annex1.flatMap(\.occupations)).count
    lines.append("")
    lines.append("六、附件1 职业工种与职称系列对应（\(annex1.count) 行，\(occupationCount) 个职业工种）")
    for row in annex1 {
      lines.append(
        "  第\(row.row)行 \(row.series)｜\(row.specialty)｜\(row.occupations.count) 个职业工种")
      lines.append("    " + row.occupations.joined(separator: "、"))
    }

    let annex2 = inForce(policy.annex2, \.validity)
    var institutions: [String] = []
    var byInstitution: [String: [ServicePoint]] = [:]
    for point in annex2 {
      if byInstitution[point.institution] == nil { institutions.append(point.institution) }
      byInstitution[point.institution, default: []].append(point)
    }
    lines.append("")
    lines.append("七、附件2 职业技能等级评价服务点（\(institutions.count) 个机构）")
    for (index, institution) in institutions.enumerated() {
      let points = byInstitution[institution] ?? []
      guard let first = points.first else { continue }
      let district = first.district.isEmpty ? "" : "（\(first.district)）"
      let contact = [first.contact, first.phone].filter { !$0.isEmpty }.joined(separator: " ")
      lines.append("  \(index + 1) \(institution)\(district) 联系人 \(contact)")
      var groups: [(levels: [Int], occupations: [String])] = []
      for point in points {
        if let last = groups.indices.last, groups[last].levels == point.levels {
          groups[last].occupations.append(point.occupation)
        } else {
          groups.append((point.levels, [point.occupation]))
        }
      }
      for group in groups {
        let levels = group.levels.compactMap { SkillLevel(rawValue: $0)?.chineseName }
        lines.append(
          "    \(group.occupations.joined(separator: "、"))：\(levels.joined(separator: "、"))")
      }
    }
    if omitted > 0 {
      lines.append("")
      lines.append("另有 \(omitted) 条在 \(asOf) 不在有效期内，未列出。")
    }
    return lines.joined(separator: "\n")
  }

  func hours(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}
