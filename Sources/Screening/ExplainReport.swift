import CSVStream
import Foundation
import Policy
import Roster

/// Renders explanations for `talent-screen explain`: a short report in words for the counter, or
/// JSON with stable keys for machines.
public struct ExplainReport: Sendable {
  public var policy: ResolvedPolicy
  public var language: Language
  /// Whether an integrity list was given; without one, 五（三） is shown as not checked.
  public var integrityChecked: Bool

  public init(policy: ResolvedPolicy, language: Language, integrityChecked: Bool) {
    self.policy = policy
    self.language = language
    self.integrityChecked = integrityChecked
  }

  func t(_ chinese: String, _ english: String) -> String {
    language == .chinese ? chinese : english
  }

  // MARK: - Text

  /// The report for every occurrence, separated by a blank line.
  public func text(_ explanations: [Explanation]) -> String {
    explanations.enumerated().map { index, explanation in
      var lines: [String] = []
      if explanations.count > 1 {
        lines.append(
          t(
            "第 \(index + 1) 处，共 \(explanations.count) 处" + (index > 0 ? "（重复）" : ""),
            "Occurrence \(index + 1) of \(explanations.count)" + (index > 0 ? " (duplicate)" : "")))
      }
      lines += text(explanation)
      return lines.joined(separator: "\n")
    }.joined(separator: "\n\n" + String(repeating: "─", count: 40) + "\n\n")
  }

  func text(_ explanation: Explanation) -> [String] {
    var lines: [String] = []
    let name = explanation.name.isEmpty ? t("（无姓名）", "(no name)") : explanation.name
    lines.append(
      t(
        "\(name)，身份证号 \(explanation.idNumber)，\(explanation.location)",
        "\(name), ID \(explanation.idNumber), \(explanation.location)"))
    lines.append(
      t(
        "按 \(explanation.asOf) 有效的政策（\(policy.policy.document.id)）判定。",
        "Judged by the policy in force on \(explanation.asOf) (\(policy.policy.document.id))."))
    lines.append("")
    lines.append(t("读取的数据", "Values read"))
    for value in explanation.values { lines.append("  " + valueLine(value)) }
    let sections: [(Explanation.Section, String)] = [
      (.common, t("基本情况", "The person")),
      (.title, t("技能人才申报职称（二）", "Skill holder applying for a title (二)")),
      (.skill, t("职称人才申报技能评价（四）", "Title holder applying for skill evaluation (四)")),
      (.equivalence, t("等同学历（三）", "Equivalent education (三)")),
    ]
    for (section, heading) in sections {
      let steps = explanation.steps(in: section)
      guard !steps.isEmpty else { continue }
      lines.append("")
      lines.append(heading)
      for step in steps { lines.append("  " + stepLine(step)) }
    }
    lines.append("")
    lines += conclusionLines(explanation.verdict)
    return lines
  }

  func valueLine(_ value: Explanation.Value) -> String {
    let name = language == .chinese ? value.column.header : value.column.englishHeader
    let written =
      value.header == value.column.header || value.header == name
      ? "" : t("（表头“\(value.header)”）", " (header \"\(value.header)\")")
    let shown: String
    if let problem = value.problem {
      shown = t(
        "无法读取“\(problem.raw)”——\(problem.detail)",
        "unreadable \"\(problem.raw)\": \(problem.detail)")
    } else if value.value.isEmpty {
      shown = t("（空）", "(empty)")
    } else {
      shown = value.value
    }
    return name + t("：", ": ") + shown + written
  }

  func stepLine(_ step: Explanation.Step) -> String {
    var outcome = step.outcome
    var detail = step.detail
    if !integrityChecked, step.section == .common, step.clause == policy.clause(for: .integrity),
      step.outcome == .met
    {
      outcome = .skipped
      detail = t(
        "未提供诚信名单（--integrity-list），未核对", "No integrity list given (--integrity-list); not checked")
    }
    let clause = step.clause.isEmpty ? "" : step.clause + " "
    return "[\(label(outcome))] " + clause + step.title + t("：", ": ") + detail
  }

  func label(_ outcome: Explanation.Outcome) -> String {
    switch outcome {
    case .met: t("满足", "OK")
    case .notMet: t("不满足", "NOT MET")
    case .review: t("需复核", "REVIEW")
    case .info: t("说明", "NOTE")
    case .skipped: t("不适用", "N/A")
    }
  }

