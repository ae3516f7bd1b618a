import Foundation

/// A folder of its own for work files that hold personal data (the duplicate pass's sorted runs
/// and records, a copy of standard input): readable by the owner only, removed when the work is
/// done or the run is interrupted.
struct ScratchFolder {
  let path: String

  /// Makes a new folder with a unique name inside `directory`.
  init(in directory: String) throws(ScreeningError) {
    let parent = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    var template = Array("\(parent.isEmpty ? "." : parent)/talent-screen-work-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
    }
    guard let made else {
      throw .output(path: directory, message: String(cString: strerror(errno)))
    }
    path = made
    InterruptCleanup.register(path)
  }

  /// Removes the folder and everything in it.
  func remove() {
    try? FileManager.default.removeItem(atPath: path)
    InterruptCleanup.unregister(path)
  }
}
