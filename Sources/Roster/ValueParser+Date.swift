/// The result of reading a date cell.
public enum DateParse: Hashable, Sendable {
  /// A full date.
  case day(CivilDate)
  /// Only year and month were written; the value is that month's last day.
  case month(CivilDate)
  /// Not a date; the text says why, in Chinese.
  case invalid(String)

  /// The date read, whether to the day or to the month; `nil` when invalid.
  public var date: CivilDate? {
    switch self {
    case .day(let date), .month(let date): date
    case .invalid: nil
    }
  }
}

extension ValueParser {
  /// Years accepted in roster dates; anything outside is a typing error, not a certificate date.
  public static let plausibleYears = 1900...2099

  /// Excel day numbers read as dates: 18264 (1950-01-01) through 73050 (2099-12-31).
  public static let excelSerialRange = 18264...73050

  /// Reads a date written as `2019-06-30`, `2019/6/30`, `2019.06.30`, `2019年6月30日`, `20190630`,
  /// a month (`2019.06`, `2019-6`, `2019年6月`, `201906`), or an Excel day number (`43646`).
  ///
  /// A trailing time of day (`2019-06-30 00:00:00`) is ignored.
  public static func date(_ s: String) -> DateParse {
    date(normalised: normalise(s))
  }

  static func date(normalised s: String) -> DateParse {
    if let parts = commonDateParts(s) {
      return make(year: parts.year, month: parts.month, day: parts.day)
    }
    return anyDate(normalised: s)
  }

  /// `date(normalised:)` for normal text in the common forms, read from its UTF-8; `nil` for any
  /// other form, which the general reader takes.
  static func commonDate(_ bytes: UnsafeBufferPointer<UInt8>) -> DateParse? {
    commonDateParts(bytes).map { make(year: $0.year, month: $0.month, day: $0.day) }
  }

  /// The general date reader, for every form; `date(normalised:)` tries the common forms first.
  static func anyDate(normalised s: String) -> DateParse {
    if s.isEmpty { return .invalid("日期为空") }
    guard let text = droppingTimeOfDay(s) else { return .invalid("无法识别的日期格式") }
    let scalars = Array(text.unicodeScalars)
    if scalars.allSatisfy(isDigit) {
      return compactDate(scalars)
    }
    return separatedDate(scalars)
  }

  /// The numbers of a date in the forms rosters use most, read straight from the scalars:
  /// `2019-06-30`, `2019/6/30`, `2019.06.30`, the same without the day, and `2019年6月30日`
  /// (or without 日, or 年6月 alone). `nil` for any other text, which the general reader takes.
  static func commonDateParts(_ s: String) -> (year: Int, month: Int, day: Int?)? {
    if let parts = s.utf8.withContiguousStorageIfAvailable(commonDateParts) { return parts }
    return Array(s.utf8).withUnsafeBufferPointer(commonDateParts)
  }

  /// `commonDateParts` over the UTF-8 of the text, which needs no `String`: the forms it reads
  /// hold only ASCII and 年, 月 and 日.
  static func commonDateParts(_ bytes: UnsafeBufferPointer<UInt8>) -> (
    year: Int, month: Int, day: Int?
  )? {
    fullDateParts(bytes) ?? scannedDateParts(bytes)
  }

  /// The numbers of `2019-06-30`, `2019.06.30` or `2019/06/30`, the form of over half the dates
  /// in a roster, read at fixed places; `nil` for any other text, which `scannedDateParts`
  /// reads as it reads every common form.
  @inline(__always)
  private static func fullDateParts(_ bytes: UnsafeBufferPointer<UInt8>) -> (
    year: Int, month: Int, day: Int?
  )? {
    guard bytes.count == 10 else { return nil }
    let separator = bytes[4]
    guard separator == bytes[7],
      separator == UInt8(ascii: "-") || separator == UInt8(ascii: ".")
        || separator == UInt8(ascii: "/")
    else { return nil }
    var numbers = (0, 0, 0)
    for (offset, byte) in bytes.enumerated() where offset != 4 && offset != 7 {
      let digit = Int(byte) &- 0x30
      guard digit >= 0, digit <= 9 else { return nil }
      switch offset {
      case 0..<4: numbers.0 = numbers.0 &* 10 &+ digit
      case 5, 6: numbers.1 = numbers.1 &* 10 &+ digit
      default: numbers.2 = numbers.2 &* 10 &+ digit
      }
    }
    return (numbers.0, numbers.1, numbers.2)
  }

