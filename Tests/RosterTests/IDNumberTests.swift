import Testing

@testable import Roster

/// Generated numbers: Shaoxing region codes, invented birth dates, valid GB 11643 check digits.
enum TestIDs {
  static let valid = "330602198503120011"
  static let validX = "33060219850312045X"
  static let second = "330603199001010016"
  static let third = "330681200002290675"

  /// A valid ID for the given region, birth date and sequence, computed independently of Roster.
  static func make(region: String = "330602", birth: String, sequence: String) -> String {
    let body = region + birth + sequence
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    var sum = 0
    for (character, weight) in zip(body, weights) {
      sum += (character.wholeNumberValue ?? 0) * weight
    }
    let checks = Array("10X98765432")
    return body + String(checks[sum % 11])
  }
}

@Suite struct IDNumberTests {
  @Test(arguments: [
    TestIDs.valid, TestIDs.validX, "33060219850312045x", TestIDs.second, TestIDs.third,
    "３３０６０２１９８５０３１２００１１", " 330602198503120011\u{3000}", "'330602198503120011",
  ])
  func acceptsValidNumbers(input: String) {
    #expect(ValueParser.idNumber(input) == .valid)
  }

  @Test func generatedNumbersAgreeWithTheFixtures() {
    #expect(TestIDs.make(birth: "19850312", sequence: "001") == TestIDs.valid)
    #expect(TestIDs.make(birth: "19850312", sequence: "045") == TestIDs.validX)
    #expect(TestIDs.make(region: "330603", birth: "19900101", sequence: "001") == TestIDs.second)
    #expect(TestIDs.make(region: "330681", birth: "20000229", sequence: "067") == TestIDs.third)
    #expect(ValueParser.idCheckCharacter("33060219850312045") == "X")
    #expect(ValueParser.idCheckCharacter("3306021985031200") == nil)
  }

  @Test(arguments: [
    ("330602198503120012", "校验码不符"),
    ("330602198503120451", "校验码不符"),
    ("330602198503121000", "校验码不符（末三位为000，可能已被Excel截断）"),
    ("330602198502300018", "出生日期19850230无效"),
    ("330602230002290018", "出生日期23000229无效"),
    ("330602189912310018", "出生日期18991231无效"),
    ("990602198503120011", "地区码990602无效"),
    ("000602198503120011", "地区码000602无效"),
    ("3.30602E+17", "科学计数法，已被Excel损坏"),
    ("3.30602e17", "科学计数法，已被Excel损坏"),
    ("3306021985031200", "长度为16位，应为18位"),
    ("3306021985031200111", "长度为19位，应为18位"),
    ("33060219850312001Y", "含有数字和X以外的字符"),
    ("3306021985031200X1", "含有数字和X以外的字符"),
    ("张三张三张三张三张三张三张三张三张三", "含有数字和X以外的字符"),
    ("张三张三张三张三张三张三张三张三张", "长度为17位，应为18位"),
  ])
  func rejects(input: String, detail: String) {
    #expect(ValueParser.idNumber(input) == .invalid(detail))
  }

  @Test func recognisesLegacyFifteenDigitNumbers() {
    #expect(ValueParser.idNumber("330602850312001") == .legacy15)
    #expect(ValueParser.idNumber("33060285031200X") == .invalid("长度为15位，应为18位"))
  }

  @Test(arguments: ["", "  ", "\u{3000}"])
  func emptyIsMissing(input: String) {
    #expect(ValueParser.idNumber(input) == .missing)
  }

  @Test func canonicalFormIsUpperCaseWithoutBlanks() {
    #expect(ValueParser.canonicalIDNumber(" 33060219850312045x ") == TestIDs.validX)
    #expect(ValueParser.canonicalIDNumber("330602 19850312 045X") == TestIDs.validX)
    #expect(ValueParser.canonicalIDNumber("'330602198503120011") == TestIDs.valid)
  }

  /// The fast check reads the province codes from two words of bits, which must hold exactly
  /// the set's two-digit numbers.
  @Test func provinceBitsHoldExactlyTheProvinceCodes() {
    let fromBits = (0..<100).filter(ValueParser.isProvinceCode)
    #expect(fromBits == ValueParser.provinceCodes.sorted())
  }

  /// The quick check takes days up to the 28th without asking the month's length: the days
  /// after it, with valid check digits, must still be told apart by month and leap year.
  @Test(arguments: [
    ("19850228", true), ("19850229", false), ("19880229", true), ("20000229", true),
    ("19000229", false), ("19850230", false), ("19850331", true), ("19850431", false),
    ("19851130", true), ("19851131", false), ("19851231", true), ("19851232", false),
    ("19850100", false),
  ])
  func birthDaysAfterThe28thAreCheckedAgainstTheMonth(birth: String, isValid: Bool) {
    let bytes = Array(TestIDs.make(birth: birth, sequence: "001").utf8)
    #expect(bytes.withUnsafeBufferPointer(ValueParser.isValidEighteenDigitID) == isValid)
  }

  /// Eight digits read as binary digits at once must give what reading them one by one gives.
  @Test(arguments: ["00000000", "99999999", "12345678", "87654321", "10000000", "00000001"])
  func eightDigitsAtOnceGiveTheirBinaryWeightedSum(digits: String) {
    let bytes = Array(digits.utf8)
    let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    let expected = bytes.reduce(0) { $0 * 2 + Int($1 - 48) }
    #expect(ValueParser.binaryWeighted(word) == expected)
  }
}
