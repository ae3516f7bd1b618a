import CSVStream
import Foundation
import Roster
import Testing

@testable import Policy

/// A copy of the default bundle in a fresh temp folder, edited one file at a time.
struct BundleCopy {
  struct EditFailed: Error, CustomStringConvertible {
    var description: String
  }

  let directory: URL

  init() throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("policy-\(UUID().uuidString)")
    try PolicyLoader.export(to: directory)
  }

  func remove() { try? FileManager.default.removeItem(at: directory) }

  func text(_ file: String) throws -> String {
    // Decoded by hand so that a byte-order mark is kept, not swallowed by the decoder.
    String(decoding: try Data(contentsOf: directory.appendingPathComponent(file)), as: UTF8.self)
  }

  func write(_ text: String, to file: String) throws {
    try Data(text.utf8).write(to: directory.appendingPathComponent(file))
  }

  /// Replaces the single occurrence of `old` in `file`.
  func replace(_ old: String, with new: String, in file: String) throws {
    let original = try text(file)
    let parts = original.components(separatedBy: old)
    guard parts.count == 2 else {
      throw EditFailed(description: "\(file): “\(old)” occurs \(parts.count - 1) times")
    }
    try write(parts.joined(separator: new), to: file)
  }

  /// The 1-based number of the first line of `file` that contains `needle`.
  func line(of needle: String, in file: String) throws -> Int {
    let lines = try text(file).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    guard let index = lines.firstIndex(where: { $0.contains(needle) }) else {
      throw EditFailed(description: "\(file): “\(needle)” not found")
    }
    return index + 1
  }
}

/// One way to break a bundle and the error the loader must give for it.
struct BrokenCase: CustomTestStringConvertible, Sendable {
  var name: String
  var file: String
  var old: String
  var new: String
  /// Text on the line the error must name; `nil` when the error has no line.
  var lineOf: String?
  var field: String?

  var testDescription: String { name }

  static let yaml = "policy.yaml"
  static let annex1 = "annex1-occupations.csv"
  static let annex2 = "annex2-service-points.csv"

