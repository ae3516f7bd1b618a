import Foundation

/// Which inputs a run reads twice, and how: `screen` and `check` both find repeated IDs with an
/// index in memory for small inputs and with a `DuplicatePlan` (a first pass sorting them on
/// disk) for the rest, and copy an input that can be read only once before that pass.
enum FirstPassInputs {
  /// Whether inputs need the first pass: over `limit` bytes in all, or one whose size is not
  /// known before it is read (standard input, a pipe, a path that cannot be examined).
  static func needed(for paths: [String], limit: Int) -> Bool {
    totalSize(of: paths).map { $0 > limit } ?? true
  }

  /// The inputs' bytes in all; `nil` when one's size is not known before it is read.
  static func totalSize(of paths: [String]) -> Int? {
    var total = 0
    for path in paths {
      guard let size = ScreeningRun.fileSize(path) else { return nil }
      total += size
    }
    return total
  }

  /// The paths both passes read: each input that is not a regular file (standard input, a
  /// pipe) is first copied into `folder` (`0600`) and the copy read in its place. `copies` maps
  /// those inputs' places to their copies.
  static func readPaths(for paths: [String], copyingInto folder: String)
    throws(ScreeningError) -> (paths: [String], copies: [Int: String])
  {
    var readPaths = paths
    var copies: [Int: String] = [:]
    for (index, path) in paths.enumerated() where !ScreeningRun.isRegularFile(path) {
      let copy = "\(folder)/.input-\(index)"
      guard try ScreeningRun.spool(path, to: copy) else { continue }
      copies[index] = copy
      readPaths[index] = copy
    }
    return (readPaths, copies)
  }

  /// Removes the copies whose records `plan` kept: they are not read again, and their disk
  /// space is given back before the outputs grow.
  static func removeReplayedCopies(_ copies: [Int: String], of plan: DuplicatePlan) {
    for (index, copy) in copies where plan.replays(file: index) { unlink(copy) }
  }
}
