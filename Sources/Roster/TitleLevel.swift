/// A rung of the professional-title ladder (职称等级): 员级 < 助理级 < 中级 < 副高级 < 正高级.
public enum TitleLevel: Int, CaseIterable, Comparable, Hashable, Sendable, Codable {
  case clerk = 1
  case assistant = 2
  case intermediate = 3
  case associateSenior = 4
  case fullSenior = 5

  /// The canonical Chinese name used in every output.
  public var chineseName: String {
    switch self {
    case .clerk: "员级"
    case .assistant: "助理级"
    case .intermediate: "中级"
    case .associateSenior: "副高级"
    case .fullSenior: "正高级"
    }
  }

  /// The English name used with `--lang en`.
  public var englishName: String {
    switch self {
    case .clerk: "Clerk"
    case .assistant: "Assistant"
    case .intermediate: "Intermediate"
    case .associateSenior: "Associate senior"
    case .fullSenior: "Full senior"
    }
  }

  public static func < (lhs: TitleLevel, rhs: TitleLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
