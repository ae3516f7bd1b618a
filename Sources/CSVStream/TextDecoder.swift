#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Converts raw input bytes to UTF-8 for the parser, one buffer at a time. A byte that is not
/// valid in the input encoding is written as the four characters `\xNN` (never U+FFFD), and the
/// absolute output offset of each such escape is noted so the reader can mark the record that
/// holds it as damaged.
final class TextDecoder {
  private enum Mode {
    /// Auto-detection that has seen only ASCII: the first byte that is not ASCII decides.
    case undecided
    case utf8
    /// An iconv conversion; `unit` is the size of the smallest code unit (2 for UTF-16).
    case converted(Transcoder, unit: Int)
  }

  /// The encoding in use, or `nil` while auto-detection has seen only ASCII.
  private(set) var encoding: InputEncoding?
  private var mode: Mode

  /// `true` once the input is known to be UTF-8, which decodes to itself.
  var isUTF8: Bool {
    if case .utf8 = mode { return true }
    return false
  }

  /// A decoder for `encoding`; `nil` (or `.auto`) starts undecided. Fails when the platform's
  /// iconv cannot convert the encoding.
  init?(encoding: InputEncoding?) {
    switch encoding {
    case nil, .auto:
      mode = .undecided
      self.encoding = nil
    case .utf8:
      mode = .utf8
      self.encoding = .utf8
    case .gb18030, .utf16le, .utf16be:
      guard let encoding, let converted = Self.converter(for: encoding) else { return nil }
      mode = converted
      self.encoding = encoding
    }
  }

  private static func converter(for encoding: InputEncoding) -> Mode? {
    switch encoding {
    case .gb18030:
      return Transcoder(from: "GB18030", to: "UTF-8").map { .converted($0, unit: 1) }
    case .utf16le:
      return Transcoder(from: "UTF-16LE", to: "UTF-8").map { .converted($0, unit: 2) }
    case .utf16be:
      return Transcoder(from: "UTF-16BE", to: "UTF-8").map { .converted($0, unit: 2) }
    case .auto, .utf8:
      return nil
    }
  }

  /// Decodes as much of `input` as fits into `output`. `final` says no input follows, so a
  /// character cut at the end is invalid rather than waiting for the next buffer. `offset` is
  /// the absolute position of `output`'s first byte; escapes are appended to `marks` there.
  func decode(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, final: Bool,
    offset: Int, marks: inout [Int]
  ) -> (consumed: Int, produced: Int) {
    var consumed = 0
    var produced = 0
    while consumed < input.count {
      let before = (consumed, produced)
      let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
      let room = UnsafeMutableRawBufferPointer(rebasing: output[produced...])
      let step: (consumed: Int, produced: Int, decided: Bool)
      switch mode {
      case .undecided:
        step = decideAndCopyASCII(rest, into: room, final: final)
      case .utf8:
        let result = decodeUTF8(
          rest, into: room, final: final, offset: offset + produced, marks: &marks)
        step = (result.consumed, result.produced, false)
      case .converted(let transcoder, let unit):
        let result = decodeConverted(
          rest, into: room, using: transcoder, unit: unit, final: final,
          offset: offset + produced, marks: &marks)
        step = (result.consumed, result.produced, false)
      }
      consumed += step.consumed
      produced += step.produced
      if !step.decided && (consumed, produced) == before { break }
    }
    return (consumed, produced)
  }

  /// Copies ASCII; at the first other byte chooses UTF-8 (it starts a valid UTF-8 character)
  /// or GB18030, without consuming it.
  private func decideAndCopyASCII(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, final: Bool
  ) -> (consumed: Int, produced: Int, decided: Bool) {
    let limit = min(input.count, output.count)
    var index = 0
    while index < limit, input[index] < 0x80 { index += 1 }
    if index > 0, let source = input.baseAddress, let target = output.baseAddress {
      memcpy(target, source, index)
    }
    guard index < input.count, input[index] >= 0x80 else { return (index, index, false) }
    let candidate = UnsafeRawBufferPointer(rebasing: input[index..<min(input.count, index + 4)])
    switch scanUTF8(candidate).result {
    case .valid:
      decide(.utf8)
    case .incomplete(let at) where at > 0:
      decide(.utf8)
    case .invalid(let at) where at > 0:
      decide(.utf8)
    case .incomplete where !final:
      // The first character that is not ASCII is cut by the end of the buffer: wait for more.
      return (index, index, false)
    case .incomplete, .invalid:
      decide(.gb18030)
    }
    return (index, index, true)
  }

