import CSVStream
import Policy
import Roster
import Testing

@testable import Screening

/// The writer copies remembered cells and pieces sixteen bytes at a time from blocks padded
/// with zeros: cells of every length, written once (formatted and remembered) and then again
/// (copied from the memo), and after cells of other lengths, come out as the general
/// formatting writes them.
@Suite struct MemoCopyLengthTests {
  static let policy = ResolvedPolicy(
    TestSupport.defaultPolicy, on: CivilDate(year: 2026, month: 9, day: 30) ?? ScreeningDate.epoch)

  static func expectRow(
    _ writer: inout VerdictRowWriter, _ table: VerdictTable, _ applicant: Applicant,
    _ verdict: Verdict, _ note: String
  ) {
    var expected: [UInt8] = []
    CSVFormat.appendRow(table.row(for: applicant, verdict: verdict), to: &expected)
    var written: [UInt8] = []
    writer.append(applicant, verdict, to: &written)
    #expect(written == expected, "\(note): \(String(decoding: written, as: UTF8.self))")
  }

  /// A text of `length` bytes: ASCII letters, then a Chinese character where it fits.
  static func text(_ length: Int, _ seed: Int) -> String {
    var bytes = (0..<length).map { UInt8(ascii: "a") + UInt8((seed &+ $0) % 26) }
    if length >= 3 { bytes.replaceSubrange(0..<3, with: Array("区".utf8)) }
    return String(decoding: bytes, as: UTF8.self)
  }

  @Test(arguments: Language.allCases)
  func fewValuedAndCandidateCellsOfEveryLength(language: Language) {
    let table = VerdictTable(language: language, policy: Self.policy)
    var writer = VerdictRowWriter(table: table)
    for length in 1...70 {
      // The same texts on both rows, so that the second finds them in the memos.
      let file = Self.text(length, 1) + ".csv"
      let district = Self.text(length, 2)
      let candidates = [
        SeriesCandidate(
          series: Self.text(length, 3), specialty: Self.text(length + 5, 4), annexRow: length),
        SeriesCandidate(series: Self.text(71 - length, 5), specialty: "", annexRow: nil),
      ]
      let occupation = Self.text(length, 6)
      let education = Self.text(71 - length, 7)
      for pass in 0..<2 {
        var applicant = Applicant(
          location: SourceLocation(file: file, line: 2 + pass),
          idNumber: "330602199001011234", name: "张三")
        applicant.district = district
        let title = TitleVerdict(
          conclusion: .eligible, target: .intermediate, routes: [.normal],
          candidates: candidates, next: nil, reasons: [])
        let skill = SkillVerdict(
          conclusion: .review, target: .technician, occupation: occupation,
          exemptFromTheory: nil, servicePoints: [], promotion: nil, reasons: [])
        let verdict = Verdict(
          title: title, skill: skill, equivalentEducation: education, reasons: [])
        Self.expectRow(&writer, table, applicant, verdict, "length \(length), pass \(pass)")
      }
    }
  }
}
