import CSVStream
import Policy
import Roster

/// Realistic synthetic rosters of invented people, for tests, benchmarks and demonstrations:
/// valid GB 11643 ID numbers with Shaoxing region codes, occupations from the policy's tables
/// and some outside them, every level and date form, honours, both directions, and a share of
/// bad values. Deterministic for a seed; rows are produced one at a time, never held.
public struct SyntheticRoster: Sendable {
  public var seed: UInt64
  /// Share of rows (0…1) that carry one unreadable or damaged value.
  public var badRate: Double

  public init(seed: UInt64, badRate: Double = 0.02) {
    self.seed = seed
    self.badRate = max(0, min(1, badRate))
  }

  /// The header row: every canonical column.
  public static let header: [String] = RosterColumn.allCases.map(\.header)

  static let districts: [(name: String, code: String)] = [
    ("越城区", "330602"), ("柯桥区", "330603"), ("上虞区", "330604"), ("新昌县", "330624"),
    ("诸暨市", "330681"), ("嵊州市", "330683"),
  ]
  static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
  static let givenNames = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文斌浩宇晨欣怡婷雪峰")
  static let outsideOccupations = ["电工", "焊工", "汽车维修工", "化学检验员", "插花花艺师", "电工（高压电工）", "车工(数控)"]
  static let skillForms: [[String]] = [
    ["初级工", "五级", "5"], ["中级工", "四级", "4"], ["高级工", "三级", "3", "三级/高级工"],
    ["技师", "二级", "２"], ["高级技师", "一级", "1"], ["特级技师"], ["首席技师"],
  ]
  static let titleForms = ["员级", "助理级", "中级", "副高级", "正高级", "高级"]
  static let honours = [
    "省技术能手", "全国技术能手", "中华技能大奖", "世赛金牌", "浙江工匠", "国务院特殊津贴", "县级先进个人",
  ]
  static let assessments = ["合格、合格、优秀", "优秀,良好,合格", "合格；基本合格；合格", "合格、合格", "称职 称职 称职"]

  /// Row `index` (0-based) of the roster, as cells in `header` order.
  public func row(_ index: Int, occupations: [String]) -> [String] {
    var mixer = SplitMix64(seed: seed &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03)
    var random = SplitMix64(seed: mixer.next())
    var cells = [String](repeating: "", count: Self.header.count)
    func set(_ column: RosterColumn, _ value: String) {
      if let index = RosterColumn.allCases.firstIndex(of: column) { cells[index] = value }
    }
    let district = Self.districts[random.below(Self.districts.count)]
    set(.idNumber, Self.idNumber(region: district.code, random: &random))
    set(.name, Self.name(&random))
    set(
      .employer,
      "绍兴\(Self.name(&random))示范\(random.below(2) == 0 ? "有限公司" : "厂, 第\(random.below(9) + 1)车间")")
    set(.district, district.name)
    let occupation =
      random.below(10) == 0 || occupations.isEmpty
      ? Self.outsideOccupations[random.below(Self.outsideOccupations.count)]
      : occupations[random.below(occupations.count)]
    let direction = random.below(3)
    if direction != 1 {
      let level = Self.skillForms[random.below(Self.skillForms.count)]
      set(.skillLevel, level[random.below(level.count)])
      set(.occupation, occupation)
      set(.skillDate, Self.date(&random))
      set(.assessments, Self.assessments[random.below(Self.assessments.count)])
      set(.continuingEducationHours, String(60 + random.below(50)))
      set(.publicSubjectHours, String(14 + random.below(10)))
      if random.below(4) == 0 { set(.skillTrainingHours, String(random.below(30))) }
      set(.publicInstitutionStaff, random.below(10) == 0 ? "是" : "否")
      if random.below(20) == 0 { set(.technicalSchoolTeacher, "是") }
      set(.stillInRelatedField, random.below(5) == 0 ? "否" : "是")
      if random.below(8) == 0 { set(.honours, Self.honours[random.below(Self.honours.count)]) }
      if random.below(15) == 0 { set(.schoolClass, ["中级工班", "高级工班", "技师班"][random.below(3)]) }
    }
    if direction != 0 {
      set(.titleLevel, Self.titleForms[random.below(Self.titleForms.count)])
      set(.titleSeries, ["建设工程", "能源工程", "工程", "农业技术", "质量技术基础工程"][random.below(5)])
      set(.targetOccupation, occupation)
      if random.below(3) == 0 { set(.relatedDiploma, "是") }
    }
    set(.direction, direction == 0 ? "职称" : direction == 1 ? "技能" : "")
    if random.unit() < badRate {
      switch random.below(5) {
      case 0: set(.skillDate, "2023-02-30")
      case 1: set(.skillLevel, "七级")
      case 2: set(.continuingEducationHours, "九十")
      case 3: set(.idNumber, "3.30602E+17")
      default: set(.idNumber, String(cells[0].dropLast()) + "0")
      }
    }
    return cells
  }

