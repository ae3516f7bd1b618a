import Foundation
import Testing

@testable import CSVStream

/// Quoting, spreadsheet safety, ID numbers as text, output encodings and file permissions.
@Suite struct CSVWriterTests {
  static let weirdCells = [
    "plain", "with,comma", "with \"quotes\"", "line\nbreak", "crlf\r\nbreak", "cr\ronly",
    " leading space", "trailing space ", "", "中文，全角", "tab\tinside", "\"", ",", "𠮷䶮",
    "a\"\"b", "  ", "'already quoted'",
  ]

  /// Writes `rows` with `encoding` into a scratch file and returns the file's bytes and path.
  static func write(
    _ rows: [[String]], encoding: OutputEncoding = .utf8BOM, in scratch: ScratchDirectory
  ) throws -> (bytes: [UInt8], path: String) {
    let path = scratch.path("out-\(encoding.rawValue).csv")
    let writer = try CSVWriter(path: path, encoding: encoding)
    for row in rows { try writer.write(row: row) }
    try writer.close()
    return (Array(try Data(contentsOf: URL(fileURLWithPath: path))), path)
  }

  @Test func rowBytesFollowRFC4180() {
    var buffer: [UInt8] = []
    CSVFormat.appendRow(["a", "b,c", "d\"e", "", " f", "g\nh"], to: &buffer)
    CSVFormat.appendRow([""], to: &buffer)
    CSVFormat.appendRow(["x", ""], to: &buffer)
    let expected = "a,\"b,c\",\"d\"\"e\",,\" f\",\"g\nh\"\r\n\"\"\r\n" + "x,\r\n"
    #expect(String(decoding: buffer, as: UTF8.self) == expected)
  }

