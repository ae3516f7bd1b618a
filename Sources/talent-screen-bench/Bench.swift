import ArgumentParser
import Foundation

/// `talent-screen-bench`: times `talent-screen screen` against a C parse-only libcsv baseline on
/// one generated roster, and compares peak memory for a small and a large roster.
@main
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "talent-screen-bench",
    abstract: "Benchmark talent-screen against a parse-only libcsv baseline.",
    discussion: """
      Generates a roster with `talent-screen generate` (same seed, same file), then runs, after
      one warm-up of each: the C baseline (csv_parse over 1 MiB blocks, counting fields),
      `talent-screen screen` with its default jobs and with --jobs 1, round-robin for --rounds
      rounds. Prints medians, min–max, MB/s, rows/s, CPU time and peak RSS (wait4 of each child),
      and the ratio to the baseline. Then screens --large-rows rows once and compares peak RSS.

      Example:
        swift run -c release talent-screen-bench --rows 100000 --large-rows 0 --rounds 5
      """)

  @Option(help: "Rows of the timed roster.")
  var rows = 1_000_000

  @Option(help: "Rows of the roster screened once for peak memory; 0 skips it.")
  var largeRows = 10_000_000

  @Option(help: "Timed rounds after the warm-up.")
  var rounds = 5

  @Option(help: "Seed of the generated rosters.")
  var seed: UInt64 = 7

  @Option(help: "Folder for the rosters and results (default: a new temporary folder).")
  var workDir: String?

  @Flag(help: "Keep the generated rosters (reused by a later run with the same --work-dir).")
  var keep = false

  @Option(help: "Folder holding talent-screen and csv-parse-baseline (default: beside this tool).")
  var binDir: String?

  func validate() throws {
    guard rows > 0 else { throw ValidationError("--rows must be positive") }
    guard largeRows >= 0 else { throw ValidationError("--large-rows must not be negative") }
    guard rounds > 0 else { throw ValidationError("--rounds must be positive") }
  }

  func run() throws {
    let tools = try Tools(binDir: binDir)
    let folder =
      workDir
      ?? FileManager.default.temporaryDirectory
      .appendingPathComponent("talent-screen-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer {
      if workDir == nil && !keep { try? FileManager.default.removeItem(atPath: folder) }
    }
    let machine = Machine.current
    say(
      "machine: \(machine.cores) cores, \(machine.processor), \(machine.system), "
        + "\(machine.memoryBytes >> 30) GiB")
    let roster = try tools.roster(rows: rows, seed: seed, in: folder)
    defer { if !keep { try? FileManager.default.removeItem(atPath: roster.path) } }
    say("roster: \(rows) rows, \(Report.megabytes(roster.bytes)) MB, \(roster.path)")

    let variants = [
      Variant(name: "C libcsv parse only", command: tools.baseline(roster.path)),
      Variant(
        name: "screen (default jobs = \(machine.cores))",
        command: tools.screen(roster.path, out: "\(folder)/out", jobs: nil)),
      Variant(
        name: "screen --jobs 1", command: tools.screen(roster.path, out: "\(folder)/out", jobs: 1)),
    ]
    let counted = "\(folder)/baseline.txt"
    var results = Array(repeating: [ChildRun](), count: variants.count)
    say("warm-up, then \(rounds) rounds of \(variants.map(\.name).joined(separator: " / "))…")
    try tools.checkBaseline(roster.path, output: counted, rows: rows)
    try Tools.sameOutput(variants[1].command, variants[2].command, folder: folder)
    for round in 1...rounds {
      for (index, variant) in variants.enumerated() {
        try? FileManager.default.removeItem(atPath: "\(folder)/out")
        if index == 0 {
          var run = try ChildProcess.run(variant.command, stdoutPath: counted)
          run.peakResidentBytes = try Tools.selfReportedPeak(counted) ?? run.peakResidentBytes
          results[index].append(run)
        } else {
          let stderr = "\(folder)/stderr.txt"
          var run = try ChildProcess.run(variant.command, stderrPath: stderr)
          run.stages = Tools.stageTimes(stderr)
          results[index].append(run)
        }
      }
      say("  round \(round) done")
    }
    try? FileManager.default.removeItem(atPath: "\(folder)/out")
    say("")
    say(Report.table(variants: variants, results: results, rows: rows, bytes: roster.bytes))
    say(
      "(peak RSS of a child from wait4 is at least this tool's own peak, "
        + "\(Report.mebibytes(Machine.ownPeakResidentBytes)) MiB, which it inherits at spawn; "
        + "the baseline reports its own VmHWM instead)")
    say("")
    say(Report.stages(variants: variants, results: results, rows: rows))

    guard largeRows > 0 else { return }
    let large = try tools.roster(rows: largeRows, seed: seed, in: folder)
    defer { if !keep { try? FileManager.default.removeItem(atPath: large.path) } }
    let run = try ChildProcess.run(tools.screen(large.path, out: "\(folder)/out-large", jobs: nil))
    try? FileManager.default.removeItem(atPath: "\(folder)/out-large")
    let small = results[1].map(\.peakResidentBytes).max() ?? 0
    say("")
    say(
      Report.memory(
        small: (rows, roster.bytes, small), large: (largeRows, large.bytes, run)))
  }
}

