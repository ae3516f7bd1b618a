import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What one finished child process cost: wall-clock time, CPU time and peak resident memory,
/// the last two from `wait4`'s resource usage of that child alone.
struct ChildRun {
  var seconds: Double
  var userSeconds: Double
  var systemSeconds: Double
  /// Peak resident set size in bytes (`ru_maxrss`).
  var peakResidentBytes: Int
  /// CPU seconds of the first (duplicate) pass, reading, judging and writing, as `screen --stage-times`
  /// reported them; empty for other commands.
  var stages: [Double] = []
  var status: Int32
}

/// A child process that could not be started or did not finish well.
struct ChildFailure: Error, CustomStringConvertible {
  var command: [String]
  var reason: String

  var description: String { "\(command.joined(separator: " ")): \(reason)" }
}

/// Starts programs and measures them, one at a time.
enum ChildProcess {
  /// Runs `arguments[0]` with the rest as its arguments, standard output to `stdoutPath` and
  /// standard error to `stderrPath`, and waits for it; throws unless it exits with status 0.
  static func run(
    _ arguments: [String], stdoutPath: String = "/dev/null", stderrPath: String = "/dev/null"
  ) throws -> ChildRun {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid = pid_t()
    let started = DispatchTime.now().uptimeNanoseconds
    let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
    guard spawned == 0 else {
      throw ChildFailure(command: arguments, reason: String(cString: strerror(spawned)))
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
      guard errno == EINTR else {
        throw ChildFailure(command: arguments, reason: String(cString: strerror(errno)))
      }
    }
    let finished = DispatchTime.now().uptimeNanoseconds
    let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    guard exitStatus == 0 else {
      throw ChildFailure(command: arguments, reason: "exit status \(exitStatus)")
    }
    return ChildRun(
      seconds: Double(finished - started) / 1e9,
      userSeconds: seconds(usage.ru_utime), systemSeconds: seconds(usage.ru_stime),
      peakResidentBytes: Int(usage.ru_maxrss) * 1024, status: exitStatus)
  }

  private static func seconds(_ time: timeval) -> Double {
    Double(time.tv_sec) + Double(time.tv_usec) / 1e6
  }
}
