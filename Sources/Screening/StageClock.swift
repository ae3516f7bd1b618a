import Foundation

/// CPU seconds spent in each stage of a run, measured per thread, to show which stage bounds
/// the run: the single reader, the parallel judging, or the single ordered writer.
public struct StageTimes: Sendable, Equatable {
  /// The first pass that sorts ID numbers (zero when the index stayed in memory).
  public var duplicatePass = 0.0
  /// The reading thread: CSV parsing, skipped rows, ID keys and repeats, handing out batches.
  public var reading = 0.0
  /// The workers: parsing cells, judging and formatting rows.
  public var judging = 0.0
  /// Writing finished batches in order (one at a time, under the sink's lock).
  public var writing = 0.0

  public init() {}
}

/// Adds up `StageTimes` from several threads.
final class StageClock: @unchecked Sendable {
  private let lock = NSLock()
  private var times = StageTimes()

  /// The CPU time of the calling thread, in seconds.
  static func threadCPU() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }

  /// The CPU time of the whole process (user and system), in seconds.
  static func processCPU() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
  }

  func add(_ stage: WritableKeyPath<StageTimes, Double>, _ seconds: Double) {
    lock.lock()
    times[keyPath: stage] += seconds
    lock.unlock()
  }

  var total: StageTimes {
    lock.lock()
    defer { lock.unlock() }
    return times
  }
}
