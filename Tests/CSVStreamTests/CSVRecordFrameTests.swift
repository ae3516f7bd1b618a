import Foundation
import Testing

@testable import CSVStream

/// Records written as frames come back the same: lines, fields, quoted flags, damage and tags,
/// from records of several batches, with empty and very long fields.
@Suite struct CSVRecordFrameTests {
  static func readBack(_ buffer: [UInt8], file: String) -> [(records: [CSVRecord], tags: [UInt8])]?
  {
    buffer.withUnsafeBytes { bytes -> [(records: [CSVRecord], tags: [UInt8])]? in
      var frames: [(records: [CSVRecord], tags: [UInt8])] = []
      var position = 0
      while position < bytes.count {
        let rest = UnsafeRawBufferPointer(rebasing: bytes[position...])
        guard let size = CSVRecordFrame.frameSize(startingWith: rest), size <= rest.count,
          let frame = CSVRecordFrame.records(
            in: UnsafeRawBufferPointer(rebasing: rest[..<size]), file: file)
        else { return nil }
        frames.append(frame)
        position += size
      }
      return frames
    }
  }

  @Test func recordsComeBackAsTheyWereRead() throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let long = String(repeating: "长", count: 20_000)
    let text =
      "姓名,备注,数\n张三,\"a, b\",1\n李四,,\"\"\n王五,\"x\"y,2\n赵六,\(long),3\n"
      + "\"钱七\",\"多\n行\",4\n孙八, 空格 ,5\n"
    let path = try scratch.write(Array(text.utf8))
    var options = CSVReaderOptions()
    options.batchSize = 3
    let reader = try CSVReader(path: path, displayName: "名单.csv", options: options)
    var batches: [[CSVRecord]] = []
    while let batch = try reader.nextBatch() { batches.append(batch) }
    let records = batches.flatMap { $0 }
    #expect(records.count == 7)
    #expect(records.contains { $0.damage != nil })
    #expect(records.contains { $0.fields.contains(long) })

