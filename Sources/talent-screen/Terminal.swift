import Foundation
import Screening

/// Writing to standard error, where the run reports; standard output stays for data.
enum Terminal {
  static func error(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}

/// The progress line on standard error: rows, MB/s and percent of the total bytes when known.
final class ProgressLine: @unchecked Sendable {
  let enabled: Bool
  private let started = Date()
  private var lastShown = Date.distantPast
  private let lock = NSLock()

  init(enabled: Bool) {
    self.enabled = enabled
  }

  func update(_ progress: ScreeningProgress) {
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    guard now.timeIntervalSince(lastShown) >= 0.25 else { return }
    lastShown = now
    let seconds = max(now.timeIntervalSince(started), 0.001)
    let megabytes = Double(progress.bytesRead) / 1_048_576
    var line = String(format: "\r%d 行 / rows  %.1f MB/s", progress.rows, megabytes / seconds)
    if let total = progress.totalBytes, total > 0 {
      line += String(format: "  %.0f%%", 100 * Double(progress.bytesRead) / Double(total))
    }
    FileHandle.standardError.write(Data(line.utf8))
  }

  func clear() {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}
