import CByteScan

/// Whether this processor runs `CByteScan`'s vector scans (x86-64 with AVX2).
let vectorScansAvailable = cbytescan_vector_available() != 0

/// How many of the `count` bytes at `bytes` equal `byte`.
func countBytes(_ bytes: UnsafePointer<UInt8>, count: Int, equalTo byte: UInt8) -> Int {
  if vectorScansAvailable { return cbytescan_count(bytes, count, byte) }
  var total = 0
  for index in 0..<count { total &+= bytes[index] == byte ? 1 : 0 }
  return total
}