  /// `commonDateParts` for every form it reads, in the order the parts come: four digits of
  /// the year, `-` `/` `.` or 年, a month of one or two digits, then the same separator (月
  /// after 年) and a day of one or two digits, or the end (with 月 after 年); 日 may close a day
  /// after 年 and 月.
  static func scannedDateParts(_ bytes: UnsafeBufferPointer<UInt8>) -> (
    year: Int, month: Int, day: Int?
  )? {
    let end = bytes.count
    guard end >= 6 else { return nil }
    var year = 0
    for index in 0..<4 {
      let digit = bytes[index] &- 0x30
      guard digit <= 9 else { return nil }
      year = year &* 10 &+ Int(digit)
    }
    let separator = bytes[4]
    let isChinese = separator == 0xE5
    var index = 5
    if isChinese {
      guard end >= 8, bytes[5] == 0xB9, bytes[6] == 0xB4 else { return nil }
      index = 7
    } else {
      guard
        separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/")
          || separator == UInt8(ascii: ".")
      else { return nil }
    }
    guard let month = oneOrTwoDigits(bytes, at: &index) else { return nil }
    if index == end { return isChinese ? nil : (year, month, nil) }
    if isChinese {
      guard isMark(bytes, at: index, 0xE6, 0x9C, 0x88) else { return nil }
      index &+= 3
      if index == end { return (year, month, nil) }
    } else {
      guard bytes[index] == separator else { return nil }
      index &+= 1
    }
    guard let day = oneOrTwoDigits(bytes, at: &index) else { return nil }
    if index == end { return (year, month, day) }
    guard isChinese, index &+ 3 == end, isMark(bytes, at: index, 0xE6, 0x97, 0xA5) else {
      return nil
    }
    return (year, month, day)
  }

  /// The number of the one or two ASCII digits at `index`, which it moves past them; `nil`
  /// when there is no digit there.
  @inline(__always)
  private static func oneOrTwoDigits(
    _ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int
  ) -> Int? {
    guard index < bytes.count else { return nil }
    let first = bytes[index] &- 0x30
    guard first <= 9 else { return nil }
    index &+= 1
    guard index < bytes.count else { return Int(first) }
    let second = bytes[index] &- 0x30
    guard second <= 9 else { return Int(first) }
    index &+= 1
    return Int(first) &* 10 &+ Int(second)
  }

  /// Whether the three bytes at `index` are those given (月 or 日 in UTF-8).
  @inline(__always)
  private static func isMark(
    _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ first: UInt8, _ second: UInt8,
    _ third: UInt8
  ) -> Bool {
    index &+ 2 < bytes.count && bytes[index] == first && bytes[index &+ 1] == second
      && bytes[index &+ 2] == third
  }

