import Foundation

/// The `--out` folder, written atomically: everything goes into a hidden temporary folder beside
/// it, which is renamed into place only when the run has finished. An interrupted run never
/// leaves a folder that looks complete.
final class OutputDirectory: @unchecked Sendable {
  let path: String
  let temporaryPath: String
  /// The file whose presence marks a folder as a finished result of this tool.
  static let marker = "summary.json"
  /// Every file a run writes; a folder holding anything else is not replaced.
  static let names: Set<String> = [
    "verdicts.csv", "rejects.csv", "skipped.csv", "summary-series-district.csv",
    "summary-skill-district.csv", "reasons.csv", "summary.json",
  ]

  init(path: String) throws(ScreeningError) {
    let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    self.path = trimmed
    let url = URL(fileURLWithPath: trimmed).standardizedFileURL
    let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
    if here.path == url.path
      || here.path.hasPrefix(url.path.hasSuffix("/") ? url.path : url.path + "/")
    {
      throw .output(
        path: trimmed,
        message: "不能把当前文件夹或其上级用作输出文件夹 / the current folder or one above it cannot be --out")
    }
    let parent = url.deletingLastPathComponent().path
    temporaryPath = "\(parent)/.\(url.lastPathComponent).partial-\(getpid())"
    let files = FileManager.default
    var isFolder: ObjCBool = false
    if files.fileExists(atPath: trimmed, isDirectory: &isFolder) {
      guard isFolder.boolValue else {
        throw .output(path: trimmed, message: "这是一个文件，不是文件夹 / this is a file, not a folder")
      }
      let contents = (try? files.contentsOfDirectory(atPath: trimmed)) ?? []
      let isResult = contents.contains(Self.marker) && contents.allSatisfy(Self.names.contains)
      guard isFolder.boolValue, contents.isEmpty || isResult else {
        throw .outputExists(path: trimmed)
      }
    }
    try? files.removeItem(atPath: temporaryPath)
    do {
      try files.createDirectory(
        atPath: temporaryPath, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
      InterruptCleanup.register(temporaryPath)
    } catch {
      let reason = mkdir(temporaryPath, 0o700) == 0 ? "" : String(cString: strerror(errno))
      throw .output(path: trimmed, message: reason.isEmpty ? "\(error)" : reason)
    }
  }

  /// Moves the finished result into place, replacing an earlier result in the same folder.
  func commit() throws(ScreeningError) {
    let files = FileManager.default
    let previous = "\(temporaryPath).previous"
    let target = path
    let temporary = temporaryPath
    do {
      let done = try InterruptCleanup.commit(temporary) {
        let hadPrevious = files.fileExists(atPath: target)
        if hadPrevious { try files.moveItem(atPath: target, toPath: previous) }
        do {
          try files.moveItem(atPath: temporary, toPath: target)
        } catch {
          if hadPrevious { try? files.moveItem(atPath: previous, toPath: target) }
          throw error
        }
        if hadPrevious { try? files.removeItem(atPath: previous) }
      }
      if !done { throw ScreeningError.output(path: target, message: "interrupted") }
    } catch let error as ScreeningError {
      throw error
    } catch {
      throw .output(path: target, message: error.localizedDescription)
    }
  }

  /// Removes the unfinished temporary folder.
  func discard() {
    try? FileManager.default.removeItem(atPath: temporaryPath)
    InterruptCleanup.unregister(temporaryPath)
  }
}
