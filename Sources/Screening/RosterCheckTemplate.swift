import Roster

/// The empty roster an enterprise fills in: every canonical column header and one example row
/// of an invented person, marked so that `RosterCheck` asks for it to be deleted.
public enum RosterTemplate {
  /// The canonical headers, in the order of `RosterColumn.allCases`.
  public static let header: [String] = RosterColumn.allCases.map(\.header)

  /// The example row's name: says what to do with the row.
  public static let exampleName = "示例（请删除本行）"

  /// An invented ID number (越城区, born 1980-08-08, sequence 888) with a valid check digit.
  public static let exampleIDNumber = "330602198008088886"

  /// One value per column, in `header` order: a direction-A applicant who meets the rules.
  public static let exampleRow: [String] = RosterColumn.allCases.map { column in
    switch column {
    case .idNumber: exampleIDNumber
    case .name: exampleName
    case .employer: "示例建设有限公司"
    case .district: "越城区"
    case .direction: "A"
    case .occupation: "钢筋工"
    case .skillLevel: "高级技师"
    case .skillDate: "2020-06-30"
    case .yearsInWork: ""
    case .assessments: "合格、优秀、合格"
    case .continuingEducationHours: "80"
    case .publicSubjectHours: "18"
    case .skillTrainingHours: "12"
    case .publicInstitutionStaff: "否"
    case .technicalSchoolTeacher: "否"
    case .stillInRelatedField: "是"
    case .honours: ""
    case .titleSeries: ""
    case .titleLevel: ""
    case .targetOccupation: ""
    case .relatedDiploma: ""
    case .schoolClass: "高级工班"
    }
  }

  /// `true` for the template's example row (by its name or its ID number). The applicant's
  /// bytes are compared where they are, without making a `String` of each for every row. The
  /// parser keeps the name normalised, so the name is compared with the example's normalised
  /// spelling, and with its spelling as written for an applicant made some other way.
  public static func isExample(_ applicant: Applicant) -> Bool {
    applicant.withTextUTF8 { idNumber, name, _ in
      idNumber.elementsEqual(exampleIDNumberUTF8) || name.elementsEqual(normalisedExampleNameUTF8)
        || name.elementsEqual(exampleNameUTF8)
    }
  }

  private static let exampleIDNumberUTF8 = Array(exampleIDNumber.utf8)
  private static let exampleNameUTF8 = Array(exampleName.utf8)
  /// `（` and `）` read as `(` and `)`, as `ValueParser.normalise` reads full-width signs.
  private static let normalisedExampleNameUTF8 = Array(ValueParser.normalise(exampleName).utf8)
}
