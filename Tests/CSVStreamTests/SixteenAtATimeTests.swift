import Testing

@testable import CSVStream

/// `appendSixteenAtATime` copies from a padded block sixteen bytes a step: the bytes held are
/// exactly the ones asked for, whatever their count and whatever was held before, the bytes it
/// writes past the end are written over by the next append, and the room asked for after them
/// is there.
@Suite struct SixteenAtATimeTests {
  @Test(arguments: Array(0...40))
  func copiesExactlyTheBytesAskedFor(count: Int) {
    // A block padded as a reason template pads its literals, the padding not zero here, so
    // that a byte copied from it by mistake would show.
    let source = (0..<(count + 16)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 65) }
    for heldBefore in [0, 1, 5, 15, 16, 17] {
      let buffer = CSVRowBuffer(capacity: 16)
      let before = [UInt8](repeating: UInt8(ascii: "h"), count: heldBefore)
      buffer.append(before)
      source.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return }
        buffer.appendSixteenAtATime(from: base, count: count, roomAfter: 64)
      }
      #expect(buffer.count == heldBefore + count)
      // The room asked for after the bytes was made with them.
      #expect(buffer.capacity - buffer.count >= 64)
      buffer.append(UInt8(ascii: ";"))
      var row: [UInt8] = []
      buffer.moveRow(to: &row)
      #expect(row == before + source.prefix(count) + [UInt8(ascii: ";")], "held \(heldBefore)")
    }
  }
}
