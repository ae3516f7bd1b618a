import Foundation
import Testing

@testable import CSVStream

/// What the reader decides from the start of a file: Excel's `sep=` line, the delimiter, files
/// that are not CSV at all, empty files, and control characters that it keeps.
@Suite struct CSVReaderInputTests {
  struct SeparatorCase: CustomTestStringConvertible, Sendable {
    var name: String
    var input: [UInt8]
    var delimiter: Character
    var testDescription: String { name }
  }

  static let separatorCases: [SeparatorCase] = [
    .init(name: "sep=,", input: Array("sep=,\n姓名,备注\n张测试,\"a,b\"\n"), delimiter: ","),
    .init(name: "sep=; CRLF", input: Array("sep=;\r\n姓名;备注\r\n张测试;\"a;b\"\r\n"), delimiter: ";"),
    .init(name: "SEP=tab", input: Array("SEP=\t\n姓名\t备注\n张测试\t\"a\tb\"\n"), delimiter: "\t"),
    .init(
      name: "after a byte order mark",
      input: [0xEF, 0xBB, 0xBF] + Array("sep=|\r姓名|备注\r张测试|\"a|b\""),
      delimiter: "|"),
  ]

  @Test(arguments: separatorCases, [4, 1 << 20])
  func excelSeparatorLineSetsTheDelimiterAndIsSkipped(
    _ testCase: SeparatorCase, blockSize: Int
  ) throws {
    let options = CSVReaderOptions(blockSize: blockSize)
    let (records, reader) = try readFile(testCase.input, options: options)
    #expect(reader.skippedSeparatorLine)
    #expect(reader.delimiter == testCase.delimiter.asciiValue)
    let separator = String(testCase.delimiter)
    #expect(
      records.map { LineAndFields($0.location.line, $0.fields) } == [
        .init(2, ["姓名", "备注"]), .init(3, ["张测试", "a\(separator)b"]),
      ])
  }

  @Test func separatorLineAlone() throws {
    let (records, reader) = try readFile(Array("sep=;"))
    #expect(records.isEmpty)
    #expect(reader.skippedSeparatorLine)
  }

  struct DelimiterCase: CustomTestStringConvertible, Sendable {
    var input: String
    var delimiter: Character
    var separatorLine = false
    var testDescription: String { input.debugDescription }
  }

  static let delimiterCases: [DelimiterCase] = [
    .init(input: "姓名\t身份证号\n张测试\t1\n", delimiter: "\t"),
    .init(input: "姓名\t身份证号,备注\n", delimiter: ","),
    .init(input: "\"姓名\t身份证号\"\n", delimiter: ","),
    .init(input: "\"a,b\"\tc\n", delimiter: "\t"),
    .init(input: "姓名,身份证号\n张\t测试,1\n", delimiter: ","),
    .init(input: "单列\n", delimiter: ","),
    .init(input: "\"sep=;\"\n", delimiter: ","),
    .init(input: "sep=;x\n", delimiter: ","),
    .init(input: "sep=\"\n", delimiter: ","),
    .init(input: "sep=:", delimiter: ":", separatorLine: true),
  ]

  @Test(arguments: delimiterCases)
  func delimiterComesFromTheFirstLine(_ testCase: DelimiterCase) throws {
    let (_, reader) = try readFile(Array(testCase.input))
    #expect(reader.delimiter == testCase.delimiter.asciiValue)
    #expect(reader.skippedSeparatorLine == testCase.separatorLine)
  }

  @Test func separatorLikeFirstLineIsData() throws {
    let (records, reader) = try readFile(Array("\"sep=;\",x\n1,2\n"))
    #expect(!reader.skippedSeparatorLine)
    #expect(records.map(\.fields) == [["sep=;", "x"], ["1", "2"]])
  }

  struct NotCSVCase: CustomTestStringConvertible, Sendable {
    var name: String
    var input: [UInt8]
    var reason: String
    var testDescription: String { name }
  }

  /// Pseudo-random bytes, as in a compressed or image file.
  static let binary: [UInt8] = (0..<2000).map { index in
    UInt8(truncatingIfNeeded: (index &* 2_654_435_761) >> 13)
  }

  static let notCSVCases: [NotCSVCase] = [
    .init(
      name: "xlsx", input: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00] + Array(repeating: 0, count: 40),
      reason:
        "这是 Excel 工作簿（.xlsx），请在 Excel 中“另存为 CSV UTF-8” / this is an Excel workbook: save it as CSV UTF-8"
    ),
    .init(
      name: "xls", input: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0x3E, 0],
      reason:
        "这是旧版 Excel 或 WPS 工作簿（.xls、.et），请在 Excel 或 WPS 中“另存为 CSV UTF-8” / this is an old Excel"
        + " or WPS workbook (.xls, .et): save it as CSV UTF-8"),
    .init(name: "binary", input: binary, reason: "不是文本文件 / not a text file"),
    .init(
      name: "UTF-16 without a byte order mark", input: [UInt8](utf16: "姓名\tid\r\nabc\t123\r\n"),
      reason:
        "不是文本文件（像是没有字节顺序标记的 UTF-16，请指定编码 utf-16le） / not a text file (it looks like UTF-16"
        + " without a byte order mark: set the encoding to utf-16le)"),
    .init(
      name: "UTF-16BE without a byte order mark",
      input: [UInt8](utf16: "name\tid\r\nabc\t123\r\n", bigEndian: true),
      reason:
        "不是文本文件（像是没有字节顺序标记的 UTF-16，请指定编码 utf-16be） / not a text file (it looks like UTF-16"
        + " without a byte order mark: set the encoding to utf-16be)"),
    .init(
      name: "HTML table saved as .xls",
      input: Array("\r\n<HTML><table><tr><td>姓名</td></tr></table></HTML>\r\n"),
      reason:
        "这是网页或 XML 格式的表格，不是 CSV；请用 Excel 或 WPS 打开后“另存为 CSV UTF-8” / this is an HTML or XML"
        + " table, not CSV: open it in Excel or WPS and save it as CSV UTF-8"),
    .init(
      name: "Excel 2003 XML", input: Array("<?xml version=\"1.0\"?>\n<Workbook>"),
      reason:
        "这是网页或 XML 格式的表格，不是 CSV；请用 Excel 或 WPS 打开后“另存为 CSV UTF-8” / this is an HTML or XML"
        + " table, not CSV: open it in Excel or WPS and save it as CSV UTF-8"),
  ]

  @Test(arguments: notCSVCases, [InputEncoding.auto, .utf8, .gb18030])
  func filesThatAreNotCSVAreRejectedWhole(_ testCase: NotCSVCase, encoding: InputEncoding) throws {
    let options = CSVReaderOptions(encoding: encoding, blockSize: 4)
    let error = try readError(testCase.input, options: options, name: "名单.xlsx")
    #expect(error == .notCSV(path: "名单.xlsx", reason: testCase.reason))
    #expect(error?.description == "名单.xlsx: 不是 CSV 文本文件 / not a CSV text file: \(testCase.reason)")
  }

  @Test func forcedUTF16IsNotMistakenForBinary() throws {
    let (records, _) = try readFile(
      [UInt8](utf16: "a\tb\n"), options: CSVReaderOptions(encoding: .utf16le))
    #expect(records.map(\.fields) == [["a", "b"]])
  }

  @Test(arguments: [
    ("empty", [UInt8]()), ("byte order mark only", [0xEF, 0xBB, 0xBF]),
    ("UTF-16 byte order mark only", [0xFF, 0xFE]), ("blank lines", Array("\r\n\n\r")),
  ])
  func emptyInputsHaveNoRecords(_ name: String, bytes: [UInt8]) throws {
    let (records, reader) = try readFile(bytes)
    #expect(records.isEmpty, "\(name)")
    #expect(reader.bytesRead == bytes.count)
  }

  /// NUL and other control characters inside fields are kept as they are (a file is only
  /// refused as binary when they are frequent).
  @Test(arguments: [4, 1 << 20])
  func controlCharactersAreKept(blockSize: Int) throws {
    let filler = String(repeating: "正常的文字内容，", count: 20)
    let input = "a,b\n\(filler),x\u{0}y\nbell\u{7},\"\u{0}\u{1}\u{1F}\u{1B}[1m\"\n\u{7F},z\n"
    let (records, _) = try readFile(Array(input), options: CSVReaderOptions(blockSize: blockSize))
    #expect(
      records.map(\.fields) == [
        ["a", "b"], [filler, "x\u{0}y"], ["bell\u{7}", "\u{0}\u{1}\u{1F}\u{1B}[1m"],
        ["\u{7F}", "z"],
      ])
    #expect(records.allSatisfy { $0.damage == nil })
  }

  @Test func oldEndOfFileMarkDoesNotMakeAFileBinary() throws {
    let (records, _) = try readFile(Array("a,b\r\n1,2\r\n\u{1A}"))
    #expect(records.map(\.fields) == [["a", "b"], ["1", "2"], ["\u{1A}"]])
  }
}
