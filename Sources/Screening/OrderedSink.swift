import CSVStream
import Foundation

/// The single writer: takes finished batches in any order and writes them to `verdicts.csv`
/// and `rejects.csv` strictly in input order, merging their counts as it goes.
final class OrderedSink: @unchecked Sendable {
  private let lock = NSLock()
  private var pending: [Int: BatchResult] = [:]
  private var next = 0
  private var counts = SummaryCounts()
  private let verdicts: CSVWriter
  private let rejects: CSVWriter
  private let skipped: CSVWriter
  private var firstFailure: ScreeningError?

  init(
    directory: String, encoding: OutputEncoding, verdictHeader: [String], rejectHeader: [String],
    skippedHeader: [String]
  ) throws(ScreeningError) {
    do {
      verdicts = try CSVWriter(path: "\(directory)/verdicts.csv", encoding: encoding)
      rejects = try CSVWriter(path: "\(directory)/rejects.csv", encoding: encoding)
      skipped = try CSVWriter(path: "\(directory)/skipped.csv", encoding: encoding)
      try verdicts.write(row: verdictHeader)
      try rejects.write(row: rejectHeader)
      try skipped.write(row: skippedHeader)
    } catch {
      throw .input(error)
    }
  }

  /// The first write error, if any; the reader stops feeding work once it is set.
  var failure: ScreeningError? {
    lock.lock()
    defer { lock.unlock() }
    return firstFailure
  }

  /// Takes a finished batch; returns how many batches it wrote (0 when it must wait for an
  /// earlier one), so the caller can free exactly that many in-flight places.
  func deliver(_ result: BatchResult, sequence: Int) -> Int {
    lock.lock()
    defer { lock.unlock() }
    pending[sequence] = result
    var written = 0
    while let ready = pending.removeValue(forKey: next) {
      next += 1
      written += 1
      counts.merge(ready.counts)
      guard firstFailure == nil else { continue }
      do {
        // The workers assemble every row with `CSVFormat` from `String`s.
        if !ready.verdictRows.isEmpty { try verdicts.write(formattedRows: ready.verdictRows) }
        if !ready.rejectRows.isEmpty { try rejects.write(formattedRows: ready.rejectRows) }
        if !ready.skippedRows.isEmpty { try skipped.write(formattedRows: ready.skippedRows) }
      } catch {
        firstFailure = .input(error)
      }
    }
    return written
  }

  /// Closes both files and returns the merged counts; call after every batch was delivered.
  func finish() throws(ScreeningError) -> SummaryCounts {
    lock.lock()
    defer { lock.unlock() }
    if let firstFailure { throw firstFailure }
    do {
      try verdicts.close()
      try rejects.close()
      try skipped.close()
    } catch {
      throw .input(error)
    }
    counts.fold()
    return counts
  }
}