    var buffer: [UInt8] = []
    for (number, batch) in batches.enumerated() {
      // Records of two batches in one frame too: each points into its own storage.
      let frameRecords = number == 0 ? batch + (batches.last ?? []) : batch
      CSVRecordFrame.append(
        frameRecords, tags: frameRecords.indices.map { UInt8(($0 + number) % 5) }, to: &buffer)
    }
    let frames = try #require(Self.readBack(buffer, file: "名单.csv"))
    #expect(frames.count == batches.count)
    for (number, (frame, batch)) in zip(frames, batches).enumerated() {
      let expected = number == 0 ? batch + (batches.last ?? []) : batch
      #expect(frame.records == expected)
      #expect(frame.tags == expected.indices.map { UInt8(($0 + number) % 5) })
    }
  }

  /// Lengths around the one-byte limit, quoted or not, alone or among short ones, come back.
  @Test(arguments: [0, 1, 126, 127, 128, 255, 256, 70_000])
  func fieldLengthsAroundTheByteLimitComeBack(length: Int) throws {
    let field = String(repeating: "x", count: length)
    let records = [
      CSVRecord(
        location: SourceLocation(file: "a.csv", line: 2), fields: [field, "短", field],
        quoted: [true, false, false]),
      CSVRecord(
        location: SourceLocation(file: "a.csv", line: 4), fields: ["", field],
        quoted: [false, true]
      ),
    ]
    var buffer: [UInt8] = []
    CSVRecordFrame.append(records, tags: [0, 3], to: &buffer)
    let frames = try #require(Self.readBack(buffer, file: "a.csv"))
    #expect(frames.map(\.records) == [records])
    #expect(frames.map(\.tags) == [[0, 3]])
  }

  struct ReadFailed: Error, Equatable {}

  /// A frame whose field bytes are written and read apart from its head gives the same records,
  /// and a failure to read the field bytes reaches the caller.
  @Test func fieldBytesWrittenApartComeBackIntoTheRecords() throws {
    let records = [
      CSVRecord(
        location: SourceLocation(file: "a.csv", line: 2), fields: ["330602", "张三", ""],
        quoted: [true, false, true]),
      CSVRecord(location: SourceLocation(file: "a.csv", line: 3), fields: ["李四", "x"]),
    ]
    var head: [UInt8] = []
    let fieldBytes = CSVRecordFrame.appendHead(records, tags: [1, 0], to: &head)
    var tail: [UInt8] = []
    fieldBytes.forEach { tail.append(contentsOf: $0) }
    #expect(tail == Array("330602张三李四x".utf8))
    #expect(head.withUnsafeBytes { CSVRecordFrame.frameSize(startingWith: $0) } == head.count + 19)
    #expect(head.withUnsafeBytes { CSVRecordFrame.fieldByteCount(startingWith: $0) } == 19)
    let decoded = head.withUnsafeBytes { head in
      CSVRecordFrame.records(head: head, file: "a.csv", fieldByteCount: 19) { bytes in
        tail.withUnsafeBytes { bytes.copyMemory(from: $0) }
      }
    }
    #expect(decoded?.records == records)
    #expect(decoded?.tags == [1, 0])
    #expect(throws: ReadFailed()) {
      try head.withUnsafeBytes { head in
        try CSVRecordFrame.records(head: head, file: "a.csv", fieldByteCount: 19) {
          _ throws(ReadFailed) in
          throw ReadFailed()
        }
      }
    }
  }

  /// A head that claims more field bytes than the caller found is refused before any room is
  /// made for them, however large the claim.
  @Test(arguments: [UInt64(20), 1 << 40, 1 << 62])
  func aHeadClaimingOtherFieldBytesIsRefused(claimed: UInt64) {
    let record = CSVRecord(location: SourceLocation(file: "a.csv", line: 2), fields: ["甲", "x"])
    var head: [UInt8] = []
    _ = CSVRecordFrame.appendHead([record], tags: [0], to: &head)
    withUnsafeBytes(of: (UInt64(head.count - 8) + claimed).littleEndian) {
      head.replaceSubrange(0..<8, with: $0)
    }
    withUnsafeBytes(of: claimed.littleEndian) { head.replaceSubrange(8..<16, with: $0) }
    var asked = false
    let decoded = head.withUnsafeBytes { head in
      CSVRecordFrame.records(head: head, file: "a.csv", fieldByteCount: 4) { _ in asked = true }
    }
    #expect(decoded == nil)
    #expect(!asked)
  }

  @Test func anEmptyFrameAndRecordsWithoutFieldsComeBack() throws {
    var buffer: [UInt8] = []
    CSVRecordFrame.append([], tags: [], to: &buffer)
    let empty = CSVRecord(location: SourceLocation(file: "a.csv", line: 9), fields: [])
    CSVRecordFrame.append([empty], tags: [7], to: &buffer)
    let frames = try #require(Self.readBack(buffer, file: "a.csv"))
    #expect(frames.map(\.records) == [[], [empty]])
    #expect(frames.map(\.tags) == [[], [7]])
  }

  /// Any byte of a frame overwritten (lengths, counts, offsets) gives records or a refusal,
  /// never a crash, and a length with its top bit set is no frame size.
  @Test func aDamagedFrameIsRefusedNotTrusted() throws {
    let records = [
      CSVRecord(
        location: SourceLocation(file: "a.csv", line: 2),
        fields: ["330602", String(repeating: "长", count: 12_000), ""], quoted: [true, false, true]),
      CSVRecord(
        location: SourceLocation(file: "a.csv", line: 3), fields: ["x"],
        damage: RecordDamage(
          kind: .malformedQuotes, failingLine: 3, column: 2, message: "引号 / quote")),
    ]
    var buffer: [UInt8] = []
    CSVRecordFrame.append(records, tags: [0, 1], to: &buffer)
    var refused = 0
    for position in buffer.indices where position < 200 || position >= buffer.count - 80 {
      for value: UInt8 in [0xFF, 0x80, 0x00] where buffer[position] != value {
        var damaged = buffer
        damaged[position] = value
        let decoded = damaged.withUnsafeBytes { CSVRecordFrame.records(in: $0, file: "a.csv") }
        if decoded == nil { refused += 1 }
      }
    }
    #expect(refused > 50)
    var huge = [UInt8](repeating: 0xFF, count: 8)
    #expect(huge.withUnsafeBytes { CSVRecordFrame.frameSize(startingWith: $0) } == nil)
    huge[7] = 0x7F
    #expect(huge.withUnsafeBytes { CSVRecordFrame.frameSize(startingWith: $0) } == nil)
  }

  @Test func aFrameCutShortIsRefused() throws {
    let record = CSVRecord(
      location: SourceLocation(file: "a.csv", line: 2), fields: ["330602", "张三"],
      quoted: [true, false])
    var buffer: [UInt8] = []
    CSVRecordFrame.append([record], tags: [0], to: &buffer)
    let whole = buffer.withUnsafeBytes { CSVRecordFrame.records(in: $0, file: "a.csv") }
    #expect(whole?.records == [record])
    for cut in [buffer.count - 1, buffer.count / 2, 9] {
      let part = Array(buffer[..<cut])
      #expect(part.withUnsafeBytes { CSVRecordFrame.records(in: $0, file: "a.csv") } == nil)
    }
  }
}
