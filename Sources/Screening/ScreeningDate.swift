import Foundation
import Roster

/// The screening (as-of) date of a run: given, the last day of a quarter, or today.
public enum ScreeningDate {
  /// Returns the date and how it was chosen, for the run's first line.
  public static func resolve(asOf: String?, quarter: String?) throws(ScreeningError)
    -> (CivilDate, String)
  {
    if let asOf {
      guard let date = parse(asOf) else {
        throw .argument("--as-of 需要 YYYY-MM-DD 格式的日期 / needs a date as YYYY-MM-DD: \(asOf)")
      }
      return (date, "--as-of")
    }
    if let quarter {
      guard let date = lastDay(ofQuarter: quarter) else {
        throw .argument("--quarter 需要 2026Q3 这样的季度 / needs a quarter like 2026Q3: \(quarter)")
      }
      return (date, "\(quarter.uppercased()) 季末 / end of quarter")
    }
    return (today(), "未指定，按今天 / not given: today")
  }

  /// `2026-09-30`, strictly; impossible days are refused.
  public static func parse(_ text: String) -> CivilDate? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]),
      let month = Int(parts[1]), let day = Int(parts[2])
    else { return nil }
    return CivilDate(year: year, month: month, day: day)
  }

  /// `2026Q3` → 2026-09-30.
  public static func lastDay(ofQuarter text: String) -> CivilDate? {
    let upper = text.uppercased()
    let parts = upper.split(separator: "Q")
    guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]),
      let quarter = Int(parts[1]), (1...4).contains(quarter)
    else { return nil }
    return CivilDate.lastDay(ofMonth: quarter * 3, year: year)
  }

  static func today() -> CivilDate {
    let parts = Calendar(identifier: .gregorian).dateComponents(
      [.year, .month, .day], from: Date())
    return CivilDate(year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1)
      ?? ScreeningDate.epoch
  }
}

extension ScreeningDate {
  /// A fixed fallback that `today()` never needs in practice.
  static var epoch: CivilDate {
    guard let date = CivilDate(year: 2000, month: 1, day: 1) else { preconditionFailure() }
    return date
  }
}
