extension RosterColumn {
  /// The header used with `--lang en`; it is also accepted in a roster's header row.
  public var englishHeader: String {
    switch self {
    case .idNumber: "ID number"
    case .name: "Name"
    case .employer: "Employer"
    case .district: "District"
    case .direction: "Direction"
    case .occupation: "Occupation"
    case .skillLevel: "Skill level"
    case .skillDate: "Skill level date"
    case .yearsInWork: "Years of skilled work since certification"
    case .assessments: "Annual assessments (last 3 years)"
    case .continuingEducationHours: "Continuing education hours"
    case .publicSubjectHours: "Public subject hours"
    case .skillTrainingHours: "Skill training hours"
    case .publicInstitutionStaff: "Public institution staff"
    case .technicalSchoolTeacher: "Technical school teacher"
    case .stillInRelatedField: "Still in related field"
    case .honours: "Honours"
    case .titleSeries: "Title series"
    case .titleLevel: "Title level"
    case .targetOccupation: "Target occupation"
    case .relatedDiploma: "Related diploma"
    case .schoolClass: "Technical school class"
    }
  }

  /// Other headers rosters use for this column, besides `header` and `englishHeader`.
  public var aliases: [String] {
    switch self {
    case .idNumber:
      ["公民身份号码", "证件号码", "身份证号码", "身份证", "身份证件号码", "证件号"]
    case .name: ["名字", "申报人姓名", "人员姓名"]
    case .employer: ["单位名称", "所在单位", "工作单位名称", "单位"]
    case .district: ["区县", "所属区县", "县（市、区）", "县市区", "区、县（市）", "所在区、县（市）"]
    case .direction: ["贯通方向", "申报类型", "申报方向（A/B）"]
    case .occupation: ["职业（工种）", "工种", "职业", "职业名称", "现职业工种"]
    case .skillLevel: ["技能等级", "职业资格等级", "现技能等级", "现职业技能等级"]
    case .skillDate:
      ["发证日期", "取得时间", "技能等级取得时间", "取证时间", "发证时间", "获证日期", "取得日期"]
    case .yearsInWork: ["取证后工作年限", "取证后从事技术技能工作年限（年）", "从事技术技能工作年限"]
    case .assessments:
      ["近三年年度考核", "年度考核", "近3年年度考核结果", "近三年年度考核结果", "年度考核结果", "近三年考核情况"]
    case .continuingEducationHours: ["继续教育学时数", "继续教育时数", "年度继续教育学时", "继续教育"]
    case .publicSubjectHours: ["公需科目", "公需课学时", "公需科目学时数", "其中公需科目学时"]
    case .skillTrainingHours: ["技能培训", "技能培训学时数", "职业技能培训学时"]
    case .publicInstitutionStaff: ["是否事业单位在编", "事业编制", "是否在编", "事业单位在编人员", "是否事业编制"]
    case .technicalSchoolTeacher: ["技工院校教师", "是否为技工院校教师"]
    case .stillInRelatedField: ["仍在相关岗位", "是否在相关岗位", "是否仍在相关领域", "仍在相关领域"]
    case .honours: ["荣誉称号", "获得荣誉", "所获荣誉", "荣誉奖项"]
    case .titleSeries: ["系列", "申报系列", "申报职称系列", "现职称系列"]
    case .titleLevel: ["职称级别", "现职称等级", "现职称", "职称", "专业技术职称等级", "专业技术资格等级"]
    case .targetOccupation:
      ["申请评价职业（工种）", "申请评价工种", "申报职业工种", "申报工种", "拟评价职业工种", "评价职业工种"]
    case .relatedDiploma: ["相关专业毕业证书", "有无相关专业毕业证书", "是否相关专业毕业"]
    case .schoolClass: ["毕业班次", "技工院校班次", "技工院校毕业班级"]
    }
  }

  /// Every header accepted for this column: canonical, English, then the aliases.
  public var acceptedHeaders: [String] { [header, englishHeader] + aliases }

