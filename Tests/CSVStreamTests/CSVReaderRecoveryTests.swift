import Foundation
import Testing

@testable import CSVStream

/// Strict-mode problems make one damaged record each, located by start line, failing line and
/// column, and reading resumes on the line after the damaged record's start line.
@Suite struct CSVReaderRecoveryTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var input: String
    var expected: [RecordSummary]
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "unterminated quote mid-file", input: "1,a,b\n2,\"x,y\n3,c,d\n4,e,f\n",
      expected: [
        .init(1, ["1", "a", "b"]),
        .init(2, ["2,\"x,y"], damage: .malformedQuotes, failingLine: 4),
        .init(3, ["3", "c", "d"]), .init(4, ["4", "e", "f"]),
      ]),
    Case(
      name: "unterminated quote mid-file, CRLF", input: "1,a,b\r\n2,\"x,y\r\n3,c,d\r\n4,e,f\r\n",
      expected: [
        .init(1, ["1", "a", "b"]),
        .init(2, ["2,\"x,y"], damage: .malformedQuotes, failingLine: 4),
        .init(3, ["3", "c", "d"]), .init(4, ["4", "e", "f"]),
      ]),
    Case(
      name: "unterminated quote at end of file without line end", input: "a\n\n\"b",
      expected: [
        .init(1, ["a"]), .init(3, ["\"b"], damage: .malformedQuotes, failingLine: 3),
      ]),
    Case(
      name: "unterminated quote, blank line inside",
      input: "姓名,备注\n张三,\"未闭合\n李四,x\n\n王五,y\n",
      expected: [
        .init(1, ["姓名", "备注"]),
        .init(2, ["张三,\"未闭合"], damage: .malformedQuotes, failingLine: 5),
        .init(3, ["李四", "x"]), .init(5, ["王五", "y"]),
      ]),
    Case(
      name: "bare quote inside an unquoted field", input: "a,b\n1,x\"y\n2,z\n",
      expected: [
        .init(1, ["a", "b"]),
        .init(2, ["1,x\"y"], damage: .malformedQuotes, failingLine: 2, column: 4),
        .init(3, ["2", "z"]),
      ]),
    Case(
      name: "bare quote after Chinese text", input: "姓名,备注\n张三,说\"好\"\n李四,x\n",
      expected: [
        .init(1, ["姓名", "备注"]),
        .init(2, ["张三,说\"好\""], damage: .malformedQuotes, failingLine: 2, column: 5),
        .init(3, ["李四", "x"]),
      ]),
    Case(
      name: "text after a closing quote", input: "a,b\n\"x\"y,1\n2,z\n",
      expected: [
        .init(1, ["a", "b"]),
        .init(2, ["\"x\"y,1"], damage: .malformedQuotes, failingLine: 2, column: 4),
        .init(3, ["2", "z"]),
      ]),
    Case(
      name: "text after a closing quote in a multi-line record",
      input: "a\n\n\"x\n中\"z,1\nnext\n",
      expected: [
        .init(1, ["a"]),
        .init(3, ["\"x"], damage: .malformedQuotes, failingLine: 4, column: 3),
        .init(4, ["中\"z,1"], damage: .malformedQuotes, failingLine: 4, column: 2),
        .init(5, ["next"]),
      ]),
    Case(
      name: "a good multi-line record after a broken one",
      input: "h\n\"x\"y\n\"p\nq\",1\nlast\n",
      expected: [
        .init(1, ["h"]),
        .init(2, ["\"x\"y"], damage: .malformedQuotes, failingLine: 2, column: 4),
        .init(3, ["p\nq", "1"]), .init(5, ["last"]),
      ]),
    Case(
      name: "one broken quote per line", input: "\"a\n\"b\n\"c\n",
      expected: [
        .init(1, ["\"a"], damage: .malformedQuotes, failingLine: 2, column: 2),
        .init(2, ["\"b"], damage: .malformedQuotes, failingLine: 3, column: 2),
        .init(3, ["\"c"], damage: .malformedQuotes, failingLine: 3),
      ]),
    Case(
      name: "lone CR line ends", input: "a\r\"b\rc\rd",
      expected: [
        .init(1, ["a"]),
        .init(2, ["\"b"], damage: .malformedQuotes, failingLine: 4),
        .init(3, ["c"]), .init(4, ["d"]),
      ]),
    Case(
      name: "damaged last record without line end", input: "a\nb\"c",
      expected: [
        .init(1, ["a"]), .init(2, ["b\"c"], damage: .malformedQuotes, failingLine: 2, column: 2),
      ]),
  ]

  @Test(arguments: cases, [4, 5, 7, 1 << 20])
  func recoversAndLocates(_ testCase: Case, blockSize: Int) throws {
    let options = CSVReaderOptions(blockSize: blockSize, batchSize: 2)
    #expect(try readSummaries(Array(testCase.input), options: options) == testCase.expected)
  }

  @Test func damageDescribesItself() throws {
    let (records, _) = try readFile(Array("a\n1,x\"y\n"), name: "roster.csv")
    let damage = try #require(records.last?.damage)
    #expect(records.last?.location.description == "roster.csv:2")
    #expect(records.last?.quoted == [false])
    #expect(damage.message == "未加引号的字段中出现引号 / a quote inside an unquoted field")
  }

  @Test func unterminatedQuoteMessage() throws {
    let (records, _) = try readFile(Array("a\n\"b\n"))
    #expect(
      records.last?.damage?.message
        == "引号未闭合，记录一直延续到文件末尾 / unterminated quoted field: the record runs to the end of"
        + " the file")
  }

  @Test func batchesNeverThrowForDamagedRecords() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let path = try scratch.write(Array("a\nb\n\"c\"d\ne\n"))
    let reader = try CSVReader(path: path, options: CSVReaderOptions(blockSize: 4, batchSize: 2))
    var batches: [[String]] = []
    while let batch = try reader.nextBatch() {
      batches.append(batch.map { $0.damage == nil ? $0.fields[0] : "damaged" })
    }
    #expect(batches == [["a", "b"], ["damaged", "e"]])
    #expect(try reader.nextBatch() == nil)
  }

  @Test func megabyteFieldIsReadIntact() throws {
    let big = String((0..<(1 << 20)).map { index in Character(index % 1000 == 999 ? "中" : "a") })
    let input = "id,text\n1,\(big)\n2,\"\(big)\"\n3,x\n"
    let options = CSVReaderOptions(blockSize: 64 * 1024, maxFieldBytes: 4 << 20)
    let (records, _) = try readFile(Array(input), options: options)
    try #require(records.count == 4)
    #expect(records[1].fields[1] == big)
    #expect(records[2].fields[1] == big)
    #expect(records[2].quoted == [false, true])
    #expect(records.map(\.location.line) == [1, 2, 3, 4])
    #expect(records.allSatisfy { $0.damage == nil })
  }

  struct LimitCase: CustomTestStringConvertible, Sendable {
    var name: String
    var input: String
    /// The damaged record's start and failing line, or `nil` when nothing fails.
    var failure: (start: Int, line: Int)?
    var testDescription: String { name }
  }

  static let limit = 1000
  static let exact = String(repeating: "x", count: limit)
  static let over = exact + "y"
  static let limitCases: [LimitCase] = [
    LimitCase(name: "unquoted at limit", input: "a\n\(exact),b\nnext\n", failure: nil),
    LimitCase(name: "quoted at limit", input: "a\n\"\(exact)\",b\nnext\n", failure: nil),
    LimitCase(name: "quoted at limit, end of file", input: "a\n\"\(exact)\"", failure: nil),
    LimitCase(name: "unquoted one over", input: "a\n\(over),b\nnext\n", failure: (2, 2)),
    LimitCase(name: "unquoted two over", input: "a\n\(over)z,b\nnext\n", failure: (2, 2)),
    LimitCase(name: "quoted one over", input: "a\n\"\(over)\",b\nnext\n", failure: (2, 2)),
    LimitCase(name: "last field one over", input: "a\nb,\(over)\nnext\n", failure: (2, 2)),
    LimitCase(name: "one over at end of file", input: "a\nb,\(over)", failure: (2, 2)),
    LimitCase(
      name: "open quote grows over the limit on a later line",
      input: "a\n\"\(String(exact.prefix(600)))\n\(String(exact.prefix(600)))\nnext\n",
      failure: (2, 3)),
  ]

  @Test(arguments: limitCases, [4, 256, 1 << 20])
  func fieldLimit(_ testCase: LimitCase, blockSize: Int) throws {
    let options = CSVReaderOptions(blockSize: blockSize, maxFieldBytes: Self.limit)
    let records = try readFile(Array(testCase.input), options: options).records
    #expect(records.first?.fields == ["a"])
    let damaged = records.filter { $0.damage != nil }
    guard let failure = testCase.failure else {
      #expect(damaged.isEmpty)
      #expect(records[1].fields.first == Self.exact)
      return
    }
    try #require(damaged.count == 1)
    #expect(damaged[0].location.line == failure.start)
    #expect(damaged[0].damage?.kind == .fieldTooLarge)
    #expect(damaged[0].damage?.failingLine == failure.line)
    #expect(damaged[0].fields[0].utf8.count <= Self.limit)
    if testCase.input.hasSuffix("next\n") {
      #expect(records.last?.fields == ["next"])
      #expect(records.last?.damage == nil)
    }
  }

  @Test func fieldAboveTheDefaultCap() throws {
    let huge = String(repeating: "z", count: (1 << 20) + 1)
    let (records, _) = try readFile(Array("a\n\n\(huge)\nnext\n"))
    try #require(records.count == 3)
    #expect(records[1].location.line == 3)
    #expect(records[1].damage?.kind == .fieldTooLarge)
    #expect(
      records[1].damage?.message == "字段超过 1048576 字节上限 / field exceeds the limit of 1048576 bytes")
    #expect(records[1].fields == [String(huge.dropLast())])
    #expect(records[2].fields == ["next"])
    #expect(records[2].location.line == 4)
  }

  @Test func unclosedQuoteRunsIntoTheLimitAndReadingResumes() throws {
    // The open quote on line 2 swallows the following lines until the field limit; reading then
    // resumes on line 3 and every later record survives.
    let rows = (3...200).map { "\($0),姓名\($0),备注" }.joined(separator: "\n")
    let input = "id,name,note\n2,\"unclosed,x\n" + rows + "\n"
    let options = CSVReaderOptions(blockSize: 512, maxFieldBytes: 1000)
    let records = try readFile(Array(input), options: options).records
    try #require(records.count == 200)
    #expect(records[1].damage?.kind == .fieldTooLarge)
    #expect(records[1].damage?.message.contains("可能是引号未闭合") == true)
    #expect(records[1].fields == ["2,\"unclosed,x"])
    #expect(records[2...].map(\.location.line) == Array(3...200))
    #expect(records[2...].allSatisfy { $0.damage == nil && $0.fields.count == 3 })
  }

  /// A record that runs past the field limit plus the rewind slack is not re-read: reading
  /// resumes after the failing line, so memory stays bounded.
  @Test(arguments: [4, 100, 1 << 20])
  func recordPastTheRewindLimitResumesAfterTheFailingLine(blockSize: Int) throws {
    let middle = String(repeating: "\",\"x\n", count: 30_000)
    let input = "1,ok\n2,\"x\n" + middle + "\"q,1\n3,ok\n"
    let options = CSVReaderOptions(blockSize: blockSize, maxFieldBytes: 100)
    let summaries = try readSummaries(Array(input), options: options)
    #expect(
      summaries == [
        .init(1, ["1", "ok"]),
        .init(2, ["2,\"x"], damage: .malformedQuotes, failingLine: 30_003, column: 2),
        .init(30_004, ["3", "ok"]),
      ])
  }

  @Test(arguments: [4, 9, 1 << 20])
  func smallRewindSlack(blockSize: Int) throws {
    // Line 2's record fails on line 4, 12 bytes after its start: beyond 4 + 4 bytes, so reading
    // resumes after line 4 instead of re-reading line 3.
    var options = CSVReaderOptions(blockSize: blockSize, maxFieldBytes: 4)
    options.rewindSlack = 4
    let summaries = try readSummaries(Array("a\n\"b\n\",\"\nc\"x\nd\n"), options: options)
    #expect(
      summaries == [
        .init(1, ["a"]), .init(2, ["\"b"], damage: .malformedQuotes, failingLine: 4, column: 3),
        .init(5, ["d"]),
      ])
  }
}
