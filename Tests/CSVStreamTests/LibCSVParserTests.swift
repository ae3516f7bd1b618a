import Foundation
import Testing

@testable import CSVStream

/// libcsv writes the fields straight into the records' storage: a field fed in pieces, a field
/// still being written when the storage is replaced or grows, and the quote a damaged record
/// leaves behind must not change any field or its quoted flag.
@Suite struct LibCSVParserTests {
  /// Feeds `pieces` in order and returns the records completed, with their quoted flags.
  private static func parse(
    _ pieces: [String], parser: LibCSVParser = LibCSVParser(maxFieldBytes: 1 << 20, file: "t")
  ) -> [(fields: [String], quoted: [Bool])] {
    var records: [(fields: [String], quoted: [Bool])] = []
    for piece in pieces {
      let bytes = Array(piece.utf8)
      #expect(feed(bytes, to: parser) == bytes.count)
      if let record = parser.takeRecord(line: records.count + 1) {
        records.append((record.fields, record.quoted))
      }
    }
    return records
  }

  /// Feeds `bytes` to `parser`; returns how many it consumed.
  private static func feed(_ bytes: [UInt8], to parser: LibCSVParser) -> Int {
    bytes.withUnsafeBytes { raw -> Int in
      guard let base = raw.baseAddress else { return 0 }
      return parser.parse(base, count: raw.count)
    }
  }

  /// The libcsv this test run links behaves as the parser relies on; a libcsv that did not
  /// would make every reader throw `CSVError.incompatibleLibCSV`.
  @Test func theLinkedLibCSVBehavesAsReliedOn() throws {
    #expect(LibCSVParser.linkedLibraryBehaves)
    let reader = CSVReader(bytes: Array("a,b\n".utf8), displayName: "t.csv")
    #expect(try reader.nextBatch()?.first?.fields == ["a", "b"])
    #expect(CSVError.incompatibleLibCSV(path: "t.csv").description.hasPrefix("t.csv: "))
  }

  /// A field over the limit that libcsv closes itself goes through the field callback, and
  /// the quoted field after it is written where it was; after a reset no quote of theirs may
  /// mark the next record's fields as quoted.
  @Test func aClosedFieldOverTheLimitLeavesNoQuoteBehind() {
    let parser = LibCSVParser(maxFieldBytes: 8, file: "t")
    _ = Self.feed(Array("012345678,\"a\"\"b\"\n".utf8), to: parser)
    #expect(parser.fieldTooLarge)
    parser.reset()
    #expect(Self.feed(Array("x,y\n".utf8), to: parser) == 4)
    let record = parser.takeRecord(line: 2)
    #expect(record?.fields == ["x", "y"])
    #expect(record?.quoted == [false, false])
  }

  @Test(arguments: [1, 2, 3, 7])
  func fieldsFedInPiecesAreWhole(pieceSize: Int) {
    let line = "ab, c d ,\"x \"\"y\"\" z\",,\"\",\"多 行\r\n内容\",末尾\n"
    let bytes = Array(line.utf8)
    // Pieces cut inside a character are fed as their bytes.
    let parser = LibCSVParser(maxFieldBytes: 1 << 20, file: "t")
    var parsed: CSVRecord?
    for start in stride(from: 0, to: bytes.count, by: pieceSize) {
      let piece = Array(bytes[start..<min(start + pieceSize, bytes.count)])
      #expect(Self.feed(piece, to: parser) == piece.count)
      if let done = parser.takeRecord(line: 1) { parsed = done }
    }
    #expect(parsed?.fields == ["ab", " c d ", "x \"y\" z", "", "", "多 行\r\n内容", "末尾"])
    #expect(parsed?.quoted == [false, false, true, false, true, true, false])
  }

  @Test func aFieldBeingWrittenMovesToTheNewStorage() {
    let parser = LibCSVParser(maxFieldBytes: 1 << 20, file: "t")
    let first = Self.parse(["a,\"b\n", "c"], parser: parser)
    #expect(first.isEmpty)
    parser.startNewStorage()
    let rest = Self.parse(["d\",e\n", "f,g\n"], parser: parser)
    #expect(rest.map(\.fields) == [["a", "b\ncd", "e"], ["f", "g"]])
    #expect(rest.map(\.quoted) == [[false, true, false], [false, false]])
  }

