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
      var cell = field
      cell.withUTF8 { appendCell($0, to: &buffer) }
    }
    buffer.append(carriageReturn)
    buffer.append(lineFeed)
  }

  /// Appends one cell given as UTF-8, formatted as `appendRow` formats each cell, without a
  /// delimiter or line end; for writers that assemble rows from bytes. An empty cell appends
  /// nothing.
  public static func appendCell(_ cell: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
    if isPlain(cell) {
      buffer.append(contentsOf: cell)
      return
    }
    if let first = cell.first, first &- UInt8(ascii: "0") < 10, isLongDigitString(cell) {
      // An ID number: only digits and a final X, so nothing else below applies.
      buffer.append(quote)
      buffer.append(tab)
      buffer.append(contentsOf: cell)
      buffer.append(quote)
      return
    }
    // One pass for both questions: every byte that matters is below "0".
    var hasControl = false
    var hasSeparator = false
    var hasQuote = false
    for byte in cell where byte < 0x30 {
      if isForbiddenControl(byte) {
        hasControl = true
      } else if byte == quote {
        hasQuote = true
      } else if byte == comma || byte == carriageReturn || byte == lineFeed || byte == tab {
        hasSeparator = true
      }
    }
    guard hasControl else {
      appendCleanCell(
        cell, hasSeparator: hasSeparator || hasQuote, hasQuote: hasQuote, to: &buffer)
      return
    }
    let cleaned = cell.map { isForbiddenControl($0) ? space : $0 }
    cleaned.withUnsafeBufferPointer {
      appendCleanCell($0, hasSeparator: hasSeparator || hasQuote, hasQuote: hasQuote, to: &buffer)
    }
  }

  /// Formats, in place, the bytes of one cell that were appended to `buffer` from `start` on
  /// (without a delimiter or line end), exactly as `appendCell` would have appended them; for
  /// writers that assemble a cell from several parts straight into the output.
  public static func formatCell(in buffer: inout [UInt8], from start: Int) {
    let plain = buffer.withUnsafeBufferPointer { all in
      isPlain(UnsafeBufferPointer(rebasing: all[start...]))
    }
    guard !plain else { return }
    let cell = Array(buffer[start...])
    buffer.removeSubrange(start...)
    cell.withUnsafeBufferPointer { appendCell($0, to: &buffer) }
  }

  /// The cell with a leading `'` when a spreadsheet would read it as a formula: it starts with
  /// `=`, `+`, `-`, `@`, tab, CR, LF or a full-width `＝ ＋ － ＠`, and is not a plain number
  /// such as `-12` or `+3.5` (OWASP CSV injection).
  public static func neutralised(_ cell: String) -> String {
    var copy = cell
    let needsMark = copy.withUTF8 { startsLikeFormula($0) && !isPlainNumber($0) }
    return needsMark ? "'" + cell : cell
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

  /// `true` for 12 or more ASCII digits, optionally followed by one `X` or `x`.
  static func isLongDigitString(_ cell: String) -> Bool {
    var copy = cell
    return copy.withUTF8 { isLongDigitString($0) }
  }

  private static let quote = UInt8(ascii: "\"")
  private static let comma = UInt8(ascii: ",")
  private static let carriageReturn = UInt8(ascii: "\r")
  private static let lineFeed = UInt8(ascii: "\n")
  private static let space = UInt8(ascii: " ")
  private static let tab = UInt8(ascii: "\t")
  private static let apostrophe = UInt8(ascii: "'")

  /// `true` when the cell is written as it is: no control character, quote or comma anywhere
  /// (`containsSpecialByte(_:)`), and edges that `hasPlainEdges(_:)` lets through.
  @usableFromInline
  static func isPlain(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
    edgesArePlain(cell) && !holdsSpecialByte(cell)
  }

  /// Whether a cell with no control character, quote or comma anywhere is written as it is: no
  /// space last, and a first byte that starts nothing special (a formula sign, space, `<`, a
  /// full-width sign or byte order mark, `sep=`, a long digit string). A writer that knows each
  /// part of a cell to be free of those bytes asks only this of the whole cell.
  public static func hasPlainEdges(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
    edgesArePlain(cell)
  }

  @inline(__always)
  private static func edgesArePlain(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = cell.first, let last = cell.last else { return true }
    switch first {
    case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), space,
      UInt8(ascii: "<"):
      return false
    case UInt8(ascii: "s"), UInt8(ascii: "S"):
      if startsWithSeparatorLine(cell) { return false }
    case 0xEF:
      // Full-width text (a reason's `（提示）`, `：`) starts so too; only a byte order mark or a
      // full-width formula sign is written otherwise.
      if cell.count >= 3 && (cell[1] == 0xBB && cell[2] == 0xBF || startsLikeFormula(cell)) {
        return false
      }
    case UInt8(ascii: "0")...UInt8(ascii: "9") where cell.count >= 12:
      return false
    default:
      break
    }
    return last != space
  }

  /// Whether a control character, quote or comma is among the bytes: each makes a cell that
  /// holds it not plain, wherever it stands. Most cells have none, so this looks at sixteen
  /// bytes at a time.
  public static func containsSpecialByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    holdsSpecialByte(bytes)
  }

  /// Whether a byte below 0x2D, as every control character, quote and comma is, may be among the
  /// bytes: `false` means that none of them is. Cheaper than `containsSpecialByte(_:)` for a few
  /// bytes (a value in a text), and inlined, so that a caller copying a text it has not
  /// retained can ask it with no call in between.
  @inlinable @inline(__always)
  public static func mayContainSpecialByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = bytes.count
    guard let base = bytes.baseAddress, count > 0 else { return false }
    let raw = UnsafeRawPointer(base)
    if count >= 8 {
      // The first eight bytes and the last eight, which cover a text of up to sixteen (most
      // values) with no loop; the words between them for a longer one.
      let head = raw.loadUnaligned(as: UInt64.self)
      let last = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
      var marks =
        ((head &- 0x2D2D_2D2D_2D2D_2D2D) & ~head) | ((last &- 0x2D2D_2D2D_2D2D_2D2D) & ~last)
      var index = 8
      while index &+ 8 < count {
        let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        marks |= (word &- 0x2D2D_2D2D_2D2D_2D2D) & ~word
        index &+= 8
      }
      return marks & 0x8080_8080_8080_8080 != 0
    }
    if count >= 4 {
      let head = raw.loadUnaligned(as: UInt32.self)
      let tail = raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
      let marks = ((head &- 0x2D2D_2D2D) & ~head) | ((tail &- 0x2D2D_2D2D) & ~tail)
      return marks & 0x8080_8080 != 0
    }
    return base[0] < 0x2D || base[count >> 1] < 0x2D || base[count - 1] < 0x2D
  }

  @inline(__always)
  private static func holdsSpecialByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return false }
    let count = bytes.count
    guard count >= 8 else {
      for byte in bytes where byte < 0x20 || byte == quote || byte == comma { return true }
      return false
    }
    let raw = UnsafeRawPointer(base)
    guard count >= 16 else {
      // Eight to fifteen bytes: the first eight and the last eight, which may overlap.
      let word = { (offset: Int) in raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
      return hasSpecialByte(word(0)) || hasSpecialByte(word(count - 8))
    }
    let vector = { (offset: Int) in
      raw.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
    }
    var index = 0
    // Thirty-two bytes a step while they last (long cells, a row's reasons), with one quick test
    // for both halves; then sixteen.
    while index + 32 <= count {
      let low = vector(index)
      let high = vector(index + 16)
      if isAnySet(bytesBelow2D(low) | bytesBelow2D(high)) {
        if hasSpecialByte(low) || hasSpecialByte(high) { return true }
      }
      index += 32
    }
    while index + 16 <= count {
      if hasSpecialByte(vector(index)) { return true }
      index += 16
    }
    // The last sixteen bytes, some of them looked at already, which changes no answer.
    return index != count && hasSpecialByte(vector(count - 16))
  }

  /// Whether one of the sixteen bytes is a control character, quote or comma; a byte below 0x2D,
  /// which each of those is, shows first whether to look closer (Chinese text and digits are
  /// not). Lane arithmetic as in `hasSpecialByte(_: UInt64)`, but exact, as lanes do not borrow.
  @inline(__always)
  private static func hasSpecialByte(_ bytes: SIMD16<UInt8>) -> Bool {
    let high = SIMD16<UInt8>(repeating: 0x80)
    guard isAnySet(bytesBelow2D(bytes)) else { return false }
    let quotes = bytes ^ quote
    let commas = bytes ^ comma
    let found = ((bytes &- 0x20) & ~bytes) | ((quotes &- 1) & ~quotes) | ((commas &- 1) & ~commas)
    return isAnySet(found & high)
  }

  /// The top bit of each lane below 0x2D, exactly (lanes do not borrow).
  @inline(__always)
  private static func bytesBelow2D(_ bytes: SIMD16<UInt8>) -> SIMD16<UInt8> {
    (bytes &- 0x2D) & ~bytes & SIMD16<UInt8>(repeating: 0x80)
  }

  /// Whether a lane is not zero, asked of the sixteen bytes read as two words (`unsafeBitCast`
  /// between two 16-byte vector types), where `any(_:)` would go lane by lane.
  @inline(__always)
  private static func isAnySet(_ lanes: SIMD16<UInt8>) -> Bool {
    let words = unsafeBitCast(lanes, to: SIMD2<UInt64>.self)
    return words[0] | words[1] != 0
  }

  private static let ones: UInt64 = 0x0101_0101_0101_0101
  private static let highBits: UInt64 = 0x8080_8080_8080_8080

  /// Non-zero when a byte of `word` is below 0x2D, which every byte that matters to `isPlain` is
  /// (the usual bit trick: `(x - 0x2D…) & ~x & 0x80…` marks the lowest such byte, and can mark
  /// others only above a marked one).
  @inline(__always)
  private static func bytesBelow2D(_ word: UInt64) -> UInt64 {
    (word &- ones &* 0x2D) & ~word & highBits
  }

  /// Whether one of the eight bytes of `word` is a control character, quote or comma: a byte
  /// below 0x20 is marked as in `bytesBelow2D`, a quote or comma as a zero byte after `^`.
  @inline(__always)
  private static func hasSpecialByte(_ word: UInt64) -> Bool {
    guard bytesBelow2D(word) != 0 else { return false }
    let quotes = word ^ (ones &* UInt64(quote))
    let commas = word ^ (ones &* UInt64(comma))
    let found =
      ((word &- ones &* 0x20) & ~word) | ((quotes &- ones) & ~quotes)
      | ((commas &- ones) & ~commas)
    return found & highBits != 0
  }

  private static func isForbiddenControl(_ byte: UInt8) -> Bool {
    byte < 0x20 && byte != tab && byte != carriageReturn && byte != lineFeed
  }

  /// `hasSeparator`: the cell holds a comma, quote, CR, LF or tab; `hasQuote`: a quote (replacing
  /// controls by spaces changes neither).
  private static func appendCleanCell(
    _ cell: UnsafeBufferPointer<UInt8>, hasSeparator: Bool, hasQuote: Bool,
    to buffer: inout [UInt8]
  ) {
    guard !cell.isEmpty else { return }
    let marked = startsLikeFormula(cell) && !isPlainNumber(cell)
    if !marked && isLongDigitString(cell) {
      buffer.append(quote)
      buffer.append(tab)
      buffer.append(contentsOf: cell)
      buffer.append(quote)
      return
    }
    guard hasSeparator || needsQuotes(cell, afterMark: marked) else {
      if marked { buffer.append(apostrophe) }
      buffer.append(contentsOf: cell)
      return
    }
    buffer.append(quote)
    if marked { buffer.append(apostrophe) }
    if hasQuote {
      for byte in cell {
        if byte == quote { buffer.append(quote) }
        buffer.append(byte)
      }
    } else {
      buffer.append(contentsOf: cell)
    }
    buffer.append(quote)
  }

  /// Whether `appendCell` writes the cell, which is not plain, as it is between two quotes: it
  /// holds a separator or needs quotes for a space or its start, and has no quote, control
  /// character, formula start or long digit string that would change it more.
  static func needsOnlyQuotes(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !startsLikeFormula(cell), !isLongDigitString(cell),
      let hasSeparator = separatorsIfNoQuoteOrControl(cell)
    else { return false }
    return hasSeparator || needsQuotes(cell, afterMark: false)
  }

  /// How `appendCell` writes a cell.
  public enum CellForm {
    /// As it is (`isPlain(_:)`).
    case plain
    /// As it is between two quotes (`needsOnlyQuotes(_:)`).
    case quoted
    /// Changed more: only `appendCell` writes it.
    case other
  }

  /// The form `appendCell` gives the cell, found with one pass over its bytes where `isPlain` and
  /// then `needsOnlyQuotes` would take one each: a name or an employer with a comma in it (half
  /// of them) is copied between its quotes at once. Inlined into `CSVRowBuffer.appendCell(_:)`,
  /// which asks it of a name and an employer on every row.
  @inline(__always)
  public static func form(of cell: UnsafeBufferPointer<UInt8>) -> CellForm {
    guard let hasSeparator = separatorsIfNoQuoteOrControl(cell) else { return .other }
    if !hasSeparator && edgesArePlain(cell) { return .plain }
    guard !startsLikeFormula(cell), !isLongDigitString(cell),
      hasSeparator || needsQuotes(cell, afterMark: false)
    else { return .other }
    return .quoted
  }

  /// `nil` when a quote or a control character other than tab, CR and LF is among the bytes;
  /// else whether a comma, tab, CR or LF is.
  @inline(__always)
  private static func separatorsIfNoQuoteOrControl(_ cell: UnsafeBufferPointer<UInt8>) -> Bool? {
    var hasSeparator = false
    guard let base = cell.baseAddress else { return false }
    let raw = UnsafeRawPointer(base)
    if cell.count >= 16 {
      // Sixteen bytes a step, the last step overlapping the one before (Chinese text, as an
      // employer with a comma in it, passes most steps on the first test).
      var index = 0
      while true {
        let bytes = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
        if isAnySet(bytesBelow2D(bytes)) {
          let lineBreaks =
            zeroLanes(bytes ^ tab) | zeroLanes(bytes ^ carriageReturn)
            | zeroLanes(bytes ^ lineFeed)
          let controls = (bytes &- 0x20) & ~bytes & ~lineBreaks
          if isAnySet((zeroLanes(bytes ^ quote) | controls) & 0x80) { return nil }
          if isAnySet((lineBreaks | zeroLanes(bytes ^ comma)) & 0x80) { hasSeparator = true }
        }
        if index == cell.count - 16 { break }
        index = min(index + 16, cell.count - 16)
      }
      return hasSeparator
    }
    if cell.count >= 8 {
      // Eight to fifteen bytes (a name): the first eight and the last eight, which may overlap,
      // tell at once whether any byte needs a closer look.
      let head = raw.loadUnaligned(as: UInt64.self)
      let tail = raw.loadUnaligned(fromByteOffset: cell.count - 8, as: UInt64.self)
      if bytesBelow2D(head) | bytesBelow2D(tail) == 0 { return false }
    } else if cell.count >= 4 {
      // Four to seven bytes (a name of two characters): the first four and the last four, as
      // one word.
      let head = UInt64(raw.loadUnaligned(as: UInt32.self))
      let tail = UInt64(raw.loadUnaligned(fromByteOffset: cell.count - 4, as: UInt32.self))
      if bytesBelow2D(head | tail << 32) == 0 { return false }
    }
    for byte in cell where byte < 0x30 {
      if byte == quote || isForbiddenControl(byte) { return nil }
      if byte == comma || byte == carriageReturn || byte == lineFeed || byte == tab {
        hasSeparator = true
      }
    }
    return hasSeparator
  }

  /// The top bit of each lane that is zero, exactly (lanes do not borrow).
  @inline(__always)
  private static func zeroLanes(_ bytes: SIMD16<UInt8>) -> SIMD16<UInt8> {
    (bytes &- 1) & ~bytes & SIMD16<UInt8>(repeating: 0x80)
  }

  /// `=`, `+`, `-`, `@`, tab, CR, LF, or full-width `＝ ＋ － ＠` (EF BC 9D/8B/8D/A0) first.
  @inline(__always)
  private static func startsLikeFormula(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = cell.first else { return false }
    switch first {
    case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), tab,
      carriageReturn, lineFeed:
      return true
    case 0xEF:
      guard cell.count >= 3, cell[1] == 0xBC else { return false }
      return cell[2] == 0x9D || cell[2] == 0x8B || cell[2] == 0x8D || cell[2] == 0xA0
    default:
      return false
    }
  }

  /// An optional ASCII sign, digits, and an optional decimal part: `-12`, `+3.5`, `-0.5`, `-.5`.
  private static func isPlainNumber(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
    var bytes = cell[...]
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

  private static func isLongDigitString(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
    guard cell.count >= 12 else { return false }
    var digits = 0
    for (index, byte) in cell.enumerated() {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
      case UInt8(ascii: "X"),
        UInt8(ascii: "x") where index == cell.count - 1:
        break
      default: return false
      }
    }
    return digits >= 12
  }

  /// Besides a delimiter, quote, tab or line end anywhere (which `appendCell` looks for), quotes
  /// are needed for a space at either end or, unless a `'` goes first, a start that a reader
  /// could take for something else.
  private static func needsQuotes(_ cell: UnsafeBufferPointer<UInt8>, afterMark: Bool) -> Bool {
    guard let first = cell.first, let last = cell.last else { return false }
    if last == space { return true }
    if !afterMark {
      if first == space || first == UInt8(ascii: "<") { return true }
      if cell.count >= 3 && cell[0] == 0xEF && cell[1] == 0xBB && cell[2] == 0xBF { return true }
      if startsWithSeparatorLine(cell) { return true }
    }
    return false
  }

  /// `sep=` first, in any case: what Excel takes for a separator line.
  private static func startsWithSeparatorLine(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
    cell.count >= 4 && cell[0] | 0x20 == UInt8(ascii: "s") && cell[1] | 0x20 == UInt8(ascii: "e")
      && cell[2] | 0x20 == UInt8(ascii: "p") && cell[3] == UInt8(ascii: "=")
  }
}

