import Foundation
import Testing

@testable import CSVStream

/// Strict-mode parse errors and the field size limit.
@Suite struct CSVReaderErrorTests {
  static func location(_ line: Int) -> CSVStream.SourceLocation {
    SourceLocation(file: "roster.csv", line: line)
  }

  @Test(arguments: [4, 1 << 20])
  func unterminatedQuoteNamesTheRecordStart(blockSize: Int) throws {
    let input = "姓名,备注\n张三,\"未闭合\n李四,x\n\n王五,y\n"
    let error = try readError(
      Array(input), options: CSVReaderOptions(blockSize: blockSize), name: "roster.csv")
    #expect(error == .unterminatedQuote(Self.location(2)))
    #expect(error?.description.hasPrefix("roster.csv:2: ") == true)
  }

  @Test func unterminatedQuoteWithoutFinalNewline() throws {
    let error = try readError(Array("a\n\n\"b"), name: "roster.csv")
    #expect(error == .unterminatedQuote(Self.location(3)))
  }

  @Test func quoteInsideUnquotedField() throws {
    let error = try readError(Array("a,b\n1,x\"y\n"), name: "roster.csv")
    guard case .malformed(let location, let line, let message) = error else {
      Issue.record("expected malformed, got \(String(describing: error))")
      return
    }
    #expect(location == Self.location(2))
    #expect(line == 2)
    #expect(message.contains("column 4"))
    #expect(error?.description.hasPrefix("roster.csv:2: ") == true)
  }

  @Test(arguments: [4, 1 << 20])
  func textAfterClosingQuoteInMultilineRecord(blockSize: Int) throws {
    let input = "a\n\n\"x\n中\"z,1\n"
    let error = try readError(
      Array(input), options: CSVReaderOptions(blockSize: blockSize), name: "roster.csv")
    guard case .malformed(let location, let line, let message) = error else {
      Issue.record("expected malformed, got \(String(describing: error))")
      return
    }
    #expect(location == Self.location(3))
    #expect(line == 4)
    #expect(message.contains("column 3"))
    #expect(error?.description.hasPrefix("roster.csv:4: ") == true)
  }

  @Test func recordsBeforeAParseErrorAreDelivered() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let reader = try CSVReader(path: try scratch.write(Array("a\nb\n\"c\"d\ne\n")))
    #expect(try reader.nextBatch()?.map(\.fields) == [["a"], ["b"]])
    #expect(throws: CSVError.self) { try reader.nextBatch() }
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
  }

  struct LimitCase: CustomTestStringConvertible, Sendable {
    var name: String
    var input: String
    var fails: Bool
    var testDescription: String { name }
  }

  static let limit = 1000
  static let exact = String(repeating: "x", count: limit)
  static let over = exact + "y"
  static let limitCases: [LimitCase] = [
    LimitCase(name: "unquoted at limit", input: "a\n\(exact),b\n", fails: false),
    LimitCase(name: "quoted at limit", input: "a\n\"\(exact)\",b\n", fails: false),
    LimitCase(name: "quoted at limit, end of file", input: "a\n\"\(exact)\"", fails: false),
    LimitCase(name: "unquoted one over", input: "a\n\(over),b\n", fails: true),
    LimitCase(name: "unquoted two over", input: "a\n\(over)z,b\n", fails: true),
    LimitCase(name: "quoted one over", input: "a\n\"\(over)\",b\n", fails: true),
    LimitCase(name: "last field one over", input: "a\nb,\(over)\n", fails: true),
    LimitCase(name: "one over at end of file", input: "a\nb,\(over)", fails: true),
    LimitCase(
      name: "far over, multiline", input: "a\n\"\(over)\n\(over)\n\(over)\",b\n", fails: true),
  ]

  @Test(arguments: limitCases, [4, 256, 1 << 20])
  func fieldLimit(_ testCase: LimitCase, blockSize: Int) throws {
    let options = CSVReaderOptions(blockSize: blockSize, maxFieldBytes: Self.limit)
    if testCase.fails {
      let error = try readError(Array(testCase.input), options: options, name: "roster.csv")
      #expect(error == .fieldTooLarge(Self.location(2), limit: Self.limit))
    } else {
      let (records, _) = try readFile(Array(testCase.input), options: options)
      #expect(records.count == 2)
      #expect(records.last?.fields.first == Self.exact)
    }
  }

  @Test func fieldAboveTheDefaultCap() throws {
    let huge = String(repeating: "z", count: (1 << 20) + 1)
    let error = try readError(Array("a\n\n\(huge)\n"), name: "roster.csv")
    #expect(error == .fieldTooLarge(Self.location(3), limit: 1 << 20))
  }
}