  static let all: [BrokenCase] = [
    BrokenCase(
      name: "unknown skill level", file: yaml, old: "{ level: 技师, years: 3",
      new: "{ level: 七级, years: 3", lineOf: "七级", field: "normal_route[1].level"),
    BrokenCase(
      name: "unknown title level", file: yaml, old: "    - target: 副高级\n",
      new: "    - target: 高级职称\n", lineOf: "高级职称", field: "honours.tiers[1].target"),
    BrokenCase(
      name: "unknown level in requires_held", file: yaml, old: "requires_held: 特级技师",
      new: "requires_held: 特技", lineOf: "requires_held", field: "title_to_skill[4].requires_held"),
    BrokenCase(
      name: "ladder differs from the program's", file: yaml, old: "[初级工, 中级工, 高级工,",
      new: "[初级工, 中级工, 三级,", lineOf: "三级", field: "ladders.skill[2]"),
    BrokenCase(
      name: "occupation twice in one row", file: annex1, old: "炭素煅烧工、炭素成型工",
      new: "炭素煅烧工、炭素煅烧工", lineOf: "材料工程", field: "职业工种"),
    BrokenCase(
      name: "honour in two tiers", file: yaml, old: "        - 浙江大工匠\n",
      new: "        - 浙江大工匠\n        - 浙江工匠 # again\n", lineOf: "# again",
      field: "honours.tiers[2].names[5]"),
    BrokenCase(
      name: "honour in two tiers, written with other quote marks", file: yaml,
      old: "        - 浙江大工匠\n",
      new: "        - 浙江大工匠\n        - 省“百千万”高技能领军人才培养工程杰出技能人才\n",
      lineOf: "“百千万”", field: "honours.tiers[2].names[5]"),
    BrokenCase(
      name: "alias that is an honour name", file: yaml, old: "    国务院特殊津贴:",
      new: "    绍兴名士之乡特支计划高技能拔尖人才: 浙江工匠\n    国务院特殊津贴:", lineOf: "绍兴名士之乡特支",
      field: "honours.aliases.绍兴名士之乡特支计划高技能拔尖人才"),
    BrokenCase(
      name: "occupation repeated with a space", file: annex1, old: "炭素煅烧工、炭素成型工",
      new: "炭素煅烧工、炭素 煅烧工", lineOf: "材料工程", field: "职业工种"),
    BrokenCase(
      name: "reason code without text", file: yaml,
      old: "  A-CE-PUBLIC:\n    clause: 二（一）3\n    zh: 一般公需科目学时{public}不足{required}学时\n"
        + "    en: Public-subject hours {public} are below {required} hours\n",
      new: "", lineOf: "reasons:", field: "reasons.A-CE-PUBLIC"),
    BrokenCase(
      name: "reason text without zh", file: yaml,
      old: "    zh: 年度继续教育学时{total}（含技能培训{training}）不足{required}学时\n", new: "",
      lineOf: "  A-CE-TOTAL:", field: "reasons.A-CE-TOTAL.zh"),
    BrokenCase(
      name: "unknown placeholder", file: yaml, old: "年度继续教育学时{total}",
      new: "年度继续教育学时{totl}", lineOf: "{totl}", field: "reasons.A-CE-TOTAL.zh"),
    BrokenCase(
      name: "until before from in policy.yaml", file: yaml, old: "clause: 二（二）1 }",
      new: "clause: 二（二）1, from: 2024-01-01, until: 2023-12-31 }", lineOf: "2023-12-31",
      field: "normal_route[0].until"),
    BrokenCase(
      name: "until before from in Annex 1", file: annex1, old: "体育场馆管理员、游泳救生员、康乐服务员、电子竞技员,,",
      new: "体育场馆管理员、游泳救生员、康乐服务员、电子竞技员,2024-01-01,2023-12-31",
      lineOf: "2023-12-31", field: "失效日期"),
    BrokenCase(
      name: "Annex 2 level 6", file: annex2, old: "纺丝工、起重装卸机械操作工,5、4",
      new: "纺丝工、起重装卸机械操作工,6、4", lineOf: "6、4", field: "等级"),
    BrokenCase(
      name: "Annex 2 level 0", file: annex2, old: "机床装调维修工,4、3,盛齐乐",
      new: "机床装调维修工,4、0,盛齐乐", lineOf: "4、0", field: "等级"),
    BrokenCase(
      name: "Annex 2 level not a number", file: annex2, old: "混凝土工,5、4、3",
      new: "混凝土工,五、4、3", lineOf: "混凝土工", field: "等级"),
    BrokenCase(
      name: "malformed date in policy.yaml", file: yaml, old: "  effective:\n",
      new: "  effective: 2023-02-30\n", lineOf: "2023-02-30", field: "document.effective"),
    BrokenCase(
      name: "malformed date in Annex 2", file: annex2, old: "庞明军,15967507306,,",
      new: "庞明军,15967507306,2023/01/01,", lineOf: "2023/01/01", field: "生效日期"),
    BrokenCase(
      name: "missing required key", file: yaml, old: "    public_hours: 18 # 一般公需科目, per year\n",
      new: "", lineOf: "  - clause: 二（一）3", field: "continuing_education[0].public_hours"),
    BrokenCase(
      name: "missing section", file: yaml, old: "promotion:\n  wait_years: 1\n  clause: 四（一）\n",
      new: "", lineOf: "document:", field: "promotion"),
    BrokenCase(
      name: "unknown key", file: yaml, old: "  wait_years: 1", new: "  wait_year: 1",
      lineOf: "wait_year", field: "promotion.wait_year"),
    BrokenCase(
      name: "wrong field count in Annex 2", file: annex2, old: "彭玲,13587328184,,",
      new: "彭玲,13587328184,", lineOf: "彭玲", field: nil),
    BrokenCase(
      name: "wrong field count in Annex 1", file: annex1, old: "黄酒酿造,黄酒酿造工,,",
      new: "黄酒酿造,黄酒酿造工,,,", lineOf: "黄酒酿造工", field: nil),
    BrokenCase(
      name: "header renamed", file: annex2, old: "联系人,联系电话", new: "联系人,电话",
      lineOf: "序号", field: "联系电话"),
    BrokenCase(
      name: "empty list item", file: annex1, old: "林木种植工、造林更新工", new: "林木种植工、、造林更新工",
      lineOf: "林木种植工", field: "职业工种"),
    BrokenCase(
      name: "alias to an unknown honour", file: yaml, old: "世赛金牌: 世界技能大赛金牌",
      new: "世赛金牌: 世界技能大赛白金牌", lineOf: "世赛金牌", field: "honours.aliases.世赛金牌"),
    BrokenCase(
      name: "unterminated quote in Annex 1", file: annex1, old: "25,体育教练员", new: "25,\"体育教练员",
      lineOf: "体育教练员", field: nil),
    BrokenCase(
      name: "YAML syntax error", file: yaml, old: "  skill: [初级工,", new: "  skill: [[初级工,",
      lineOf: nil, field: nil),
  ]
}