  @Test func aLongFieldGrowsTheStorageWithoutLosingItsStart() {
    let long = (0..<50_000).map { String($0 % 10) }.joined()
    let line = "\"" + long + "\",x\n"
    let bytes = Array(line.utf8)
    let pieces = stride(from: 0, to: bytes.count, by: 999).map {
      String(decoding: bytes[$0..<min($0 + 999, bytes.count)], as: UTF8.self)
    }
    let records = Self.parse(["h,i\n"] + pieces)
    // Compared as a whole: a failure would print the 50 000-byte field otherwise.
    let whole = records.map(\.fields) == [["h", "i"], [long, "x"]]
    #expect(whole)
    #expect(records.last?.quoted == [true, false])
  }

  /// A failed record's fields stay in the storage's unused bytes; here its escaped quote lies
  /// right after where the next record's first field ends, and must not mark it as quoted.
  @Test func aResetLeavesNoQuoteForTheNextFields() {
    let parser = LibCSVParser(maxFieldBytes: 1 << 20, file: "t")
    #expect(Self.parse(["h1,h2\n"], parser: parser).count == 1)
    let broken = Array("\"x\"\"y\"!,z\n".utf8)
    let consumed = Self.feed(broken, to: parser)
    #expect(consumed < broken.count && parser.stoppedOnSyntaxError)
    parser.reset()
    let next = Self.parse(["a,b\n", "\"c\",d\n"], parser: parser)
    #expect(next.map(\.fields) == [["a", "b"], ["c", "d"]])
    #expect(next.map(\.quoted) == [[false, false], [true, false]])
  }

  /// The same through the reader: a damaged record, then records whose short unquoted fields
  /// end where its quotes were.
  @Test func readerRecordsAfterADamagedOneKeepTheirFlags() throws {
    let text = "h1,h2\n\"x\"\"y\"!,z\na,b\n\"\"\"\",\"\"\"\"\"\"\"q\nc,d\n"
    let reader = CSVReader(bytes: Array(text.utf8), displayName: "t.csv")
    let records = try reader.readAll()
    let good = records.filter { $0.damage == nil }
    #expect(good.map(\.fields) == [["h1", "h2"], ["a", "b"], ["c", "d"]])
    #expect(good.allSatisfy { $0.quoted == [false, false] })
    #expect(records.filter { $0.damage != nil }.map(\.location.line) == [2, 4])
  }

  /// The tag kept for each parsed field is the byte a frame writes: fields around the one-byte
  /// length limit, quoted or not, come back from a frame as parsed.
  @Test func parsedFieldsFrameAndComeBack() throws {
    let fields = [126, 127, 128, 300].map { String(repeating: "a", count: $0 - 3) + "长" }
    let line = "\"\(fields[0])\",\(fields[1]),\"\(fields[2])\",\(fields[3]),,\"\"\n"
    let parsed = Self.parse([line])
    #expect(parsed.first?.fields == fields + ["", ""])
    let parser = LibCSVParser(maxFieldBytes: 1 << 20, file: "t")
    #expect(Self.feed(Array(line.utf8), to: parser) == line.utf8.count)
    let record = try #require(parser.takeRecord(line: 4))
    var frame: [UInt8] = []
    CSVRecordFrame.append([record], tags: [7], to: &frame)
    let back = frame.withUnsafeBytes { CSVRecordFrame.records(in: $0, file: "t") }
    #expect(back?.records.first?.fields == fields + ["", ""])
    #expect(back?.records.first?.quoted == [true, false, true, false, false, true])
    #expect(back?.records.first?.location.line == 4)
  }

  @Test func aFieldOverTheLimitIsReportedAndTheNextRecordIsWhole() {
    let parser = LibCSVParser(maxFieldBytes: 8, file: "t")
    let long = Array("a,\"0123456789\"\"\",b\n".utf8)
    let consumed = Self.feed(long, to: parser)
    #expect(consumed < long.count || parser.fieldTooLarge)
    parser.reset()
    #expect(!parser.fieldTooLarge)
    let next = Self.parse(["x,y\n", "01234567,\"\"\n"], parser: parser)
    #expect(next.map(\.fields) == [["x", "y"], ["01234567", ""]])
    #expect(next.map(\.quoted) == [[false, false], [false, true]])
  }
}
