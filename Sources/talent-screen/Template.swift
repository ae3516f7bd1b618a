import ArgumentParser
import CSVStream
import Foundation
import Screening

#if canImport(Glibc)
  import Glibc
#endif

/// `talent-screen template`: the empty roster an enterprise fills in.
struct Template: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write an empty roster with every column and one example row (花名册模板).",
    discussion: """
      Writes a CSV with the canonical header of every column the screening reads and one \
      example row of an invented person, named 示例（请删除本行）, to show how values are \
      written. Open it in Excel or WPS, delete the example row, fill in one row per person, \
      save as "CSV UTF-8", then run talent-screen check on it. The check reports the example \
      row if it is still there. An existing file is never overwritten.

      Examples:
        talent-screen template --out 花名册.csv
        talent-screen template --output-encoding gb18030 --out 花名册-GBK.csv
      """)

  @Option(name: [.short, .long], help: "File to write (default: standard output).")
  var out: String?

  @Option(help: "Encoding: utf-8-bom (default, opens directly in Excel), utf-8 or gb18030.")
  var outputEncoding: OutputEncoding = .utf8BOM

  func run() throws {
    if let out, out != "-" {
      guard !FileManager.default.fileExists(atPath: out) else {
        throw CommandFailure(message: "\(out): 文件已存在，未覆盖 / the file exists; not overwritten")
      }
      try removingOnFailure(out) { try write(to: out) }
      Terminal.error(
        "已写出模板 \(out)：删除示例行后每人填一行，另存为 CSV UTF-8，再运行 talent-screen check \(out)"
          + " / template written: delete the example row, fill one row per person, then run check")
      return
    }
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("talent-screen-template-\(getpid())-\(UUID().uuidString)")
    let path = folder.path
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
      try FileManager.default.createDirectory(
        at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    } catch {
      throw CommandFailure(message: "无法创建临时文件夹 / cannot create a temporary folder: \(error)")
    }
    try write(to: "\(path)/template.csv")
    guard let data = FileManager.default.contents(atPath: "\(path)/template.csv") else {
      throw CommandFailure(message: "无法读回模板 / cannot read the template back")
    }
    Terminal.write(bytes: [UInt8](data))
  }

  func write(to path: String) throws {
    do {
      let writer = try CSVWriter(path: path, encoding: outputEncoding)
      try writer.write(row: RosterTemplate.header)
      try writer.write(row: RosterTemplate.exampleRow)
      try writer.close()
    } catch {
      throw CommandFailure(message: error.description)
    }
  }
}

/// A report written to a file the user named: owner-only, like every file the tool writes.
enum ReportFile {
  static func write(_ bytes: [UInt8], to path: String) throws {
    try removingOnFailure(path) { try writeOnce(bytes, to: path) }
  }

  private static func writeOnce(_ bytes: [UInt8], to path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw CommandFailure(
        message: "\(path): 无法写入 / cannot write: \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    var rest = bytes[...]
    while !rest.isEmpty {
      let written = rest.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        throw CommandFailure(
          message: "\(path): 无法写入 / cannot write: \(String(cString: strerror(errno)))")
      }
      rest = rest.dropFirst(written)
    }
  }
}
