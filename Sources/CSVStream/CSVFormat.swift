/// Pure, thread-safe helpers that turn cells into CSV bytes that are RFC 4180 compliant and safe
/// to open in a spreadsheet.
///
/// Each cell is, in order:
/// 1. neutralised against formula injection (`neutralised(_:)`);
/// 2. if it is a long digit string (an ID number: 12 or more ASCII digits, optionally ending in
///    `X`/`x`), written as a quoted field with a leading tab, `"\t330602199001011234"`, so Excel
///    and LibreOffice keep it as text instead of showing `3.30602E+17` and losing digits; readers
///    recover the value by trimming the tab (see `docs/csv-output.md`);
/// 3. otherwise quoted when it contains `,`, `"`, CR or LF, or starts or ends with a space or
///    tab, with inner quotes doubled.
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
    let cell = neutralised(field)
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
    if first == space || first == tab || last == space || last == tab { return true }
    return utf8.contains { byte in
      byte == comma || byte == quote || byte == carriageReturn || byte == lineFeed
    }
  }
}
