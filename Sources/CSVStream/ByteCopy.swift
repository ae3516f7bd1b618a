#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Copies `count` bytes between blocks that do not overlap. Most fields and most pieces of an
/// output row are 32 bytes or shorter, and for those two overlapping loads and stores cost less
/// than a call to `memcpy`; longer ones go to `copyMemory`, the same library copy, which the
/// optimizer knows releases nothing: a text read through a pointer and copied around a call to
/// `memcpy` itself was retained and released for it.
@inlinable @inline(__always)
func copyBytes(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int) {
  switch count {
  case 17...32:
    let tail = count - 16
    let head = source.loadUnaligned(as: SIMD16<UInt8>.self)
    let end = source.loadUnaligned(fromByteOffset: tail, as: SIMD16<UInt8>.self)
    target.storeBytes(of: head, as: SIMD16<UInt8>.self)
    target.storeBytes(of: end, toByteOffset: tail, as: SIMD16<UInt8>.self)
  case 8...16:
    let tail = count - 8
    let head = source.loadUnaligned(as: UInt64.self)
    let end = source.loadUnaligned(fromByteOffset: tail, as: UInt64.self)
    target.storeBytes(of: head, as: UInt64.self)
    target.storeBytes(of: end, toByteOffset: tail, as: UInt64.self)
  case 4...7:
    let tail = count - 4
    let head = source.loadUnaligned(as: UInt32.self)
    let end = source.loadUnaligned(fromByteOffset: tail, as: UInt32.self)
    target.storeBytes(of: head, as: UInt32.self)
    target.storeBytes(of: end, toByteOffset: tail, as: UInt32.self)
  case 1...3:
    let first = source.load(as: UInt8.self)
    let middle = source.load(fromByteOffset: count >> 1, as: UInt8.self)
    let last = source.load(fromByteOffset: count - 1, as: UInt8.self)
    target.storeBytes(of: first, as: UInt8.self)
    target.storeBytes(of: middle, toByteOffset: count >> 1, as: UInt8.self)
    target.storeBytes(of: last, toByteOffset: count - 1, as: UInt8.self)
  case 0:
    break
  default:
    target.copyMemory(from: source, byteCount: count)
  }
}

/// Sets `count` bytes to zero, as `copyBytes` copies them: with two overlapping stores for 32
/// bytes or fewer (a quoted field and its closing quote in libcsv's buffer, nearly always), with
/// `memset` for more.
@inlinable @inline(__always)
func zeroBytes(at target: UnsafeMutableRawPointer, count: Int) {
  switch count {
  case 17...32:
    target.storeBytes(of: SIMD16<UInt8>(), as: SIMD16<UInt8>.self)
    target.storeBytes(of: SIMD16<UInt8>(), toByteOffset: count - 16, as: SIMD16<UInt8>.self)
  case 8...16:
    target.storeBytes(of: 0, as: UInt64.self)
    target.storeBytes(of: 0, toByteOffset: count - 8, as: UInt64.self)
  case 4...7:
    target.storeBytes(of: 0, as: UInt32.self)
    target.storeBytes(of: 0, toByteOffset: count - 4, as: UInt32.self)
  case 1...3:
    target.storeBytes(of: 0, as: UInt8.self)
    target.storeBytes(of: 0, toByteOffset: count >> 1, as: UInt8.self)
    target.storeBytes(of: 0, toByteOffset: count - 1, as: UInt8.self)
  case 0:
    break
  default:
    memset(target, 0, count)
  }
}