  /// The column a header cell names, after normalising width, spaces, brackets and case.
  ///
  /// A trailing bracketed note (`取证日期（年月日）`) is ignored when the whole text is not known.
  public static func matching(header: String) -> RosterColumn? {
    if header.utf8.withContiguousStorageIfAvailable(cannotStartKey) == true { return nil }
    if let found = header.utf8.withContiguousStorageIfAvailable(plainMatching), let found {
      return found
    }
    let normalised = ValueParser.normalise(header)
    // Normalised text is often plain (`合格；合格` becomes `合格;合格`): match its bytes.
    if let found = normalised.utf8.withContiguousStorageIfAvailable(plainMatching), let found {
      return found
    }
    return matching(normalised: normalised)
  }

  /// `matching(header:)` for any text, through `normalise` and `headerKey` only.
  static func generalMatching(header: String) -> RosterColumn? {
    matching(normalised: ValueParser.normalise(header))
  }

  private static func matching(normalised: String) -> RosterColumn? {
    if let column = headerTable[headerKey(normalised)] { return column }
    guard let stripped = removingTrailingNote(normalised) else { return nil }
    return headerTable[headerKey(stripped)]
  }

  static let headerTable = TextTable<RosterColumn>(
    {
      var table: [String: RosterColumn] = [:]
      for column in RosterColumn.allCases {
        for name in column.acceptedHeaders {
          table[headerKey(ValueParser.normalise(name))] = column
        }
      }
      return table
    }())

  /// `matching(header:)` read straight from the UTF-8 of a plain cell (ASCII, CJK and the
  /// punctuation `normalise` keeps), which is every data cell of a usual roster: such a cell's
  /// normal form is itself without blanks at the ends. The outer `nil` means "not plain, take the
  /// general path", the inner one "no column".
  private static func plainMatching(_ bytes: UnsafeBufferPointer<UInt8>) -> RosterColumn?? {
    guard ValueParser.isPlain(bytes) else { return nil }
    var start = 0
    var end = bytes.count
    while start < end, isBlank(bytes[start]) { start += 1 }
    while end > start, isBlank(bytes[end - 1]) { end -= 1 }
    guard start < end else { return .some(nil) }
    let cell = UnsafeBufferPointer(rebasing: bytes[start..<end])
    if let column = keyMatching(cell) { return column }
    // A trailing bracketed note: `)` or `】` (E3 80 91) last, cut at the last `(` or `【`.
    let last = cell[cell.count - 1]
    guard last == UInt8(ascii: ")") || (last == 0x91 && isFullBracket(cell, cell.count - 3))
    else { return .some(nil) }
    var open = cell.count - 1
    while open > 0 {
      open -= 1
      if cell[open] == UInt8(ascii: "(")
        || (cell[open] == 0xE3 && isFullBracket(cell, open) && cell[open + 2] == 0x90)
      {
        break
      }
    }
    guard open > 0 else { return .some(nil) }
    return keyMatching(UnsafeBufferPointer(rebasing: cell[..<open]))
  }

