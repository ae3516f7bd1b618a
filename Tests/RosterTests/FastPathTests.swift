import Foundation
import Testing

@testable import Roster

/// The readers' fast paths for common cells must give exactly what the general readers give.
@Suite struct FastPathTests {
  static let dateTexts: [String] = {
    let years = ["2019", "2020", "1899", "2100", "19", "20190", ""]
    let separators = ["-", "/", ".", "年", "月", " "]
    let months = ["6", "06", "2", "13", "0", "123", ""]
    let days = ["30", "31", "29", "1", "01", "", "001"]
    let endings = ["", "日", "号", "日x", " 00:00:00", "月", "-"]
    var texts: [String] = []
    for year in years {
      for first in separators {
        for month in months {
          for second in separators + ["月", ""] {
            for day in days {
              for ending in endings {
                texts.append(year + first + month + second + day + ending)
              }
            }
          }
        }
      }
    }
    return texts
  }()

  @Test func commonDateFormsReadAsTheGeneralReaderReadsThem() {
    var fast = 0
    for text in Self.dateTexts {
      if ValueParser.commonDateParts(text) != nil { fast += 1 }
      #expect(
        ValueParser.date(normalised: text) == ValueParser.anyDate(normalised: text), "\(text)")
    }
    #expect(fast > 500)
  }

  /// Characters that share all but the last byte with 年, 月 or 日 (幵, 朋, 旦) in each place a
  /// mark goes, and dates cut short or run on after one: the scan must read them all as the
  /// general reader does.
  @Test(arguments: [
    "2019幵6月30日", "2019年6朋30日", "2019年6月30旦", "2019年6月30日日", "2019年6月朋", "2019年",
    "2019年6", "2019年6月30日1", "2019年6月3", "2019年6月", "2019.6", "2019.6.", "2019.6.3日",
    "2019-6/30", "2019年6.30", "2019年6月30 日",
  ])
  func nearMissMarksReadAsTheGeneralReaderReadsThem(text: String) {
    #expect(ValueParser.date(normalised: text) == ValueParser.anyDate(normalised: text))
  }

  /// Ten-byte dates are read at fixed places before the byte-by-byte scan: with every
  /// separator pair and any one byte replaced by a character next to the digits, a blank or
  /// another separator, both must give the same numbers.
  @Test func fullDatesReadAtFixedPlacesAsTheScanReadsThem() {
    var texts: [[UInt8]] = []
    for first in Array("-./年 ".utf8) {
      for second in Array("-./ ".utf8) {
        let date = Array("2019".utf8) + [first] + Array("06".utf8) + [second] + Array("30".utf8)
        texts.append(date)
        for place in date.indices {
          for byte in Array("/:-. x".utf8) {
            var changed = date
            changed[place] = byte
            texts.append(changed)
          }
        }
      }
    }
    var read = 0
    for text in texts {
      let fast = text.withUnsafeBufferPointer(ValueParser.commonDateParts)
      let scanned = text.withUnsafeBufferPointer(ValueParser.scannedDateParts)
      #expect(fast?.year == scanned?.year, "\(text)")
      #expect(fast?.month == scanned?.month, "\(text)")
      #expect(fast?.day == scanned?.day, "\(text)")
      if fast != nil { read += 1 }
    }
    #expect(read >= 3)
  }

  /// The parser reads date and number cells these readers accept without first checking that
  /// they are already normal, so every cell they accept must be.
  @Test func cellsTheDateAndNumberReadersAcceptAreAlreadyNormal() {
    let padded = ["2019-06-30", "2019年6月", "90"].flatMap { text in
      [" ", "\t", "\u{3000}", "\u{200B}", "\u{A0}"].flatMap { blank in
        [blank + text, text + blank]
      }
    }
    let others = ["２０１９-06-30", "2019－06－30", "９０", "2019-06-30\n", "2019年06月30日"]
    var accepted = 0
    for text in Self.dateTexts + padded + others {
      if ValueParser.commonDateParts(text) != nil {
        accepted += 1
        #expect(ValueParser.isAlreadyNormal(text), "\(text.unicodeScalars.map(\.value))")
      }
      if ValueParser.plainWholeNumber(text) != nil {
        accepted += 1
        #expect(ValueParser.isAlreadyNormal(text), "\(text.unicodeScalars.map(\.value))")
      }
    }
    #expect(accepted > 500)
  }

  @Test(arguments: [
    "0", "7", "90", "007", "123456789012345", "1234567890123456", "9.5", "", " 9", "9 ", "90学时",
    "90h", "90H", "-3", "+3", "3e2", "１２", "٣", "0.0", ".5", "5.",
  ])
  func wholeNumbersReadAsTheGeneralReaderReadsThem(text: String) {
    for units in [ValueParser.hourUnits, ValueParser.yearUnits] {
      #expect(
        ValueParser.number(normalised: text, units: units)
          == ValueParser.anyNumber(normalised: text, units: units))
    }
  }

  /// A valid number with one of its first 17 characters replaced by a byte next to the digits
  /// (`/`, `:`), a letter, a blank or a control byte: the digits are checked eight at a time,
  /// and every place in both words and the byte after them must still be caught.
  @Test func anyCharacterOtherThanADigitIsCaughtAtEveryPlace() {
    let valid = Array("330602199001011231".utf8)
    #expect(ValueParser.isValidEighteenDigitID(String(decoding: valid, as: UTF8.self)))
    for place in 0..<17 {
      for byte in Array("/:A \u{0}\u{7F}".utf8) + [0xB0, 0x40, 0x60] {
        var id = valid
        id[place] = byte
        let text = String(decoding: id, as: UTF8.self)
        #expect(!ValueParser.isValidEighteenDigitID(text), "\(place) \(byte)")
        #expect(
          id.withUnsafeBufferPointer { !ValueParser.isValidEighteenDigitID($0) }, "\(place) \(byte)"
        )
      }
    }
  }

  @Test func validIDNumbersAreAcceptedExactlyWhenTheFullCheckAcceptsThem() {
    let regions = ["330602", "330603", "330683", "110101", "990101", "000000"]
    let births = ["19900101", "20000229", "19000229", "18991231", "21000101", "19901301"]
    var checked = 0
    for region in regions {
      for birth in births {
        for serial in ["001", "123", "999"] {
          let body = region + birth + serial
          for last in Array("0123456789Xx") {
            let id = body + String(last)
            let general = ValueParser.checkedIDNumberStatus(canonical: id)
            #expect(ValueParser.isValidEighteenDigitID(id) == (general == .valid), "\(id)")
            #expect(ValueParser.idNumberStatus(canonical: id) == general)
            checked += 1
          }
        }
      }
    }
    for id in [
      "33060219900101123", "3306021990010112345", "33060219900101123A", "３３0602199001011234",
    ] {
      #expect(!ValueParser.isValidEighteenDigitID(id))
      #expect(ValueParser.idNumberStatus(canonical: id) != .valid)
    }
    #expect(checked == regions.count * births.count * 3 * 12)
  }

  @Test func cellsTakenAsAlreadyNormalAreThoseNormalisingLeavesAlone() {
    var normal = 0
    for value in UInt32(0)...0xFFFF {
      guard let scalar = Unicode.Scalar(value) else { continue }
      for text in ["甲\(scalar)乙", "\(scalar)", "a\(scalar)"] {
        guard ValueParser.isAlreadyNormal(text) else { continue }
        normal += 1
        let normalised = ValueParser.normalising(text)
        #expect(normalised.utf8.elementsEqual(text.utf8), "U+\(String(value, radix: 16))")
      }
    }
    // ASCII without blanks at the ends, CJK ideographs and the listed punctuation.
    #expect(normal > 3 * 20_900)
    for text in ["张三", "绍兴“示范”厂", "职业(工种)", "2019-06-30", "a b", "√×"] {
      #expect(ValueParser.isAlreadyNormal(text), "\(text)")
    }
    for text in ["", " 张三", "张三 ", "职业（工种）", "１２", "Ⅲ级", "张\u{3000}", "e\u{301}"] {
      #expect(!ValueParser.isAlreadyNormal(text), "\(text)")
    }
  }

  @Test func headerCellsMatchAsTheGeneralMatcherMatchesThem() {
    var cells: [String] = ["", " ", "张三", "2019-06-30", "330602199001011234", "合格、合格、优秀"]
    cells += [
      "\t330602199001011234", "1\u{20E3}", "( \n姓名", "(\n姓名", "\n(姓名)", "【 姓名】", "＊姓名",
      "〔姓名〕", "\u{FEFF}姓名", "\u{200B}姓名", "姓\u{0301}名", "9姓名", "※姓名", "㐀姓名",
    ]
    for column in RosterColumn.allCases {
      for name in column.acceptedHeaders {
        cells += [
          name, " \(name)\t", name.uppercased(), "*\(name)", "\(name)(年月日)", "\(name)【备注】",
          "\(name) (x", "(\(name))", "【\(name)】", "\(name)]", "[\(name)]", "x\(name)", "\(name)\n",
          "\(name)（备注）", "\u{3000}\(name)", "\(name)】", "\(name)(a)(b)", "\(name)\r\n",
        ]
      }
    }
    var matched = 0
    for cell in cells {
      let general = RosterColumn.generalMatching(header: cell)
      #expect(RosterColumn.matching(header: cell) == general, "\(cell)")
      if general != nil { matched += 1 }
    }
    #expect(matched > cells.count / 2)
  }

  @Test func listsSplitAsTheScalarSplitSplitsThem() {
    let pieces = ["合格", "优秀", "a", "", " ", "、", ",", "基本称职", "𠀀字", "é", "e\u{301}", "；", "/"]
    var texts: [String] = []
    for first in pieces {
      for second in pieces {
        for third in pieces { texts.append(first + second + third) }
      }
    }
    for text in texts {
      for isSeparator in [
        { (scalar: Unicode.Scalar) in scalar == "、" || scalar == "," || scalar == " " },
        { (scalar: Unicode.Scalar) in scalar == "/" || scalar.value == 0x20000 },
      ] {
        let expected = text.unicodeScalars.split(whereSeparator: isSeparator).map {
          String(Substring($0))
        }
        let split = ValueParser.split(text, where: isSeparator)
        #expect(split == expected, "\(text)")
        #expect(split.map { Array($0.utf8) } == expected.map { Array($0.utf8) })
      }
    }
  }

  @Test func fullWidthAndInvisibleCellsNormaliseAsNFKCDoes() {
    var mapped: [UInt32] = Array(0xFF01...0xFF5E) + [0x3000, 0x00A0, 0x200B, 0x200C, 0x200D]
    mapped += [0x2060, 0xFEFF]
    var checked = 0
    for value in mapped {
      guard let scalar = Unicode.Scalar(value) else { continue }
      for text in [
        "合格\(scalar)基本合格", "\(scalar)", "\(scalar)a\(scalar)", " 甲\(scalar) ",
        "\(scalar)\t×\(scalar)",
        "é\(scalar)𠀀",
      ] {
        let reference = ValueParser.trimmingUnicode(
          ValueParser.removingInvisible(text.precomposedStringWithCompatibilityMapping))
        let normalised = ValueParser.normalise(text)
        #expect(normalised == reference, "U+\(String(value, radix: 16))")
        #expect(Array(normalised.utf8) == Array(reference.utf8))
        checked += 1
      }
    }
    #expect(checked == 101 * 6)
  }
}
