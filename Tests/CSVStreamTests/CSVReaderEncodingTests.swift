import Foundation
import Testing

@testable import CSVStream

/// Byte order marks, GB18030 detection and transcoding, and invalid bytes.
@Suite struct CSVReaderEncodingTests {
  static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
  /// 姓名 in GB18030 (two 2-byte characters).
  static let nameGB: [UInt8] = [0xD0, 0xD5, 0xC3, 0xFB]
  /// 𠮷 U+20BB7 in GB18030: a 4-byte sequence GBK does not have.
  static let jiGB: [UInt8] = [0x95, 0x34, 0xB2, 0x35]
  /// 𠀀 U+20000 in GB18030, the first CJK Extension B character.
  static let extensionBFirstGB: [UInt8] = [0x95, 0x32, 0x82, 0x36]
  /// À U+00C0 in GB18030: a 4-byte sequence in the BMP.
  static let aGraveGB: [UInt8] = [0x81, 0x30, 0x86, 0x38]

  /// `姓名,备注\n张三,𠮷À𠀀\n` plus 䶮 as this platform's iconv encodes it.
  static func gb18030Roster() throws -> (bytes: [UInt8], expected: [[String]]) {
    let yan = try gb18030Bytes("䶮")
    #expect(yan.count >= 2 && yan != Array("?".utf8))
    var bytes = nameGB + Array(",".utf8) + (try gb18030Bytes("备注")) + [0x0A]
    bytes += (try gb18030Bytes("张三")) + [0x2C] + jiGB + aGraveGB + extensionBFirstGB + [0x0D, 0x0A]
    bytes += (try gb18030Bytes("李四")) + [0x2C] + yan + [0x0A]
    return (bytes, [["姓名", "备注"], ["张三", "𠮷À𠀀"], ["李四", "䶮"]])
  }

  @Test(arguments: [InputEncoding.auto, .utf8])
  func byteOrderMarkIsStripped(_ encoding: InputEncoding) throws {
    let bytes = Self.byteOrderMark + Array("姓名,年龄\r\n张三,30\r\n")
    let (records, reader) = try readFile(bytes, options: CSVReaderOptions(encoding: encoding))
    #expect(reader.hadByteOrderMark)
    #expect(reader.encoding == .utf8)
    #expect(records.map(\.fields) == [["姓名", "年龄"], ["张三", "30"]])
    #expect(records.map(\.location.line) == [1, 2])
    #expect(reader.bytesRead == bytes.count)
  }

  @Test func noByteOrderMark() throws {
    let (records, reader) = try readFile(Array("姓名\n"))
    #expect(!reader.hadByteOrderMark)
    #expect(reader.encoding == .utf8)
    #expect(records.map(\.fields) == [["姓名"]])
  }