  /// `true` when `【` or `】` starts at `offset`.
  private static func isFullBracket(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Bool {
    offset >= 0 && offset + 2 < bytes.count && bytes[offset] == 0xE3 && bytes[offset + 1] == 0x80
      && (bytes[offset + 2] == 0x90 || bytes[offset + 2] == 0x91)
  }

  /// The length in bytes of a mark `headerKey` drops at `index` in plain UTF-8 (a space, a tab,
  /// `( ) [ ] *` or a full-width 【 】), or `nil` when the byte there begins something it keeps.
  private static func droppedMarkLength(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Int? {
    switch bytes[index] {
    case 0x20, 0x09, UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
      UInt8(ascii: "*"):
      return 1
    case 0xE3 where isFullBracket(bytes, index):
      return 3
    default:
      return nil
    }
  }

  private static func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
  }

  /// The first characters of the header keys as bits (a one-hash Bloom filter), so that most
  /// data cells are turned away after one character.
  static let keyStarts: [UInt64] = {
    var bits = [UInt64](repeating: 0, count: 64)
    for key in headerTable.dictionary.keys {
      guard let first = key.unicodeScalars.first else { continue }
      let bit = startBit(first.value)
      bits[bit >> 6] |= 1 << UInt64(bit & 63)
    }
    return bits
  }()

  private static func startBit(_ scalar: UInt32) -> Int {
    Int((scalar &* 0x9E37_79B1) >> 20)
  }

  /// Whether some header key may begin with `scalar` (`false` is certain).
  private static func mayStartKey(_ scalar: UInt32) -> Bool {
    let bit = startBit(scalar)
    return keyStarts[bit >> 6] & (1 << UInt64(bit & 63)) != 0
  }

  /// `true` when a cell cannot name a column because of how it begins, decided on its first
  /// bytes whatever follows: after ASCII blanks and the marks `headerKey` drops comes an ASCII
  /// digit or a CJK ideograph (characters that neither NFKC nor composition change) with which
  /// no header key begins. Most data cells (names, numbers, dates) end here.
  private static func cannotStartKey(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    while index < bytes.count, bytes[index] == 0x20 || (0x09...0x0D).contains(bytes[index]) {
      index += 1
    }
    while index < bytes.count, let length = droppedMarkLength(bytes, index) { index += length }
    // Nothing but blanks and dropped marks gives an empty key, which names no column.
    guard index < bytes.count else { return true }
    let lead = bytes[index]
    let scalar: UInt32
    if (0x30...0x39).contains(lead) {
      scalar = UInt32(lead)
    } else if (0xE4...0xE9).contains(lead), index + 2 < bytes.count {
      scalar =
        UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6
        | UInt32(bytes[index + 2] & 0x3F)
      guard (0x4E00...0x9FFF).contains(scalar) else { return false }
    } else {
      return false
    }
    return !mayStartKey(scalar)
  }

  /// The first scalar of plain UTF-8 that `headerKey` keeps, lowercased.
  private static func firstKeptScalar(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
    var index = 0
    while index < bytes.count {
      if let length = droppedMarkLength(bytes, index) {
        index += length
        continue
      }
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"):
        return UInt32(byte) + 32
      case 0..<0x80:
        return UInt32(byte)
      case 0xC0..<0xE0:
        return UInt32(byte & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
      default:
        return UInt32(byte & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6
          | UInt32(bytes[index + 2] & 0x3F)
      }
    }
    return nil
  }

  /// `headerTable[headerKey(text)]` for plain UTF-8, without making strings.
  private static func keyMatching(_ bytes: UnsafeBufferPointer<UInt8>) -> RosterColumn? {
    guard let first = firstKeptScalar(bytes), mayStartKey(first) else { return nil }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { key in
      var count = 0
      var index = 0
      while index < bytes.count {
        if let length = droppedMarkLength(bytes, index) {
          index += length
          continue
        }
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
          key[count] = byte + 32
        default:
          key[count] = byte
        }
        count += 1
        index += 1
      }
      return headerTable[utf8: UnsafeBufferPointer(rebasing: key[..<count])]
    }
  }

  /// The comparison form of a normalised header: no spaces, brackets, required-marks or case.
  static func headerKey(_ normalised: String) -> String {
    var scalars = String.UnicodeScalarView()
    for scalar in normalised.unicodeScalars {
      switch scalar {
      case " ", "\t", "(", ")", "[", "]", "【", "】", "〔", "〕", "*", "※": continue
      case "A"..."Z": scalars.append(Unicode.Scalar(scalar.value + 32) ?? scalar)
      default: scalars.append(scalar)
      }
    }
    return String(scalars)
  }

  private static func removingTrailingNote(_ normalised: String) -> String? {
    guard normalised.hasSuffix(")") || normalised.hasSuffix("】"),
      let open = normalised.lastIndex(where: { $0 == "(" || $0 == "【" }),
      open != normalised.startIndex
    else { return nil }
    return String(normalised[..<open])
  }
}
