import CSHA256

/// A small SHA-256 (FIPS 180-4) for the run manifest (input files) and policy digests, so the
/// package needs no crypto dependency. Where the processor has the SHA instructions, whole
/// blocks go through them (`CSHA256`), several times faster than the portable rounds below.
public struct SHA256: Sendable {
  private static let hardwareAvailable = csha256_hardware_available() != 0
  private var hardware = SHA256.hardwareAvailable

  private var state: [UInt32] = [
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab,
    0x5be0_cd19,
  ]
  private var pending: [UInt8] = []
  private var byteCount: UInt64 = 0

  public init() {}

  /// A hasher that uses the SHA instructions only when `allowed` and available (tests compare
  /// both ways).
  init(hardware allowed: Bool) {
    hardware = allowed && SHA256.hardwareAvailable
  }

  /// Feeds bytes; whole 64-byte blocks are compressed straight from the caller's buffer.
  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    byteCount &+= UInt64(bytes.count)
    var offset = 0
    if !pending.isEmpty {
      let take = min(64 - pending.count, bytes.count)
      pending.append(contentsOf: bytes[0..<take])
      offset = take
      if pending.count == 64 {
        pending.withUnsafeBytes { compress($0) }
        pending.removeAll(keepingCapacity: true)
      }
    }
    let blocks = (bytes.count - offset) / 64
    if blocks > 0 {
      compress(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + blocks * 64]))
      offset += blocks * 64
    }
    if offset < bytes.count { pending.append(contentsOf: bytes[offset...]) }
  }

  public mutating func update(_ bytes: some Sequence<UInt8>) {
    let array = Array(bytes)
    array.withUnsafeBytes { update($0) }
  }

  /// Pads, finishes and returns the 32-byte digest; the hasher should not be used afterwards.
  public mutating func finalize() -> [UInt8] {
    let bitCount = byteCount &* 8
    pending.append(0x80)
    if pending.count > 56 {
      pending += [UInt8](repeating: 0, count: 64 - pending.count)
      pending.withUnsafeBytes { compress($0) }
      pending.removeAll(keepingCapacity: true)
    }
    pending += [UInt8](repeating: 0, count: 56 - pending.count)
    for shift in stride(from: 56, through: 0, by: -8) {
      pending.append(UInt8(truncatingIfNeeded: bitCount >> UInt64(shift)))
    }
    pending.withUnsafeBytes { compress($0) }
    pending.removeAll()
    return state.flatMap { word in
      [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) }
    }
  }

  /// The digest of `bytes` as lowercase hex.
  public static func hex(of bytes: some Sequence<UInt8>) -> String {
    var hasher = SHA256()
    hasher.update(bytes)
    return hex(hasher.finalize())
  }

  /// A digest as lowercase hex.
  public static func hex(_ digest: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return String(digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
  }

  /// Whole 64-byte blocks into the state.
  private mutating func compress(_ blocks: UnsafeRawBufferPointer) {
    state.withUnsafeMutableBufferPointer { state in
      if hardware, let base = blocks.baseAddress, let words = state.baseAddress {
        csha256_hardware_blocks(
          words, base.assumingMemoryBound(to: UInt8.self), blocks.count / 64)
        return
      }
      let constants = UnsafeBufferPointer(start: csha256_round_constants(), count: 64)
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { words in
        for offset in stride(from: 0, to: blocks.count - 63, by: 64) {
          SHA256.compress(
            UnsafeRawBufferPointer(rebasing: blocks[offset..<offset + 64]), state: state,
            constants: constants, words: words)
        }
      }
    }
  }

  /// One 64-byte block into the eight state words, without allocating (FIPS 180-4, 6.2.2).
  private static func compress(
    _ block: UnsafeRawBufferPointer, state: UnsafeMutableBufferPointer<UInt32>,
    constants: UnsafeBufferPointer<UInt32>, words: UnsafeMutableBufferPointer<UInt32>
  ) {
    for index in 0..<16 {
      words[index] = UInt32(
        bigEndian: block.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
    }
    for index in 16..<64 {
      let low = words[index - 15]
      let high = words[index - 2]
      let sigma0 = low.rotatedRight(7) ^ low.rotatedRight(18) ^ (low >> 3)
      let sigma1 = high.rotatedRight(17) ^ high.rotatedRight(19) ^ (high >> 10)
      words[index] = words[index - 16] &+ sigma0 &+ words[index - 7] &+ sigma1
    }
    var (a, b, c, d, e, f, g, h) = (
      state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7]
    )
    // Eight rounds a step, the variables renamed instead of shifted.
    func round(
      _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32,
      _ g: UInt32, _ h: inout UInt32, _ index: Int
    ) {
      let sum1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
      let choice = (e & f) ^ (~e & g)
      let temp1 = h &+ sum1 &+ choice &+ constants[index] &+ words[index]
      let sum0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
      let majority = (a & b) ^ (a & c) ^ (b & c)
      d &+= temp1
      h = temp1 &+ sum0 &+ majority
    }
    for step in stride(from: 0, to: 64, by: 8) {
      round(a, b, c, &d, e, f, g, &h, step)
      round(h, a, b, &c, d, e, f, &g, step + 1)
      round(g, h, a, &b, c, d, e, &f, step + 2)
      round(f, g, h, &a, b, c, d, &e, step + 3)
      round(e, f, g, &h, a, b, c, &d, step + 4)
      round(d, e, f, &g, h, a, b, &c, step + 5)
      round(c, d, e, &f, g, h, a, &b, step + 6)
      round(b, c, d, &e, f, g, h, &a, step + 7)
    }
    state[0] &+= a
    state[1] &+= b
    state[2] &+= c
    state[3] &+= d
    state[4] &+= e
    state[5] &+= f
    state[6] &+= g
    state[7] &+= h
  }
}

extension UInt32 {
  fileprivate func rotatedRight(_ count: UInt32) -> UInt32 {
    (self >> count) | (self << (32 - count))
  }
}
