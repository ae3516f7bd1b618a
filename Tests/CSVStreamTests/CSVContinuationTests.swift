import Foundation
import Testing

@testable import CSVStream

/// A file read in two pieces — the first up to a line start, the second resumed there — gives
/// the records of one reader over the whole file whenever the first piece ended between
/// records, and says so when it did not.
@Suite struct CSVContinuationTests {
  static let text =
    "身份证号,姓名,备注\r\n"
    + "330602199001011231,林晓测,普通\r\n"
    + "330602199001011232,\"王,测\",\"两行\n备注\"\n"
    + "330602199001011233,陈测,\"三行\r\n的\r\n备注\"\r\n"
    + "\n"
    + "330602199001011234,坏\"引号,x\r\n"
    + "330602199001011235,旧Mac,y\r"
    + "330602199001011236,赵测,\"未闭合\n"
    + "330602199001011237,钱测,z\n"
    + "330602199001011238,孙测,\"\"\"引\"\"号\"\n"
    + "330602199001011239,李测,末行"

  /// Writes `text` to a new file in a new folder, which the caller removes; the file's path and
  /// bytes.
  static func writeText() throws -> (folder: ScratchDirectory, path: String, bytes: [UInt8]) {
    let folder = try ScratchDirectory()
    let bytes = Array(text.utf8)
    return (folder, try folder.write(bytes, name: "r.csv"), bytes)
  }

  @Test(arguments: [7, 64, 1 << 20])
  func twoPiecesReadAsOne(blockSize: Int) throws {
    let (folder, path, bytes) = try Self.writeText()
    defer { folder.remove() }
    let options = CSVReaderOptions(blockSize: blockSize, batchSize: 3)
    let whole = try CSVReader(path: path, options: options).readAll()
    var clean = 0
    var open = 0
    for offset in 0..<bytes.count {
      guard
        let start = try CSVContinuation.lineStart(
          inFile: path, after: offset, encoding: .utf8, delimiter: UInt8(ascii: ","))
      else { continue }
      #expect(bytes[start.offset - 1] == UInt8(ascii: "\n"))
      var first = options
      first.byteLimit = start.offset
      let head = try CSVReader(path: path, options: first)
      let headRecords = try head.readAll()
      var second = options
      second.continuation = start
      let tailRecords = try CSVReader(path: path, options: second).readAll()
      if head.endedBetweenRecords {
        clean += 1
        #expect(headRecords + tailRecords == whole, "split at \(start.offset), line \(start.line)")
      } else {
        open += 1
      }
    }
    #expect(clean >= 6)
    #expect(open >= 2)
  }

  /// Three pieces, cut at every pair of places: every cut is the line start one cut alone would
  /// give, the cuts increase, and the three pieces read as one whenever the first two ended
  /// between records.
  @Test func threePiecesReadAsOne() throws {
    let (folder, path, bytes) = try Self.writeText()
    defer { folder.remove() }
    let options = CSVReaderOptions(blockSize: 64, batchSize: 3)
    let whole = try CSVReader(path: path, options: options).readAll()
    var clean = 0
    for first in stride(from: 0, to: bytes.count, by: 5) {
      for second in stride(from: first, to: bytes.count, by: 7) {
        guard
          let cuts = try CSVContinuation.lineStarts(
            inFile: path, after: [first, second], encoding: .utf8, delimiter: UInt8(ascii: ","))
        else { continue }
        let alone = try CSVContinuation.lineStart(
          inFile: path, after: first, encoding: .utf8, delimiter: UInt8(ascii: ","))
        #expect(cuts.first == alone)
        #expect(zip(cuts, cuts.dropFirst()).allSatisfy { $0.offset < $1.offset })
        guard cuts.count == 2 else { continue }
        let later = try CSVContinuation.lineStart(
          inFile: path, after: max(second, cuts[0].offset), encoding: .utf8,
          delimiter: UInt8(ascii: ","))
        #expect(cuts[1] == later)
        var head = options
        head.byteLimit = cuts[0].offset
        var middle = options
        middle.continuation = cuts[0]
        middle.byteLimit = cuts[1].offset - cuts[0].offset
        var tail = options
        tail.continuation = cuts[1]
        let readers = try [head, middle, tail].map { try CSVReader(path: path, options: $0) }
        let records = try readers.flatMap { try $0.readAll() }
        if readers[0].endedBetweenRecords && readers[1].endedBetweenRecords {
          clean += 1
          #expect(records == whole, "cuts at \(cuts.map(\.offset))")
        }
      }
    }
    #expect(clean >= 10)
  }

