import Foundation
import Testing

@testable import CSVStream

/// Line endings, blank lines, embedded newlines and the start line of every record.
@Suite struct CSVReaderLayoutTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var input: String
    var expected: [LineAndFields]
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "LF", input: "a,b\n1,2\n", expected: [.init(1, ["a", "b"]), .init(2, ["1", "2"])]),
    Case(
      name: "CRLF", input: "a,b\r\n1,2\r\n",
      expected: [.init(1, ["a", "b"]), .init(2, ["1", "2"])]
    ),
    Case(
      name: "missing final newline", input: "a,b\n1,2",
      expected: [.init(1, ["a", "b"]), .init(2, ["1", "2"])]),
    Case(
      name: "missing final CRLF", input: "a,b\r\n1,2",
      expected: [.init(1, ["a", "b"]), .init(2, ["1", "2"])]),
    Case(
      name: "trailing blank lines", input: "a,b\n1,2\n\n\r\n\n",
      expected: [.init(1, ["a", "b"]), .init(2, ["1", "2"])]),
    Case(name: "empty file", input: "", expected: []),
    Case(name: "only blank lines", input: "\n\r\n\n", expected: []),
    Case(name: "header only", input: "姓名,身份证号\n", expected: [.init(1, ["姓名", "身份证号"])]),
    Case(name: "header only, no newline", input: "姓名,身份证号", expected: [.init(1, ["姓名", "身份证号"])]),
    Case(
      name: "embedded newlines",
      input: "h1,h2\n\"x\ny\",1\n\"p\r\nq\r\nr\",2\nlast,3\n",
      expected: [
        .init(1, ["h1", "h2"]), .init(2, ["x\ny", "1"]), .init(4, ["p\r\nq\r\nr", "2"]),
        .init(7, ["last", "3"]),
      ]),
    Case(
      name: "embedded blank lines inside quotes",
      input: "a,\"\n\n\"\nb,c\n",
      expected: [.init(1, ["a", "\n\n"]), .init(4, ["b", "c"])]),
    Case(
      name: "blank lines between records",
      input: "a\n\n\nb\n\r\n c \n\n\"d\ne\"\nf",
      expected: [
        .init(1, ["a"]), .init(4, ["b"]), .init(6, [" c "]), .init(8, ["d\ne"]), .init(10, ["f"]),
      ]),
    Case(
      name: "leading blank lines", input: "\n\r\na,b\n",
      expected: [.init(3, ["a", "b"])]),
    Case(
      name: "spaces are kept exactly", input: " a , b ,\t\n\" q \",\"\"\"\"\n",
      expected: [.init(1, [" a ", " b ", "\t"]), .init(2, [" q ", "\""])]),
    Case(
      name: "empty fields", input: ",,\n,\n",
      expected: [.init(1, ["", "", ""]), .init(2, ["", ""])]),
    Case(
      name: "lone CR ends a line", input: "a\rb\nc\n",
      expected: [.init(1, ["a"]), .init(2, ["b"]), .init(3, ["c"])]),
    Case(
      name: "old Mac line ends", input: "a,b\r1,2\r\r3,4\r",
      expected: [.init(1, ["a", "b"]), .init(2, ["1", "2"]), .init(4, ["3", "4"])]),
    Case(
      name: "mixed CRLF, LF and CR", input: "a\r\nb\nc\rd\r\n\n\re",
      expected: [
        .init(1, ["a"]), .init(2, ["b"]), .init(3, ["c"]), .init(4, ["d"]), .init(7, ["e"]),
      ]
    ),
    Case(
      name: "line ends inside quotes are kept and counted", input: "\"x\ry\r\nz\",1\r2\n3",
      expected: [.init(1, ["x\ry\r\nz", "1"]), .init(4, ["2"]), .init(5, ["3"])]),
    Case(
      name: "CR then blank CRLF lines", input: "a\r\r\n\r\nb",
      expected: [.init(1, ["a"]), .init(4, ["b"])]),
    Case(
      name: "long line", input: String(repeating: "x", count: 5000) + ",y\nz\n",
      expected: [.init(1, [String(repeating: "x", count: 5000), "y"]), .init(2, ["z"])]),
  ]

  @Test(arguments: cases, [4, 5, 7, 1 << 20])
  func recordsStartOnTheirPhysicalLine(_ testCase: Case, blockSize: Int) throws {
    let options = CSVReaderOptions(blockSize: blockSize)
    #expect(try readLines(Array(testCase.input), options: options) == testCase.expected)
  }

  @Test func locationsNameTheFile() throws {
    let (records, _) = try readFile(Array("a\n\nb\n"), name: "roster.csv")
    #expect(records.map(\.location.description) == ["roster.csv:1", "roster.csv:3"])
  }

  @Test func quotedEmptyDiffersFromEmpty() throws {
    // The second line puts a field with an escaped quote before a shorter unquoted one.
    let (records, _) = try readFile(Array("a,\"\",,\"x\"\n\"a\"\"b\",x,\"\"\n"))
    try #require(records.count == 2)
    #expect(records[0].fields == ["a", "", "", "x"])
    #expect(records[0].quoted == [false, true, false, true])
    #expect(records[1].fields == ["a\"b", "x", ""])
    #expect(records[1].quoted == [true, false, true])
  }

  /// Shorter fields after quoted ones full of quotes, in the same and in later records, are
  /// not taken for quoted: libcsv's buffer still holds the longer fields' bytes behind them.
  @Test func shortFieldsAfterQuotedFieldsFullOfQuotes() throws {
    let text = "\"\"\"\"\"\"\"\",ab,\"\"\n\"x\"\"\"\"\",\"\",a\nabc,,b\n\"\"\"\"\"\",x\n"
    let (records, _) = try readFile(Array(text))
    #expect(
      records.map(\.fields) == [
        ["\"\"\"", "ab", ""], ["x\"\"", "", "a"], ["abc", "", "b"], ["\"\"", "x"],
      ])
    #expect(
      records.map(\.quoted) == [
        [true, false, true], [true, true, false], [false, false, false], [true, false],
      ])
  }

  @Test func quotedFlagAtEndOfFile() throws {
    let (records, _) = try readFile(Array("x,\"y\""))
    #expect(records.first?.quoted == [false, true])
  }

  @Test func batchesHaveBatchSizeRecordsInOrder() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let text = (1...5).map { "r\($0)\n" }.joined()
    let path = try scratch.write(Array(text))
    let reader = try CSVReader(path: path, options: CSVReaderOptions(blockSize: 4, batchSize: 2))
    var sizes: [Int] = []
    var fields: [String] = []
    while let batch = try reader.nextBatch() {
      sizes.append(batch.count)
      fields += batch.map { $0.fields[0] }
    }
    #expect(sizes == [2, 2, 1])
    #expect(fields == ["r1", "r2", "r3", "r4", "r5"])
    #expect(try reader.nextBatch() == nil)
    #expect(reader.bytesRead == text.utf8.count)
  }

  @Test func readsFromMemory() throws {
    let reader = CSVReader(bytes: Array("a,b\n\n1,2\n"), displayName: "memory.csv")
    let records = try reader.readAll()
    #expect(records.map(\.location.description) == ["memory.csv:1", "memory.csv:3"])
    #expect(records.map(\.fields) == [["a", "b"], ["1", "2"]])
  }

  @Test func missingFileCannotBeOpened() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let missing = scratch.path("missing.csv")
    #expect(throws: CSVError.cannotOpen(path: missing, reason: "No such file or directory")) {
      _ = try CSVReader(path: missing)
    }
  }

  @Test func directoryCannotBeOpened() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    do {
      _ = try CSVReader(path: scratch.url.path)
      Issue.record("opening a directory succeeded")
    } catch {
      guard case .cannotOpen(let path, _) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(path == scratch.url.path)
    }
  }
}
