import Foundation
import Testing

@testable import CSVStream

/// The reader splits simple whole lines itself (`LibCSVParser.splitPlainLine`) and leaves the
/// rest to libcsv; these tests hold every input to exactly what libcsv alone reads from it:
/// records, lines, quoted flags, damage and errors, in one block and in tiny ones.
@Suite struct PlainLineSplitTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var input: String
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "plain fields", input: "a,b,c\nd,e,f\n"),
    Case(
      name: "quoted ID and quoted field with a comma",
      input: "\"330602199001011237\",张三,\"x, y\",\n"),
    Case(name: "empty fields everywhere", input: ",,\n,\n\"\",\"\"\n,\"\",\n"),
    Case(name: "no line end at the end", input: "a,\"b\"\nc,\"d\""),
    Case(name: "CRLF and lone CR", input: "a,b\r\nc,\"d\"\r\ne,f\rg,h\r\n"),
    Case(name: "blank lines between records", input: "a\n\n\r\n\rb,c\n"),
    Case(name: "escaped quotes go to libcsv", input: "\"a\"\"b\",c\nd,\"\"\"\"\n"),
    Case(name: "quoted field over two lines", input: "\"a\nb\",c\n\"\n\",d\ne\n"),
    Case(name: "stray quote in an unquoted field", input: "ab\"c,d\ne,f\n"),
    Case(name: "text after a closing quote", input: "\"ab\"c,d\n\"x\" ,y\ne\n"),
    Case(name: "blank before an opening quote", input: " \"a\",b\nc\n"),
    Case(name: "unclosed quote at the end", input: "a,b\n\"c,d\n"),
    Case(name: "quote as the last byte of a line", input: "a,\"\nb\"\nc,\"\n"),
    Case(name: "blanks and tabs kept", input: " a ,\tb\t, \"c\"\n  \n\t\n"),
    Case(
      name: "fields at and over the limit",
      input: String(repeating: "x", count: 40) + ",y\n" + String(repeating: "z", count: 41)
        + ",w\n\"" + String(repeating: "q", count: 40) + "\"\n\""
        + String(repeating: "r", count: 41)
        + "\"\nend\n"),
    Case(name: "Chinese text and long words", input: "绍兴某某示范有限公司第七车间,上虞区,\"柯桥区, 越城区\"\n"),
    Case(name: "tab delimited", input: "a\tb\t\"c\td\"\n\"e\"\t\tf\n"),
    Case(name: "sep line", input: "sep=;\na;\"b;c\";d\n"),
    Case(name: "byte order mark", input: "\u{FEFF}\"a\",b\nc,d\n"),
  ]

  static func outcomes(_ input: [UInt8], blockSize: Int, batchSize: Int)
    -> (split: ReaderProperties.Outcome, libcsv: ReaderProperties.Outcome)
  {
    var options = ReaderProperties.smallLimits(.auto, blockSize: blockSize, batchSize: batchSize)
    let split = ReaderProperties.read(input, options: options)
    options.splitsPlainLines = false
    return (split, ReaderProperties.read(input, options: options))
  }

  @Test(arguments: cases)
  func readsAsLibCSVAlone(_ testCase: Case) {
    let input = Array(testCase.input.utf8)
    for (blockSize, batchSize) in [(8192, 4096), (4, 1), (7, 3)] {
      let (split, libcsv) = Self.outcomes(input, blockSize: blockSize, batchSize: batchSize)
      #expect(split == libcsv, "blocks of \(blockSize)")
      #expect(!split.records.isEmpty)
    }
  }

  @Test func splitsPlainLinesIntoFieldsAndQuotedFlags() throws {
    let input = Array("\"330602199001011237\",张三,,\"a, b\",\"\"\nx,y\n".utf8)
    let (split, _) = Self.outcomes(input, blockSize: 8192, batchSize: 4096)
    let first = try #require(split.records.first)
    #expect(first.fields == ["330602199001011237", "张三", "", "a, b", ""])
    #expect(first.quoted == [true, false, false, true, true])
    #expect(split.records.map(\.location.line) == [1, 2])
  }

  @Test(arguments: FuzzReplayTests.seeds)
  func fuzzSeedReadsAsLibCSVAlone(_ name: String) throws {
    let url = FuzzReplayTests.corpusDirectory.appendingPathComponent(name)
    let input = Array(try Data(contentsOf: url))
    for (blockSize, batchSize) in [(8192, 4096), (7, 3)] {
      let (split, libcsv) = Self.outcomes(input, blockSize: blockSize, batchSize: batchSize)
      #expect(split == libcsv, "blocks of \(blockSize)")
    }
  }
}
