import CSVStream
import Foundation
import RosterSynthesis
import Testing

@testable import Screening

/// Faults around a run: interruption, an output folder that cannot be made, a full disk.
@Suite(.serialized) struct FaultTests {
  /// Whether this machine lets the test mount a small tmpfs (root on Linux).
  static let canMountTmpfs: Bool = {
    guard let folder = try? TestSupport.temporaryDirectory() else { return false }
    defer { try? FileManager.default.removeItem(at: folder) }
    guard mount(folder.path, size: "64k") else { return false }
    unmount(folder.path)
    return true
  }()

  @discardableResult
  static func mount(_ path: String, size: String) -> Bool {
    shell("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path]) == 0
  }

  static func unmount(_ path: String) {
    shell("/bin/umount", [path])
  }

  @discardableResult
  static func shell(_ command: String, _ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command)
    process.arguments = arguments
    process.standardError = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      return -1
    }
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// Whether `condition` came true while `process` ran, asked every few milliseconds for up to a
  /// minute.
  static func cameTrue(while process: Process, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline && process.isRunning {
      if try condition() { return true }
      usleep(5_000)
    }
    return try condition()
  }

  /// Whether a folder holds the hidden folder of an unfinished `result`.
  static func holdsPartialResult(_ folder: URL) throws -> Bool {
    try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .contains { $0.hasPrefix(".result.partial-") }
  }

