import Foundation
import Roster
import Testing

@testable import Policy

/// The shipped bundle against the notice 绍市人社发〔2023〕3号, counted by hand from the source text.
@Suite struct DefaultBundleTests {
  let policy: Policy
  let servicePointRows: [ServicePointRow]

  init() throws {
    policy = try PolicyLoader.loadDefault()
    servicePointRows = try AnnexTables.servicePointRows(
      PolicyLoader.records(of: AnnexTables.annex2File, in: PolicyLoader.defaultBundleURL))
  }

  @Test func documentHasNoInventedEffectiveDate() {
    #expect(policy.document.id == "绍市人社发〔2023〕3号")
    #expect(policy.document.effective == nil)
  }

  // Occupations per Annex 1 row after removing repeats within the row. Row 4 lists 84 names of
  // which 18 are repeats (炭素煅烧工 ×4, 烧结球团原料工 ×3, 金属挤压工 ×3, and 炼钢浇铸工,
  // 球团烧工, 钢管精整工, 铁合金焙烧工, 钽铌冶炼工, 稀土材料生产工, 金属材酸碱洗工, 金属材拉拔工,
  // 硬质合金烧结工, 硬质合金精加工工, 金箔制作工 ×2 each) → 66. Row 20 lists 20 names, the last
  // five (应急救援员 … 安全员) repeat earlier ones → 15. Row 16 counts from 形象设计师 on. No other
  // row repeats a name.
  static let occupationCounts: [Int: Int] = [
    2: 24, 3: 47, 4: 66, 7: 5, 8: 39, 9: 16, 10: 35, 11: 10, 12: 13, 13: 13, 14: 2, 15: 2,
    16: 15, 17: 6, 18: 26, 19: 10, 20: 15, 21: 34, 22: 1, 23: 1, 24: 46, 25: 5,
  ]

  @Test func annex1HasTheRowsOfTheNotice() {
    #expect(policy.annex1.count == 22)
    #expect(policy.annex1.map(\.row) == [2, 3, 4] + Array(7...25))
  }

  @Test(arguments: occupationCounts.sorted { $0.key < $1.key })
  func annex1RowHasItsOccupationCount(row: Int, count: Int) throws {
    let mapping = try #require(policy.annex1.first { $0.row == row })
    #expect(mapping.occupations.count == count)
    #expect(Set(mapping.occupations).count == mapping.occupations.count)
    #expect(mapping.validity == .always)
  }

  @Test func row16IsSplitAtTheFirstOccupation() throws {
    let art = try #require(policy.annex1.first { $0.row == 16 })
    #expect(art.series == "艺术")
    #expect(art.specialty.hasPrefix("演员、演奏员"))
    #expect(art.specialty.hasSuffix("美术设计、照明设计"))
    #expect(!art.specialty.contains("形象设计师"))
    #expect(art.occupations.first == "形象设计师")
    #expect(art.occupations.last == "影视服装员")
  }

  @Test func repeatsAreRemovedKeepingFirstOrder() throws {
    let materials = try #require(policy.annex1.first { $0.row == 4 })
    #expect(materials.occupations.filter { $0 == "炭素煅烧工" }.count == 1)
    #expect(Array(materials.occupations[11...13]) == ["炭素煅烧工", "炭素成型工", "炭素浸渍工"])
    let emergency = try #require(policy.annex1.first { $0.row == 20 })
    #expect(emergency.occupations.filter { $0 == "应急救援员" }.count == 1)
    #expect(emergency.occupations.last == "森林火灾瞭望观察员")
  }

  @Test func sourceSpellingsAreKept() throws {
    let crafts = try #require(policy.annex1.first { $0.row == 24 })
    #expect(crafts.occupations.contains("工艺美木品设计师"))
    #expect(crafts.occupations.contains("景德镇泰蓝制作工"))
  }

  static let subRowCounts: [String: Int] = [
    "诸暨技师学院": 7, "新昌技师学院": 2, "绍兴市柯桥区高级技工学校": 2, "上虞区技工学校": 2,
    "嵊州市技工学校": 2, "绍兴市智能制造产业协会": 5, "绍兴市公共职业技能培训有限责任公司": 2,
  ]

  @Test func annex2HasTwentyFiveInstitutions() {
    #expect(Set(servicePointRows.map(\.number)) == Set(1...25))
    #expect(Set(servicePointRows.map(\.institution)).count == 25)
    let others = servicePointRows.filter { Self.subRowCounts[$0.institution] == nil }
    #expect(others.count == 18)
    #expect(servicePointRows.count == 18 + Self.subRowCounts.values.reduce(0, +))
  }

  @Test(arguments: subRowCounts.sorted { $0.key < $1.key })
  func institutionHasItsSubRows(institution: String, count: Int) {
    let rows = servicePointRows.filter { $0.institution == institution }
    #expect(rows.count == count)
    #expect(Set(rows.map(\.contact)).count == 1)
    #expect(Set(rows.map(\.phone)).count == 1)
  }