  private func decide(_ decided: InputEncoding) {
    encoding = decided
    if decided == .utf8 {
      mode = .utf8
    } else if let converted = Self.converter(for: decided) {
      mode = converted
    } else {
      // Without an iconv GB18030 converter, keep UTF-8 and let invalid bytes show as escapes.
      encoding = .utf8
      mode = .utf8
    }
  }

  private func decodeUTF8(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, final: Bool,
    offset: Int, marks: inout [Int]
  ) -> (consumed: Int, produced: Int) {
    guard let source = input.baseAddress, let target = output.baseAddress else { return (0, 0) }
    var consumed = 0
    var produced = 0
    while consumed < input.count, output.count - produced >= 4 {
      let chunk = min(input.count - consumed, output.count - produced)
      let reachesEnd = consumed + chunk == input.count
      let valid: Int
      var escape = false
      switch scanUTF8(UnsafeRawBufferPointer(start: source + consumed, count: chunk)).result {
      case .valid:
        valid = chunk
      case .incomplete(let at):
        // A character cut by the end of the input is invalid only when nothing follows.
        valid = at
        escape = reachesEnd && final
      case .invalid(let at):
        valid = at
        escape = true
      }
      memcpy(target + produced, source + consumed, valid)
      consumed += valid
      produced += valid
      if escape {
        guard output.count - produced >= 4 else { break }
        marks.append(offset + produced)
        writeEscape(input[consumed], to: target + produced)
        consumed += 1
        produced += 4
      } else if valid < chunk && (reachesEnd || valid == 0) {
        break
      }
    }
    return (consumed, produced)
  }

  private func decodeConverted(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
    using transcoder: Transcoder, unit: Int, final: Bool, offset: Int, marks: inout [Int]
  ) -> (consumed: Int, produced: Int) {
    guard let target = output.baseAddress else { return (0, 0) }
    var consumed = 0
    var produced = 0
    while consumed < input.count, output.count - produced >= 4 * unit + 4 {
      let (inCount, outCount, stop) = transcoder.convert(
        UnsafeRawBufferPointer(rebasing: input[consumed...]),
        into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]))
      consumed += inCount
      produced += outCount
      let left = input.count - consumed
      var skip = 0
      switch stop {
      case .finished:
        continue
      case .outputFull:
        if inCount == 0 && outCount == 0 { return (consumed, produced) }
        continue
      case .invalidInput:
        skip = min(unit, left)
      case .incompleteInput where final:
        skip = left
      case .incompleteInput where left >= 4:
        // A 4-byte GB18030 or UTF-16 sequence is complete by now, so it is invalid.
        skip = min(unit, left)
      case .incompleteInput:
        return (consumed, produced)
      }
      guard output.count - produced >= 4 * skip else { break }
      marks.append(offset + produced)
      for index in 0..<skip {
        writeEscape(input[consumed + index], to: target + produced)
        produced += 4
      }
      consumed += skip
    }
    return (consumed, produced)
  }
}

/// Writes `\xNN` (upper-case hex) for `byte` at `target`.
private func writeEscape(_ byte: UInt8, to target: UnsafeMutableRawPointer) {
  let digits: StaticString = "0123456789ABCDEF"
  target.storeBytes(of: UInt8(ascii: "\\"), as: UInt8.self)
  target.storeBytes(of: UInt8(ascii: "x"), toByteOffset: 1, as: UInt8.self)
  digits.withUTF8Buffer { hex in
    target.storeBytes(of: hex[Int(byte >> 4)], toByteOffset: 2, as: UInt8.self)
    target.storeBytes(of: hex[Int(byte & 0x0F)], toByteOffset: 3, as: UInt8.self)
  }
}
