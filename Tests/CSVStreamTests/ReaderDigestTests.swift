import Foundation
import Testing

@testable import CSVStream

/// The reader hashes the raw bytes it reads, so the run manifest names an input (standard input
/// too) without reading it twice.
@Suite struct ReaderDigestTests {
  @Test(arguments: [4, 7, 64, 1 << 20])
  func theDigestIsThatOfTheRawBytes(blockSize: Int) throws {
    var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
    bytes += Array("身份证号,姓名\r\n330602199001011231,林晓测\r\n\"a,b\",\"c\r\nd\"\r\n".utf8)
    let reader = CSVReader(
      bytes: bytes, displayName: "r.csv", options: CSVReaderOptions(blockSize: blockSize))
    #expect(reader.sha256 == nil)
    let records = try reader.readAll()
    #expect(records.count == 3)
    #expect(reader.sha256 == SHA256.hex(of: bytes))
  }
}
