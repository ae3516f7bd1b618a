/// A calendar date without time or time zone, as written on certificates and rosters.
///
/// Policy arithmetic ("满2年") is done on civil dates so that no clock or zone can shift a verdict.
public struct CivilDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  public var year: Int
  public var month: Int
  public var day: Int

  /// Creates a date, or returns `nil` when the day does not exist (2023-02-30).
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...CivilDate.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// The last day of a month, used for month-only dates (counted conservatively).
  public static func lastDay(ofMonth month: Int, year: Int) -> CivilDate? {
    guard (1...12).contains(month) else { return nil }
    return CivilDate(year: year, month: month, day: daysIn(month: month, year: year))
  }

  public static func isLeap(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// The same day `years` later; 29 February becomes 28 February in a common year.
  ///
  /// A day up to the 28th exists in every month, so such a date needs no month-length check.
  public func adding(years: Int) -> CivilDate {
    let target = year + years
    if (1...28).contains(day), (1...12).contains(month), (1...9999).contains(target) {
      var later = self
      later.year = target
      return later
    }
    let clampedDay = min(day, CivilDate.daysIn(month: month, year: target))
    return CivilDate(year: target, month: month, day: clampedDay) ?? self
  }

  /// Whole years from `self` to `other` ("满N年": the anniversary day itself counts).
  public func wholeYears(until other: CivilDate) -> Int {
    guard other >= self else { return 0 }
    var years = other.year - year
    if adding(years: years) > other { years -= 1 }
    return years
  }

  /// ISO 8601 form, `2026-09-30`.
  ///
  /// Written digit by digit into a small string: verdict rows and reasons format many dates, and
  /// interpolation costs several times more. Ten bytes is the most a date here needs; asked for
  /// 15 or fewer, `String` keeps them inline instead of allocating.
  public var description: String {
    let year = year
    let month = month
    let day = day
    guard (1...9999).contains(year), (0...99).contains(month), (0...99).contains(day) else {
      return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }
    if year >= 1000 { return Self.isoForm(year: year, month: month, day: day) }
    return String(unsafeUninitializedCapacity: 10) { buffer in
      var count = 0
      func digit(_ value: Int) {
        buffer[count] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value)
        count += 1
      }
      var divisor = 1
      while divisor * 10 <= year { divisor *= 10 }
      while divisor > 0 {
        digit(year / divisor % 10)
        divisor /= 10
      }
      buffer[count] = UInt8(ascii: "-")
      count += 1
      digit(month / 10)
      digit(month % 10)
      buffer[count] = UInt8(ascii: "-")
      count += 1
      digit(day / 10)
      digit(day % 10)
      return count
    }
  }

  /// `description` of a four-digit year: its ten bytes written at fixed places, without
  /// finding how many digits the year has.
  private static func isoForm(year: Int, month: Int, day: Int) -> String {
    String(unsafeUninitializedCapacity: 10) { buffer in
      let zero = UInt8(ascii: "0")
      let dash = UInt8(ascii: "-")
      buffer[0] = zero &+ UInt8(truncatingIfNeeded: year / 1000)
      buffer[1] = zero &+ UInt8(truncatingIfNeeded: year / 100 % 10)
      buffer[2] = zero &+ UInt8(truncatingIfNeeded: year / 10 % 10)
      buffer[3] = zero &+ UInt8(truncatingIfNeeded: year % 10)
      buffer[4] = dash
      buffer[5] = zero &+ UInt8(truncatingIfNeeded: month / 10)
      buffer[6] = zero &+ UInt8(truncatingIfNeeded: month % 10)
      buffer[7] = dash
      buffer[8] = zero &+ UInt8(truncatingIfNeeded: day / 10)
      buffer[9] = zero &+ UInt8(truncatingIfNeeded: day % 10)
      return 10
    }
  }

  public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
    (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
  }
}
