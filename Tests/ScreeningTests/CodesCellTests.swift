import CSVStream
import Policy
import Roster
import Testing

@testable import Screening

/// The reason-codes cell has a path for lists of known codes only and one for lists with any
/// other spelling: both write each code once, in the reasons' order, as the general formatting
/// does, whatever the repeats and wherever another spelling stands.
@Suite struct CodesCellTests {
  static let policy = ResolvedPolicy(
    TestSupport.defaultPolicy, on: CivilDate(year: 2026, month: 9, day: 30) ?? ScreeningDate.epoch)

  static let known = ReasonCode.known
  static let lists: [[ReasonCode]] = [
    [],
    [known[0]],
    [known[3], known[1], known[3], known[0], known[1]],
    known.reversed() + known,
    [ReasonCode("X-LOCAL-NOTE")],
    [ReasonCode("X-LOCAL-NOTE"), known[2], ReasonCode("X-LOCAL-NOTE"), known[2]],
    [known[5], ReasonCode("Ａ-CE-TOTAL"), known[5], known[6], ReasonCode("Ａ-CE-TOTAL")],
    [known[7], known[8], ReasonCode("x,y"), known[7]],
  ]

  @Test(arguments: Language.allCases)
  func eachCodeOnceInOrder(language: Language) {
    let table = VerdictTable(language: language, policy: Self.policy)
    var writer = VerdictRowWriter(table: table)
    let applicant = Applicant(
      location: SourceLocation(file: "a.csv", line: 2), idNumber: "330602199001011234",
      name: "张三")
    for (number, codes) in Self.lists.enumerated() {
      let reasons = codes.map { Reason($0, ["hours": "1"]) }
      let verdict = Verdict(
        title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: reasons)
      var expected: [UInt8] = []
      CSVFormat.appendRow(table.row(for: applicant, verdict: verdict), to: &expected)
      var written: [UInt8] = []
      writer.append(applicant, verdict, to: &written)
      #expect(written == expected, "list \(number): \(String(decoding: written, as: UTF8.self))")
    }
  }
}
