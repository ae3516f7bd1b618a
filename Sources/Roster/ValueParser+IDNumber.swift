extension ValueParser {
  /// Province codes (the first two digits) of GB/T 2260, plus 81/82/83 used on residence permits.
  public static let provinceCodes: Set<Int> = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
  ]

  /// The form an ID number is stored and compared in: normalised, blanks and a leading Excel
  /// text mark (`'`) removed, `x` upper-cased. Duplicate and integrity checks compare this form.
  public static func canonicalIDNumber(_ s: String) -> String {
    canonicalIDNumber(normalised: normalise(s))
  }

  /// Checks a citizen ID number against GB 11643-1999: length, region, birth date, check digit.
  ///
  /// 15-digit legacy numbers are `.legacy15`; a number Excel turned into `3.30602E+17` is invalid.
  public static func idNumber(_ s: String) -> IDNumberStatus {
    idNumberStatus(canonical: canonicalIDNumber(s))
  }

  /// The GB 11643 check character for the first 17 digits, or `nil` if they are not 17 digits.
  public static func idCheckCharacter<S: StringProtocol>(_ first17: S) -> Character? {
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    let digits = first17.utf8.map { Int($0) - 48 }
    guard digits.count == 17, digits.allSatisfy({ (0...9).contains($0) }) else { return nil }
    let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
    return Array("10X98765432")[sum % 11]
  }

  static func canonicalIDNumber(normalised s: String) -> String {
    if s.utf8.withContiguousStorageIfAvailable(isCanonicalIDNumber) == true { return s }
    var scalars = String.UnicodeScalarView()
    for (offset, scalar) in s.unicodeScalars.enumerated() {
      if offset == 0 && (scalar == "'" || scalar == "`") { continue }
      if isTrimmable(scalar) { continue }
      let isLower = ("a"..."z").contains(scalar)
      scalars.append(isLower ? Unicode.Scalar(scalar.value - 32) ?? scalar : scalar)
    }
    return String(scalars)
  }

  /// `true` for text made only of digits and `X`, which is its own canonical form.
  private static func isCanonicalIDNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    for byte in bytes where !(0x30...0x39).contains(byte) && byte != UInt8(ascii: "X") {
      return false
    }
    return true
  }

  static func idNumberStatus(canonical id: String) -> IDNumberStatus {
    if isValidEighteenDigitID(id) { return .valid }
    return checkedIDNumberStatus(canonical: id)
  }

  /// The step-by-step check that says what is wrong with a number.
  static func checkedIDNumberStatus(canonical id: String) -> IDNumberStatus {
    if id.isEmpty { return .missing }
    let bytes = Array(id.utf8)
    let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
    if looksLikeScientificNotation(bytes) { return .invalid("科学计数法，已被Excel损坏") }
    if bytes.count == 15, bytes.allSatisfy(isDigit) { return .legacy15 }
    guard id.count == 18 else { return .invalid("长度为\(id.count)位，应为18位") }
    guard bytes.count == 18, bytes.prefix(17).allSatisfy(isDigit),
      let last = bytes.last, isDigit(last) || last == UInt8(ascii: "X")
    else { return .invalid("含有数字和X以外的字符") }
    let number = { (range: Range<Int>) in bytes[range].reduce(0) { $0 * 10 + Int($1) - 48 } }
    guard provinceCodes.contains(number(0..<2)) else { return .invalid("地区码\(id.prefix(6))无效") }
    let year = number(6..<10)
    guard plausibleYears.contains(year),
      CivilDate(year: year, month: number(10..<12), day: number(12..<14)) != nil
    else { return .invalid("出生日期\(id.dropFirst(6).prefix(8))无效") }
    guard idCheckCharacter(id.prefix(17)) == Character(Unicode.Scalar(last)) else {
      let truncated = id.hasSuffix("000") ? "（末三位为000，可能已被Excel截断）" : ""
      return .invalid("校验码不符\(truncated)")
    }
    return .valid
  }

  /// The whole GB 11643 check on the bytes, for the common case of a valid number; anything it
  /// does not accept goes through `idNumberStatus`'s step-by-step check, which says what is wrong.
  static func isValidEighteenDigitID(_ id: String) -> Bool {
    if let valid = id.utf8.withContiguousStorageIfAvailable(isValidEighteenDigitID) {
      return valid
    }
    return Array(id.utf8).withUnsafeBufferPointer(isValidEighteenDigitID)
  }

  static func isValidEighteenDigitID(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count == 18, let base = bytes.baseAddress else { return false }
    let raw = UnsafeRawPointer(base)
    guard areEightDigits(raw.loadUnaligned(as: UInt64.self)),
      areEightDigits(raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
      base[16] &- 48 <= 9
    else { return false }
    let digit = { (offset: Int) in Int(truncatingIfNeeded: base[offset] &- 48) }
    // The GB 11643 weights are 2^17 … 2^1 modulo 11, so the weighted sum is read Horner-wise,
    // eight digits at a time.
    let sum =
      binaryWeighted(raw.loadUnaligned(as: UInt64.self)) &<< 9
      &+ binaryWeighted(raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) &<< 1 &+ digit(16)
    let year = digit(6) &* 1000 &+ digit(7) &* 100 &+ digit(8) &* 10 &+ digit(9)
    let month = digit(10) &* 10 &+ digit(11)
    let day = digit(12) &* 10 &+ digit(13)
    let check = (12 &- (sum &* 2) % 11) % 11
    // Every month has a 28th day, so only later days need the month's length.
    return isProvinceCode(digit(0) &* 10 &+ digit(1)) && plausibleYears.contains(year)
      && (1...12).contains(month) && day >= 1
      && (day <= 28 || day <= CivilDate.daysIn(month: month, year: year))
      && base[17] == (check == 10 ? UInt8(ascii: "X") : UInt8(truncatingIfNeeded: check) &+ 48)
  }

  /// Whether a number below 100 is in `provinceCodes`, read from two words of bits (bit `n` of
  /// the pair for `n`; `IDNumberTests` checks them against the set): no lazily made table to
  /// reach for every ID number read.
  @inline(__always)
  static func isProvinceCode(_ code: Int) -> Bool {
    let word: UInt64 = code < 64 ? 0xE07C_7E3F_80E0_F800 : 0xE_0083
    return word >> UInt64(truncatingIfNeeded: code & 63) & 1 == 1
  }

  /// The eight ASCII digits of `word`, first digit in the lowest byte, read as binary digits:
  /// d0·2^7 + d1·2^6 + … + d7, summed in pairs, fours and then eights in place.
  @inline(__always)
  static func binaryWeighted(_ word: UInt64) -> Int {
    let digits = word & 0x0F0F_0F0F_0F0F_0F0F
    let pairs = (digits & 0x00FF_00FF_00FF_00FF) &<< 1 &+ (digits >> 8 & 0x00FF_00FF_00FF_00FF)
    let fours = (pairs & 0x0000_FFFF_0000_FFFF) &<< 2 &+ (pairs >> 16 & 0x0000_FFFF_0000_FFFF)
    return Int(truncatingIfNeeded: (fours & 0xFFFF_FFFF) &<< 4 &+ fours >> 32)
  }

  /// Whether all eight bytes of `word` are ASCII digits: each has the high half 3 and a low
  /// half that stays below 16 when 6 is added (0–9), tested for all eight at once.
  @inline(__always)
  private static func areEightDigits(_ word: UInt64) -> Bool {
    let highHalves: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
    return word & highHalves == 0x3030_3030_3030_3030
      && ((word & 0x0F0F_0F0F_0F0F_0F0F) &+ 0x0606_0606_0606_0606) & highHalves == 0
  }

  /// `3.30602E+17`, `3.30602e17`, `330602E+12`: what Excel shows for a long number.
  private static func looksLikeScientificNotation(_ bytes: [UInt8]) -> Bool {
    guard let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "E") }), e > 0 else { return false }
    let mantissa = bytes[..<e]
    var exponent = bytes[(e + 1)...]
    if exponent.first == UInt8(ascii: "+") { exponent = exponent.dropFirst() }
    let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
    return !exponent.isEmpty && exponent.allSatisfy(isDigit)
      && mantissa.allSatisfy { isDigit($0) || $0 == UInt8(ascii: ".") }
      && mantissa.filter { $0 == UInt8(ascii: ".") }.count <= 1
  }
}