/// One measured command.
struct Variant {
  var name: String
  var command: [String]
}

/// The programs the benchmark runs.
struct Tools {
  var talentScreen: String
  var baseline: String

  init(binDir: String?) throws {
    let folder =
      binDir ?? Bundle.main.executableURL?.deletingLastPathComponent().path ?? "."
    talentScreen = "\(folder)/talent-screen"
    baseline = "\(folder)/csv-parse-baseline"
    for tool in [talentScreen, baseline] where !FileManager.default.isExecutableFile(atPath: tool) {
      throw ValidationError(
        "\(tool) not found: build the package first (swift build -c release) or give --bin-dir")
    }
  }

  /// The roster of `rows` rows for `seed`, generated unless a kept one is already there.
  func roster(rows: Int, seed: UInt64, in folder: String) throws -> (path: String, bytes: Int) {
    let path = "\(folder)/roster-\(rows)-seed\(seed).csv"
    if !FileManager.default.fileExists(atPath: path) {
      let run = try ChildProcess.run([
        talentScreen, "generate", "--rows", String(rows), "--seed", String(seed), "--out", path,
      ])
      say("generated \(rows) rows in \(String(format: "%.1f", run.seconds)) s")
    }
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)
    return (path, size?.intValue ?? 0)
  }

  func baseline(_ path: String) -> [String] { [baseline, path] }

  func screen(_ path: String, out: String, jobs: Int?) -> [String] {
    [
      talentScreen, "screen", path, "--as-of", "2026-09-30", "--out", out, "--no-progress",
      "--stage-times",
    ]
      + (jobs.map { ["--jobs", String($0)] } ?? [])
  }

  /// Warms up the baseline and checks that it parsed every record (the header and `rows`).
  func checkBaseline(_ path: String, output: String, rows: Int) throws {
    _ = try ChildProcess.run(baseline(path), stdoutPath: output)
    let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    guard text.contains("records \(rows + 1) ") else {
      throw ChildFailure(command: baseline(path), reason: "unexpected count: \(text)")
    }
  }

  /// The four figures of the `stage-cpu-seconds` line `screen --stage-times` wrote to `path`.
  static func stageTimes(_ path: String) -> [Double] {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("stage-cpu-seconds") })
    else { return [] }
    let words = line.split(separator: " ")
    return stride(from: 2, to: words.count, by: 2).compactMap { Double(words[$0]) }
  }

  /// The `peak_rss_kb` the baseline printed, in bytes.
  static func selfReportedPeak(_ output: String) throws -> Int? {
    let text = try String(contentsOfFile: output, encoding: .utf8)
    let words = text.split(whereSeparator: \.isWhitespace)
    guard let index = words.firstIndex(of: "peak_rss_kb"), index + 1 < words.count,
      let kilobytes = Int(words[index + 1]), kilobytes > 0
    else { return nil }
    return kilobytes * 1024
  }

  /// Warms up both screen commands and checks that they write byte-identical verdicts.
  static func sameOutput(_ first: [String], _ second: [String], folder: String) throws {
    var digests: [Data] = []
    for command in [first, second] {
      try? FileManager.default.removeItem(atPath: "\(folder)/out")
      _ = try ChildProcess.run(command)
      let verdicts = "\(folder)/out/verdicts.csv"
      guard let handle = FileHandle(forReadingAtPath: verdicts) else {
        throw ChildFailure(command: command, reason: "no verdicts.csv")
      }
      defer { try? handle.close() }
      var checksum = Checksum()
      while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
        checksum.add(chunk)
      }
      digests.append(checksum.value)
    }
    guard digests[0] == digests[1] else {
      throw ChildFailure(command: second, reason: "verdicts differ from the default-jobs run")
    }
    say("verdicts.csv of default jobs and --jobs 1: byte-identical")
  }
}

/// A running FNV-1a-style checksum over the bytes, enough to tell two outputs apart.
struct Checksum {
  private var state: UInt64 = 0xcbf2_9ce4_8422_2325
  private var length: UInt64 = 0

  mutating func add(_ data: Data) {
    for byte in data {
      state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    length &+= UInt64(data.count)
  }

  var value: Data {
    withUnsafeBytes(of: (state, length)) { Data($0) }
  }
}

/// Writes a line to standard output at once, so it interleaves with progress in order.
func say(_ text: String) {
  FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}
