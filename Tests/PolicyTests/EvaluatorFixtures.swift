import CSVStream
import Roster
import Testing

@testable import Policy

/// Builds applicants and evaluators over the bundled default policy, so every clause test runs
/// against the same data the tool ships.
enum Fixtures {
  static let defaultPolicy: Policy = {
    do {
      return try PolicyLoader.loadDefault()
    } catch {
      fatalError("the default policy does not load: \(error)")
    }
  }()

  static func date(_ text: String) -> CivilDate {
    let parts = text.split(separator: "-").compactMap { Int($0) }
    guard parts.count == 3, let date = CivilDate(year: parts[0], month: parts[1], day: parts[2])
    else { fatalError("bad fixture date \(text)") }
    return date
  }

  static func evaluator(asOf: String = "2026-09-30") -> Evaluator {
    Evaluator(policy: ResolvedPolicy(defaultPolicy, on: date(asOf)))
  }

  /// A direction-A applicant that meets every basic condition: 钢筋工 (附件1 row 21 建设工程),
  /// 高级技师 since 2020-06-30, three passing assessments, 90 hours of which 18 public.
  static func skillHolder(_ configure: (inout Applicant) -> Void = { _ in }) -> Applicant {
    var applicant = Applicant(
      location: SourceLocation(file: "roster.csv", line: 2), idNumber: "330602199001011231",
      name: "林晓测")
    applicant.district = "诸暨市"
    applicant.occupation = "钢筋工"
    applicant.skillLevel = .seniorTechnician
    applicant.skillDate = date("2020-06-30")
    applicant.assessments = ["合格", "优秀", "合格"]
    applicant.continuingEducationHours = 90
    applicant.publicSubjectHours = 18
    applicant.isPublicInstitutionStaff = false
    configure(&applicant)
    return applicant
  }

  /// A direction-B applicant: 中级 title in 建设工程, asks to be evaluated as 钢筋工.
  static func titleHolder(_ configure: (inout Applicant) -> Void = { _ in }) -> Applicant {
    var applicant = Applicant(
      location: SourceLocation(file: "roster.csv", line: 3), idNumber: "330681198802023217",
      name: "周测试")
    applicant.district = "诸暨市"
    applicant.direction = .titleToSkill
    applicant.titleLevel = .intermediate
    applicant.titleSeries = "建设工程"
    applicant.targetOccupation = "钢筋工"
    configure(&applicant)
    return applicant
  }
}

extension Array where Element == Reason {
  var codes: [String] { map(\.code.rawValue) }
}
