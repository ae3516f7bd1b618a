import CSVStream
import Foundation
import Testing

@testable import Screening

/// The built `talent-screen` binary, run as a bureau officer would run it.
@Suite struct CommandLineTests {
  static let outputs = [
    "verdicts.csv", "rejects.csv", "skipped.csv", "summary-series-district.csv",
    "summary-skill-district.csv", "reasons.csv", "summary.json",
  ]

  /// The README's first command, on the bundled sample, still writes the expected outputs.
  @Test func theSampleGivesTheExpectedOutputs() throws {
    let out = try TestSupport.temporaryDirectory().appendingPathComponent("sample")
    let result = try TestSupport.run([
      "screen", "samples/roster-utf8.csv", "--as-of", "2026-09-30", "--integrity-list",
      "samples/integrity-list.csv", "--out", out.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let expected = TestSupport.repositoryRoot.appendingPathComponent("samples/expected")
    for name in Self.outputs {
      let written = try Data(contentsOf: out.appendingPathComponent(name))
      let wanted = try Data(contentsOf: expected.appendingPathComponent(name))
      #expect(written == wanted, "\(name) differs from samples/expected/\(name)")
    }
    #expect(
      result.standardError.contains("44 = 结论 / verdicts 42 + 拒收 / rejects 1 + 跳过 / skipped 1"))
  }

  @Test func theGB18030SampleGivesTheSameVerdicts() throws {
    let folder = try TestSupport.temporaryDirectory()
    var verdicts: [[[String]]] = []
    for name in ["roster-utf8.csv", "roster-gb18030.csv"] {
      let out = folder.appendingPathComponent(name)
      let result = try TestSupport.run([
        "screen", "samples/\(name)", "--as-of", "2026-09-30", "--out", out.path, "--no-progress",
      ])
      #expect(result.status == 0, "\(result.standardError)")
      let rows = try TestSupport.rows(out.appendingPathComponent("verdicts.csv"))
      verdicts.append(
        rows.map { row in
          row.dropFirst().map { $0.replacingOccurrences(of: "samples/\(name)", with: "SAMPLE") }
        })
    }
    #expect(verdicts[0].count == 42)
    #expect(verdicts[0] == verdicts[1])
  }

  @Test func standardInputIsARoster() throws {
    let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
    let roster = "身份证号,姓名,职称等级,申请评价职业工种\n330681199001011237,林晓测,中级,钢筋工\n"
    let result = try TestSupport.run(
      ["screen", "-", "--as-of", "2026-09-30", "--out", out.path], input: Data(roster.utf8))
    #expect(result.status == 0, "\(result.standardError)")
    let rows = try TestSupport.rows(out.appendingPathComponent("verdicts.csv"))
    #expect(rows.count == 1)
    #expect(rows[0][0] == "stdin:2")
    #expect(rows[0][11] == "符合")
    #expect(rows[0][12] == "技师")
    let summary = try String(
      contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
    #expect(summary.contains("\"sha256\" : \"\(SHA256.hex(of: Array(roster.utf8)))\""))
  }

  /// `--stage-times` (for the benchmark) reports each stage's CPU time; standard input gets
  /// the duplicate pass, so every stage has done work.
  @Test func stageTimesNameEveryStage() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("r.csv")
    let generated = try TestSupport.run([
      "generate", "--rows", "20000", "--seed", "4", "--out", roster.path,
    ])
    #expect(generated.status == 0, "\(generated.standardError)")
    let result = try TestSupport.run(
      [
        "screen", "-", "--as-of", "2026-09-30", "--out", folder.appendingPathComponent("o").path,
        "--no-progress", "--stage-times",
      ], input: try Data(contentsOf: roster))
    #expect(result.status == 0, "\(result.standardError)")
    let line = try #require(
      result.standardError.split(separator: "\n").first { $0.hasPrefix("stage-cpu-seconds") })
    let words = line.split(separator: " ").map(String.init)
    #expect(words.count == 9)
    #expect(words[1] == "duplicate-pass" && words[3] == "reading" && words[5] == "judging")
    for index in [2, 4, 6, 8] {
      #expect((Double(words[index]) ?? 0) > 0, "\(words[index - 1]) took no time: \(line)")
    }
  }

  struct Failure: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var message: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  @Test(arguments: [
    Failure(
      arguments: ["screen", "no-such-file.csv", "--out", "OUT"], message: "no-such-file.csv"),
    Failure(
      arguments: ["screen", "samples/roster-utf8.csv", "--as-of", "2023-02-30", "--out", "OUT"],
      message: "--as-of"),
    Failure(
      arguments: [
        "screen", "samples/roster-utf8.csv", "--as-of", "2026-09-30", "--quarter", "2026Q3",
        "--out", "OUT",
      ], message: "--quarter"),
    Failure(
      arguments: [
        "screen", "samples/roster-utf8.csv", "--policy", "no-such-policy", "--out", "OUT",
      ],
      message: "no-such-policy"),
    Failure(arguments: ["screen", "samples/roster-utf8.csv"], message: "--out"),
    Failure(
      arguments: ["screen", "samples/roster-utf8.csv", "--jobs", "0", "--out", "OUT"],
      message: "--jobs"),
    Failure(
      arguments: [
        "screen", "samples/roster-utf8.csv", "--integrity-list", "none.txt", "--out", "OUT",
      ],
      message: "none.txt"),
  ])
  func unusableArgumentsExitWithTwo(_ failure: Failure) throws {
    let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
    let arguments = failure.arguments.map { $0 == "OUT" ? out.path : $0 }
    let result = try TestSupport.run(arguments)
    #expect(result.status == 2)
    #expect(result.standardError.contains(failure.message), "\(result.standardError)")
    #expect(!result.standardError.contains("Fatal error"))
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func aRosterWithoutTheRequiredColumnsExitsWithTwoAndSaysWhich() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("wrong.csv")
    try Data("编号,单位\n1,某单位\n".utf8).write(to: roster)
    let out = folder.appendingPathComponent("out")
    let result = try TestSupport.run([
      "screen", roster.path, "--out", out.path, "--as-of", "2026-09-30",
    ])
    #expect(result.status == 2)
    #expect(result.standardError.contains("wrong.csv"))
    #expect(result.standardError.contains("身份证号"))
    #expect(result.standardError.contains("FAILED"))
  }

  @Test func helpSaysWhatScreenDoesWithAnExample() throws {
    let result = try TestSupport.run(["screen", "--help"])
    #expect(result.status == 0)
    #expect(result.standardOutput.contains("verdicts.csv"))
    #expect(result.standardOutput.contains("talent-screen screen rosters/ --quarter 2026Q3"))
  }

  @Test func withoutADateTheRunSaysItUsesToday() throws {
    let out = try TestSupport.temporaryDirectory().appendingPathComponent("out")
    let result = try TestSupport.run(["screen", "samples/roster-utf8.csv", "--out", out.path])
    #expect(result.status == 0)
    #expect(result.standardError.contains("not given: today"))
  }
}
