import Foundation
import Testing

@testable import Policy

@Suite struct ReasonCodeNumberTests {
  @Test func everyKnownCodeHasItsPlaceAsNumber() {
    for (place, code) in ReasonCode.known.enumerated() {
      #expect(code.knownNumber == place)
      #expect(ReasonCode(code.rawValue).knownNumber == place)
      #expect(ReasonCode(rawValue: code.rawValue) == code)
    }
    #expect(ReasonCode("NOT-A-CODE").knownNumber == nil)
    #expect(ReasonCode("a-ce-total").knownNumber == nil)
  }

  @Test func changingTheTextChangesTheNumber() {
    var code = ReasonCode.duplicate
    code.rawValue = "A-CE-TOTAL"
    #expect(code.knownNumber == ReasonCode.continuingEducationTotal.knownNumber)
    #expect(code == .continuingEducationTotal)
    code.rawValue = "OTHER"
    #expect(code.knownNumber == nil)
    #expect(code == ReasonCode("OTHER"))
  }

  /// Codes compare as their texts do: a code spelt with a look-alike character (the Kelvin
  /// sign, canonically the letter K) equals the known code though it has no number.
  @Test func comparesAndHashesAsText() {
    let lookAlike = ReasonCode("A-HONOR-UN\u{212A}NOWN")
    #expect(lookAlike.knownNumber == nil)
    #expect(lookAlike == .honourUnknown)
    #expect(ReasonCode.honourUnknown == lookAlike)
    #expect(lookAlike.hashValue == ReasonCode.honourUnknown.hashValue)
    #expect(ReasonCode.duplicate != .dataID)
    #expect(ReasonCode("X") != .dataID)
    #expect(Set(ReasonCode.known + ReasonCode.known).count == ReasonCode.known.count)
  }

  @Test func encodesAsItsText() throws {
    let data = try JSONEncoder().encode([ReasonCode.duplicate, ReasonCode("OTHER")])
    #expect(String(decoding: data, as: UTF8.self) == #"["DUPLICATE","OTHER"]"#)
    let decoded = try JSONDecoder().decode([ReasonCode].self, from: data)
    #expect(decoded.map(\.knownNumber) == [ReasonCode.duplicate.knownNumber, nil])
  }
}
