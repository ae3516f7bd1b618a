import ArgumentParser
import CSVStream
import Policy
import RosterSynthesis
import Screening

/// `talent-screen generate`: writes a synthetic roster of invented people.
struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a synthetic roster of invented people (for tests and benchmarks).",
    discussion: """
      Every ID number is generated with a valid check digit; names and employers are \
      invented. The same seed always gives the same file.

      Example:
        talent-screen generate --rows 1000000 --seed 7 --out big.csv
      """)

  @Option(help: "Number of data rows.")
  var rows: Int

  @Option(help: "Seed of the generator; the same seed gives the same file.")
  var seed: UInt64 = 1

  @Option(name: [.short, .long], help: "File to write.")
  var out: String

  @Option(help: "Encoding: utf-8-bom, utf-8 or gb18030.")
  var encoding: OutputEncoding = .utf8BOM

  @Option(help: "Share of rows with a damaged value, 0 to 1.")
  var badRate: Double = 0.02

  func validate() throws {
    guard rows >= 0 else { throw ValidationError("--rows must not be negative") }
    guard (0...1).contains(badRate) else { throw ValidationError("--bad-rate must be 0 to 1") }
  }

  func run() throws {
    let policy = try PolicySource.load(nil).policy
    guard out != "-" else {
      throw CommandFailure(message: "--out 需要文件名 / --out needs a file name, not -")
    }
    try removingOnFailure(out) {
      do throws(CSVError) {
        try SyntheticRoster(seed: seed, badRate: badRate)
          .write(rows: rows, to: out, encoding: encoding, policy: policy)
      } catch {
        throw CommandFailure(message: error.description)
      }
    }
  }
}
