/// A column the screening understands, named by its canonical Chinese header.
///
/// `RosterHeader` maps a roster's header row onto these; each case knows its aliases.
public enum RosterColumn: String, CaseIterable, Hashable, Sendable {
  case idNumber = "身份证号"
  case name = "姓名"
  case employer = "工作单位"
  case district = "所在区县"
  case direction = "申报方向"
  case occupation = "职业工种"
  case skillLevel = "职业技能等级"
  case skillDate = "取证日期"
  case yearsInWork = "取证后从事技术技能工作年限"
  case assessments = "近3年年度考核"
  case continuingEducationHours = "继续教育学时"
  case publicSubjectHours = "公需科目学时"
  case skillTrainingHours = "技能培训学时"
  case publicInstitutionStaff = "事业单位在编"
  case technicalSchoolTeacher = "是否技工院校教师"
  case stillInRelatedField = "是否仍在相关岗位"
  case honours = "荣誉"
  case titleSeries = "职称系列"
  case titleLevel = "职称等级"
  case targetOccupation = "申请评价职业工种"
  case relatedDiploma = "是否有相关专业毕业证书"
  case schoolClass = "技工院校毕业班次"

  /// The canonical header, as written in the template and in `docs/input-format.md`.
  public var header: String { rawValue }

  /// The column's position in `allCases`, for sets of columns kept as bits.
  var ordinal: Int {
    switch self {
    case .idNumber: 0
    case .name: 1
    case .employer: 2
    case .district: 3
    case .direction: 4
    case .occupation: 5
    case .skillLevel: 6
    case .skillDate: 7
    case .yearsInWork: 8
    case .assessments: 9
    case .continuingEducationHours: 10
    case .publicSubjectHours: 11
    case .skillTrainingHours: 12
    case .publicInstitutionStaff: 13
    case .technicalSchoolTeacher: 14
    case .stillInRelatedField: 15
    case .honours: 16
    case .titleSeries: 17
    case .titleLevel: 18
    case .targetOccupation: 19
    case .relatedDiploma: 20
    case .schoolClass: 21
    }
  }

  /// Hashes the case, not its Chinese raw value (which `RawRepresentable` would hash, scalar by
  /// scalar): columns key dictionaries that are read for every row.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(ordinal)
  }

  public static func == (lhs: RosterColumn, rhs: RosterColumn) -> Bool {
    lhs.ordinal == rhs.ordinal
  }

  /// Columns without which no row can be identified; their absence is fatal for a file.
  public var isRequired: Bool { self == .idNumber || self == .name }
}
