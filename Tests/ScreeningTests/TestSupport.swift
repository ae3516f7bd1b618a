import CSVStream
import Foundation
import Policy
import Roster
import Testing

@testable import Screening

/// Paths, temporary folders and a way to run the built `talent-screen` binary.
enum TestSupport {
  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// A new folder under the system's temporary folder, removed with everything in it when the
  /// test process exits (`TALENT_SCREEN_KEEP_TEST_FILES=1` keeps them, to look into a failure).
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("talent-screen-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    MadeFolders.shared.add(url)
    return url
  }

  /// The `talent-screen` executable that `swift test` built beside the test bundle.
  static var binary: URL {
    get throws {
      var candidates: [URL] = []
      if let executable = Bundle.main.executableURL {
        candidates.append(executable.deletingLastPathComponent())
      }
      candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
      candidates.append(Bundle.main.bundleURL)
      candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
      for folder in candidates {
        let url = folder.appendingPathComponent("talent-screen")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
      }
      throw TestFailure("talent-screen binary not found near \(candidates.map(\.path))")
    }
  }

  struct Result {
    var status: Int32
    var standardOutput: String
    var standardError: String
  }

  static func run(_ arguments: [String], in folder: URL? = nil, input: Data? = nil) throws
    -> Result
  {
    let process = Process()
    process.executableURL = try binary
    process.arguments = arguments
    process.currentDirectoryURL = folder ?? repositoryRoot
    let output = Pipe()
    let error = Pipe()
    let standardInput = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = standardInput
    try process.run()
    if let input { standardInput.fileHandleForWriting.write(input) }
    try standardInput.fileHandleForWriting.close()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
      standardError: String(decoding: errData, as: UTF8.self))
  }

  static let defaultPolicy: Policy = {
    do {
      return try PolicyLoader.loadDefault()
    } catch {
      fatalError("the default policy does not load: \(error)")
    }
  }()

  static func configuration(
    inputs: [String], out: URL, jobs: Int = 2, language: Language = .chinese,
    encoding: OutputEncoding = .utf8BOM, integrity: IntegrityList = IntegrityList(),
    batchSize: Int = 512
  ) -> ScreeningConfiguration {
    let date = CivilDate(year: 2026, month: 9, day: 30) ?? ScreeningDate.epoch
    return ScreeningConfiguration(
      inputs: inputs, outputDirectory: out.path,
      policy: ResolvedPolicy(defaultPolicy, on: date), policyDigest: "test",
      integrity: integrity, jobs: jobs, outputEncoding: encoding, language: language,
      batchSize: batchSize)
  }

  /// Reads a written CSV back through the project's reader, dropping the header.
  static func rows(_ url: URL, encoding: InputEncoding = .auto) throws -> [[String]] {
    let records = try CSVReader(path: url.path, options: CSVReaderOptions(encoding: encoding))
      .readAll()
    return records.dropFirst().map(\.fields)
  }

  static func header(_ url: URL) throws -> [String] {
    try CSVReader(path: url.path).readAll().first?.fields ?? []
  }

  /// Writes a roster with the given header and rows, UTF-8 with BOM and CRLF.
  static func writeRoster(_ url: URL, header: [String], rows: [[String]]) throws {
    var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
    for row in [header] + rows {
      bytes += Array(
        row.map { $0.contains(",") || $0.contains("\n") ? "\"\($0)\"" : $0 }
          .joined(separator: ",").utf8)
      bytes += [13, 10]
    }
    try Data(bytes).write(to: url)
  }
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// The folders `TestSupport.temporaryDirectory()` made, removed at exit: a run of the suite
/// makes several hundred, some of 70 MB, and left behind they filled the disk run after run.
private final class MadeFolders: @unchecked Sendable {
  static let shared = MadeFolders()
  private let lock = NSLock()
  private var paths: [String] = []

  private init() {
    atexit { MadeFolders.shared.removeAll() }
  }

  func add(_ url: URL) {
    lock.lock()
    paths.append(url.path)
    lock.unlock()
  }

  private func removeAll() {
    guard ProcessInfo.processInfo.environment["TALENT_SCREEN_KEEP_TEST_FILES"] != "1" else {
      return
    }
    lock.lock()
    let made = paths
    paths = []
    lock.unlock()
    for path in made { try? FileManager.default.removeItem(atPath: path) }
  }
}
