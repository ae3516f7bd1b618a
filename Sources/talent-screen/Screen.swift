import ArgumentParser
import CSVStream
import Foundation
import Policy
import Roster
import Screening

extension InputEncoding: ExpressibleByArgument {}
extension OutputEncoding: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}

/// `talent-screen screen`: the quarterly run over every roster received.
struct Screen: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Screen rosters and write verdicts and summaries (职称/技能贯通资格筛查).",
    discussion: """
      Reads every roster given (files, folders of *.csv, or - for standard input), judges each \
      person in both directions of 绍市人社发〔2023〕3号 and writes, into the --out folder: \
      verdicts.csv, rejects.csv, skipped.csv, summary-series-district.csv, \
      summary-skill-district.csv, reasons.csv and summary.json. The folder appears only when \
      the run has finished.

      Examples:
        talent-screen screen samples/roster-utf8.csv --as-of 2026-09-30 --out result
        talent-screen screen rosters/ --quarter 2026Q3 --integrity-list 名单.csv --out q3
      """)

  @Argument(help: "Roster CSV files, folders (every *.csv inside), or - for standard input.")
  var inputs: [String]

  @Option(name: [.short, .long], help: "Folder to write the results into.")
  var out: String

  @OptionGroup var judging: JudgingOptions

  @Option(help: "Worker threads (default: the number of cores).")
  var jobs: Int?

  @Option(help: "Output encoding: utf-8-bom, utf-8 or gb18030.")
  var outputEncoding: OutputEncoding = .utf8BOM

  @Flag(help: "Do not show the progress line.")
  var noProgress = false

  @Flag(help: .hidden)
  var stageTimes = false

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
  }

  func run() throws {
    let (date, dateSource) = try judging.date()
    let loaded = try PolicySource.load(judging.policy)
    let integrity = try judging.integrity()
    let inputs = try ScreeningInputs.expand(inputs)
    let progress = ProgressLine(enabled: !noProgress && isatty(STDERR_FILENO) == 1)
    let configuration = ScreeningConfiguration(
      inputs: inputs, outputDirectory: out, policy: ResolvedPolicy(loaded.policy, on: date),
      policyDigest: loaded.digest, integrity: integrity,
      jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
      inputEncoding: judging.inputEncoding, outputEncoding: outputEncoding, language: judging.lang,
      progress: progress.enabled ? progress.update : nil)
    InterruptCleanup.installSignalHandlers { signal in
      Terminal.error(
        "\ntalent-screen: 已中断，未写出结果 / interrupted (signal \(signal)): no result was written")
    }
    Terminal.error("筛查基准日 / as-of date: \(date)（\(dateSource)）")
    let report = try ScreeningRun.run(configuration)
    progress.clear()
    Terminal.error(RunSummary.text(report))
    if stageTimes {
      let times = report.stageTimes
      Terminal.error(
        String(
          format: "stage-cpu-seconds duplicate-pass %.3f reading %.3f judging %.3f writing %.3f",
          times.duplicatePass, times.reading, times.judging, times.writing))
    }
    if !report.failedInputs.isEmpty {
      throw ExitCode(2)
    }
  }
}
