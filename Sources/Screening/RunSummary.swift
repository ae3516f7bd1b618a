import Foundation
import Roster

/// The short report printed on standard error at the end of a run.
public enum RunSummary {
  public static func text(_ report: RunReport) -> String {
    var lines: [String] = []
    lines.append("输入文件 / inputs: \(report.inputs.count)")
    for input in report.inputs {
      let status = input.failure.map { "FAILED: \($0)" } ?? "\(input.rows) 行 / rows"
      lines.append("  \(input.path): \(status)")
      for warning in input.warnings { lines.append("    ⚠ \(warning)") }
    }
    let skipped = report.skipped
    lines.append(
      "读取记录 / records read: \(report.recordsRead) = 结论 / verdicts \(report.verdicts)"
        + " + 拒收 / rejects \(report.rejects) + 跳过 / skipped \(skipped.total)")
    if skipped.total > 0 {
      lines.append(
        "  跳过 / skipped: 标题行 / title rows \(skipped.titleRows)，空行 / blank \(skipped.blankRows)，"
          + "重复表头 / repeated headers \(skipped.repeatedHeaders)，合计行 / totals \(skipped.totalRows)")
    }
    lines.append("重复身份证号 / duplicate IDs: \(report.duplicates)")
    let eligible = TitleLevel.allCases.compactMap { level in
      report.eligibleByLevel[level].map { "\(level.chineseName) \($0)" }
    }
    lines.append("符合（职称）/ eligible for a title: " + eligible.joined(separator: "，"))
    let seconds = max(report.elapsedSeconds, 0.001)
    let rate = Int(Double(report.recordsRead) / seconds)
    lines.append(String(format: "用时 / elapsed: %.2f s，%d 行/秒 / rows/s", seconds, rate))
    lines.append("结果 / results: \(report.outputDirectory)/")
    return lines.joined(separator: "\n")
  }
}
