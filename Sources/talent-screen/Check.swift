import ArgumentParser
import CSVStream
import Foundation
import Policy
import Screening

/// `talent-screen check`: an enterprise's own check of its roster before handing it in.
struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Check rosters before handing them in: what would be refused or sent to review (提交前自查).",
    discussion: """
      Reads the rosters exactly as the bureau's screen command does and lists every problem \
      that would make the bureau reject a row or mark it 需复核 (review) for a data reason: \
      missing or unknown columns, rows with the wrong number of fields or broken quotes, bad \
      ID numbers (also those Excel turned into 3.30602E+17), dates, levels, hours, yes/no \
      values, repeated ID numbers, empty values the rules need, occupations not in Annex 1 and \
      the template's example row. Each problem is shown as `file:line 列名: 问题（值）`, \
      grouped by kind and counted, with what to do about it. Nothing is judged or written \
      except this report.

      Over 128 MiB of rosters in all, or a roster from standard input or a pipe, is first \
      read once to find repeated ID numbers by sorting them on disk, as screen does, so memory \
      stays flat: the work files go to an owner-only folder under TMPDIR (default /tmp), about \
      1.3 times the rosters' size, removed when the check ends.

      Exit status: 0 no problems (notices such as unknown columns do not count), 1 problems \
      found, 2 a file could not be read at all (not found, not CSV, no header row).

      Examples:
        talent-screen check 花名册.csv
        talent-screen check rosters/ --format csv --out 问题清单.csv
      """)

  /// The form of the report.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text
    case csv
  }

  @Argument(help: "Roster CSV files, folders (every *.csv inside), or - for standard input.")
  var inputs: [String]

  @Option(help: "Folder of an edited policy bundle (default: the bundled notice).")
  var policy: String?

  @Option(help: "Input encoding: auto, utf-8, gb18030, utf-16le or utf-16be.")
  var inputEncoding: InputEncoding = .auto

  @Option(help: "Report form: text, or csv (columns 来源, 列, 问题, 值; UTF-8 with BOM).")
  var format: Format = .text

  @Option(name: [.short, .long], help: "Write the report to this file instead of standard output.")
  var out: String?

  @Option(help: "Language of the report: zh or en.")
  var lang: Language = .chinese

  func run() throws {
    let loaded = try PolicySource.load(policy)
    let paths = try ScreeningInputs.expand(inputs)
    let (today, _) = try ScreeningDate.resolve(asOf: nil, quarter: nil)
    let check = RosterCheck(
      policy: ResolvedPolicy(loaded.policy, on: today), inputEncoding: inputEncoding,
      language: lang)
    InterruptCleanup.installSignalHandlers { signal in
      Terminal.error("\ntalent-screen: 已中断 / interrupted (signal \(signal))")
    }
    let report: RosterCheckReport
    switch format {
    case .text:
      report = try check.run(paths)
      if let out {
        try ReportFile.write(Array((report.text(lang) + "\n").utf8), to: out)
        Terminal.error(resultLine(report) + " → \(out)")
      } else {
        Terminal.output(report.text(lang))
      }
    case .csv:
      report = try writeCSV(check, paths)
      Terminal.error(resultLine(report))
    }
    if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
  }

  func resultLine(_ report: RosterCheckReport) -> String {
    lang == .chinese
      ? "检查 \(report.rowsChecked) 行：\(report.problemCount) 个问题，\(report.noticeCount) 条提示"
      : "\(report.rowsChecked) rows checked: \(report.problemCount) problems, "
        + "\(report.noticeCount) notices"
  }

  /// Streams the problems as CSV rows to `--out` (owner-only file) or standard output.
  func writeCSV(_ check: RosterCheck, _ paths: [String]) throws -> RosterCheckReport {
    let header = RosterCheckReport.csvHeader(lang)
    if let out {
      return try removingOnFailure(out) { try writeCSV(check, paths, header: header, to: out) }
    }
    var buffer: [UInt8] = [0xEF, 0xBB, 0xBF]
    CSVFormat.appendRow(header, to: &buffer)
    let report = try check.run(paths) { problem in
      CSVFormat.appendRow(RosterCheckReport.csvRow(problem, lang), to: &buffer)
      if buffer.count > 1 << 16 {
        Terminal.write(bytes: buffer)
        buffer.removeAll(keepingCapacity: true)
      }
    }
    Terminal.write(bytes: buffer)
    return report
  }

  private func writeCSV(
    _ check: RosterCheck, _ paths: [String], header: [String], to out: String
  ) throws -> RosterCheckReport {
    let writer: CSVWriter
    do {
      writer = try CSVWriter(path: out, encoding: .utf8BOM)
      try writer.write(row: header)
    } catch {
      throw CommandFailure(message: error.description)
    }
    var failure: CSVError?
    let report = try check.run(paths) { problem in
      guard failure == nil else { return }
      do throws(CSVError) {
        try writer.write(row: RosterCheckReport.csvRow(problem, lang))
      } catch {
        failure = error
      }
    }
    do throws(CSVError) {
      if let failure { throw failure }
      try writer.close()
    } catch {
      throw CommandFailure(message: error.description)
    }
    return report
  }
}