  @Test func anInterruptedRunLeavesNoFolderThatLooksComplete() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("big.csv")
    try SyntheticRoster(seed: 5)
      .write(rows: 200_000, to: roster.path, encoding: .utf8, policy: TestSupport.defaultPolicy)
    let out = folder.appendingPathComponent("result")
    let process = Process()
    process.executableURL = try TestSupport.binary
    process.arguments = [
      "screen", roster.path, "--out", out.path, "--jobs", "1", "--as-of", "2026-09-30",
    ]
    process.standardError = FileHandle.nullDevice
    try process.run()
    let partialSeen = try Self.cameTrue(while: process) { try Self.holdsPartialResult(folder) }
    #expect(partialSeen, "the run never started writing")
    process.terminate()
    process.waitUntilExit()
    #expect(process.terminationStatus == 128 + SIGTERM)
    let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(left == ["big.csv"])
  }

  /// An interrupted `check --format csv --out` leaves no partial list of problems (and of the
  /// ID numbers in them) behind.
  @Test func anInterruptedCheckLeavesNoPartialReport() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("big.csv")
    try SyntheticRoster(seed: 6, badRate: 0.2)
      .write(rows: 200_000, to: roster.path, encoding: .utf8, policy: TestSupport.defaultPolicy)
    let report = folder.appendingPathComponent("problems.csv")
    let process = Process()
    process.executableURL = try TestSupport.binary
    process.arguments = ["check", roster.path, "--format", "csv", "--out", report.path]
    process.standardError = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let started = Self.cameTrue(while: process) {
      FileManager.default.fileExists(atPath: report.path)
    }
    #expect(started, "the check never started its report")
    process.terminate()
    process.waitUntilExit()
    #expect(process.terminationStatus == 128 + SIGTERM)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["big.csv"])
  }

  /// A run started with SIGINT ignored (a background job of a script) keeps ignoring it: the
  /// interrupt arrives while the run waits for its standard input, and the run still finishes.
  @Test func anInterruptIgnoredFromTheStartStaysIgnored() throws {
    let folder = try TestSupport.temporaryDirectory()
    let out = folder.appendingPathComponent("result")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c", "trap '' INT; exec \"$0\" screen - --out \"$1\" --as-of 2026-09-30 --no-progress",
      try TestSupport.binary.path, out.path,
    ]
    let input = Pipe()
    process.standardInput = input
    process.standardError = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let partialSeen = try Self.cameTrue(while: process) { try Self.holdsPartialResult(folder) }
    #expect(partialSeen, "the run never started")
    kill(process.processIdentifier, SIGINT)
    usleep(200_000)
    // Written only to a run still there: a pipe without its reader would end this test process.
    #expect(process.isRunning, "the interrupt ended the run")
    if process.isRunning {
      let roster = try Data(
        contentsOf: TestSupport.repositoryRoot.appendingPathComponent("samples/roster-utf8.csv"))
      input.fileHandleForWriting.write(roster)
    }
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("verdicts.csv").path))
  }

  @Test func anOutputFolderThatCannotBeMadeIsAClearError() throws {
    let folder = try TestSupport.temporaryDirectory()
    let file = folder.appendingPathComponent("plain-file")
    try Data("x".utf8).write(to: file)
    let result = try TestSupport.run([
      "screen", "samples/roster-utf8.csv", "--as-of", "2026-09-30", "--out",
      file.appendingPathComponent("out").path,
    ])
    #expect(result.status == 2)
    #expect(result.standardError.contains("plain-file/out"))
    #expect(!result.standardError.contains("Fatal error"))
  }

  @Test(.enabled(if: canMountTmpfs, "needs permission to mount a tmpfs"))
  func aFullDiskIsAClearErrorAndLeavesNoResult() throws {
    let folder = try TestSupport.temporaryDirectory()
    let disk = folder.appendingPathComponent("small-disk")
    try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
    #expect(Self.mount(disk.path, size: "16k"))
    defer { Self.unmount(disk.path) }
    let out = disk.appendingPathComponent("result")
    let result = try TestSupport.run([
      "screen", "samples/roster-utf8.csv", "samples/roster-gb18030.csv", "--as-of", "2026-09-30",
      "--out", out.path,
    ])
    #expect(result.status == 2)
    #expect(result.standardError.contains("small-disk"), "\(result.standardError)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path).isEmpty)
  }

  @Test func theCurrentFolderIsNeverTheOutputFolder() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = TestSupport.repositoryRoot.appendingPathComponent("samples/roster-utf8.csv")
    let result = try TestSupport.run(
      ["screen", roster.path, "--as-of", "2026-09-30", "--out", "."], in: folder)
    #expect(result.status == 2)
    #expect(result.standardError.contains("当前文件夹"))
    #expect(FileManager.default.fileExists(atPath: folder.path))
    let parent = folder.deletingLastPathComponent()
    let hidden = try FileManager.default.contentsOfDirectory(atPath: parent.path)
      .filter { $0.hasPrefix(".\(folder.lastPathComponent)") }
    #expect(hidden.isEmpty)
  }

  @Test func aFailedWriteToStandardOutputIsAnError() throws {
    guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
    let process = Process()
    process.executableURL = try TestSupport.binary
    process.arguments = ["policy", "show"]
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
    let error = Pipe()
    process.standardError = error
    try process.run()
    let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 2)
    #expect(message.contains("No space left on device"))
  }

  @Test(.enabled(if: canMountTmpfs, "needs permission to mount a tmpfs"))
  func aTemplateThatDoesNotFitLeavesNoFile() throws {
    let folder = try TestSupport.temporaryDirectory()
    let disk = folder.appendingPathComponent("tiny")
    try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
    #expect(Self.mount(disk.path, size: "4k"))
    defer { Self.unmount(disk.path) }
    let filler = disk.appendingPathComponent("filler")
    try Data(repeating: 0x41, count: 4000).write(to: filler)
    let out = disk.appendingPathComponent("t.csv")
    let result = try TestSupport.run(["template", "--out", out.path])
    #expect(result.status == 2)
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func anInputThatShrinksWhileReadIsFailedNotTakenAsWhole() throws {
    let folder = try TestSupport.temporaryDirectory()
    let roster = folder.appendingPathComponent("shrinking.csv")
    try SyntheticRoster(seed: 9)
      .write(rows: 30_000, to: roster.path, encoding: .utf8, policy: TestSupport.defaultPolicy)
    let path = roster.path
    let truncated = TruncateOnce()
    var configuration = TestSupport.configuration(
      inputs: [path], out: folder.appendingPathComponent("out"))
    configuration.progress = { _ in truncated.run { _ = truncate(path, 2_000_000) } }
    let report = try ScreeningRun.run(configuration)
    #expect(report.failedInputs.count == 1)
    #expect(report.failedInputs.first?.failure?.contains("变短") == true)
  }
}

/// Runs an action once, from whichever thread asks first.
final class TruncateOnce: @unchecked Sendable {
  private let lock = NSLock()
  private var done = false

  func run(_ action: () -> Void) {
    lock.lock()
    defer { lock.unlock() }
    guard !done else { return }
    done = true
    action()
  }
}