/// A reusable byte buffer that a writer assembles one CSV row in, piece by piece, before handing
/// the row over in one copy (`moveRow(to:)`). Appending a piece is a capacity check and a copy,
/// where `[UInt8].append(contentsOf:)` costs a uniqueness check and an out-of-line call for each
/// of the few dozen pieces of a row. A class, so that a row writer and the reason texts it calls
/// share one; not for use from several threads at once.
///
/// Its fields skip the runtime exclusivity check (`@exclusivity(unchecked)`), which would
/// otherwise cost more than the copies themselves: one owner thread, no overlapping access.
/// Lengths are added without overflow checks (`&+`): each is the size of bytes held in memory,
/// so their sum stays far below `Int.max`, and the checks cost a branch on every append.
public final class CSVRowBuffer {
  @exclusivity(unchecked) @usableFromInline var base: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) @usableFromInline var capacity: Int
  @exclusivity(unchecked) @usableFromInline var length = 0
  /// The bytes held so far.
  public var count: Int { length }
  /// Where a cell that is not plain is formatted before it replaces its raw bytes.
  @exclusivity(unchecked) private var scratch: [UInt8] = []

  public init(capacity: Int = 4096) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// Appends bytes.
  @inlinable @inline(__always)
  public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress else { return }
    reserve(bytes.count)
    copyBytes(from: source, to: base + length, count: bytes.count)
    length &+= bytes.count
  }

  /// Appends one byte.
  @inlinable @inline(__always)
  public func append(_ byte: UInt8) {
    reserve(1)
    base[length] = byte
    length &+= 1
  }

  /// Appends the UTF-8 of a text, in one copy when the text is stored contiguously (native and
  /// small strings are).
  @inlinable @inline(__always)
  public func append(_ text: String) {
    let copied: Void? = text.utf8.withContiguousStorageIfAvailable { append($0) }
    if copied == nil { appendByteByByte(text) }
  }

  /// `append(_:)` for a text not stored contiguously (a bridged one); out of line, so that the
  /// usual path stays small enough to be inlined where a row is assembled.
  @usableFromInline @inline(never)
  func appendByteByByte(_ text: String) {
    for byte in text.utf8 { append(byte) }
  }

  /// Appends `count` bytes that `body` writes at the pointer it is given, where they go.
  @inlinable @inline(__always)
  public func append(count: Int, writing body: (UnsafeMutablePointer<UInt8>) -> Void) {
    reserve(count)
    body(base + length)
    length &+= count
  }

  /// Appends `count` bytes from `source` sixteen at a time, with no branch on the length but
  /// the loop's: for a block the caller laid out itself, which can be read for `count` rounded
  /// up to a multiple of sixteen (a reason template's literals, padded so). Up to fifteen bytes
  /// after the new end are written too, within the room this makes; they are not part of the
  /// buffer's bytes and are written over by whatever is appended next. Room for `roomAfter`
  /// more bytes is made with the same check (`reserve(_:)`).
  @inlinable @inline(__always)
  package func appendSixteenAtATime(from source: UnsafeRawPointer, count: Int, roomAfter: Int) {
    reserve(count &+ max(roomAfter, 16))
    let target = UnsafeMutableRawPointer(base + length)
    var offset = 0
    while offset < count {
      target.storeBytes(
        of: source.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self),
        toByteOffset: offset, as: SIMD16<UInt8>.self)
      offset &+= 16
    }
    length &+= count
  }

  /// Appends the bytes of an array.
  @inlinable @inline(__always)
  public func append(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { append($0) }
  }

  /// Appends bytes for which `reserve(_:)` has made room, with no call that could release
  /// anything: a text read through a pointer and copied so is not retained and released around
  /// the copy.
  @inlinable @inline(__always)
  public func appendWithinCapacity(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress else { return }
    precondition(length &+ bytes.count <= capacity, "room for the bytes was not reserved")
    copyBytes(from: source, to: base + length, count: bytes.count)
    length &+= bytes.count
  }

  /// Makes room for `extra` more bytes.
  @inlinable @inline(__always)
  public func reserve(_ extra: Int) {
    if length &+ extra > capacity { grow(to: length + extra) }
  }

  @usableFromInline
  func grow(to needed: Int) {
    var newCapacity = capacity * 2
    while newCapacity < needed { newCapacity *= 2 }
    base = base.moved(count: length, toCapacity: newCapacity)
    capacity = newCapacity
  }

  /// Formats, in place, the bytes from `start` on as one cell, as `CSVFormat.formatCell(in:from:)`
  /// does for an array.
  @inlinable
  public func formatCell(from start: Int) {
    guard !CSVFormat.isPlain(UnsafeBufferPointer(start: base + start, count: length - start))
    else { return }
    formatNonPlainCell(from: start)
  }

  /// `formatCell(from:)` for a cell that is not plain.
  @usableFromInline
  func formatNonPlainCell(from start: Int) {
    let cell = UnsafeBufferPointer(start: base + start, count: length - start)
    if CSVFormat.needsOnlyQuotes(cell) {
      // The usual such cell (a comma inside) is quoted where it is: its bytes move one place on
      // (`copyMemory` allows the overlap) and the quotes go around them, without a scratch copy.
      let count = cell.count
      reserve(2)
      UnsafeMutableRawPointer(base + start + 1).copyMemory(from: base + start, byteCount: count)
      base[start] = UInt8(ascii: "\"")
      base[start + count + 1] = UInt8(ascii: "\"")
      length += 2
      return
    }
    scratch.removeAll(keepingCapacity: true)
    CSVFormat.appendCell(cell, to: &scratch)
    length = start
    scratch.withUnsafeBufferPointer { append($0) }
  }

  /// `formatCell(from:)` for bytes that the caller knows hold no control character, quote or
  /// comma (each part checked, or known, as it was appended): only the cell's edges are looked
  /// at (`CSVFormat.hasPlainEdges(_:)`), not every byte again.
  @inlinable @inline(__always)
  public func formatCleanCell(from start: Int) {
    // A cell that starts with a multi-byte character other than the full-width ones (lead byte
    // 0xEF: a formula sign or byte order mark among them) and does not end in a space has plain
    // edges (`hasPlainEdges`), as a Chinese reason text does: told here, with no call.
    if length > start && base[start] >= 0xC0 && base[start] != 0xEF
      && base[length &- 1] != UInt8(ascii: " ")
    {
      return
    }
    guard !CSVFormat.hasPlainEdges(UnsafeBufferPointer(start: base + start, count: length - start))
    else { return }
    formatNonPlainCell(from: start)
  }

  /// `CSVFormat.mayContainSpecialByte(_:)` of the bytes from `start` on.
  @inlinable @inline(__always)
  public func mayHoldSpecialByte(from start: Int) -> Bool {
    CSVFormat.mayContainSpecialByte(UnsafeBufferPointer(start: base + start, count: length - start))
  }

  /// Calls `body` with the bytes held from `start` on.
  public func withBytes<Result>(
    from start: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
  ) rethrows -> Result {
    precondition(start >= 0 && start <= length, "start out of range")
    return try body(UnsafeBufferPointer(start: base + start, count: length - start))
  }

  /// Appends one cell given as UTF-8, formatted as `CSVFormat.appendCell(_:to:)` formats it: a
  /// cell that is plain or needs only quotes (`CSVFormat.form(of:)`) is copied once, with no
  /// second look at the bytes written.
  public func appendCell(_ cell: UnsafeBufferPointer<UInt8>) {
    switch CSVFormat.form(of: cell) {
    case .plain:
      append(cell)
    case .quoted:
      guard let source = cell.baseAddress else { return }
      reserve(cell.count + 2)
      base[length] = UInt8(ascii: "\"")
      copyBytes(from: source, to: base + length + 1, count: cell.count)
      base[length + cell.count + 1] = UInt8(ascii: "\"")
      length += cell.count + 2
    case .other:
      scratch.removeAll(keepingCapacity: true)
      CSVFormat.appendCell(cell, to: &scratch)
      scratch.withUnsafeBufferPointer { append($0) }
    }
  }

  /// Whether the bytes from `start` on are a cell that `formatCell(from:)` leaves as it is.
  public func isPlainCell(from start: Int) -> Bool {
    CSVFormat.isPlain(UnsafeBufferPointer(start: base + start, count: length - start))
  }

  /// Appends the bytes held to `out` and empties the buffer.
  public func moveRow(to out: inout [UInt8]) {
    out.append(contentsOf: UnsafeBufferPointer(start: base, count: length))
    length = 0
  }
}
