import CSVStream
import Policy

extension RosterProblemSeverity {
  /// What a problem of this severity means for the roster, for the group heading.
  public func effect(_ language: Language) -> String {
    let (chinese, english): (String, String) =
      switch self {
      case .fatal: ("文件无法检查", "the file cannot be checked")
      case .error: ("必须修改：该行（或整个文件）会被拒收或误判", "must be fixed: the row (or file) would be refused")
      case .review: ("相关行将被标为“需复核”", "the rows concerned would be marked for review")
      case .notice: ("提示，不影响结果", "notice only, does not change the result")
      }
    return language == .chinese ? chinese : english
  }
}

extension RosterCheckReport {
  /// The report for the clerk: the files read, then the problems grouped by kind with counts,
  /// the first ones of each kind as `file:line 列名: 问题（值）`, and how to fix them.
  public func text(_ language: Language) -> String {
    let chinese = language == .chinese
    func t(_ zh: String, _ en: String) -> String { chinese ? zh : en }
    var lines: [String] = [t("检查的文件：", "Files checked:")]
    for input in inputs {
      lines.append("  " + summary(input, language))
      let skipped = input.skipped
      if skipped.total > 0 {
        lines.append(
          "    "
            + t(
              "跳过：标题行 \(skipped.titleRows)，空行 \(skipped.blankRows)，重复表头 "
                + "\(skipped.repeatedHeaders)，合计行 \(skipped.totalRows)",
              "skipped: \(skipped.titleRows) title rows, \(skipped.blankRows) blank, "
                + "\(skipped.repeatedHeaders) repeated headers, \(skipped.totalRows) totals"))
      }
    }
    lines.append("")
    let notices = noticeCount
    let noticeText = notices > 0 ? t("（另有 \(notices) 条提示）", " (and \(notices) notices)") : ""
    if problemCount == 0 && !inputs.contains(where: { $0.failure != nil }) {
      lines.append(
        t("结果：未发现问题，可以提交。", "Result: no problems found; the roster can be handed in.") + noticeText)
    } else {
      lines.append(
        t(
          "结果：共 \(problemCount) 个问题，涉及 \(rowsWithProblems) 行（共检查 \(rowsChecked) 行）。",
          "Result: \(problemCount) problems in \(rowsWithProblems) rows "
            + "(\(rowsChecked) rows checked)."
        ) + noticeText)
    }
    let kinds = RosterProblemKind.allCases.filter { counts[$0, default: 0] > 0 }
      .sorted { $0.severity > $1.severity }
    for kind in kinds {
      let count = counts[kind, default: 0]
      lines.append("")
      lines.append(
        t(
          "【\(kind.title(language))】\(count) 处 —— \(kind.severity.effect(language))",
          "[\(kind.title(language))] \(count) — \(kind.severity.effect(language))"))
      let shown = examples[kind] ?? []
      for problem in shown { lines.append("  " + problem.line(language)) }
      if count > shown.count {
        lines.append(
          "  "
            + t(
              "…… 另有 \(count - shown.count) 处未列出（用 --format csv 导出全部）",
              "… \(count - shown.count) more not shown (use --format csv to list all)"))
      }
      lines.append("  " + t("怎么改：", "How to fix: ") + kind.advice(language))
    }
    return lines.joined(separator: "\n")
  }

  func summary(_ input: CheckedInput, _ language: Language) -> String {
    let chinese = language == .chinese
    if let failure = input.failure {
      return chinese ? "\(input.path)：无法读取 —— \(failure)" : "\(input.path): unreadable — \(failure)"
    }
    var encoding =
      switch input.encoding {
      case .utf8?: "UTF-8"
      case .gb18030?: "GB18030"
      case .utf16le?: "UTF-16LE"
      case .utf16be?: "UTF-16BE"
      case .auto?, nil: chinese ? "编码未知" : "encoding unknown"
      }
    if input.byteOrderMark { encoding += chinese ? "（带 BOM）" : " with BOM" }
    guard let headerLine = input.headerLine else {
      return chinese
        ? "\(input.path)：\(encoding)，表头有误" : "\(input.path): \(encoding), header unusable"
    }
    var text =
      chinese
      ? "\(input.path)：\(encoding)，表头在第 \(headerLine) 行，数据 \(input.dataRows) 行，"
        + "识别 \(input.columns) 列"
      : "\(input.path): \(encoding), header on line \(headerLine), \(input.dataRows) data rows, "
        + "\(input.columns) columns recognised"
    if !input.unknownColumns.isEmpty {
      text +=
        chinese
        ? "，未识别 \(input.unknownColumns.count) 列" : ", \(input.unknownColumns.count) unknown"
    }
    return text
  }

  /// The header of the problems CSV (`--format csv`).
  public static func csvHeader(_ language: Language) -> [String] {
    language == .chinese ? ["来源", "列", "问题", "值"] : ["Source", "Column", "Problem", "Value"]
  }

  /// One problem as a row of the problems CSV.
  public static func csvRow(_ problem: RosterProblem, _ language: Language) -> [String] {
    let separator = language == .chinese ? "：" : ": "
    return [
      problem.location.description, problem.column,
      problem.kind.title(language) + separator + problem.message, problem.value,
    ]
  }
}