  static func idNumber(region: String, random: inout SplitMix64) -> String {
    let year = 1965 + random.below(40)
    let month = 1 + random.below(12)
    let day = 1 + random.below(28)
    let serial = random.below(1000)
    var body = region + String(year) + pad(month, 2) + pad(day, 2) + pad(serial, 3)
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    let sum = zip(body.utf8, weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
    body.append(Array("10X98765432")[sum % 11])
    return body
  }

  static func name(_ random: inout SplitMix64) -> String {
    var name = String(surnames[random.below(surnames.count)])
    for _ in 0..<(1 + random.below(2)) { name.append(givenNames[random.below(givenNames.count)]) }
    return name
  }

  static func date(_ random: inout SplitMix64) -> String {
    let year = 2012 + random.below(14)
    let month = 1 + random.below(12)
    let day = 1 + random.below(28)
    switch random.below(6) {
    case 0: return "\(year)/\(month)/\(day)"
    case 1: return "\(year).\(pad(month, 2)).\(pad(day, 2))"
    case 2: return "\(year)年\(month)月\(day)日"
    case 3: return "\(year).\(pad(month, 2))"
    default: return "\(year)-\(pad(month, 2))-\(pad(day, 2))"
    }
  }

  static func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }

  /// Writes `rows` rows (plus the header) to `path`, streaming.
  public func write(rows: Int, to path: String, encoding: OutputEncoding, policy: Policy)
    throws(CSVError)
  {
    let occupations = policy.annex1.flatMap(\.occupations)
    let writer = try CSVWriter(path: path, encoding: encoding)
    try writer.write(row: Self.header)
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 20)
    for index in 0..<rows {
      Self.appendRow(row(index, occupations: occupations), to: &buffer)
      if buffer.count > 1 << 20 {
        try writer.write(encodedRows: buffer)
        buffer.removeAll(keepingCapacity: true)
      }
    }
    try writer.write(encodedRows: buffer)
    try writer.close()
  }
}

extension SyntheticRoster {
  /// Appends a row as an HR system exports it: the ID number (the first cell) in plain quotes,
  /// without the tab `CSVFormat` puts before long numbers for spreadsheets; every other cell as
  /// `CSVFormat` writes it.
  static func appendRow(_ cells: [String], to buffer: inout [UInt8]) {
    guard let id = cells.first, cells.count > 1,
      id.utf8.allSatisfy({ $0 != UInt8(ascii: "\"") && $0 >= 0x20 })
    else {
      CSVFormat.appendRow(cells, to: &buffer)
      return
    }
    buffer.append(UInt8(ascii: "\""))
    buffer.append(contentsOf: id.utf8)
    buffer.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ",")])
    CSVFormat.appendRow(Array(cells.dropFirst()), to: &buffer)
  }
}

/// A small, fast, deterministic random number generator (SplitMix64); the tests' random inputs
/// use it too, so that a failure can be reproduced from its seed.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ bound: Int) -> Int {
    Int(next() % UInt64(max(bound, 1)))
  }

  mutating func unit() -> Double {
    Double(next() >> 11) / Double(1 << 53)
  }
}
