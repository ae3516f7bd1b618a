import ArgumentParser
import CSVStream
import Policy
import Roster
import Screening

/// The options every command that judges rosters shares (`screen`, `explain`): the screening
/// date, the policy, the integrity list, the input encoding and the language.
struct JudgingOptions: ParsableArguments {
  @Option(name: .customLong("as-of"), help: "Screening date, YYYY-MM-DD (default: today).")
  var asOf: String?

  @Option(help: "Judge as of the last day of a quarter, e.g. 2026Q3.")
  var quarter: String?

  @Option(help: "Folder of an edited policy bundle (default: the bundled notice).")
  var policy: String?

  @Option(help: "Integrity list (五（三）): one ID a line, or a CSV with a 身份证号 column.")
  var integrityList: String?

  @Option(help: "Input encoding: auto, utf-8, gb18030, utf-16le or utf-16be.")
  var inputEncoding: InputEncoding = .auto

  @Option(help: "Language of headers and reasons: zh or en.")
  var lang: Language = .chinese

  func validate() throws {
    if asOf != nil && quarter != nil {
      throw ValidationError("give either --as-of or --quarter, not both")
    }
  }

  /// The screening date and a phrase saying how it was chosen.
  func date() throws -> (CivilDate, String) {
    try ScreeningDate.resolve(asOf: asOf, quarter: quarter)
  }

  /// The integrity list, or an empty one; an empty file is warned about.
  func integrity() throws -> IntegrityList {
    guard let integrityList else { return IntegrityList() }
    let list = try IntegrityList.load(path: integrityList)
    if list.count == 0 {
      Terminal.error("⚠ 诚信名单 \(integrityList) 中没有身份证号 / the integrity list holds no ID")
    }
    return list
  }
}