@Suite struct PolicyLoaderTests {
  @Test(arguments: BrokenCase.all)
  func brokenBundleNamesFileLineAndField(_ broken: BrokenCase) throws {
    let copy = try BundleCopy()
    defer { copy.remove() }
    try copy.replace(broken.old, with: broken.new, in: broken.file)
    let expectedLine = try broken.lineOf.map { try copy.line(of: $0, in: broken.file) }

    let error = #expect(throws: PolicyError.self) {
      try PolicyLoader.load(directory: copy.directory)
    }
    #expect(error?.file == broken.file)
    if let expectedLine {
      #expect(error?.line == expectedLine)
    } else if broken.file == "policy.yaml" {
      #expect(error?.line != nil)
    }
    #expect(error?.field == broken.field)
    #expect(error?.description.hasPrefix(broken.file) == true)
  }

  @Test func occupationTwiceUnderOneSeriesIsRejectedWhilePeriodsOverlap() throws {
    let copy = try BundleCopy()
    defer { copy.remove() }
    let annex1 = BrokenCase.annex1
    let original = try copy.text(annex1)
    try copy.write(original + "26,能源工程,能源,风能利用工、锻造工,,\r\n", to: annex1)
    let error = #expect(throws: PolicyError.self) {
      try PolicyLoader.load(directory: copy.directory)
    }
    #expect(error?.file == annex1)
    #expect(error?.line == (try copy.line(of: "风能利用工", in: annex1)))
    #expect(error?.field == "职业工种")
    #expect(error?.message.contains("锻造工") == true)

    // Row 3 ends on 2024-12-31, the new row starts on 2025-01-01: a dated replacement, no clash.
    let row3End = original.replacingOccurrences(
      of: "变电设备检修工,,", with: "变电设备检修工,,2024-12-31")
    try copy.write(row3End + "3,能源工程,能源,锻造工,2025-01-01,\r\n", to: annex1)
    let policy = try PolicyLoader.load(directory: copy.directory)
    let rows = policy.annex1.filter { $0.row == 3 }
    #expect(rows.count == 2)
    #expect(rows.first?.validity.until == CivilDate(year: 2024, month: 12, day: 31))
    #expect(rows.last?.validity.from == CivilDate(year: 2025, month: 1, day: 1))
  }

  @Test func sameOccupationUnderAnotherSeriesIsAllowed() throws {
    let copy = try BundleCopy()
    defer { copy.remove() }
    let original = try copy.text(BrokenCase.annex1)
    try copy.write(original + "1,机械工程,机械,锻造工,,\r\n", to: BrokenCase.annex1)
    let policy = try PolicyLoader.load(directory: copy.directory)
    #expect(
      policy.annex1.filter { $0.occupations.contains("锻造工") }.map(\.series) == ["能源工程", "机械工程"])
  }

  @Test func honourMayMoveTierOnADate() throws {
    let copy = try BundleCopy()
    defer { copy.remove() }
    try copy.replace(
      "    - target: 正高级\n      clause: 二（三）3\n",
      with: "    - target: 正高级\n      clause: 二（三）3\n      from: 2030-01-01\n", in: BrokenCase.yaml)
    try copy.replace(
      "    - target: 中级\n      clause: 二（三）1\n",
      with: "    - target: 中级\n      clause: 二（三）1\n      until: 2029-12-31\n", in: BrokenCase.yaml)
    try copy.replace(
      "        - 浙江大工匠\n", with: "        - 浙江大工匠\n        - 浙江工匠\n", in: BrokenCase.yaml)
    let policy = try PolicyLoader.load(directory: copy.directory)
    #expect(policy.honourTiers[2].honours.last == "浙江工匠")
    #expect(policy.honourTiers[2].validity.from == CivilDate(year: 2030, month: 1, day: 1))
    #expect(policy.honourTiers[0].validity.until == CivilDate(year: 2029, month: 12, day: 31))
  }

  @Test func datedValuesParse() throws {
    let copy = try BundleCopy()
    defer { copy.remove() }
    try copy.replace("  effective:\n", with: "  effective: 2023-03-01\n", in: BrokenCase.yaml)
    try copy.replace(
      "  - clause: 二（一）3\n",
      with: "  - clause: 二（一）3\n    from: 2024-02-29\n    until: '2026-12-31'\n",
      in: BrokenCase.yaml)
    try copy.replace(
      "庞明军,15967507306,,", with: "庞明军,15967507306,2023-01-01,2025-06-30", in: BrokenCase.annex2)
    let policy = try PolicyLoader.load(directory: copy.directory)
    #expect(policy.document.effective == CivilDate(year: 2023, month: 3, day: 1))
    let rule = try #require(policy.continuingEducation.first)
    #expect(
      rule.validity
        == Validity(
          from: CivilDate(year: 2024, month: 2, day: 29),
          until: CivilDate(year: 2026, month: 12, day: 31)))
    let points = policy.annex2.filter { $0.institution == "中纺院（浙江）技术研究院有限公司" }
    #expect(points.count == 2)
    #expect(points.allSatisfy { $0.validity.from == CivilDate(year: 2023, month: 1, day: 1) })
    #expect(points.allSatisfy { $0.validity.until == CivilDate(year: 2025, month: 6, day: 30) })
  }

  @Test func englishTextFallsBackToChinese() throws {
    let copy = try BundleCopy()
    defer { copy.remove() }
    try copy.replace("    en: On the integrity list\n", with: "", in: BrokenCase.yaml)
    let policy = try PolicyLoader.load(directory: copy.directory)
    #expect(policy.reasons[.integrity]?.english == "已记入诚信档案（诚信名单）")
  }

  @Test func missingFileIsNamed() throws {
    let copy = try BundleCopy()
    defer { copy.remove() }
    try FileManager.default.removeItem(at: copy.directory.appendingPathComponent(BrokenCase.annex2))
    let error = #expect(throws: PolicyError.self) {
      try PolicyLoader.load(directory: copy.directory)
    }
    #expect(error?.file == BrokenCase.annex2)
    #expect(error?.line == nil)
  }

  @Test func exportDoesNotOverwrite() throws {
    let copy = try BundleCopy()
    defer { copy.remove() }
    try copy.replace("  wait_years: 1", with: "  wait_years: 2", in: BrokenCase.yaml)
    let error = #expect(throws: PolicyError.self) { try PolicyLoader.export(to: copy.directory) }
    #expect(error?.message.contains("未覆盖") == true)
    #expect(try copy.text(BrokenCase.yaml).contains("wait_years: 2"))
    let names = try FileManager.default.contentsOfDirectory(atPath: copy.directory.path).sorted()
    #expect(names == ["README.md", BrokenCase.annex1, BrokenCase.annex2, BrokenCase.yaml].sorted())
  }

  @Test func errorDescriptionNamesTheLocation() {
    let error = PolicyError(file: "policy.yaml", line: 42, field: "honours.tiers[1]", message: "重复")
    #expect(error.description == "policy.yaml:42 honours.tiers[1]: 重复")
    #expect(PolicyError(file: "a.csv", message: "缺少").description == "a.csv: 缺少")
  }
}

