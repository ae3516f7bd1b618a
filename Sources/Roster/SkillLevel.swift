/// A rung of the vocational-skill ladder (职业技能等级), from 初级工 (rank 5) up to 首席技师 (rank -1).
///
/// The raw value is the rank used by the notice and Annex 2 ("5、4、3、2、1"); a smaller rank is a
/// higher level, so `Comparable` orders by height: `.seniorWorker < .technician`.
public enum SkillLevel: Int, CaseIterable, Comparable, Hashable, Sendable, Codable {
  case juniorWorker = 5
  case intermediateWorker = 4
  case seniorWorker = 3
  case technician = 2
  case seniorTechnician = 1
  case specialTechnician = 0
  case chiefTechnician = -1

  /// The rank as written in Annex 2 and in rosters that use numbers (5 = 初级工 … 1 = 高级技师).
  public var rank: Int { rawValue }

  /// The canonical Chinese name used in every output.
  public var chineseName: String {
    switch self {
    case .juniorWorker: "初级工"
    case .intermediateWorker: "中级工"
    case .seniorWorker: "高级工"
    case .technician: "技师"
    case .seniorTechnician: "高级技师"
    case .specialTechnician: "特级技师"
    case .chiefTechnician: "首席技师"
    }
  }

  /// The English name used with `--lang en`.
  public var englishName: String {
    switch self {
    case .juniorWorker: "Junior worker (level 5)"
    case .intermediateWorker: "Intermediate worker (level 4)"
    case .seniorWorker: "Senior worker (level 3)"
    case .technician: "Technician (level 2)"
    case .seniorTechnician: "Senior technician (level 1)"
    case .specialTechnician: "Special technician"
    case .chiefTechnician: "Chief technician"
    }
  }

  /// The next level up the ladder, or `nil` at the top.
  public var next: SkillLevel? { SkillLevel(rawValue: rawValue - 1) }

  public static func < (lhs: SkillLevel, rhs: SkillLevel) -> Bool { lhs.rawValue > rhs.rawValue }
}
