import Dispatch
import Foundation

/// Unfinished output folders to remove if the run is interrupted (SIGINT, SIGTERM), so that an
/// interrupted run never leaves a folder that looks like a result.
public enum InterruptCleanup {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var paths: Set<String> = []
  nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

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

  /// Removes every registered folder; called from the signal handler.
  public static func removeAll() {
    lock.lock()
    let pending = paths
    paths = []
    lock.unlock()
    for path in pending { try? FileManager.default.removeItem(atPath: path) }
  }

  /// Installs handlers for SIGINT and SIGTERM that clean up, say so, and exit with 128 + signal.
  public static func installSignalHandlers(message: @escaping @Sendable (Int32) -> Void) {
    for signalNumber in [SIGINT, SIGTERM] {
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(
        signal: signalNumber, queue: DispatchQueue.global())
      source.setEventHandler {
        removeAll()
        message(signalNumber)
        exit(128 + signalNumber)
      }
      source.resume()
      lock.lock()
      sources.append(source)
      lock.unlock()
    }
  }
}
