import Foundation
import Testing

@testable import CSVStream

/// The vector count of line ends agrees with counting them one byte at a time, as the reader
/// does, whatever the length, wherever the buffer starts and whatever ended the bytes before.
@Suite struct ByteScanTests {
  static func reference(_ bytes: ArraySlice<UInt8>, afterCarriageReturn: Bool) -> Int {
    var lines = 0
    var afterCR = afterCarriageReturn
    for byte in bytes {
      if byte == 0x0A {
        if !afterCR { lines += 1 }
        afterCR = false
      } else if byte == 0x0D {
        lines += 1
        afterCR = true
      } else {
        afterCR = false
      }
    }
    return lines
  }

  /// The first line end found 32 bytes at a time is the first LF or CR, wherever it lies: in a
  /// full block, in the last bytes scanned again from an earlier start, or nowhere.
  @Test(arguments: [0, 1, 5, 31, 32, 33, 64, 95, 200])
  func findsTheFirstLineEnd(blankRun: Int) {
    var random = SplitMix(seed: UInt64(blankRun) + 3)
    for _ in 0..<40 {
      var bytes = [UInt8](repeating: 0x41, count: blankRun)
      bytes += (0..<random.below(70)).map { _ in [0x0A, 0x0D, 0x41, 0xE4, 0x20][random.below(5)] }
      let expected = bytes.firstIndex { $0 == 0x0A || $0 == 0x0D } ?? bytes.count
      bytes.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return }
        #expect(firstLineEnd(base, count: raw.count) == expected, "\(bytes)")
        // Never past the bytes given, even when an end follows them; the path for processors
        // without AVX2 alike.
        for count in 0...raw.count {
          #expect(firstLineEnd(base, count: count) == min(expected, count))
          #expect(firstLineEndByMemchr(base, count: count) == min(expected, count))
        }
      }
    }
  }

  @Test(arguments: [false, true])
  func countsLineEndsAsTheReaderDoes(afterCarriageReturn: Bool) {
    var random = SplitMix(seed: 11)
    let bytes = (0..<300).map { _ in [0x0A, 0x0D, 0x41, 0xE4, 0x0D, 0xFF][random.below(6)] as UInt8
    }
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      for start in 0..<40 {
        for count in 0...(buffer.count - start) {
          let expected = Self.reference(
            bytes[start..<start + count], afterCarriageReturn: afterCarriageReturn)
          let counted = countLineEnds(
            base + start, count: count, afterCarriageReturn: afterCarriageReturn)
          #expect(counted == expected, "\(start) \(count)")
        }
      }
    }
  }

  /// The tests above and `UTF8ScanTests` only test the vector code if it runs: on Linux the
  /// processor's flags say whether it must, so a wrong runtime check cannot make the tests
  /// compare the byte-by-byte code with itself unnoticed.
  @Test func vectorScansRunWhereTheProcessorHasThem() throws {
    #if os(Linux) && arch(x86_64)
      let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
      let flagsLine = try #require(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") })
      let flags = Set(flagsLine.split(whereSeparator: { $0 == " " || $0 == "\t" }))
      #expect(vectorScansAvailable == (flags.contains("avx2") && flags.contains("popcnt")))
    #endif
  }
}
