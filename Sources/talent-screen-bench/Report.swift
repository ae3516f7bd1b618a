import Foundation

/// The text the benchmark prints.
enum Report {
  static func megabytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1e6) }

  static func mebibytes(_ bytes: Int) -> String {
    String(format: "%.1f", Double(bytes) / Double(1 << 20))
  }

  static func table(variants: [Variant], results: [[ChildRun]], rows: Int, bytes: Int) -> String {
    let baseline = Sample(values: results[0].map(\.seconds)).median
    var lines = [
      "| command | median s | min–max s | MB/s | rows/s | CPU s (median) | peak RSS MiB | × baseline |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (variant, runs) in zip(variants, results) {
      let wall = Sample(values: runs.map(\.seconds))
      let cpu = Sample(values: runs.map { $0.userSeconds + $0.systemSeconds })
      let peak = runs.map(\.peakResidentBytes).max() ?? 0
      let cells = [
        variant.name,
        String(format: "%.3f", wall.median),
        String(format: "%.3f–%.3f", wall.minimum, wall.maximum),
        String(format: "%.1f", Double(bytes) / 1e6 / wall.median),
        String(format: "%.0f", Double(rows) / wall.median),
        String(format: "%.2f", cpu.median),
        mebibytes(peak),
        String(format: "%.2f", wall.median / baseline),
      ]
      lines.append("| " + cells.joined(separator: " | ") + " |")
    }
    return lines.joined(separator: "\n")
  }

  /// Where each screen command's CPU time went, and which stage would bound the run on a
  /// machine with more cores: the reader and the ordered writer are one thread each, the
  /// judging is shared by the jobs.
  static func stages(variants: [Variant], results: [[ChildRun]], rows: Int) -> String {
    var lines = [
      "CPU seconds per stage (median over the rounds; `screen --stage-times`):",
      "",
      "| command | first pass | reading | judging | writing | reading µs/row "
        + "| judging µs/row | writing µs/row |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    var bound = ""
    for (variant, runs) in zip(variants, results) where runs.allSatisfy({ $0.stages.count == 4 }) {
      guard !runs.isEmpty else { continue }
      let medians = (0..<4).map { stage in Sample(values: runs.map { $0.stages[stage] }).median }
      let perRow = medians.map { $0 * 1e6 / Double(max(rows, 1)) }
      lines.append(
        "| \(variant.name) | "
          + medians.map { String(format: "%.2f", $0) }.joined(separator: " | ") + " | "
          + perRow[1...].map { String(format: "%.2f", $0) }.joined(separator: " | ") + " |")
      let serial = max(medians[1], medians[3])
      if bound.isEmpty, serial > 0 {
        let jobs = Int((medians[2] / serial).rounded(.up))
        let slowest = medians[1] >= medians[3] ? "the reader" : "the ordered writer"
        bound =
          "Judging takes \(String(format: "%.1f", medians[2] / serial))× the CPU of the busiest "
          + "single-threaded stage (\(slowest)), so throughput can grow with --jobs up to about "
          + "\(jobs) jobs on as many free cores; past that \(slowest) bounds the run at about "
          + String(format: "%.0f", Double(rows) / serial) + " rows/s, plus the first pass "
          + "before it (inputs over 128 MiB and standard input: it parses the input, on up to "
          + "four threads, and the reader then replays its records)."
      }
    }
    return (lines + ["", bound]).joined(separator: "\n")
  }

  static func memory(
    small: (rows: Int, bytes: Int, peak: Int), large: (rows: Int, bytes: Int, run: ChildRun)
  ) -> String {
    [
      "| roster | size MB | screen s (default jobs) | rows/s | peak RSS MiB |",
      "|---|---:|---:|---:|---:|",
      "| \(small.rows) rows | \(megabytes(small.bytes)) | (see above) | | \(mebibytes(small.peak)) |",
      "| \(large.rows) rows | \(megabytes(large.bytes)) | "
        + String(format: "%.2f", large.run.seconds) + " | "
        + String(format: "%.0f", Double(large.rows) / large.run.seconds) + " | "
        + "\(mebibytes(large.run.peakResidentBytes)) |",
    ].joined(separator: "\n")
  }
}