  func conclusionLines(_ verdict: Verdict) -> [String] {
    let table = VerdictTable(language: language, policy: policy)
    var lines = [t("结论", "Conclusions")]
    let title = verdict.title
    var titleLine =
      t("  职称申报：", "  Title: ") + table.conclusion(title.conclusion)
    if let target = title.target {
      let routes = title.routes.map { language == .chinese ? $0.rawValue : $0.englishName }
      titleLine += t(
        " —— 可申报\(table.level(target))（\(routes.joined(separator: "、"))）",
        " — \(table.level(target)) (\(routes.joined(separator: ", ")))")
      if let primary = title.primary {
        titleLine += t("，职称系列 \(primary.series)", ", series \(primary.series)")
        if !primary.specialty.isEmpty {
          titleLine += t("，专业 \(primary.specialty)", ", specialty \(primary.specialty)")
        }
      }
    }
    lines.append(titleLine)
    if let next = title.next {
      lines.append(
        t(
          "    下一等级：\(table.level(next.level))，\(next.date) 起满足年限",
          "    Next: \(table.level(next.level)) from \(next.date)"))
    }
    let skill = verdict.skill
    var skillLine = t("  技能评价：", "  Skill evaluation: ") + table.conclusion(skill.conclusion)
    if let target = skill.target, skill.conclusion != .notApplicable {
      skillLine += t(" —— 可申请\(table.level(target))", " — \(table.level(target))")
      if let occupation = skill.occupation {
        skillLine += t("，评价职业工种 \(occupation)", ", occupation \(occupation)")
      }
      if skill.exemptFromTheory == true {
        skillLine += t("，免理论知识考试", ", exempt from the theory exam")
      }
    }
    lines.append(skillLine)
    if !skill.servicePoints.isEmpty, skill.conclusion != .notApplicable {
      lines.append(
        t("    评价机构：", "    Service points: ")
          + skill.servicePoints.map(table.servicePoint).joined(separator: t("；", "; ")))
    }
    if let equivalent = verdict.equivalentEducation {
      lines.append(t("  等同学历：\(equivalent)", "  Equivalent education: \(equivalent)"))
    }
    if !verdict.reasons.isEmpty {
      lines.append(t("  原因：", "  Reasons:"))
      for reason in verdict.reasons {
        let note = reason.isInformational ? t("（供参考）", " (for information)") : ""
        lines.append("    · " + policy.text(for: reason, in: language) + note)
      }
    }
    return lines
  }

  // MARK: - JSON

  /// Every occurrence as one JSON document with stable, sorted keys.
  public func json(_ explanations: [Explanation], idNumber: String, inputs: [String]) throws
    -> String
  {
    let document = ExplainDocument(
      asOf: policy.asOf.description, policyDocument: policy.policy.document.id,
      idNumber: idNumber, inputs: inputs, integrityListChecked: integrityChecked,
      language: language.rawValue, occurrences: explanations.map(occurrence))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(document), as: UTF8.self)
  }

  func occurrence(_ explanation: Explanation) -> ExplainDocument.Occurrence {
    let table = VerdictTable(language: language, policy: policy)
    let verdict = explanation.verdict
    let title = verdict.title
    let skill = verdict.skill
    return ExplainDocument.Occurrence(
      source: explanation.location.description, name: explanation.name,
      idNumber: explanation.idNumber, directions: explanation.directions.map(\.rawValue),
      values: explanation.values.map {
        ExplainDocument.Value(
          column: $0.column.header, header: $0.header, value: $0.value, raw: $0.problem?.raw,
          problem: $0.problem?.detail)
      },
      steps: explanation.steps.map {
        ExplainDocument.Step(
          section: $0.section.rawValue, clause: $0.clause, title: $0.title, detail: $0.detail,
          outcome: $0.outcome.rawValue)
      },
      title: ExplainDocument.TitleResult(
        conclusion: Self.code(title.conclusion), conclusionText: table.conclusion(title.conclusion),
        target: title.target.map(table.level), routes: title.routes.map(\.englishName),
        series: title.candidates.map(\.series), specialty: title.primary?.specialty,
        nextLevel: title.next.map { table.level($0.level) },
        nextDate: title.next?.date.description),
      skill: ExplainDocument.SkillResult(
        conclusion: Self.code(skill.conclusion), conclusionText: table.conclusion(skill.conclusion),
        target: skill.target.map(table.level), occupation: skill.occupation,
        exemptFromTheory: skill.exemptFromTheory,
        servicePoints: skill.servicePoints.map {
          ExplainDocument.Point(
            institution: $0.institution, district: $0.district, contact: $0.contact, phone: $0.phone
          )
        },
        promotionLevel: skill.promotion.map { table.level($0.level) },
        promotionDate: skill.promotion?.date.description),
      equivalentEducation: verdict.equivalentEducation,
      reasons: verdict.reasons.map {
        ExplainDocument.ReasonItem(
          code: $0.code.rawValue, clause: policy.clause(for: $0.code),
          text: policy.text(for: $0, in: language), informational: $0.isInformational)
      })
  }

  static func code(_ conclusion: Conclusion) -> String {
    switch conclusion {
    case .eligible: "eligible"
    case .ineligible: "ineligible"
    case .review: "review"
    case .notApplicable: "not-applicable"
    }
  }
}