  private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
    ("0"..."9").contains(scalar)
  }

  private static func value(_ digits: ArraySlice<Unicode.Scalar>) -> Int {
    digits.reduce(0) { $0 * 10 + Int($1.value - 48) }
  }

  /// Removes ` 00:00:00`, ` 0:00` or `T00:00:00` after the date; `nil` if what follows is not a time.
  private static func droppingTimeOfDay(_ s: String) -> Substring? {
    guard let split = s.firstIndex(where: { $0 == " " || $0 == "T" }) else { return Substring(s) }
    let time = s[s.index(after: split)...].drop(while: { $0 == " " })
    let timeLike =
      !time.isEmpty && time.contains(":")
      && time.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ":" || $0 == ".") }
    return timeLike ? s[..<split] : nil
  }

  private static func compactDate(_ digits: [Unicode.Scalar]) -> DateParse {
    switch digits.count {
    case 8:
      return make(
        year: value(digits[0..<4]), month: value(digits[4..<6]), day: value(digits[6..<8]))
    case 6:
      return make(year: value(digits[0..<4]), month: value(digits[4..<6]), day: nil)
    case 5:
      let serial = value(digits[...])
      guard excelSerialRange.contains(serial) else {
        return .invalid(
          "五位数字不在Excel日期序号范围内（\(excelSerialRange.lowerBound)–\(excelSerialRange.upperBound)）")
      }
      guard let date = CivilDate(excelSerial: serial) else { return .invalid("日期不存在") }
      return .day(date)
    case 4:
      return .invalid("只有年份，缺少月份")
    default:
      return .invalid("无法识别的日期格式")
    }
  }

  /// `Y-M-D`, `Y/M/D`, `Y.M.D` (one separator throughout), `Y年M月D日`, and the month-only forms.
  private static func separatedDate(_ scalars: [Unicode.Scalar]) -> DateParse {
    var numbers: [Int] = []
    var separators: [Unicode.Scalar] = []
    var index = 0
    while index < scalars.count {
      let start = index
      while index < scalars.count, isDigit(scalars[index]) { index += 1 }
      let length = index - start
      guard length > 0 else { return .invalid("无法识别的日期格式") }
      guard numbers.isEmpty ? length == 4 : length <= 2 else {
        return .invalid(numbers.isEmpty ? "年份应为四位数字" : "无法识别的日期格式")
      }
      numbers.append(value(scalars[start..<index]))
      guard index < scalars.count else { break }
      separators.append(scalars[index])
      index += 1
      if scalars[index - 1] == "月", index < scalars.count, scalars[index] == "份" { index += 1 }
    }
    guard isReadable(numbers: numbers.count, separators: separators) else {
      return .invalid("无法识别的日期格式")
    }
    return make(year: numbers[0], month: numbers[1], day: numbers.count == 3 ? numbers[2] : nil)
  }

  private static func isReadable(numbers: Int, separators: [Unicode.Scalar]) -> Bool {
    let punctuation: Set<Unicode.Scalar> = ["-", "/", "."]
    switch numbers {
    case 3:
      if separators == ["年", "月", "日"] || separators == ["年", "月", "号"] { return true }
      if separators == ["年", "月"] { return true }
      return separators.count == 2 && separators[0] == separators[1]
        && punctuation.contains(separators[0])
    case 2:
      if separators == ["年", "月"] || separators == ["年"] { return true }
      return separators.count == 1 && punctuation.contains(separators[0])
    default:
      return false
    }
  }

  private static func make(year: Int, month: Int, day: Int?) -> DateParse {
    guard plausibleYears.contains(year) else { return .invalid("年份\(year)超出范围") }
    guard (1...12).contains(month) else { return .invalid("月份\(month)不存在") }
    guard let day else {
      guard let last = CivilDate.lastDay(ofMonth: month, year: year) else {
        return .invalid("日期不存在")
      }
      return .month(last)
    }
    guard let date = CivilDate(year: year, month: month, day: day) else {
      return .invalid("日期不存在")
    }
    return .day(date)
  }
}

extension CivilDate {
  /// The date of an Excel (1900 system) day number from 61 (1900-03-01) on.
  init?(excelSerial serial: Int) {
    guard serial >= 61 else { return nil }
    // Excel counts from 1899-12-30 once past its fictitious 1900-02-29; 1970-01-01 is 25569.
    let z = serial - 25569 + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let dayOfEra = z - era * 146097
    let yearOfEra =
      (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
  }
}