  @Test func zhujiSubRowsKeepTheirLevels() {
    let rows = servicePointRows.filter { $0.institution == "诸暨技师学院" }
    #expect(
      rows.map(\.levels) == [
        [5, 4, 3, 2, 1], [5, 4, 3, 2], [4, 3, 2, 1], [3, 2, 1], [5, 4, 3],
        [4, 3, 2], [5, 4, 3, 2],
      ])
    #expect(rows.map(\.occupations.count) == [6, 2, 2, 1, 2, 1, 3])
    #expect(rows.last?.occupations == ["缝纫工", "电工", "车工"])
    #expect(rows.allSatisfy { $0.district == "诸暨市" && $0.contact == "杨波" })
    let electric = policy.annex2.filter { $0.institution == "诸暨技师学院" && $0.occupation == "电工" }
    #expect(electric.count == 2)
  }

  @Test func namedSubRowsMatchTheNotice() {
    func levels(_ institution: String) -> [[String]: [Int]] {
      Dictionary(
        servicePointRows.filter { $0.institution == institution }.map {
          ($0.occupations, $0.levels)
        },
        uniquingKeysWith: { first, _ in first })
    }
    #expect(
      levels("绍兴市柯桥区高级技工学校") == [["纺织染色工"]: [5, 4, 3, 2], ["印染前处理工"]: [5, 4, 3]])
    #expect(
      levels("上虞区技工学校") == [["电工", "化学检验员"]: [5, 4, 3, 2], ["计算机维修工"]: [5, 4, 3]])
    #expect(levels("嵊州市技工学校") == [["汽车维修工"]: [5, 4, 3, 2, 1], ["电工"]: [5, 4, 3, 2]])
    #expect(
      levels("绍兴市公共职业技能培训有限责任公司") == [["黄酒酿造工"]: [5, 4, 3], ["电工"]: [5, 4, 3, 2, 1]])
  }

  @Test func row5PhoneIsKeptAsWritten() throws {
    let row = try #require(servicePointRows.first { $0.number == 5 })
    #expect(row.phone == "1515825858")
    #expect(row.contact == "黄盈")
  }

  @Test func districtsComeOnlyFromNames() {
    let expected: [Int: String] = [
      1: "诸暨市", 2: "新昌县", 3: "柯桥区", 4: "上虞区", 5: "嵊州市", 12: "越城区", 13: "嵊州市",
      14: "上虞区", 15: "诸暨市",
    ]
    for row in servicePointRows {
      #expect(row.district == expected[row.number, default: ""], "序号 \(row.number)")
    }
  }

  @Test func everyReasonCodeHasChineseAndEnglishText() {
    for code in PolicySettings.requiredReasonCodes {
      let text = policy.reasons[code]
      #expect(text?.chinese.isEmpty == false, "\(code)")
      #expect(text?.english.isEmpty == false, "\(code)")
      #expect(text?.chinese != text?.english, "\(code)")
    }
    #expect(policy.reasons[.continuingEducationTotal]?.clause == "二（一）3")
    #expect(policy.reasons[.duplicate]?.clause == "")
  }

  @Test func honourTiersHaveTheNamesOfRules() {
    #expect(policy.honourTiers.map(\.honours.count) == [8, 7, 5])
    #expect(policy.honourTiers.map(\.target) == [.intermediate, .associateSenior, .fullSenior])
    #expect(policy.honourTiers.map(\.clause) == ["二（三）1", "二（三）2", "二（三）3"])
    #expect(policy.honourAliases["世赛金牌"] == "世界技能大赛金牌")
    #expect(policy.honourAliases["国务院特殊津贴"] == "享受国务院政府特殊津贴的高技能人才")
  }

  @Test func tablesCarryTheirClauses() {
    #expect(
      policy.normalRoute.map {
        [$0.level.chineseName, "\($0.years)", $0.target.chineseName, $0.clause]
      }
        == [
          ["高级工", "2", "助理级", "二（二）1"], ["技师", "3", "中级", "二（二）2"],
          ["高级技师", "4", "副高级", "二（二）3"],
        ])
    #expect(policy.topLevel.first?.levels == [.specialTechnician, .chiefTechnician])
    #expect(policy.titleToSkill.last?.requiresHeld == .specialTechnician)
    #expect(policy.continuingEducation.first?.totalHours == 90)
    #expect(policy.continuingEducation.first?.publicHours == 18)
    #expect(policy.assessment.fail.contains("基本称职"))
    #expect(policy.equivalence.map(\.education) == ["中专", "大专", "本科"])
    #expect(policy.equivalenceExams.count == 8)
    #expect(policy.promotionWaitYears == 1)
    #expect(policy.accessOccupations.isEmpty)
    #expect(policy.teacherSeries == "技工院校教师")
  }

  @Test func annexFilesAreUTF8WithBOMAndCRLF() throws {
    for name in [AnnexTables.annex1File, AnnexTables.annex2File] {
      let bytes = try [UInt8](PolicyLoader.data(of: name, in: PolicyLoader.defaultBundleURL))
      #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(name)")
      let lineFeeds = bytes.indices.filter { bytes[$0] == 0x0A }
      #expect(!lineFeeds.isEmpty)
      #expect(lineFeeds.allSatisfy { $0 > 0 && bytes[$0 - 1] == 0x0D }, "\(name)")
    }
  }
}
