import Foundation
import Testing

@testable import CSVStream

/// Blanks and tabs are field text wherever they stand: the parser switches libcsv's space test
/// off only for stretches without them, and these tests hold it to the same fields it gave when
/// the test answered "no space" for every byte.
@Suite struct CSVReaderBlankTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var input: String
    var expected: [LineAndFields]
    var quoted: [[Bool]]
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "leading and trailing blanks, quoted and not",
      input: "  x  ,\" y \",\tz\t, \t\n",
      expected: [.init(1, ["  x  ", " y ", "\tz\t", " \t"])],
      quoted: [[false, true, false, false]]),
    Case(
      name: "blanks only at the start and only at the end of a line",
      input: " a,b\nc,d \n",
      expected: [.init(1, [" a", "b"]), .init(2, ["c", "d "])],
      quoted: [[false, false], [false, false]]),
    Case(
      name: "a line of blanks is a field", input: "   \n\t\na\n",
      expected: [.init(1, ["   "]), .init(2, ["\t"]), .init(3, ["a"])],
      quoted: [[false], [false], [false]]),
    Case(
      name: "blanks on the lines of a multi-line quoted field",
      input: "\"first \n  second  \n\tthird\",x \ny\n",
      expected: [.init(1, ["first \n  second  \n\tthird", "x "]), .init(4, ["y"])],
      quoted: [[true, false], [false]]),
    Case(
      name: "blanks after a line end inside quotes, CRLF",
      input: "\"a\r\n \",b\r\n c ,\"\td\"\r\n",
      expected: [.init(1, ["a\r\n ", "b"]), .init(3, [" c ", "\td"])],
      quoted: [[true, false], [false, true]]),
    Case(
      name: "escaped quotes next to blanks", input: "\" \"\"a\"\" \",\"\"\"\"\n",
      expected: [.init(1, [" \"a\" ", "\""])],
      quoted: [[true, true]]),
    Case(
      name: "tab delimiter keeps blanks",
      input: "h1\th2\th3\n a \t\" b \"\t\n\"c\td\"\t \t\n",
      expected: [
        .init(1, ["h1", "h2", "h3"]), .init(2, [" a ", " b ", ""]), .init(3, ["c\td", " ", ""]),
      ],
      quoted: [[false, false, false], [false, true, false], [true, false, false]]),
    Case(
      name: "a tab in a comma-delimited line far from its blanks",
      input: "a b,c,d,e\tf,g h\n",
      expected: [.init(1, ["a b", "c", "d", "e\tf", "g h"])],
      quoted: [[false, false, false, false, false]]),
  ]

  @Test(arguments: cases, [4, 5, 7, 1 << 20])
  func blanksAndTabsAreKept(_ testCase: Case, blockSize: Int) throws {
    let options = CSVReaderOptions(blockSize: blockSize)
    let (records, _) = try readFile(Array(testCase.input), options: options)
    #expect(records.map { LineAndFields($0.location.line, $0.fields) } == testCase.expected)
    #expect(records.map(\.quoted) == testCase.quoted)
    #expect(records.allSatisfy { $0.damage == nil })
  }

  /// A blank is never skipped, so a quote after one is in the wrong place.
  @Test(arguments: [
    ("a, \"b\"\nc\n", 1, 4), ("\"a\" ,b\nc\n", 1, 4), ("x,y\n \"a\"\nc\n", 2, 2),
  ])
  func quoteAfterBlankIsMalformed(input: String, line: Int, column: Int) throws {
    let records = try readSummaries(Array(input))
    try #require(records.count == 3 - (line == 2 ? 0 : 1))
    let damaged = try #require(records.first { $0.damage != nil })
    #expect(damaged.damage == .malformedQuotes)
    #expect(damaged.failingLine == line)
    #expect(damaged.column == column)
    #expect(records.last == RecordSummary(line + 1, ["c"]))
  }

  /// Generated records of blanks, tabs, quotes, delimiters, line ends and Chinese text read back
  /// exactly as written, whatever the delimiter and block size.
  @Test(arguments: [UInt8(ascii: ","), UInt8(ascii: "\t")], [5, 64, 1 << 20])
  func generatedRecordsReadBack(delimiter: UInt8, blockSize: Int) throws {
    var generator = SplitMix(seed: UInt64(delimiter) &* 31 &+ UInt64(blockSize))
    let header = delimiter == UInt8(ascii: ",") ? "h1,h2\n" : "h1\th2\n"
    var text = header
    var expected: [LineAndFields] = [.init(1, ["h1", "h2"])]
    var quoted: [[Bool]] = [[false, false]]
    var line = 2
    for _ in 0..<300 {
      let fieldCount = 1 + generator.below(5)
      var fields: [String] = []
      var flags: [Bool] = []
      var written: [String] = []
      for _ in 0..<fieldCount {
        let (field, isQuoted, form) = Self.field(&generator, delimiter: delimiter)
        fields.append(field)
        flags.append(isQuoted)
        written.append(form)
      }
      // A record of one empty unquoted field is a blank line, which is no record.
      if fieldCount == 1 && written[0].isEmpty { written[0] = "\"\"" }
      if fieldCount == 1 && written[0] == "\"\"" { (fields[0], flags[0]) = ("", true) }
      let record = written.joined(separator: String(UnicodeScalar(delimiter))) + "\n"
      text += record
      expected.append(.init(line, fields))
      quoted.append(flags)
      line += record.utf8.filter { $0 == UInt8(ascii: "\n") }.count
    }
    let (records, _) = try readFile(Array(text), options: CSVReaderOptions(blockSize: blockSize))
    #expect(records.map { LineAndFields($0.location.line, $0.fields) } == expected)
    #expect(records.map(\.quoted) == quoted)
  }

  /// One field: its text, whether it is quoted, and how it is written.
  private static func field(_ generator: inout SplitMix, delimiter: UInt8)
    -> (String, Bool, String)
  {
    let plain = ["a", " ", " ", "中", "\t"].filter { $0 != String(UnicodeScalar(delimiter)) }
    let special = plain + ["\"", ",", "\n", "\t", "\r\n", "  "]
    let length = generator.below(6)
    if generator.below(2) == 0 {
      let text = (0..<length).map { _ in plain[generator.below(plain.count)] }
        .joined()
      return (text, false, text)
    }
    let text = (0..<length).map { _ in special[generator.below(special.count)] }
      .joined()
    return (text, true, "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
  }
}
