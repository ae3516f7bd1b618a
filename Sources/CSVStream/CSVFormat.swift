/// Pure, thread-safe helpers that turn cells into CSV bytes that are RFC 4180 compliant and safe
/// to open in a spreadsheet.
///
/// Each cell is, in order:
/// 1. cleaned of control characters: every C0 control other than tab, CR and LF (NUL, …)
///    becomes a space;
/// 2. neutralised against formula injection (`neutralised(_:)`);
/// 3. if it is a long digit string (an ID number: 12 or more ASCII digits, optionally ending in
///    `X`/`x`), written as a quoted field with a leading tab, `"\t330602199001011234"`, so Excel
///    and LibreOffice keep it as text instead of showing `3.30602E+17` and losing digits; readers
///    recover the value by trimming the tab (see `docs/csv-output.md`);
/// 4. otherwise quoted when it contains `,`, `"`, tab, CR or LF, starts or ends with a space,
///    or starts with `sep=` (which Excel would take for a separator line), U+FEFF (which a
///    reader would take for a byte order mark) or `<` (so no file looks like an HTML or XML
///    table), with inner quotes doubled.
///
/// Rows end with CRLF. A row with a single empty cell is written as `""` so it is not a blank
/// line (which readers skip).
public enum CSVFormat {
  /// Appends one row as UTF-8 (no byte order mark), ending in CRLF.
  public static func appendRow(_ fields: [String], to buffer: inout [UInt8]) {
    if fields.count == 1, fields[0].isEmpty {
      buffer.append(contentsOf: [quote, quote, carriageReturn, lineFeed])
      return
    }
    for (index, field) in fields.enumerated() {
      if index > 0 { buffer.append(comma) }
      appendField(field, to: &buffer)
    }
    buffer.append(carriageReturn)
    buffer.append(lineFeed)
  }

  /// The cell with a leading `'` when a spreadsheet would read it as a formula: it starts with
  /// `=`, `+`, `-`, `@`, tab, CR, LF or a full-width `＝ ＋ － ＠`, and is not a plain number
  /// such as `-12` or `+3.5` (OWASP CSV injection).
  public static func neutralised(_ cell: String) -> String {
    guard let first = cell.unicodeScalars.first, formulaTriggers.contains(first) else {
      return cell
    }
    return isPlainNumber(cell) ? cell : "'" + cell
  }

  /// The cell with every C0 control character other than tab, CR and LF replaced by a space,
  /// so no NUL or other control byte reaches a written file.
  static func withoutControlCharacters(_ cell: String) -> String {
    guard cell.utf8.contains(where: isForbiddenControl) else { return cell }
    return String(decoding: cell.utf8.map { isForbiddenControl($0) ? space : $0 }, as: UTF8.self)
  }

  /// The text a CSV reader gets back for `cell` after `appendRow`: controls replaced,
  /// neutralised, and a long digit string with its leading tab.
  static func textReadBack(_ cell: String) -> String {
    let written = neutralised(withoutControlCharacters(cell))
    return isLongDigitString(written) ? "\t" + written : written
  }

  private static func isForbiddenControl(_ byte: UInt8) -> Bool {
    byte < 0x20 && byte != tab && byte != carriageReturn && byte != lineFeed
  }

  /// `true` for 12 or more ASCII digits, optionally followed by one `X` or `x`.
  static func isLongDigitString(_ cell: String) -> Bool {
    var digits = 0
    var sawCheckLetter = false
    for byte in cell.utf8 {
      if sawCheckLetter { return false }
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
      case UInt8(ascii: "X"), UInt8(ascii: "x"): sawCheckLetter = true
      default: return false
      }
    }
    return digits >= 12
  }

  private static let quote = UInt8(ascii: "\"")
  private static let comma = UInt8(ascii: ",")
  private static let carriageReturn = UInt8(ascii: "\r")
  private static let lineFeed = UInt8(ascii: "\n")
  private static let space = UInt8(ascii: " ")
  private static let tab = UInt8(ascii: "\t")

  private static let formulaTriggers: Set<Unicode.Scalar> = [
    "=", "+", "-", "@", "\t", "\r", "\n", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}",
  ]

  /// An optional ASCII sign, digits, and an optional decimal part: `-12`, `+3.5`, `-0.5`, `-.5`.
  private static func isPlainNumber(_ cell: String) -> Bool {
    var bytes = Substring(cell).utf8[...]
    if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
      bytes = bytes.dropFirst()
    }
    let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    let integerPart = bytes.prefix(while: isDigit)
    bytes = bytes.dropFirst(integerPart.count)
    var fractionDigits = 0
    if bytes.first == UInt8(ascii: ".") {
      bytes = bytes.dropFirst()
      let fraction = bytes.prefix(while: isDigit)
      fractionDigits = fraction.count
      guard fractionDigits > 0 else { return false }
      bytes = bytes.dropFirst(fractionDigits)
    }
    return bytes.isEmpty && integerPart.count + fractionDigits > 0
  }

  private static func appendField(_ field: String, to buffer: inout [UInt8]) {
    let cell = neutralised(withoutControlCharacters(field))
    if isLongDigitString(cell) {
      buffer.append(quote)
      buffer.append(tab)
      buffer.append(contentsOf: cell.utf8)
      buffer.append(quote)
      return
    }
    let utf8 = cell.utf8
    guard needsQuotes(utf8) else {
      buffer.append(contentsOf: utf8)
      return
    }
    buffer.append(quote)
    for byte in utf8 {
      if byte == quote { buffer.append(quote) }
      buffer.append(byte)
    }
    buffer.append(quote)
  }

  private static func needsQuotes(_ utf8: String.UTF8View) -> Bool {
    guard let first = utf8.first, let last = utf8.last else { return false }
    if first == space || last == space || first == UInt8(ascii: "<") { return true }
    if first == UInt8(ascii: "s") || first == UInt8(ascii: "S") || first == 0xEF {
      let head = utf8.prefix(4).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
      if head == Array("sep=".utf8) || head.starts(with: [0xEF, 0xBB, 0xBF]) { return true }
    }
    return utf8.contains { byte in
      byte == comma || byte == quote || byte == carriageReturn || byte == lineFeed || byte == tab
    }
  }
}
