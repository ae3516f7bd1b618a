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
  func forcedUTF8RejectsInvalidBytes(blockSize: Int) throws {
    let bytes = Array("a,b\n中,".utf8) + [0xFF] + Array("x\n".utf8)
    let options = CSVReaderOptions(encoding: .utf8, blockSize: blockSize)
    let error = try readError(bytes, options: options, name: "roster.csv")
    #expect(
      error
        == .invalidEncoding(
          SourceLocation(file: "roster.csv", line: 2), column: 3, encoding: .utf8))
    #expect(error?.description.hasPrefix("roster.csv:2:3: ") == true)
  }

  @Test func forcedUTF8RejectsGB18030() throws {
    let (bytes, _) = try Self.gb18030Roster()
    let error = try readError(bytes, options: CSVReaderOptions(encoding: .utf8))
    #expect(
      error
        == .invalidEncoding(SourceLocation(file: "input.csv", line: 1), column: 1, encoding: .utf8))
  }

  @Test func truncatedUTF8AtEndOfFile() throws {
    let bytes = Array("a\n中".utf8) + [0xE4, 0xB8]
    let error = try readError(bytes, options: CSVReaderOptions(encoding: .utf8, blockSize: 4))
    #expect(
      error
        == .invalidEncoding(SourceLocation(file: "input.csv", line: 2), column: 2, encoding: .utf8))
  }

  @Test func invalidBytesAfterDetectedUTF8() throws {
    let bytes = Array("姓名\n张三\n".utf8) + [0xC3, 0x28] + Array("\n".utf8)
    let error = try readError(bytes, options: CSVReaderOptions(blockSize: 8))
    #expect(
      error
        == .invalidEncoding(SourceLocation(file: "input.csv", line: 3), column: 1, encoding: .utf8))
  }

  @Test func invalidGB18030() throws {
    let bytes = Self.nameGB + Array("\nx,".utf8) + [0x80] + Array("\n".utf8)
    let error = try readError(bytes, options: CSVReaderOptions(encoding: .gb18030))
    #expect(
      error
        == .invalidEncoding(
          SourceLocation(file: "input.csv", line: 2), column: 3, encoding: .gb18030))
  }

  @Test func recordsBeforeAnEncodingErrorAreDelivered() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let bytes = Array("a\nb\n".utf8) + [0xFF] + Array("\n".utf8)
    let reader = try CSVReader(path: try scratch.write(bytes), options: .init(encoding: .utf8))
    #expect(try reader.nextBatch()?.map(\.fields) == [["a"], ["b"]])
    #expect(throws: CSVError.self) { try reader.nextBatch() }
    #expect(throws: CSVError.self) { try reader.nextBatch() }
  }
}
