import Foundation
import Testing

@testable import Policy

@Suite struct LookupKeyTests {
  /// Every character the fast path takes as NFKC-stable, alone and between ideographs.
  static let fastPathScalars: [Unicode.Scalar] = {
    var values: [UInt32] = Array(0..<0x80) + Array(0x3001...0x3002) + Array(0x3008...0x3011)
    values += [0x00B7, 0x00D7, 0x2014, 0x2192, 0x221A] + Array(0x2018...0x201D)
    values += Array(0x2713...0x2718) + [0x4E00, 0x5DE5, 0x9FA5, 0x9FFF]
    return values.compactMap(Unicode.Scalar.init)
  }()

  @Test func fastPathAgreesWithNFKCForEveryStableCharacter() {
    for scalar in Self.fastPathScalars {
      let text = "电\(scalar)工\(scalar)"
      #expect(LookupKey.make(text) == LookupKey.normalised(text), "U+\(scalar.value)")
      #expect(LookupKey.make(text).utf8.elementsEqual(LookupKey.normalised(text).utf8))
    }
  }

  @Test(arguments: [
    ("电工", "电工"), ("省“百千万”", "省百千万"), ("省\"百千万\"", "省百千万"), ("＂省 百千万＂", "省百千万"),
    ("电工（高压电工）", "电工(高压电工)"), (" 焊工\t", "焊工"), ("「浙江工匠」", "浙江工匠"),
    ("Ⅲ级", "III级"), ("\u{3000}中级工\u{200B}", "中级工"), ("e\u{0301}", "\u{00E9}"), ("", ""),
  ])
  func makesKeys(input: String, expected: String) {
    #expect(LookupKey.make(input) == expected)
    #expect(LookupKey.make(input) == LookupKey.normalised(input))
  }

  @Test func scanSendsOnlyStableTextToTheFastPath() {
    #expect(LookupKey.scan("电工") == .unchanged)
    #expect(LookupKey.scan("电 工") == .dropsOnly)
    #expect(LookupKey.scan("电工（高压）") == .needsNormalisation)
    #expect(LookupKey.scan("\u{3000}") == .needsNormalisation)
  }

  @Test(arguments: [
    "电工(高压电工)", "(高压)", "车工[数控]", "焊工【特种】", "电工", "电工（高压电工）", "a(b(c", "", "【】x",
    "x】(y", "车工 [数控]", "“车工”(数控)", "é(x)", "[", "工【", "工\u{3010}",
  ])
  func bracketPartAsCharactersGiveIt(key: String) {
    let expected: String?
    if let index = key.firstIndex(where: { $0 == "(" || $0 == "（" || $0 == "[" || $0 == "【" }) {
      expected = index == key.startIndex ? nil : String(key[..<index])
    } else {
      expected = nil
    }
    #expect(LookupKey.beforeBracket(key) == expected)
  }

  @Test func seriesCoverAsStringComparisonSays() {
    let written = [
      "工程", "农业", "建设工程", "工艺美术", " 工 程 ", "“工程”", "e\u{301}", "é", "e\"\u{301}", "工程师", "",
    ]
    let series = ["建设工程", "农业技术", "农业工程", "工艺美术", "é", "工程", "e\u{301}", "卫生"]
    var covered = 0
    for name in written {
      for target in series {
        let key = LookupKey.make(name)
        let targetKey = LookupKey.make(target)
        let expected =
          key == targetKey || (key == "工程" && targetKey.hasSuffix("工程"))
          || (key == "农业" && targetKey.hasPrefix("农业"))
        #expect(ResolvedPolicy.series(name, covers: target) == expected, "\(name) \(target)")
        if expected { covered += 1 }
      }
    }
    #expect(covered >= 12)
  }
}