@Suite struct PolicyDigestTests {
  @Test func digestChangesWithAPolicyFileOnly() throws {
    let copy = try BundleCopy()
    defer { copy.remove() }
    let original = try PolicyLoader.digest(directory: copy.directory)
    #expect(original == (try PolicyLoader.digest(directory: PolicyLoader.defaultBundleURL)))
    #expect(original.count == 64)

    try copy.write("notes\n", to: "README.md")
    #expect(try PolicyLoader.digest(directory: copy.directory) == original)

    try copy.replace("管工、电工", with: "管工、焊工", in: BrokenCase.annex2)
    let edited = try PolicyLoader.digest(directory: copy.directory)
    #expect(edited != original)
    try copy.replace("管工、焊工", with: "管工、电工", in: BrokenCase.annex2)
    #expect(try PolicyLoader.digest(directory: copy.directory) == original)
  }

  @Test func digestOfAKnownBundle() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("policy-digest-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for (name, content) in [
      ("policy.yaml", "政策"), ("annex1-occupations.csv", "a"), ("annex2-service-points.csv", "bc"),
    ] {
      try Data(content.utf8).write(to: directory.appendingPathComponent(name))
    }
    // Python: sha256 over name + b"\0" + str(len) + b"\0" + bytes, files in name order.
    #expect(
      try PolicyLoader.digest(directory: directory)
        == "0f6179c15ea99860f7399274aab0e97226cdf6691405b527114e2f8ac60112c4")
  }

  static let vectors: [(String, String)] = [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
    (
      String(repeating: "a", count: 55),
      "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"
    ),
    (
      String(repeating: "a", count: 56),
      "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"
    ),
    (
      String(repeating: "a", count: 64),
      "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"
    ),
    ("职业工种", "971a6d2c08099176f5e68f06ee5b2ef07e1682bf3229773b326788af4e6637b6"),
  ]

  @Test(arguments: vectors)
  func hasherMatchesKnownVectors(input: String, expected: String) {
    #expect(SHA256.hex(of: Array(input.utf8)) == expected)
  }

  @Test func hasherIsIndependentOfChunking() {
    var hasher = SHA256()
    let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
    for _ in 0..<1000 { hasher.update(chunk) }
    #expect(
      SHA256.hex(hasher.finalize())
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }
}
