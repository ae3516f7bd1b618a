import Testing

@testable import Roster

@Suite struct DateParserTests {
  @Test(arguments: [
    ("2019-06-30", "2019-06-30"),
    ("2019/6/30", "2019-06-30"),
    ("2019.06.30", "2019-06-30"),
    ("2019年6月30日", "2019-06-30"),
    ("2019年06月30号", "2019-06-30"),
    ("2019年6月30", "2019-06-30"),
    ("20190630", "2019-06-30"),
    ("２０１９－０６－３０", "2019-06-30"),
    ("２０１９年６月３０日", "2019-06-30"),
    ("2019-06-30 00:00:00", "2019-06-30"),
    ("2019/6/30 0:00", "2019-06-30"),
    ("2020-02-29", "2020-02-29"),
    ("2000-2-29", "2000-02-29"),
    (" 2019-6-1 ", "2019-06-01"),
    ("43646", "2019-06-30"),
    ("18264", "1950-01-01"),
    ("45351", "2024-02-29"),
  ])
  func readsFullDates(input: String, expected: String) throws {
    #expect(ValueParser.date(input) == .day(try date(expected)))
  }

  @Test(arguments: [
    ("2019.06", "2019-06-30"),
    ("2019-6", "2019-06-30"),
    ("2019/02", "2019-02-28"),
    ("2020.02", "2020-02-29"),
    ("2019年6月", "2019-06-30"),
    ("2019年6月份", "2019-06-30"),
    ("201906", "2019-06-30"),
    ("２０１９.１１", "2019-11-30"),
  ])
  func readsMonthsAsTheirLastDay(input: String, expected: String) throws {
    #expect(ValueParser.date(input) == .month(try date(expected)))
  }

  @Test(arguments: [
    ("2023-02-30", "日期不存在"),
    ("2023-02-29", "日期不存在"),
    ("1900-02-29", "日期不存在"),
    ("2019-13-01", "月份13不存在"),
    ("2019-00", "月份0不存在"),
    ("20191301", "月份13不存在"),
    ("1899-12-31", "年份1899超出范围"),
    ("3019-06-30", "年份3019超出范围"),
    ("19-06-30", "年份应为四位数字"),
    ("2019", "只有年份，缺少月份"),
    ("2019-06/30", "无法识别的日期格式"),
    ("2019-06-30-01", "无法识别的日期格式"),
    ("2019-06-", "无法识别的日期格式"),
    ("2019-006-30", "无法识别的日期格式"),
    ("六月", "无法识别的日期格式"),
    ("2019-06-30 上午", "无法识别的日期格式"),
    ("", "日期为空"),
    ("1234567", "无法识别的日期格式"),
    ("12345", "五位数字不在Excel日期序号范围内（18264–73050）"),
    ("99999", "五位数字不在Excel日期序号范围内（18264–73050）"),
  ])
  func rejects(input: String, detail: String) {
    #expect(ValueParser.date(input) == .invalid(detail))
  }

  @Test func excelSerialsMatchKnownDates() throws {
    #expect(CivilDate(excelSerial: 61)?.description == "1900-03-01")
    #expect(CivilDate(excelSerial: 25569)?.description == "1970-01-01")
    #expect(CivilDate(excelSerial: 73050)?.description == "2099-12-31")
    #expect(CivilDate(excelSerial: 60) == nil)
  }

  @Test func dateAccessorGivesTheValueOrNil() throws {
    #expect(ValueParser.date("2019.06").date == (try date("2019-06-30")))
    #expect(ValueParser.date("bad").date == nil)
  }

  private func date(_ iso: String) throws -> CivilDate {
    let parts = iso.split(separator: "-").compactMap { Int($0) }
    try #require(parts.count == 3)
    return try #require(CivilDate(year: parts[0], month: parts[1], day: parts[2]))
  }
}
