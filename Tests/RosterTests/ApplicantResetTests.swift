import CSVStream
import Testing

@testable import Roster

/// `Applicant.reset(location:)`, which the parser uses instead of building a new applicant for
/// every row, must leave exactly what `Applicant(location:)` makes, whatever the row before set.
@Suite struct ApplicantResetTests {
  /// An applicant with every stored property set away from its initial value.
  static func filled() -> Applicant {
    var applicant = Applicant(
      location: SourceLocation(file: "前一个.csv", line: 7), idNumber: "330602199001011231",
      name: "张三")
    applicant.idStatus = .invalid("校验码不符")
    applicant.employer = "绍兴示范有限公司第七车间"
    applicant.district = "越城区"
    applicant.direction = .skillToTitle
    applicant.occupation = "电工"
    applicant.occupationNumber = 3
    applicant.skillLevel = .seniorWorker
    applicant.skillDate = CivilDate(year: 2020, month: 2, day: 29)
    applicant.skillDateIsMonthOnly = true
    applicant.yearsInWork = 4
    applicant.assessments = ["合格", "优秀"]
    applicant.continuingEducationHours = 72
    applicant.publicSubjectHours = 30
    applicant.skillTrainingHours = 12
    applicant.isPublicInstitutionStaff = true
    applicant.isTechnicalSchoolTeacher = false
    applicant.isStillInRelatedField = true
    applicant.honours = ["中华技能大奖"]
    applicant.titleSeries = "工程"
    applicant.titleLevel = .intermediate
    applicant.targetOccupation = "焊工"
    applicant.targetOccupationNumber = 5
    applicant.hasRelatedDiploma = false
    applicant.schoolClass = "技师班"
    applicant.problems = [
      FieldProblem(column: .skillDate, kind: .date, raw: "2023-02-30", detail: "日期不存在")
    ]
    return applicant
  }

  static func properties(_ applicant: Applicant) -> [String: String] {
    var properties: [String: String] = [:]
    for child in Mirror(reflecting: applicant).children {
      properties[child.label ?? "?"] = String(reflecting: child.value)
    }
    return properties
  }

  @Test func theFilledApplicantSetsEveryProperty() {
    let fresh = Self.properties(Applicant(location: SourceLocation(file: "x.csv", line: 1)))
    let filled = Self.properties(Self.filled())
    #expect(filled.count == fresh.count)
    let unchanged = fresh.keys.filter { fresh[$0] == filled[$0] }.sorted()
    #expect(unchanged.isEmpty, "add these to `filled()` and to `reset`: \(unchanged)")
  }

  @Test func resetGivesWhatTheInitialiserGives() {
    let location = SourceLocation(file: "名单.csv", line: 42)
    var applicant = Self.filled()
    applicant.reset(location: location)
    #expect(Self.properties(applicant) == Self.properties(Applicant(location: location)))
    #expect(applicant.location == location)
  }

  /// `reset` keeps the file name when the next row's is the same string and replaces it when it
  /// is another, long (stored apart) or short (held inline).
  @Test func resetTakesTheNextRowsFileName() {
    let long = String(repeating: "绍兴名单", count: 5) + ".csv"
    let other = String(repeating: "绍兴名单", count: 5) + ".tsv"
    var applicant = Applicant(location: SourceLocation(file: long, line: 1))
    for (line, file) in [long, long, other, "a.csv", "b.csv", long].enumerated() {
      applicant.reset(location: SourceLocation(file: file, line: line + 2))
      #expect(applicant.location == SourceLocation(file: file, line: line + 2))
    }
  }
}
