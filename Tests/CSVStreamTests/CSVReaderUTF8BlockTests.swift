import Foundation
import Testing

@testable import CSVStream

/// Past the first 64 KiB a UTF-8 input is read straight into the reader's window and checked
/// there: characters cut by a block's end, a byte that is not UTF-8 and a character cut by the
/// input's end must come out as when every byte was decoded from the raw buffer.
@Suite struct CSVReaderUTF8BlockTests {
  static let rows = 4_000
  static let invalidRow = 3_001

  /// Rows of three-byte characters (so block ends cut them), one row with a byte that is not
  /// UTF-8 beyond the first 64 KiB, and a last line without a line end that stops inside a
  /// character.
  static func input() -> [UInt8] {
    var bytes: [UInt8] = []
    for row in 1...rows {
      var line = Array("\(row)\(text(row)),\(name(row)),\"引号 \(row)\"\r\n".utf8)
      if row == invalidRow { line.insert(0xFF, at: 4) }
      bytes += line
    }
    return bytes + Array("末,".utf8) + [0xE4, 0xB8]
  }

  /// Characters of two, three and four bytes that change from row to row, so a cut one is
  /// never completed by bytes left over from another.
  static func text(_ row: Int) -> String {
    let scalars = [0xE9 + row % 7, 0x4E00 + row % 3_000, 0x1F600 + row % 60, 0x6C34 + row % 11]
    return String(String.UnicodeScalarView(scalars.compactMap { Unicode.Scalar($0) }))
  }

  /// A cell whose length changes from row to row, so that the window's contents never line up
  /// the same way twice.
  static func name(_ row: Int) -> String {
    // A few cells longer than a small reader's window, which then grows.
    let long = row % 1_000 == 500 && row > 1_000 ? String(repeating: "长", count: row * 5) : ""
    return "名字\(row)" + String(repeating: "x", count: row * 7 % 23) + long
  }

  @Test(arguments: [4_096, 4_099, 65_537, 1 << 20])
  func blocksCutAnywhereReadAsOne(blockSize: Int) throws {
    let bytes = Self.input()
    #expect(bytes.count > 2 * 65_536)
    let reader = CSVReader(
      bytes: bytes, displayName: "u.csv",
      options: CSVReaderOptions(blockSize: blockSize, batchSize: 100))
    let records = try reader.readAll()
    #expect(records.count == Self.rows + 1)
    #expect(reader.encoding == .utf8)
    #expect(reader.sha256 == SHA256.hex(of: bytes))
    for (index, record) in records.prefix(Self.rows).enumerated() {
      let row = index + 1
      #expect(record.location.line == row)
      if row == Self.invalidRow {
        #expect(record.damage?.kind == .invalidEncoding)
        #expect(record.fields.first?.contains("\\xFF") == true)
      } else if record.fields != ["\(row)\(Self.text(row))", Self.name(row), "引号 \(row)"]
        || record.quoted != [false, false, true] || record.damage != nil
      {
        Issue.record("row \(row) differs")
        break
      }
    }
    let last = try #require(records.last)
    #expect(last.location.line == Self.rows + 1)
    #expect(last.damage?.kind == .invalidEncoding)
    #expect(last.fields.first?.hasSuffix("\\xE4\\xB8") == true)
  }

  /// Past the first 64 KiB, each byte of a line end (CRLF, a lone CR), of a cut two-, three- or
  /// four-byte character and a byte that is not UTF-8 is put at every place of a small block in
  /// turn; the records must be those a reader of one large block gives.
  @Test(arguments: [16, 17])
  func everyEdgeOfASmallBlockReadsAsOneBlock(blockSize: Int) throws {
    let head = Array(String(repeating: "a,b\n", count: 65_536 / 4).utf8)
    let tail =
      Array("q,\"中𠮷\r\n\"\r\nz,é\rw,y\n𠮷𠮷,x\r\n".utf8) + [0x61, 0x2C, 0xFF, 0x0A]
      + Array("é中,𠮷\n".utf8)
    var differing: [Int] = []
    for shift in 0..<(2 * blockSize) {
      let bytes = head + Array(repeating: UInt8(ascii: "c"), count: shift) + [0x0A] + tail
      func read(_ size: Int) throws -> [String] {
        let reader = CSVReader(
          bytes: bytes, displayName: "e.csv",
          options: CSVReaderOptions(encoding: .utf8, blockSize: size))
        return try reader.readAll().map {
          "\($0.location.line) \($0.fields) \($0.quoted) \(String(describing: $0.damage?.kind))"
        }
      }
      if try read(blockSize) != read(1 << 20) { differing.append(shift) }
    }
    #expect(differing.isEmpty, "shifts \(differing)")
  }
}
