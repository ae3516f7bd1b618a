import CSVStream
import Foundation
import Policy
import Roster
import Testing

@testable import Screening

/// `check` over inputs too large for the in-memory ID index finds repeated IDs by a first pass on
/// disk, as `screen` does: the report must be the one the in-memory index gives, and the work
/// files must be gone afterwards.
@Suite struct RosterCheckFirstPassTests {
  static let policy = ResolvedPolicy(
    TestSupport.defaultPolicy, on: CivilDate(year: 2026, month: 9, day: 30) ?? ScreeningDate.epoch)

  static func problems(_ check: RosterCheck, _ paths: [String]) throws -> (
    [RosterProblem], RosterCheckReport
  ) {
    var problems: [RosterProblem] = []
    let report = try check.run(paths) { problems.append($0) }
    return (problems, report)
  }

  @Test func aFirstPassOnDiskReportsWhatTheIndexInMemoryReports() throws {
    let folder = try TestSupport.temporaryDirectory()
    let scratch = folder.appendingPathComponent("scratch")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    // Files the check cannot read, between those it can: the numbering of the inputs must hold.
    let empty = folder.appendingPathComponent("empty.csv")
    try Data().write(to: empty)
    let workbook = folder.appendingPathComponent("book.csv")
    try Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]).write(to: workbook)
    let generated = try DuplicatePlanTests.inputs(in: folder)
    let paths = [generated[0], empty.path, generated[1], workbook.path, generated[2]]
    let inMemory = RosterCheck(policy: Self.policy)
    let onDisk = RosterCheck(
      policy: Self.policy, inMemoryDuplicateLimit: 0, temporaryDirectory: scratch.path)
    #expect(!FirstPassInputs.needed(for: paths, limit: inMemory.inMemoryDuplicateLimit))
    #expect(FirstPassInputs.needed(for: paths, limit: onDisk.inMemoryDuplicateLimit))

    let (expected, expectedReport) = try Self.problems(inMemory, paths)
    let (found, report) = try Self.problems(onDisk, paths)
    let repeats = expected.filter { $0.kind == RosterProblemKind.duplicateID }
    // Every ID of the second file repeats one of the first, and the third repeats some more.
    #expect(repeats.count > 3_000)
    #expect(repeats.contains { $0.location.file.hasSuffix("c.csv") && $0.value == "12345" })
    #expect(found == expected)
    #expect(report.counts == expectedReport.counts)
    #expect(report.rowsChecked == expectedReport.rowsChecked)
    #expect(report.inputs.map { $0.dataRows } == expectedReport.inputs.map { $0.dataRows })
    #expect(report.inputs.map { $0.failure } == expectedReport.inputs.map { $0.failure })
    #expect(report.inputs.filter { $0.failure != nil }.count == 2)
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
  }

  @Test func theFirstPassRunsInTheGivenFolder() throws {
    let folder = try TestSupport.temporaryDirectory()
    let paths = try DuplicatePlanTests.inputs(in: folder)
    let missing = folder.appendingPathComponent("no-such-folder").path
    let check = RosterCheck(
      policy: Self.policy, inMemoryDuplicateLimit: 0, temporaryDirectory: missing)
    #expect(throws: ScreeningError.self) { try check.run(paths) }
    // Below the limit no folder is needed, so the same setting does not matter.
    let small = RosterCheck(policy: Self.policy, temporaryDirectory: missing)
    #expect(try small.run(paths).rowsChecked > 6_000)
  }

  @Test func inputsOfUnknownSizeAndMissingFilesAreWeighedAsScreenDoes() throws {
    let folder = try TestSupport.temporaryDirectory()
    let file = folder.appendingPathComponent("a.csv")
    try Data("身份证号,姓名\n".utf8).write(to: file)
    #expect(FirstPassInputs.needed(for: ["-"], limit: 1 << 30))
    #expect(!FirstPassInputs.needed(for: [file.path], limit: 1 << 30))
    #expect(FirstPassInputs.needed(for: [file.path], limit: 1))
    // Screen cannot weigh a path it cannot examine either, and reads twice then.
    #expect(
      FirstPassInputs.needed(
        for: [file.path, folder.appendingPathComponent("gone.csv").path], limit: 1 << 30))
  }

  @Test func standardInputIsCheckedForRepeatsThroughACopy() throws {
    let folder = try TestSupport.temporaryDirectory()
    let paths = try DuplicatePlanTests.inputs(in: folder)
    let data = try Data(contentsOf: URL(fileURLWithPath: paths[2]))
    let fromFile = try TestSupport.run(["check", paths[2]])
    let fromStandardInput = try TestSupport.run(["check", "-"], input: data)
    #expect(fromStandardInput.status == fromFile.status)
    #expect(fromStandardInput.standardOutput.contains("stdin:9 身份证号: 与 stdin:3 重复（12345）"))
    #expect(
      fromStandardInput.standardOutput
        == fromFile.standardOutput.replacingOccurrences(of: paths[2], with: "stdin"))
  }

  /// A pipe named by its path (`<(…)` in a shell) is read whole: looking for a workbook's first
  /// bytes in it once took them from the reader.
  @Test func aPipeNamedByItsPathLosesNoBytes() throws {
    let folder = try TestSupport.temporaryDirectory()
    let paths = try DuplicatePlanTests.inputs(in: folder)
    let data = try Data(contentsOf: URL(fileURLWithPath: paths[0]))
    let fromFile = try TestSupport.run(["check", paths[0]])
    let fromPipe = try TestSupport.run(["check", "/dev/stdin"], input: data)
    #expect(fromPipe.standardOutput.contains("/dev/stdin：UTF-8（带 BOM），表头在第 1 行，数据 3000 行"))
    #expect(
      fromPipe.standardOutput
        == fromFile.standardOutput.replacingOccurrences(of: paths[0], with: "/dev/stdin"))
  }

  /// Standard input that the first pass could not read to its end (here a header without the
  /// 姓名 column) is checked from the copy that pass made, not from the spent input.
  @Test func standardInputTheFirstPassStoppedOnIsCheckedFromItsCopy() throws {
    let folder = try TestSupport.temporaryDirectory()
    let file = folder.appendingPathComponent("no-name.csv")
    let text = "身份证号,名字X,工作单位\n330602199001011231,林测甲,绍兴某厂\n"
    try Data(text.utf8).write(to: file)
    let fromFile = try TestSupport.run(["check", file.path])
    let fromStandardInput = try TestSupport.run(["check", "-"], input: Data(text.utf8))
    #expect(fromFile.standardOutput.contains("【缺少必需的列】"), "\(fromFile.standardOutput)")
    #expect(fromStandardInput.status == fromFile.status)
    #expect(
      fromStandardInput.standardOutput
        == fromFile.standardOutput.replacingOccurrences(of: file.path, with: "stdin"))
  }
}