/// The JSON form of `explain`; absent values are written as `null` so every key is always there.
struct ExplainDocument: Encodable {
  var asOf: String
  var policyDocument: String
  var idNumber: String
  var inputs: [String]
  var integrityListChecked: Bool
  var language: String
  var occurrences: [Occurrence]

  struct Occurrence: Encodable {
    var source: String
    var name: String
    var idNumber: String
    var directions: [String]
    var values: [Value]
    var steps: [Step]
    var title: TitleResult
    var skill: SkillResult
    var equivalentEducation: String?
    var reasons: [ReasonItem]

    enum CodingKeys: String, CodingKey {
      case source, name, idNumber, directions, values, steps, title, skill, equivalentEducation
      case reasons
    }

    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(source, forKey: .source)
      try container.encode(name, forKey: .name)
      try container.encode(idNumber, forKey: .idNumber)
      try container.encode(directions, forKey: .directions)
      try container.encode(values, forKey: .values)
      try container.encode(steps, forKey: .steps)
      try container.encode(title, forKey: .title)
      try container.encode(skill, forKey: .skill)
      try container.encode(equivalentEducation, forKey: .equivalentEducation)
      try container.encode(reasons, forKey: .reasons)
    }
  }

  struct Value: Encodable {
    var column: String
    var header: String
    var value: String
    var raw: String?
    var problem: String?

    enum CodingKeys: String, CodingKey { case column, header, value, raw, problem }

    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(column, forKey: .column)
      try container.encode(header, forKey: .header)
      try container.encode(value, forKey: .value)
      try container.encode(raw, forKey: .raw)
      try container.encode(problem, forKey: .problem)
    }
  }

  struct Step: Encodable {
    var section: String
    var clause: String
    var title: String
    var detail: String
    var outcome: String
  }

  struct TitleResult: Encodable {
    var conclusion: String
    var conclusionText: String
    var target: String?
    var routes: [String]
    var series: [String]
    var specialty: String?
    var nextLevel: String?
    var nextDate: String?

    enum CodingKeys: String, CodingKey {
      case conclusion, conclusionText, target, routes, series, specialty, nextLevel, nextDate
    }

    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(conclusion, forKey: .conclusion)
      try container.encode(conclusionText, forKey: .conclusionText)
      try container.encode(target, forKey: .target)
      try container.encode(routes, forKey: .routes)
      try container.encode(series, forKey: .series)
      try container.encode(specialty, forKey: .specialty)
      try container.encode(nextLevel, forKey: .nextLevel)
      try container.encode(nextDate, forKey: .nextDate)
    }
  }

  struct SkillResult: Encodable {
    var conclusion: String
    var conclusionText: String
    var target: String?
    var occupation: String?
    var exemptFromTheory: Bool?
    var servicePoints: [Point]
    var promotionLevel: String?
    var promotionDate: String?

    enum CodingKeys: String, CodingKey {
      case conclusion, conclusionText, target, occupation, exemptFromTheory, servicePoints
      case promotionLevel, promotionDate
    }

    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(conclusion, forKey: .conclusion)
      try container.encode(conclusionText, forKey: .conclusionText)
      try container.encode(target, forKey: .target)
      try container.encode(occupation, forKey: .occupation)
      try container.encode(exemptFromTheory, forKey: .exemptFromTheory)
      try container.encode(servicePoints, forKey: .servicePoints)
      try container.encode(promotionLevel, forKey: .promotionLevel)
      try container.encode(promotionDate, forKey: .promotionDate)
    }
  }

  struct Point: Encodable {
    var institution: String
    var district: String
    var contact: String
    var phone: String
  }

  struct ReasonItem: Encodable {
    var code: String
    var clause: String
    var text: String
    var informational: Bool
  }
}
