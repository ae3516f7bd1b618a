import Foundation
import Screening

#if canImport(Glibc)
  import Glibc
#endif

/// Writing to the terminal: reports go to standard error; standard output is for what a command
/// prints as its result. A closed pipe (`| head`) stops further output quietly and the command
/// ends with the status it would have had; any other write error is reported and exits with 2.
enum Terminal {
  nonisolated(unsafe) private static var closed: Set<Int32> = []

  static func error(_ text: String) {
    write(text + "\n", to: STDERR_FILENO)
  }

  /// Prints a report to standard output. Control characters that came from a roster (an escape
  /// sequence could rewrite the screen) are shown as `\xNN`.
  static func output(_ text: String) {
    write(visible(text) + "\n", to: STDOUT_FILENO)
  }

  static func write(_ text: String, to descriptor: Int32) {
    write(bytes: Array(text.utf8), to: descriptor)
  }

  /// Raw bytes (a CSV in any encoding) to a descriptor.
  static func write(bytes: [UInt8], to descriptor: Int32 = STDOUT_FILENO) {
    guard !closed.contains(descriptor) else { return }
    var bytes = bytes[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        closed.insert(descriptor)
        if errno == EPIPE || descriptor == STDERR_FILENO { return }
        let reason = String(cString: strerror(errno))
        error("talent-screen: 无法写出到标准输出 / cannot write to standard output: \(reason)")
        exit(2)
      }
      bytes = bytes.dropFirst(written)
    }
  }

  /// The text with C0 controls other than line feed and tab, DEL and C1 controls as `\xNN`.
  static func visible(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if isControl(scalar) {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        result.append(contentsOf: "\\x\(hex.count < 2 ? "0" + hex : hex)".unicodeScalars)
      } else {
        result.append(scalar)
      }
    }
    return String(result)
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x09: false
    case 0x00...0x1F, 0x7F...0x9F: true
    default: false
    }
  }
}

/// Runs `body`, which writes the file at `path`; if it fails, or the command is interrupted
/// meanwhile, the half-written file is removed, so a full disk or Ctrl-C never leaves a
/// truncated roster or report that looks whole.
func removingOnFailure<T>(_ path: String, _ body: () throws -> T) throws -> T {
  // A command that handles interrupts already keeps its own message (the first install wins).
  InterruptCleanup.installSignalHandlers { signal in
    Terminal.error("\ntalent-screen: 已中断 / interrupted (signal \(signal))")
  }
  do {
    return try InterruptCleanup.removingOnInterrupt(path, body)
  } catch {
    unlink(path)
    throw error
  }
}

/// The progress line on standard error: rows, MB/s and percent of the total bytes when known,
/// for each pass of the run in turn.
final class ProgressLine: @unchecked Sendable {
  let enabled: Bool
  private var started = Date()
  private var phase = ScreeningProgress.Phase.screening
  private var lastShown = Date.distantPast
  private let lock = NSLock()

  init(enabled: Bool) {
    self.enabled = enabled
  }

  func update(_ progress: ScreeningProgress) {
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    if progress.phase != phase {
      phase = progress.phase
      started = now
    }
    guard now.timeIntervalSince(lastShown) >= 0.25 else { return }
    lastShown = now
    let seconds = max(now.timeIntervalSince(started), 0.001)
    let megabytes = Double(progress.bytesRead) / 1_048_576
    let pass = progress.phase == .duplicates ? "查重 / finding repeated IDs  " : ""
    var line = "\r" + pass
    line += String(format: "%d 行 / rows  %.1f MB/s", progress.rows, megabytes / seconds)
    if let total = progress.totalBytes, total > 0 {
      line += String(format: "  %.0f%%", 100 * Double(progress.bytesRead) / Double(total))
    }
    Terminal.write(line + "\u{1B}[K", to: STDERR_FILENO)
  }

  func clear() {
    guard enabled else { return }
    Terminal.write("\r\u{1B}[K", to: STDERR_FILENO)
  }
}
