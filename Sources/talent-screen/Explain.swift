import ArgumentParser
import CSVStream
import Policy
import Roster
import Screening

/// `talent-screen explain`: how the verdict for one person was reached, step by step.
struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Explain, step by step, how one person's verdict was reached (逐条说明判定过程).",
    discussion: """
      Finds every row with the given ID number in the rosters (the second and later ones are \
      duplicates) and tells, clause by clause, how the verdict came about: each value read and \
      the column it came from, each condition tested (二（一）2 assessments, 二（一）3 hours, \
      the 二（二） normal route with its years and dates, 二（三） honours and aliases, Annex 1 \
      series, 二（一）6, 五（三）), which route gives the best level and when the next one is \
      reached, direction B (四) with the target level, series check and service points, 三 \
      equivalent education, and the conclusions with their reasons. The verdict is the one \
      screen writes for the same row and date.

      Exit status: 0 found and explained, 1 the ID is in none of the inputs, 2 unusable input.

      Examples:
        talent-screen explain 花名册.csv --id 330602198008088886 --as-of 2026-09-30
        talent-screen explain rosters/ --id 330602198008088886 --format json
      """)

  /// The form of the explanation.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
  }

  @Argument(help: "Roster CSV files, folders (every *.csv inside), or - for standard input.")
  var inputs: [String]

  @Option(help: "The ID number (身份证号) of the person to explain.")
  var id: String

  @OptionGroup var judging: JudgingOptions

  @Option(help: "Output form: text (a short report) or json (stable keys, for machines).")
  var format: Format = .text

  func validate() throws {
    if ValueParser.normalise(id).isEmpty { throw ValidationError("--id must not be empty") }
  }

  func run() throws {
    let (date, _) = try judging.date()
    let loaded = try PolicySource.load(judging.policy)
    let integrity = try judging.integrity()
    let lang = judging.lang
    let paths = try ScreeningInputs.expand(inputs)
    let found = try ApplicantSearch.find(
      idNumber: id, in: paths, encoding: judging.inputEncoding, integrity: integrity
    ) { failure in
      Terminal.error("⚠ talent-screen: \(failure.description)（此文件未搜索 / not searched）")
    }
    guard !found.isEmpty else {
      let searched = paths.map { $0 == "-" ? "stdin" : $0 }.joined(separator: ", ")
      Terminal.error(
        "talent-screen: 在以下输入中没有找到身份证号 \(id) / ID number not found in: \(searched)")
      throw ExitCode(1)
    }
    let resolved = ResolvedPolicy(loaded.policy, on: date)
    let evaluator = Evaluator(policy: resolved)
    let explanations = found.map {
      evaluator.explain($0.applicant, context: $0.context, headers: $0.headers, language: lang)
    }
    let report = ExplainReport(
      policy: resolved, language: lang, integrityChecked: judging.integrityList != nil)
    switch format {
    case .text:
      Terminal.output(report.text(explanations))
    case .json:
      Terminal.output(
        try report.json(
          explanations, idNumber: IntegrityList.key(id),
          inputs: paths.map { $0 == "-" ? "stdin" : $0 }))
    }
  }
}
