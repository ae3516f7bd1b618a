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
