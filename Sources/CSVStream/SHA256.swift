import CSHA256

/// A small SHA-256 (FIPS 180-4) for the run manifest (input files) and policy digests, so the
/// package needs no crypto dependency. Where the processor has the SHA instructions, whole
/// blocks go through them (`CSHA256`), several times faster than the portable rounds below.
public struct SHA256: Sendable {
  private static let hardwareAvailable = csha256_hardware_available() != 0
  private var hardware = SHA256.hardwareAvailable

  private static let roundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
    0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe,
    0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f,
    0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da, 0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7,
    0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc,
    0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
    0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070, 0x19a4_c116,
    0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
    0xc671_78f2,
  ]

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
      SHA256.roundConstants.withUnsafeBufferPointer { constants in
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { words in
          for offset in stride(from: 0, to: blocks.count - 63, by: 64) {
            SHA256.compress(
              UnsafeRawBufferPointer(rebasing: blocks[offset..<offset + 64]), state: state,
              constants: constants, words: words)
          }
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