  @Test(arguments: OutputEncoding.allCases)
  func weirdCellsRoundTrip(_ encoding: OutputEncoding) throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let rows = [["header", "备注"]] + Self.weirdCells.map { ["row", $0] } + [[""], Self.weirdCells]
    let (_, path) = try Self.write(rows, encoding: encoding, in: scratch)
    let reader = try CSVReader(path: path)
    #expect(try reader.readAll().map(\.fields) == rows)
    #expect(reader.hadByteOrderMark == (encoding == .utf8BOM))
    #expect(reader.encoding == (encoding == .gb18030 ? .gb18030 : .utf8))
  }

  @Test func outputEncodingsProduceTheirBytes() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let rows = [["姓名", "𠮷"]]
    let withMark = try Self.write(rows, encoding: .utf8BOM, in: scratch).bytes
    let plain = try Self.write(rows, encoding: .utf8, in: scratch).bytes
    let national = try Self.write(rows, encoding: .gb18030, in: scratch).bytes
    #expect(plain == Array("姓名,𠮷\r\n".utf8))
    #expect(withMark == [0xEF, 0xBB, 0xBF] + plain)
    #expect(national == [0xD0, 0xD5, 0xC3, 0xFB, 0x2C, 0x95, 0x34, 0xB2, 0x35, 0x0D, 0x0A])
  }

  struct NeutralisationCase: Sendable, CustomTestStringConvertible {
    var cell: String
    var expected: String
    var testDescription: String { cell.debugDescription }
  }

  static let neutralisationCases: [NeutralisationCase] = [
    .init(cell: "=1+1", expected: "'=1+1"),
    .init(cell: "+1+1", expected: "'+1+1"),
    .init(cell: "-1+1", expected: "'-1+1"),
    .init(cell: "@SUM(A1:A9)", expected: "'@SUM(A1:A9)"),
    .init(cell: "\t=cmd", expected: "'\t=cmd"),
    .init(cell: "\r=cmd", expected: "'\r=cmd"),
    .init(cell: "\n=cmd", expected: "'\n=cmd"),
    .init(cell: "＝1+1", expected: "'＝1+1"),
    .init(cell: "＋1", expected: "'＋1"),
    .init(cell: "－1", expected: "'－1"),
    .init(cell: "＠A1", expected: "'＠A1"),
    .init(cell: "=HYPERLINK(\"http://x\")", expected: "'=HYPERLINK(\"http://x\")"),
    .init(cell: "-", expected: "'-"),
    .init(cell: "+", expected: "'+"),
    .init(cell: "-1e5", expected: "'-1e5"),
    .init(cell: "-1.", expected: "'-1."),
    .init(cell: "-12abc", expected: "'-12abc"),
    .init(cell: "-12", expected: "-12"),
    .init(cell: "+3.5", expected: "+3.5"),
    .init(cell: "-0.5", expected: "-0.5"),
    .init(cell: "-.5", expected: "-.5"),
    .init(cell: "12", expected: "12"),
    .init(cell: "1-2", expected: "1-2"),
    .init(cell: "a=b", expected: "a=b"),
    .init(cell: "张三", expected: "张三"),
    .init(cell: "", expected: ""),
  ]

  @Test(arguments: neutralisationCases)
  func neutralisation(_ testCase: NeutralisationCase) {
    #expect(CSVFormat.neutralised(testCase.cell) == testCase.expected)
  }

  @Test func neutralisedCellsAreWrittenAndReadBack() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let cells = Self.neutralisationCases.map(\.cell)
    let (_, path) = try Self.write([cells], in: scratch)
    let read = try CSVReader(path: path).readAll()
    #expect(read.map(\.fields) == [Self.neutralisationCases.map(\.expected)])
  }

  @Test func longDigitStringsAreWrittenAsText() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let ordinary = makeIDNumber(region: "330602", sequence: 123)
    let candidates = (1...999).map {
      makeIDNumber(region: "330683", birthDate: "19851231", sequence: $0)
    }
    let withX = try #require(candidates.first(where: { $0.hasSuffix("X") }))
    let lowerX = withX.dropLast() + "x"
    let twelveDigits = "123456789012"
    let untouched = ["13800138000", "12345678901X", "3306021990010112345a", "-123456789012"]
    let rows =
      [
        ["身份证号", "备注"], [ordinary, "a"], [withX, "b"], [String(lowerX), "c"], [twelveDigits, "d"],
      ]
      + untouched.map { [$0, "e"] }
    let (bytes, path) = try Self.write(rows, encoding: .utf8, in: scratch)
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(text.contains("\r\n\"\t\(ordinary)\",a\r\n"))
    #expect(text.contains("\r\n\"\t\(withX)\",b\r\n"))
    #expect(text.contains("\r\n\"\t\(twelveDigits)\",d\r\n"))
    for cell in untouched {
      #expect(text.contains("\r\n\(cell),e\r\n"))
    }

    let read = try CSVReader(path: path).readAll().map { $0.fields[0] }
    #expect(read[1...4].map { $0.hasPrefix("\t") } == [true, true, true, true])
    let recovered = read.map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(recovered == rows.map { $0[0] })
  }

  @Test func filesAreOwnerOnly() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let fresh = scratch.path("fresh.csv")
    try CSVWriter(path: fresh).close()
    let existing = try scratch.write(Array("old contents that are longer\n"), name: "existing.csv")
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: existing)
    let writer = try CSVWriter(path: existing, encoding: .utf8)
    try writer.write(row: ["new"])
    try writer.close()

    for path in [fresh, existing] {
      let attributes = try FileManager.default.attributesOfItem(atPath: path)
      let permissions = try #require(attributes[.posixPermissions] as? NSNumber)
      #expect(permissions.intValue & 0o777 == 0o600, "\(path)")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: existing)) == Data("new\r\n".utf8))
    #expect(try Data(contentsOf: URL(fileURLWithPath: fresh)) == Data([0xEF, 0xBB, 0xBF]))
  }

  /// Rows handed over already formatted, checked (`encodedRows`) or not (`formattedRows`), land
  /// in order between single rows; 120 000 of them are past the 1 MiB buffer at once, so they go
  /// straight to the file (or through the encoder).
  @Test(arguments: OutputEncoding.allCases, [true, false])
  func formattedRowsAreAppendedInOrder(_ encoding: OutputEncoding, checked: Bool) throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let path = scratch.path("rows.csv")
    let writer = try CSVWriter(path: path, encoding: encoding)
    try writer.write(row: ["姓名", "序号"])
    var chunk: [UInt8] = []
    for index in 0..<120_000 { CSVFormat.appendRow(["张\(index)", "\(index)"], to: &chunk) }
    #expect(chunk.count > 1 << 20)
    if checked {
      try writer.write(encodedRows: chunk)
    } else {
      try writer.write(formattedRows: chunk)
    }
    try writer.write(row: ["末尾", "-1"])
    try writer.close()
    let records = try CSVReader(path: path).readAll()
    #expect(records.count == 120_002)
    #expect(records.first?.fields == ["姓名", "序号"])
    #expect(records[100_001].fields == ["张100000", "100000"])
    #expect(records.last?.fields == ["末尾", "-1"])
  }

  @Test func invalidEncodedRowsAreRejected() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let path = scratch.path("bad.csv")
    let writer = try CSVWriter(path: path, encoding: .gb18030)
    #expect(throws: CSVError.self) { try writer.write(encodedRows: [0x61, 0xFF, 0x0D, 0x0A]) }
    try writer.close()
  }

  @Test func closedWriterRefusesRows() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let writer = try CSVWriter(path: scratch.path("closed.csv"))
    try writer.close()
    try writer.close()
    #expect(throws: CSVError.self) { try writer.write(row: ["late"]) }
  }

  @Test func unwritableLocationCannotBeOpened() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let path = scratch.path("no-such-dir/out.csv")
    #expect(throws: CSVError.cannotOpen(path: path, reason: "No such file or directory")) {
      _ = try CSVWriter(path: path)
    }
  }
}
