import CByteScan

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A streaming iconv conversion, fed one buffer at a time, that stops cleanly on a character
/// cut at the end of the input so the caller can carry the tail over to the next buffer.
final class Transcoder {
  /// Why `convert` stopped.
  enum Stop: Equatable {
    /// All input was converted.
    case finished
    /// The input ends inside a multibyte character; the unconsumed tail is that character's start.
    case incompleteInput
    /// The input has a byte sequence that is not valid in the source encoding.
    case invalidInput
    /// The output buffer is full.
    case outputFull
  }

  private let handle: iconv_t

  /// Opens a conversion; `nil` when the platform's iconv does not know one of the encodings.
  init?(from source: String, to target: String) {
    let opened = iconv_open(target, source)
    guard let opened, Int(bitPattern: opened) != -1 else { return nil }
    handle = opened
  }

  deinit {
    iconv_close(handle)
  }

  /// Converts as much of `input` as fits into `output`.
  func convert(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
  ) -> (consumed: Int, produced: Int, stop: Stop) {
    guard let inputBase = input.baseAddress, input.count > 0 else { return (0, 0, .finished) }
    guard let outputBase = output.baseAddress, output.count > 0 else { return (0, 0, .outputFull) }
    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(
      mutating: inputBase.assumingMemoryBound(to: CChar.self))
    var inLeft = input.count
    var outPointer: UnsafeMutablePointer<CChar>? = outputBase.assumingMemoryBound(to: CChar.self)
    var outLeft = output.count
    var stop = Stop.finished
    while inLeft > 0 {
      if iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft) != -1 { continue }
      switch errno {
      case EINTR: continue
      case EINVAL: stop = .incompleteInput
      case E2BIG: stop = .outputFull
      default: stop = .invalidInput
      }
      break
    }
    return (input.count - inLeft, output.count - outLeft, stop)
  }
}

/// The result of checking bytes for UTF-8 validity.
enum UTF8Scan: Equatable {
  /// Every byte is part of a complete, well-formed UTF-8 character.
  case valid
  /// Valid up to `at`, where a character starts that the bytes end before completing.
  case incomplete(at: Int)
  /// Valid up to `at`, where an ill-formed sequence starts.
  case invalid(at: Int)
}

/// Checks UTF-8 well-formedness (no overlongs, surrogates or values above U+10FFFF) and finds
/// the first byte that is not ASCII (`bytes.count` when there is none).
///
/// Long runs go through the vector check first, which only says whether they are valid; the
/// byte-by-byte scan finds the place of a problem, and looks at a character cut by the end.
func scanUTF8(_ bytes: UnsafeRawBufferPointer) -> (result: UTF8Scan, firstNonASCII: Int) {
  guard vectorScansAvailable, bytes.count >= 64, let base = bytes.baseAddress else {
    return scanUTF8Bytewise(bytes)
  }
  let whole = completeCharactersEnd(bytes)
  guard cbytescan_utf8_is_valid(base.assumingMemoryBound(to: UInt8.self), whole) != 0 else {
    return scanUTF8Bytewise(bytes)
  }
  let firstNonASCII = asciiRunEnd(base, from: 0, count: bytes.count)
  guard whole < bytes.count else { return (.valid, firstNonASCII) }
  switch scanUTF8Bytewise(UnsafeRawBufferPointer(rebasing: bytes[whole...])).result {
  case .valid: return (.valid, firstNonASCII)
  case .incomplete(let at): return (.incomplete(at: whole + at), firstNonASCII)
  case .invalid(let at): return (.invalid(at: whole + at), firstNonASCII)
  }
}

/// Where the bytes stop holding only whole characters: the start of a last character that
/// needs more bytes than remain, or the end.
private func completeCharactersEnd(_ bytes: UnsafeRawBufferPointer) -> Int {
  var start = bytes.count - 1
  while start > 0, bytes.count - start < 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
  let lead = bytes[start]
  let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
  return start + length > bytes.count ? start : bytes.count
}

private func scanUTF8Bytewise(_ bytes: UnsafeRawBufferPointer) -> (
  result: UTF8Scan, firstNonASCII: Int
) {
  let count = bytes.count
  guard let base = bytes.baseAddress else { return (.valid, 0) }
  let byte = base.assumingMemoryBound(to: UInt8.self)
  var index = asciiRunEnd(base, from: 0, count: count)
  let firstNonASCII = index
  while index < count {
    let lead = byte[index]
    if lead < 0x80 {
      index += 1
      // Back in ASCII for more than one byte: eight at a time.
      if index < count && byte[index] < 0x80 {
        index = asciiRunEnd(base, from: index, count: count)
      }
      continue
    }
    // The common case in Chinese text: a three-byte character from E1–EC or EE–EF followed by
    // two continuation bytes, which is valid whatever they are.
    if index + 2 < count, lead &- 0xE1 < 0x0F, lead != 0xED,
      byte[index + 1] & 0xC0 == 0x80, byte[index + 2] & 0xC0 == 0x80
    {
      index += 3
      continue
    }
    var length = 2
    var lower: UInt8 = 0x80
    var upper: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0: (length, lower) = (3, 0xA0)
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED: (length, upper) = (3, 0x9F)
    case 0xF0: (length, lower) = (4, 0x90)
    case 0xF1...0xF3: length = 4
    case 0xF4: (length, upper) = (4, 0x8F)
    default: return (.invalid(at: index), firstNonASCII)
    }
    for offset in 1..<length {
      guard index + offset < count else { return (.incomplete(at: index), firstNonASCII) }
      let continuation = byte[index + offset]
      let low = offset == 1 ? lower : 0x80
      let high = offset == 1 ? upper : 0xBF
      guard continuation >= low, continuation <= high else {
        return (.invalid(at: index), firstNonASCII)
      }
    }
    index += length
  }
  return (.valid, firstNonASCII)
}

/// The end of the run of ASCII bytes starting at `start`: eight bytes at a time, then one by one.
private func asciiRunEnd(_ base: UnsafeRawPointer, from start: Int, count: Int) -> Int {
  var index = start
  while index + 8 <= count,
    base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
  {
    index += 8
  }
  let byte = base.assumingMemoryBound(to: UInt8.self)
  while index < count, byte[index] < 0x80 { index += 1 }
  return index
}

/// Counts the characters (non-continuation bytes) in well-formed UTF-8.
func utf8CharacterCount(_ bytes: UnsafeRawBufferPointer) -> Int {
  var count = 0
  for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
  return count
}

/// The C library's text for the current `errno`.
func systemErrorMessage(_ code: Int32 = errno) -> String {
  String(cString: strerror(code))
}

#if canImport(Glibc)
  let systemRead = Glibc.read
  let systemWrite = Glibc.write
  let systemClose = Glibc.close
#elseif canImport(Darwin)
  let systemRead = Darwin.read
  let systemWrite = Darwin.write
  let systemClose = Darwin.close
#endif
