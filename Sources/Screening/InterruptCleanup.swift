import Dispatch
import Foundation

/// Unfinished output folders to remove if the run is interrupted (SIGINT, SIGTERM), so that an
/// interrupted run never leaves a folder that looks like a result, nor a hidden copy of the
/// personal data it holds.
///
/// The handler and the final rename of a result take the same lock: an interrupt during the
/// rename waits for it, and once a result is in place the interrupt is let pass (the run is
/// finishing and its result is whole).
public enum InterruptCleanup {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var paths: Set<String> = []
  nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
  nonisolated(unsafe) private static var interrupted = false
  nonisolated(unsafe) private static var committed = false

  static func register(_ path: String) {
    lock.lock()
    defer { lock.unlock() }
    paths.insert(path)
  }

  static func unregister(_ path: String) {
    lock.lock()
    defer { lock.unlock() }
    paths.remove(path)
  }

  /// Runs `body`, which writes the file at `path` (a report, a template); an interrupt before it
  /// returns removes the file, as it removes an unfinished output folder.
  public static func removingOnInterrupt<T>(_ path: String, _ body: () throws -> T) rethrows -> T {
    register(path)
    defer { unregister(path) }
    return try body()
  }

  /// Runs the rename that puts a result in place, unless an interrupt came first; returns
  /// `false` when it did not run.
  static func commit(_ temporaryPath: String, _ body: () throws -> Void) rethrows -> Bool {
    lock.lock()
    defer { lock.unlock() }
    guard !interrupted else { return false }
    try body()
    paths.remove(temporaryPath)
    committed = true
    return true
  }

  /// Removes every registered folder; the caller holds the lock. A folder is first renamed aside,
  /// so a file a writer thread is creating cannot appear in it after the removal.
  private static func removeRegistered() {
    let files = FileManager.default
    for path in paths {
      let doomed = "\(path).removing"
      let target = (try? files.moveItem(atPath: path, toPath: doomed)) != nil ? doomed : path
      for _ in 0..<3 where files.fileExists(atPath: target) {
        try? files.removeItem(atPath: target)
      }
    }
    paths = []
  }

  /// Installs handlers for SIGINT and SIGTERM that clean up, say so, and exit with 128 + signal.
  /// After a result has been put in place the signal is ignored and the run finishes normally.
  /// A signal the process was started ignoring (a background job of a script ignores SIGINT) is
  /// left ignored; so is one these handlers already took, so a second call changes nothing.
  public static func installSignalHandlers(message: @escaping @Sendable (Int32) -> Void) {
    for signalNumber in [SIGINT, SIGTERM] {
      let previous = signal(signalNumber, SIG_IGN)
      if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
      let source = DispatchSource.makeSignalSource(
        signal: signalNumber, queue: DispatchQueue.global())
      source.setEventHandler {
        lock.lock()
        guard !committed else {
          lock.unlock()
          return
        }
        interrupted = true
        removeRegistered()
        message(signalNumber)
        _exit(128 + signalNumber)
      }
      source.resume()
      lock.lock()
      sources.append(source)
      lock.unlock()
    }
  }
}