  @Test func asciiOnlyInputEndsAsUTF8() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let reader = try CSVReader(path: try scratch.write(Array("a,b\n1,2\n")))
    #expect(reader.encoding == nil)
    _ = try reader.readAll()
    #expect(reader.encoding == .utf8)
  }

  @Test(arguments: [4, 5, 6, 7, 8, 9, 10, 11, 1 << 20])
  func gb18030IsDetectedAndTranscoded(blockSize: Int) throws {
    let (bytes, expected) = try Self.gb18030Roster()
    let (records, reader) = try readFile(bytes, options: CSVReaderOptions(blockSize: blockSize))
    #expect(reader.encoding == .gb18030)
    #expect(records.map(\.fields) == expected)
    #expect(records.map(\.location.line) == [1, 2, 3])
    #expect(reader.bytesRead == bytes.count)
  }

  @Test(arguments: [4, 5, 6, 7, 1 << 20])
  func forcedGB18030(blockSize: Int) throws {
    let (bytes, expected) = try Self.gb18030Roster()
    let options = CSVReaderOptions(encoding: .gb18030, blockSize: blockSize)
    let (records, reader) = try readFile(bytes, options: options)
    #expect(reader.encoding == .gb18030)
    #expect(records.map(\.fields) == expected)
  }

  @Test(arguments: [4, 5, 6, 7])
  func gb18030AfterLongASCIIPrefixIsDetected(blockSize: Int) throws {
    // The first blocks are ASCII only; the decision waits for the first non-ASCII bytes.
    let bytes = Array("id,name\n1,".utf8) + Self.nameGB + Array("\n2,".utf8) + Self.jiGB
    let (records, reader) = try readFile(bytes, options: CSVReaderOptions(blockSize: blockSize))
    #expect(reader.encoding == .gb18030)
    #expect(records.map(\.fields) == [["id", "name"], ["1", "姓名"], ["2", "𠮷"]])
  }

  @Test(arguments: [4, 5, 6, 7])
  func utf8CharactersSplitAcrossBlocks(blockSize: Int) throws {
    let text = "a,𠮷䶮\n姓名,é\n"
    let (records, reader) = try readFile(
      Array(text), options: CSVReaderOptions(blockSize: blockSize))
    #expect(reader.encoding == .utf8)
    #expect(records.map(\.fields) == [["a", "𠮷䶮"], ["姓名", "é"]])
  }

  @Test func gb18030ByteOrderMarkIsStripped() throws {
    let bytes: [UInt8] = [0x84, 0x31, 0x95, 0x33] + Self.nameGB + [0x0A]
    let (records, reader) = try readFile(bytes, options: CSVReaderOptions(encoding: .gb18030))
    #expect(reader.hadByteOrderMark)
    #expect(records.map(\.fields) == [["姓名"]])
  }

  @Test(arguments: [InputEncoding.auto, .gb18030])
  func gb18030ByteOrderMarkOnlyAtTheStart(_ encoding: InputEncoding) throws {
    // With 4-byte blocks the second block starts with U+FEFF, which is data, not a mark.
    let mark: [UInt8] = [0x84, 0x31, 0x95, 0x33]
    let bytes = mark + Self.nameGB + Array("\nab\n".utf8) + mark + Array("x\n".utf8)
    let options = CSVReaderOptions(encoding: encoding, blockSize: 4)
    let (records, reader) = try readFile(bytes, options: options)
    #expect(reader.hadByteOrderMark)
    #expect(reader.encoding == .gb18030)
    #expect(records.map(\.fields) == [["姓名"], ["ab"], ["\u{FEFF}x"]])
  }

  @Test(arguments: [4, 5, 1 << 20])
  func inputEndingInItsOnlyMultibyteCharacterIsGB18030(blockSize: Int) throws {
    // E5 A7 is a complete GB18030 character (濮) but only the start of a UTF-8 one.
    let bytes = Array("id,name\n1,".utf8) + [0xE5, 0xA7]
    let (records, reader) = try readFile(bytes, options: CSVReaderOptions(blockSize: blockSize))
    #expect(reader.encoding == .gb18030)
    #expect(records.map(\.fields) == [["id", "name"], ["1", "濮"]])
  }

  @Test(arguments: [4, 1 << 20])
  func forcedUTF8MarksTheRecordWithInvalidBytes(blockSize: Int) throws {
    let bytes = Array("a,b\n中,".utf8) + [0xFF] + Array("x\nc,d\n".utf8)
    let options = CSVReaderOptions(encoding: .utf8, blockSize: blockSize)
    let (records, _) = try readFile(bytes, options: options, name: "roster.csv")
    #expect(
      records.map(RecordSummary.init) == [
        .init(1, ["a", "b"]),
        .init(2, ["中,\\xFFx"], damage: .invalidEncoding, failingLine: 2, column: 3),
        .init(3, ["c", "d"]),
      ])
    #expect(
      records[1].damage?.message
        == "不是有效的 UTF-8 编码（这一行可能是 GB18030） / invalid UTF-8 byte sequence"
        + " (this row may be GB18030)")
  }

  @Test func forcedUTF8OnGB18030DamagesEveryRecord() throws {
    let (bytes, _) = try Self.gb18030Roster()
    let (records, reader) = try readFile(bytes, options: CSVReaderOptions(encoding: .utf8))
    #expect(reader.encoding == .utf8)
    #expect(records.map(\.location.line) == [1, 2, 3])
    #expect(records.allSatisfy { $0.damage?.kind == .invalidEncoding && $0.damage?.column == 1 })
    // 注 is D7 A2 in GB18030, which happens to be valid UTF-8 (U+05E2 ע).
    #expect(records[0].fields == ["\\xD0\\xD5\\xC3\\xFB,\\xB1\\xB8\u{05E2}"])
    #expect(records.allSatisfy { !$0.fields[0].contains("\u{FFFD}") })
  }

  @Test(arguments: [4, 5, 1 << 20])
  func truncatedUTF8AtEndOfFile(blockSize: Int) throws {
    let bytes = Array("a\n中".utf8) + [0xE4, 0xB8]
    let options = CSVReaderOptions(encoding: .utf8, blockSize: blockSize)
    #expect(
      try readSummaries(bytes, options: options) == [
        .init(1, ["a"]),
        .init(2, ["中\\xE4\\xB8"], damage: .invalidEncoding, failingLine: 2, column: 2),
      ])
  }

  @Test(arguments: [4, 8, 1 << 20])
  func invalidBytesAfterDetectedUTF8(blockSize: Int) throws {
    let bytes = Array("姓名\n张三\n".utf8) + [0xC3, 0x28] + Array("\n李四\n".utf8)
    let (records, reader) = try readFile(bytes, options: CSVReaderOptions(blockSize: blockSize))
    #expect(reader.encoding == .utf8)
    #expect(
      records.map(RecordSummary.init) == [
        .init(1, ["姓名"]), .init(2, ["张三"]),
        .init(3, ["\\xC3("], damage: .invalidEncoding, failingLine: 3, column: 1),
        .init(4, ["李四"]),
      ])
  }

  /// A UTF-8 roster (Excel “CSV UTF-8”) with one row pasted from a GB18030 file: the row is
  /// damaged and located, every other row is read.
  @Test(arguments: [4, 7, 64, 1 << 20])
  func utf8FileWithOneGB18030Row(blockSize: Int) throws {
    let header = "身份证号,姓名,工作单位,所在区县,申报方向,职业工种,职业技能等级,取证日期\n"
    let good = (1...5).map { index in
      "\(makeIDNumber(region: "330602", sequence: index)),张测试\(index),越城测试公司,越城区,技能人才,电工,"
        + "三级,2020-01-01\n"
    }
    let foreign =
      Array("\(makeIDNumber(region: "330683", sequence: 9)),".utf8)
      + (try gb18030Bytes("王示范,嵊州样例厂")) + Array(",嵊州市,技能人才,焊工,二级,2021-05-01\n".utf8)
    let bytes =
      Array((header + good[0] + good[1]).utf8) + foreign
      + Array((good[2] + good[3] + good[4]).utf8)
    let (records, reader) = try readFile(bytes, options: CSVReaderOptions(blockSize: blockSize))
    #expect(reader.encoding == .utf8)
    #expect(records.map(\.location.line) == [1, 2, 3, 4, 5, 6, 7])
    #expect(records.filter { $0.damage != nil }.map(\.location.line) == [4])
    #expect(records[3].damage?.kind == .invalidEncoding)
    #expect(records[3].damage?.failingLine == 4)
    #expect(records[3].damage?.column == 20)
    #expect(records[3].fields[0].hasPrefix(makeIDNumber(region: "330683", sequence: 9) + ",\\x"))
    #expect(records[6].fields[1] == "张测试5")
  }

  @Test func invalidGB18030() throws {
    let bytes = Self.nameGB + Array("\nx,".utf8) + [0x80] + Array("\ny\n".utf8)
    let (records, _) = try readFile(bytes, options: CSVReaderOptions(encoding: .gb18030))
    #expect(
      records.map(RecordSummary.init) == [
        .init(1, ["姓名"]),
        .init(2, ["x,\\x80"], damage: .invalidEncoding, failingLine: 2, column: 3),
        .init(3, ["y"]),
      ])
    #expect(records[1].damage?.message == "不是有效的 GB18030 编码 / invalid GB18030 byte sequence")
  }

  @Test func invalidByteInsideAMultiLineRecordIsLocatedOnItsLine() throws {
    let bytes = Array("a,\"x\ny".utf8) + [0xFF] + Array("\",1\nb\n".utf8)
    #expect(
      try readSummaries(bytes, options: CSVReaderOptions(encoding: .utf8)) == [
        .init(1, ["a,\"x"], damage: .invalidEncoding, failingLine: 2, column: 2),
        .init(3, ["b"]),
      ])
  }

  /// Excel's “Unicode 文本” export: UTF-16LE with a byte order mark, tab-separated, CRLF.
  @Test(arguments: [4, 5, 7, 1 << 20])
  func utf16LittleEndianWithByteOrderMark(blockSize: Int) throws {
    let id = makeIDNumber(region: "330624", sequence: 12)
    let text = "姓名\t身份证号\t备注\r\n张测试\t\(id)\t䶮𠮷\r\n李样例\t\(id)\t\"带\t制表符\"\r\n"
    let bytes = [0xFF, 0xFE] + [UInt8](utf16: text)
    let (records, reader) = try readFile(bytes, options: CSVReaderOptions(blockSize: blockSize))
    #expect(reader.encoding == .utf16le)
    #expect(reader.hadByteOrderMark)
    #expect(reader.delimiter == UInt8(ascii: "\t"))
    #expect(
      records.map(RecordSummary.init) == [
        .init(1, ["姓名", "身份证号", "备注"]), .init(2, ["张测试", id, "䶮𠮷"]),
        .init(3, ["李样例", id, "带\t制表符"]),
      ])
  }

  @Test func utf16BigEndianWithByteOrderMark() throws {
    let bytes = [0xFE, 0xFF] + [UInt8](utf16: "a\tb\n中\t𠮷\n", bigEndian: true)
    let (records, reader) = try readFile(bytes)
    #expect(reader.encoding == .utf16be)
    #expect(records.map(\.fields) == [["a", "b"], ["中", "𠮷"]])
  }

  @Test func forcedUTF16WithoutByteOrderMark() throws {
    let bytes = [UInt8](utf16: "a\tb\r\n中\t文\r\n")
    let (records, reader) = try readFile(bytes, options: CSVReaderOptions(encoding: .utf16le))
    #expect(!reader.hadByteOrderMark)
    #expect(reader.delimiter == UInt8(ascii: "\t"))
    #expect(records.map(\.fields) == [["a", "b"], ["中", "文"]])
  }

  @Test(arguments: [4, 5, 1 << 20])
  func unpairedSurrogateInUTF16(blockSize: Int) throws {
    let bytes =
      [0xFF, 0xFE] + [UInt8](utf16: "a\tb\n") + [0x00, 0xD8] + [UInt8](utf16: "x\ty\nc\td\n")
    let options = CSVReaderOptions(blockSize: blockSize)
    #expect(
      try readSummaries(bytes, options: options) == [
        .init(1, ["a", "b"]),
        .init(2, ["\\x00\\xD8x\ty"], damage: .invalidEncoding, failingLine: 2, column: 1),
        .init(3, ["c", "d"]),
      ])
  }

  @Test func readingGoesOnAfterAnInvalidRecord() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let bytes = Array("a\nb\n".utf8) + [0xFF] + Array("\nc\n".utf8)
    let reader = try CSVReader(
      path: try scratch.write(bytes), options: .init(encoding: .utf8, batchSize: 2))
    #expect(try reader.nextBatch()?.map(\.fields) == [["a"], ["b"]])
    #expect(try reader.nextBatch()?.map(\.fields) == [["\\xFF"], ["c"]])
    #expect(try reader.nextBatch() == nil)
  }
}
