import CByteScan

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether this processor runs `CByteScan`'s vector scans (x86-64 with AVX2).
let vectorScansAvailable = cbytescan_vector_available() != 0

/// How many lines end in the `count` bytes at `bytes`, counted as `CSVReader` counts them: an
/// LF, a CR followed by an LF (once), or a lone CR. `afterCarriageReturn` says the bytes before
/// ended with a CR, whose LF, if it starts these bytes, was counted with it.
func countLineEnds(_ bytes: UnsafePointer<UInt8>, count: Int, afterCarriageReturn: Bool) -> Int {
  if vectorScansAvailable {
    return cbytescan_count_line_ends(bytes, count, afterCarriageReturn ? 1 : 0)
  }
  var lines = 0
  var afterCR = afterCarriageReturn
  for index in 0..<count {
    switch bytes[index] {
    case UInt8(ascii: "\n"):
      if !afterCR { lines += 1 }
      afterCR = false
    case UInt8(ascii: "\r"):
      lines += 1
      afterCR = true
    default:
      afterCR = false
    }
  }
  return lines
}

/// The offset of the first LF or CR in the `count` bytes at `bytes`, or `count` when there is
/// neither: one scan where the two searches of `memchr` read each line twice.
@inline(__always)
func firstLineEnd(_ bytes: UnsafeRawPointer, count: Int) -> Int {
  if vectorScansAvailable {
    return cbytescan_first_line_end(bytes.assumingMemoryBound(to: UInt8.self), count)
  }
  return firstLineEndByMemchr(bytes, count: count)
}

/// `firstLineEnd` on a processor without AVX2: two `memchr` passes.
func firstLineEndByMemchr(_ bytes: UnsafeRawPointer, count: Int) -> Int {
  let lineFeed = memchr(bytes, Int32(UInt8(ascii: "\n")), count)
  let limit = lineFeed.map { bytes.distance(to: UnsafeRawPointer($0)) } ?? count
  return memchr(bytes, Int32(UInt8(ascii: "\r")), limit).map {
    bytes.distance(to: UnsafeRawPointer($0))
  } ?? limit
}
