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
    #expect(ReasonCode.known.count == Int(ReasonCode.knownCount))
  }

  /// The named codes, made by their places in `known`, are spelt as RULES.md and the tool's
  /// data spell them.
  @Test func namedCodesHaveTheirSpellings() {
    let named: [(ReasonCode, String)] = [
      (.assessmentFail, "A-ASSESS-FAIL"), (.assessmentMissing, "A-ASSESS-MISSING"),
      (.continuingEducationTotal, "A-CE-TOTAL"), (.continuingEducationPublic, "A-CE-PUBLIC"),
      (.continuingEducationMissing, "A-CE-MISSING"), (.levelLow, "A-LEVEL-LOW"),
      (.yearsShort, "A-YEARS-SHORT"), (.notInField, "A-NOT-IN-FIELD"),
      (.occupationUnmapped, "A-OCC-UNMAPPED"), (.publicInstitution, "A-PUBLIC-INST"),
      (.honourUnknown, "A-HONOR-UNKNOWN"), (.titleLow, "B-TITLE-LOW"),
      (.occupationMissing, "B-OCC-MISSING"), (.occupationSeriesMismatch, "B-OCC-SERIES-MISMATCH"),
      (.chiefNeedsSpecial, "B-CHIEF-NEEDS-SPECIAL"), (.alreadyHeld, "B-ALREADY-HELD"),
      (.noServicePoint, "B-NO-SERVICE-POINT"), (.accessOccupation, "B-ACCESS-OCC"),
      (.integrity, "INTEGRITY"), (.duplicate, "DUPLICATE"), (.dataID, "DATA-ID"),
      (.dataDate, "DATA-DATE"), (.dataLevel, "DATA-LEVEL"), (.dataHours, "DATA-HOURS"),
      (.dataFlag, "DATA-FLAG"), (.dataMissing, "DATA-MISSING"), (.noDirection, "NO-DIRECTION"),
      (.nextTarget, "A-NEXT-TARGET"), (.promotionDate, "B-PROMOTION-DATE"),
    ]
    #expect(named.count == ReasonCode.known.count)
    for (code, spelling) in named {
      #expect(code.rawValue == spelling)
      #expect(ReasonCode(spelling) == code)
      #expect(ReasonCode(spelling).knownNumber == code.knownNumber)
    }
    #expect(Set(named.map(\.0)).count == named.count)
  }

  /// Codes not known are kept by their exact bytes: the same spelling twice is one code with
  /// one number, two spellings that differ in a byte give back their own texts, and codes made
  /// on many threads at once keep theirs.
  @Test func otherSpellingsKeepTheirTexts() async {
    let spelling = "X-OTHER-\(UUID().uuidString)"
    let first = ReasonCode(spelling)
    let again = ReasonCode(String(decoding: Array(spelling.utf8), as: UTF8.self))
    #expect(first == again && first.rawValue == spelling && first.knownNumber == nil)
    // "é" as one scalar and as e + combining acute: equal texts, different bytes.
    let composed = ReasonCode("X-caf\u{E9}")
    let decomposed = ReasonCode("X-cafe\u{301}")
    #expect(composed.rawValue.utf8.elementsEqual("X-caf\u{E9}".utf8))
    #expect(decomposed.rawValue.utf8.elementsEqual("X-cafe\u{301}".utf8))
    #expect(composed == decomposed)
    let texts = (0..<64).map { "X-THREAD-\($0 % 16)-\(spelling)" }
    let made = await withTaskGroup(of: (String, String).self) { group in
      for text in texts { group.addTask { (text, ReasonCode(text).rawValue) } }
      var made: [(String, String)] = []
      for await pair in group { made.append(pair) }
      return made
    }
    #expect(made.count == texts.count)
    #expect(made.allSatisfy { $0.0 == $0.1 })
    #expect(ReasonCode(texts[3]) == ReasonCode(texts[19]))
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