  /// A piece's reader numbers its first line from the cut offsets and the line ends counted
  /// range by range (on its own thread): each cut is the byte after a line feed, and the line
  /// ends between two cuts are those a plain count of the bytes finds (LF, CRLF and a lone CR each
  /// end a line), so the numbers are those `lineStarts` gives.
  @Test func cutOffsetsAndLineEndsNumberTheLinesAsLineStartsDoes() throws {
    let (folder, path, bytes) = try Self.writeText()
    defer { folder.remove() }
    func plainCount(_ range: Range<Int>) -> Int {
      range.filter { index in
        bytes[index] == UInt8(ascii: "\n")
          || (bytes[index] == UInt8(ascii: "\r")
            && (index + 1 == bytes.count || bytes[index + 1] != UInt8(ascii: "\n")))
      }.count
    }
    for first in stride(from: 0, to: bytes.count, by: 3) {
      let after = [first, first + bytes.count / 3, first + bytes.count / 2]
      let expected = try CSVContinuation.lineStarts(
        inFile: path, after: after, encoding: .utf8, delimiter: UInt8(ascii: ","))
      let offsets = try CSVContinuation.cutOffsets(inFile: path, after: after, encoding: .utf8)
      #expect(offsets == expected?.map(\.offset))
      guard let offsets else { continue }
      var line = 1
      var lines: [Int] = []
      for (start, end) in zip([0] + offsets, offsets) {
        #expect(bytes[end - 1] == UInt8(ascii: "\n"))
        let counted = try CSVContinuation.lineEnds(inFile: path, from: start, to: end)
        #expect(counted == plainCount(start..<end), "\(start)..<\(end)")
        line += counted
        lines.append(line)
      }
      #expect(lines == expected?.map(\.line), "cuts at \(offsets)")
    }
    #expect(
      try CSVContinuation.cutOffsets(inFile: path, after: [0], encoding: .utf16le) == nil)
    #expect(throws: CSVError.self) {
      try CSVContinuation.lineEnds(inFile: path, from: 0, to: bytes.count + 10)
    }
  }

  /// Line starts found past whole blocks of 1 MiB (counted quickly when they hold no CR) carry
  /// the line numbers a byte-by-byte count gives, with CRLF, lone CR and LF in the blocks.
  @Test(arguments: ["\n", "\r\n", "\r"])
  func lineNumbersPastWholeBlocks(firstBlockEnding: String) throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("continuation-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("big.csv").path
    var bytes: [UInt8] = []
    var row = 0
    while bytes.count < 3 << 20 {
      let ending = bytes.count < 1 << 20 ? firstBlockEnding : "\n"
      bytes += Array("\(row),测试\(row % 97)\(ending)".utf8)
      row += 1
    }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    for offset in [(1 << 20) + 5, (2 << 20) + 17, bytes.count - 40] {
      let start = try #require(
        try CSVContinuation.lineStart(
          inFile: path, after: offset, encoding: .utf8, delimiter: UInt8(ascii: ",")))
      var line = 1
      var afterCarriageReturn = false
      for byte in bytes[..<start.offset] {
        if byte == UInt8(ascii: "\r") || (byte == UInt8(ascii: "\n") && !afterCarriageReturn) {
          line += 1
        }
        afterCarriageReturn = byte == UInt8(ascii: "\r")
      }
      #expect(start.line == line, "offset \(offset)")
      #expect(bytes[start.offset - 1] == UInt8(ascii: "\n"))
    }
  }

  @Test func aPieceReaderCanSkipTheDigest() throws {
    var options = CSVReaderOptions()
    options.computesDigest = false
    let reader = CSVReader(bytes: Array("a,b\nc,d\n".utf8), displayName: "m", options: options)
    #expect(try reader.readAll().count == 2)
    #expect(reader.sha256 == nil)
    let hashing = CSVReader(bytes: Array("a,b\nc,d\n".utf8), displayName: "m")
    _ = try hashing.readAll()
    #expect(hashing.sha256 == SHA256.hex(of: Array("a,b\nc,d\n".utf8)))
  }

  @Test func noLineFeedAfterTheOffsetGivesNoStart() throws {
    let folder = try ScratchDirectory()
    defer { folder.remove() }
    let path = try folder.write(Array("a,b\nc,d".utf8))
    #expect(
      try CSVContinuation.lineStart(
        inFile: path, after: 4, encoding: .utf8, delimiter: UInt8(ascii: ",")) == nil)
    let start = try CSVContinuation.lineStart(
      inFile: path, after: 0, encoding: .utf8, delimiter: UInt8(ascii: ","))
    #expect(start?.offset == 4)
    #expect(start?.line == 2)
  }
}
