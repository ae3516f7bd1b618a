import Policy
import Roster

/// A (group, 所在区县) pair that summary tables count by.
struct GroupKey: Hashable, Comparable, Sendable {
  var group: String
  var district: String

  static func < (lhs: GroupKey, rhs: GroupKey) -> Bool {
    (lhs.group, lhs.district) < (rhs.group, rhs.district)
  }
}

/// Direction A counts for one (职称系列, 所在区县).
struct SeriesTally: Sendable, Equatable {
  var applicants = 0
  /// Eligible per title level: 助理级, 中级, 副高级, 正高级.
  var eligible = [0, 0, 0, 0]
  var review = 0
  var ineligible = 0
  var normalRoute = 0
  var directRoute = 0

  static let levels: [TitleLevel] = [.assistant, .intermediate, .associateSenior, .fullSenior]

  mutating func add(_ title: TitleVerdict) {
    applicants += 1
    switch title.conclusion {
    case .eligible:
      if let target = title.target, let index = Self.levels.firstIndex(of: target) {
        eligible[index] += 1
      }
      if title.routes.contains(.normal) { normalRoute += 1 }
      if title.routes.contains(.direct) { directRoute += 1 }
    case .review: review += 1
    case .ineligible: ineligible += 1
    case .notApplicable: break
    }
  }

  mutating func merge(_ other: SeriesTally) {
    applicants += other.applicants
    for index in eligible.indices { eligible[index] += other.eligible[index] }
    review += other.review
    ineligible += other.ineligible
    normalRoute += other.normalRoute
    directRoute += other.directRoute
  }
}

/// Direction B counts for one (可申请技能等级, 所在区县).
struct SkillTally: Sendable, Equatable {
  var applicants = 0
  var eligible = 0
  var review = 0
  var ineligible = 0
  var notApplicable = 0

  mutating func add(_ conclusion: Conclusion) {
    applicants += 1
    switch conclusion {
    case .eligible: eligible += 1
    case .review: review += 1
    case .ineligible: ineligible += 1
    case .notApplicable: notApplicable += 1
    }
  }

  mutating func merge(_ other: SkillTally) {
    applicants += other.applicants
    eligible += other.eligible
    review += other.review
    ineligible += other.ineligible
    notApplicable += other.notApplicable
  }
}

/// The counts behind every summary file, gathered per batch by the workers and merged in input
/// order by the writer, so summaries cost nothing extra on the hot path.
struct SummaryCounts: Sendable {
  var verdicts = 0
  var rejects = 0
  var duplicates = 0
  var series: [GroupKey: SeriesTally] = [:]
  var skills: [GroupKey: SkillTally] = [:]
  var reasons: [GroupKey: Int] = [:]

  static let unmatchedSeries = "（未匹配）"
  static let noDistrict = "（未填）"
  static let noLevel = "（无）"

  mutating func add(_ applicant: Applicant, _ verdict: Verdict) {
    verdicts += 1
    let district = applicant.district.isEmpty ? Self.noDistrict : applicant.district
    if verdict.reasons.contains(where: { $0.code == .duplicate }) { duplicates += 1 }
    let title = verdict.title
    if title.conclusion != .notApplicable {
      let key = GroupKey(group: title.primary?.series ?? Self.unmatchedSeries, district: district)
      series[key, default: SeriesTally()].add(title)
    }
    let skill = verdict.skill
    if skill.conclusion != .notApplicable || skill.target != nil {
      let key = GroupKey(group: skill.target?.chineseName ?? Self.noLevel, district: district)
      skills[key, default: SkillTally()].add(skill.conclusion)
    }
    let all = verdict.reasons
    for (index, reason) in all.enumerated()
    where !all[..<index].contains(where: { $0.code == reason.code }) {
      reasons[GroupKey(group: reason.code.rawValue, district: district), default: 0] += 1
    }
  }

  mutating func merge(_ other: SummaryCounts) {
    verdicts += other.verdicts
    rejects += other.rejects
    duplicates += other.duplicates
    for (key, tally) in other.series { series[key, default: SeriesTally()].merge(tally) }
    for (key, tally) in other.skills { skills[key, default: SkillTally()].merge(tally) }
    for (key, count) in other.reasons { reasons[key, default: 0] += count }
  }

  /// Eligible direction-A applicants per title level, over every series and district.
  var eligibleByLevel: [TitleLevel: Int] {
    var total = SeriesTally()
    for tally in series.values { total.merge(tally) }
    return Dictionary(uniqueKeysWithValues: zip(SeriesTally.levels, total.eligible))
  }
}
