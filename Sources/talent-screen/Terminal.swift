import Foundation
import Screening

#if canImport(Glibc)
  import Glibc
#endif

/// Writing to the terminal: reports go to standard error; standard output is for what a command
/// prints as its result. A closed pipe (`| head`) ends the program quietly, never with a crash.
enum Terminal {
  static func error(_ text: String) {
    write(text + "\n", to: STDERR_FILENO)
  }

  /// Prints to standard output; exits with status 0 when the reader has gone away.
  static func output(_ text: String) {
    write(text + "\n", to: STDOUT_FILENO)
  }

  static func write(_ text: String, to descriptor: Int32) {
    write(bytes: Array(text.utf8), to: descriptor)
  }

  /// Raw bytes (a CSV in any encoding) to a descriptor; a closed pipe ends the program quietly.
  static func write(bytes: [UInt8], to descriptor: Int32 = STDOUT_FILENO) {
    var bytes = bytes[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        if errno == EPIPE { exit(0) }
        return
      }
      bytes = bytes.dropFirst(written)
    }
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
    Terminal.write(line, to: STDERR_FILENO)
  }

  func clear() {
    guard enabled else { return }
    Terminal.write("\r\u{1B}[K", to: STDERR_FILENO)
  }
}
