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
      guard try Self.copy(path, to: copy) else { continue }
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

  /// Copies an input (`-` for standard input) to `path`, readable by the owner only; `false`
  /// when the input cannot be opened, which both passes then report the same way.
  private static func copy(_ input: String, to path: String) throws(ScreeningError) -> Bool {
    let source = input == "-" ? STDIN_FILENO : open(input, O_RDONLY | O_CLOEXEC)
    guard source >= 0 else { return false }
    defer { if source != STDIN_FILENO { close(source) } }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw .output(path: path, message: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count >= 0 else {
        throw .output(
          path: input == "-" ? "stdin" : input, message: String(cString: strerror(errno)))
      }
      if count == 0 { return true }
      var done = 0
      while done < count {
        let written = buffer.withUnsafeBytes {
          write(descriptor, $0.baseAddress.map { $0 + done }, count - done)
        }
        if written < 0, errno == EINTR { continue }
        guard written > 0 else {
          throw .output(path: path, message: String(cString: strerror(errno)))
        }
        done += written
      }
    }
  }
}
