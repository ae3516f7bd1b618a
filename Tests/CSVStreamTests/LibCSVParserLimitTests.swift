import Foundation
import Testing

@testable import CSVStream

/// The field length limit applies to each field on its own, however many fields one `parse`
/// call holds: libcsv's `entry_size` is set once per call, while the field callback moves its
/// entry buffer past every field. And the storage's bytes that libcsv has not written are never
/// taken for a closing quote, whatever the memory held before.
@Suite struct LibCSVParserLimitTests {
  /// Feeds `line` in one call; returns how many bytes libcsv consumed.
  private static func feed(_ line: String, to parser: LibCSVParser) -> Int {
    Array(line.utf8).withUnsafeBytes { raw -> Int in
      guard let base = raw.baseAddress else { return 0 }
      return parser.parse(base, count: raw.count)
    }
  }

  @Test(arguments: [1, 40, 400])
  func fieldsAtTheLimitAreAllTaken(fieldCount: Int) throws {
    let parser = LibCSVParser(maxFieldBytes: 8, file: "t")
    let fields = (0..<fieldCount).map { String(format: "%08d", $0) }
    let line = fields.joined(separator: ",") + "\n"
    #expect(Self.feed(line, to: parser) == line.utf8.count)
    #expect(!parser.fieldTooLarge)
    let record = try #require(parser.takeRecord(line: 1))
    #expect(record.fields == fields)
  }

  @Test(arguments: [0, 1, 39, 399])
  func aFieldOverTheLimitAfterOthersIsRefused(fieldsBefore: Int) {
    let parser = LibCSVParser(maxFieldBytes: 8, file: "t")
    let before = (0..<fieldsBefore).map { _ in "12345678," }.joined()
    _ = Self.feed(before + "123456789,x\n", to: parser)
    #expect(parser.fieldTooLarge)
    #expect(parser.takeRecord(line: 1) == nil)
  }

  /// Long lines fed in one call, longer than the storage's first capacity, come back whole.
  @Test(arguments: [10, 1000, 20_000])
  func longLinesInOneCallAreWhole(fieldLength: Int) throws {
    let parser = LibCSVParser(maxFieldBytes: 1 << 20, file: "t")
    let fields = ["\"" + String(repeating: "引", count: fieldLength) + "\"", "", "a b"]
    for line in 1...3 {
      let text = fields.joined(separator: ",") + "\r\n"
      #expect(Self.feed(text, to: parser) == text.utf8.count)
      let record = try #require(parser.takeRecord(line: line))
      #expect(record.fields == [String(repeating: "引", count: fieldLength), "", "a b"])
      #expect(record.quoted == [true, false, false])
    }
  }

  /// Memory full of quotes, given back just before the parser and its storages take memory of
  /// the same sizes, is likely what they get: no unquoted field may come back quoted.
  @Test(arguments: [1, 7, 60])
  func memoryThatHeldQuotesMarksNoFieldQuoted(fieldLength: Int) throws {
    let sizes = [64, 256, 320, 600, 1024, 4096, 16_384]
    for size in sizes {
      let block = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
      block.initialize(repeating: UInt8(ascii: "\""), count: size)
      block.deallocate()
    }
    let parser = LibCSVParser(maxFieldBytes: 1 << 20, file: "t")
    let long = String(repeating: "x", count: fieldLength)
    let line = "\(long),b,,\"q\",\(long) \(long)\n"
    for round in 1...40 {
      #expect(Self.feed(line, to: parser) == line.utf8.count)
      let record = try #require(parser.takeRecord(line: round))
      #expect(record.fields == [long, "b", "", "q", long + " " + long])
      #expect(record.quoted == [false, false, false, true, false])
      if round % 5 == 0 {
        for size in sizes {
          let block = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
          block.initialize(repeating: UInt8(ascii: "\""), count: size)
          block.deallocate()
        }
        parser.startNewStorage()
      }
    }
  }

  /// A line's only blank is parsed with libcsv's built-in space test when libcsv is inside a
  /// quoted field there, and with the test that keeps blanks anywhere else: either way every
  /// blank is kept, and a blank after a closing quote stays an error.
  @Test(
    arguments: [
      ("a,\"x y\",b\n", ["a", "x y", "b"], [false, true, false]),
      ("a,\"x\ty\",b\r\n", ["a", "x\ty", "b"], [false, true, false]),
      ("\"x,\n", nil, nil),
      ("a, b,c\n", ["a", " b", "c"], [false, false, false]),
      ("a,b ,c\n", ["a", "b ", "c"], [false, false, false]),
      ("a,b c,\"d\"\n", ["a", "b c", "d"], [false, false, true]),
      (" a,b\n", [" a", "b"], [false, false]),
      ("a,b \n", ["a", "b "], [false, false]),
      ("\"\" ,b\n", nil, nil),
      ("\"x\" ,b\n", nil, nil),
    ] as [(String, [String]?, [Bool]?)])
  func aLinesOnlyBlankIsKept(line: String, fields: [String]?, quoted: [Bool]?) {
    let parser = LibCSVParser(maxFieldBytes: 1 << 20, file: "t")
    let consumed = Self.feed(line, to: parser)
    let record = parser.takeRecord(line: 1)
    if let fields {
      #expect(consumed == line.utf8.count)
      #expect(record?.fields == fields)
      #expect(record?.quoted == quoted)
    } else if line.hasPrefix("\"x,") {
      // An open quoted field: nothing completes, and the next line's blank is inside it.
      #expect(consumed == line.utf8.count)
      #expect(record == nil)
      #expect(Self.feed("y z\",w\n", to: parser) == 7)
      let continued = parser.takeRecord(line: 1)
      #expect(continued?.fields == ["x,\ny z", "w"])
      #expect(continued?.quoted == [true, false])
    } else {
      #expect(consumed < line.utf8.count)
      #expect(parser.stoppedOnSyntaxError)
    }
  }
}
