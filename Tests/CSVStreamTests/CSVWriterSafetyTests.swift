import Foundation
import Testing

@testable import CSVStream

/// Written cells never carry control characters or start a spreadsheet formula, checked on
/// chosen cells and on many random ones.
@Suite struct CSVWriterSafetyTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var cell: String
    var written: String
    var testDescription: String { cell.debugDescription }
  }

  static let cases: [Case] = [
    .init(cell: "a\u{0}b", written: "a b"),
    .init(cell: "\u{1}\u{7}\u{1B}[1m\u{1F}", written: "\"   [1m \""),
    .init(cell: "\u{0}=cmd", written: "\" =cmd\""),
    .init(cell: "x\u{7F}", written: "x\u{7F}"),
    .init(cell: "tab\tinside", written: "\"tab\tinside\""),
    .init(cell: "cr\ronly", written: "\"cr\ronly\""),
    .init(cell: "\t=cmd", written: "\"'\t=cmd\""),
    .init(cell: "sep=;", written: "\"sep=;\""),
    .init(cell: "SEP=,", written: "\"SEP=,\""),
    .init(cell: "separate", written: "separate"),
    .init(cell: "\u{FEFF}x", written: "\"\u{FEFF}x\""),
    .init(cell: "<table>", written: "\"<table>\""),
    .init(cell: "a<b", written: "a<b"),
    .init(cell: "330602199001011231", written: "\"\t330602199001011231\""),
  ]

  @Test(arguments: cases)
  func cellIsWrittenSafely(_ testCase: Case) {
    var buffer: [UInt8] = []
    CSVFormat.appendRow([testCase.cell, "z"], to: &buffer)
    #expect(String(decoding: buffer, as: UTF8.self) == testCase.written + ",z\r\n")
  }

  @Test(arguments: cases)
  func cellBytesAreFormattedAlone(_ testCase: Case) {
    var bytes: [UInt8] = Array("x,".utf8)
    Array(testCase.cell.utf8).withUnsafeBufferPointer { CSVFormat.appendCell($0, to: &bytes) }
    #expect(String(decoding: bytes, as: UTF8.self) == "x," + testCase.written)
  }

  @Test func emptyCellAppendsNothing() {
    var bytes: [UInt8] = [1]
    [UInt8]().withUnsafeBufferPointer { CSVFormat.appendCell($0, to: &bytes) }
    #expect(bytes == [1])
  }

  @Test(arguments: OutputEncoding.allCases)
  func noControlCharacterReachesTheFile(_ encoding: OutputEncoding) throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let path = scratch.path("out.csv")
    let writer = try CSVWriter(path: path, encoding: encoding)
    let controls = (0..<32).map { String(UnicodeScalar(UInt8($0))) }
    try writer.write(row: ["header"] + controls)
    try writer.write(row: [controls.joined()])
    try writer.close()
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let allowed: Set<UInt8> = [0x09, 0x0A, 0x0D]
    #expect(!bytes.contains { $0 < 0x20 && !allowed.contains($0) })
    let records = try CSVReader(path: path).readAll()
    #expect(records.count == 2)
    #expect(records.allSatisfy { $0.fields.allSatisfy(ReaderProperties.isSafeCell) })
  }

  /// A small deterministic generator, so a failure can be reproduced from its seed.
  struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var value = state
      value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
      value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
      return value ^ (value >> 31)
    }
  }

  static let alphabet: [String] = [
    "=", "+", "-", "@", "\t", "\r", "\n", "\r\n", "＝", "＋", "－", "＠", "'", "\"", ",", " ", "\u{0}",
    "\u{1}", "\u{1F}", "\u{7F}", "0", "1", "9", "X", ".", "中", "𠮷", "䶮", "\u{FEFF}", "<", "s", "e",
    "p", "=cmd|' /C calc'!A0", "HYPERLINK(", "3306021990010112",
  ]

  static func randomCell(using generator: inout SplitMix64) -> String {
    if Int.random(in: 0..<10, using: &generator) == 0 {
      return String(
        (0..<Int.random(in: 12...18, using: &generator)).map { _ in
          Character(String(Int.random(in: 0...9, using: &generator)))
        })
    }
    let length = Int.random(in: 0...6, using: &generator)
    return (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "" }.joined()
  }

  @Test(arguments: OutputEncoding.allCases)
  func randomCellsAreSafeAndReadBackAsDocumented(_ encoding: OutputEncoding) throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    var generator = SplitMix64(state: 20_240_605)
    let rows = (0..<2000).map { _ in
      (0..<Int.random(in: 1...5, using: &generator)).map { _ in
        Self.randomCell(using: &generator)
      }
    }
    let path = scratch.path("random.csv")
    let writer = try CSVWriter(path: path, encoding: encoding)
    for row in rows { try writer.write(row: row) }
    try writer.close()

    let records = try CSVReader(path: path).readAll()
    #expect(records.count == rows.count)
    #expect(records.allSatisfy { $0.damage == nil })
    for (record, row) in zip(records, rows) {
      #expect(record.fields == row.map(CSVFormat.textReadBack), "line \(record.location.line)")
      for cell in record.fields where !ReaderProperties.isSafeCell(cell) {
        Issue.record("unsafe cell \(cell.debugDescription) at line \(record.location.line)")
      }
    }
    #expect(ReaderProperties.roundTrip(rows) == [])
  }
}
