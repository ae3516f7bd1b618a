/// What the first 64 KiB of an input say about it, decided once before any record is read and
/// independently of the block size: whether it is CSV text at all, its byte order mark and
/// encoding.
struct InputPrefix {
  /// How many leading bytes are examined.
  static let size = 64 * 1024

  /// The encoding to decode with; `nil` while auto-detection has seen only ASCII.
  var encoding: InputEncoding?
  /// Bytes of byte order mark to skip (0 when there is none).
  var byteOrderMarkLength = 0
  /// Why the input is not CSV text (Chinese, then English), or `nil` when it may be.
  var notCSVReason: String?

  static let zipSignature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
  static let compoundFileSignature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
  static let utf8Mark: [UInt8] = [0xEF, 0xBB, 0xBF]
  static let utf16LEMark: [UInt8] = [0xFF, 0xFE]
  static let utf16BEMark: [UInt8] = [0xFE, 0xFF]
  static let gb18030Mark: [UInt8] = [0x84, 0x31, 0x95, 0x33]

  /// Examines `bytes`, the first `size` bytes of the input (all of it when `isWholeInput`).
  init(_ bytes: UnsafeRawBufferPointer, isWholeInput: Bool, forced: InputEncoding) {
    if bytes.starts(with: Self.zipSignature) {
      notCSVReason =
        "这是 Excel 工作簿（.xlsx），请在 Excel 中“另存为 CSV UTF-8”"
        + " / this is an Excel workbook: save it as CSV UTF-8"
      return
    }
    if bytes.starts(with: Self.compoundFileSignature) {
      notCSVReason =
        "这是旧版 Excel 或 WPS 工作簿（.xls、.et），请在 Excel 或 WPS 中“另存为 CSV UTF-8”"
        + " / this is an old Excel or WPS workbook (.xls, .et): save it as CSV UTF-8"
      return
    }
    (encoding, byteOrderMarkLength) = Self.byteOrderMark(bytes, forced: forced)
    if encoding == .utf16le || encoding == .utf16be { return }
    let body = UnsafeRawBufferPointer(rebasing: bytes[byteOrderMarkLength...])
    if let reason = Self.binaryReason(body) ?? Self.markupReason(body) {
      notCSVReason = reason
      return
    }
    if forced == .auto && byteOrderMarkLength == 0 {
      encoding = Self.guessEncoding(body, isWholeInput: isWholeInput)
    }
  }

  /// The encoding a byte order mark names (or the forced one) and the mark's length.
  private static func byteOrderMark(
    _ bytes: UnsafeRawBufferPointer, forced: InputEncoding
  ) -> (InputEncoding?, Int) {
    let marks: [(InputEncoding, [UInt8])] = [
      (.utf8, utf8Mark), (.utf16le, utf16LEMark), (.utf16be, utf16BEMark),
      (.gb18030, gb18030Mark),
    ]
    for (encoding, mark) in marks where forced == .auto || forced == encoding {
      if bytes.starts(with: mark) { return (encoding, mark.count) }
    }
    return (forced == .auto ? nil : forced, 0)
  }

  /// Rejects data with many NUL bytes (at least one in a hundred) or other control characters
  /// (at least one in twenty, not counting tab, line feed, form feed, carriage return and the
  /// old end-of-file mark 0x1A): such a file is binary, or UTF-16 without a byte order mark.
  private static func binaryReason(_ body: UnsafeRawBufferPointer) -> String? {
    var nulAtEven = 0
    var nulAtOdd = 0
    var controls = 0
    for (index, byte) in body.enumerated() where byte < 0x20 {
      switch byte {
      case 0x00 where index & 1 == 0: nulAtEven += 1
      case 0x00: nulAtOdd += 1
      case 0x09, 0x0A, 0x0C, 0x0D, 0x1A: break
      default: controls += 1
      }
    }
    let nul = nulAtEven + nulAtOdd
    guard (nul > 0 && nul * 100 >= body.count) || (controls > 0 && controls * 20 >= body.count)
    else { return nil }
    if nul * 4 >= body.count && controls * 20 < body.count {
      if nulAtOdd * 10 >= nul * 9 || nulAtEven * 10 >= nul * 9 {
        let name = nulAtOdd > nulAtEven ? "utf-16le" : "utf-16be"
        return "不是文本文件（像是没有字节顺序标记的 UTF-16，请指定编码 \(name)）"
          + " / not a text file (it looks like UTF-16 without a byte order mark: set the encoding"
          + " to \(name))"
      }
    }
    return "不是文本文件 / not a text file"
  }

  /// Rejects an HTML or XML table, which some systems save with an `.xls` or `.csv` name.
  private static func markupReason(_ body: UnsafeRawBufferPointer) -> String? {
    let start = body.firstIndex { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } ?? body.count
    let head = body[start..<min(body.count, start + 16)].map { byte in
      byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }
    let markup = ["<html", "<!doctype html", "<table", "<?xml"].map { Array($0.utf8) }
    guard markup.contains(where: { head.starts(with: $0) }) else { return nil }
    return "这是网页或 XML 格式的表格，不是 CSV；请用 Excel 或 WPS 打开后“另存为 CSV UTF-8”"
      + " / this is an HTML or XML table, not CSV: open it in Excel or WPS and save it as CSV UTF-8"
  }

  /// UTF-8 when at least four in five of the bytes that are not ASCII form valid UTF-8 (a UTF-8
  /// file with a few rows in another encoding stays UTF-8), GB18030 otherwise, `nil` when
  /// everything is ASCII.
  private static func guessEncoding(
    _ body: UnsafeRawBufferPointer, isWholeInput: Bool
  ) -> InputEncoding? {
    var valid = 0
    var invalid = 0
    var index = 0
    let count = body.count
    while index < count {
      if body[index] < 0x80 {
        index += 1
        continue
      }
      let window = UnsafeRawBufferPointer(rebasing: body[index..<min(count, index + 4)])
      switch scanUTF8(window).result {
      case .valid, .incomplete(at: 1...), .invalid(at: 1...):
        let length = utf8SequenceLength(lead: body[index])
        valid += length
        index += length
      case .incomplete where !isWholeInput:
        index = count
      case .incomplete, .invalid:
        invalid += 1
        index += 1
      }
    }
    if valid + invalid == 0 { return nil }
    return valid >= 4 * invalid ? .utf8 : .gb18030
  }
}

/// The length of the UTF-8 sequence that `lead` starts (1 for a byte that cannot start one).
func utf8SequenceLength(lead: UInt8) -> Int {
  switch lead {
  case 0xC2...0xDF: 2
  case 0xE0...0xEF: 3
  case 0xF0...0xF4: 4
  default: 1
  }
}

/// The delimiter and separator line found on the first line of the decoded input.
struct FirstLineLayout {
  var delimiter: UInt8
  /// The first line is Excel's `sep=X`, which sets the delimiter and is not data.
  var isSeparatorLine = false

  static let comma = UInt8(ascii: ",")
  static let tab = UInt8(ascii: "\t")

  /// `text` is the start of the decoded input (all of it when `isWholeInput`). The delimiter is
  /// the one a `sep=X` line names; otherwise tab for UTF-16, and for other encodings tab when
  /// the first line has tabs but no commas outside quotes, comma otherwise.
  init(_ text: UnsafeRawBufferPointer, isWholeInput: Bool, encoding: InputEncoding?) {
    let isUTF16 = encoding == .utf16le || encoding == .utf16be
    delimiter = isUTF16 ? Self.tab : Self.comma
    guard
      let end = text.firstIndex(where: { $0 == 0x0A || $0 == 0x0D })
        ?? (isWholeInput ? text.count : nil)
    else { return }
    let line = text[..<end]
    let lowercased = line.prefix(3).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
    if line.count == 5, lowercased == Array("sep".utf8), line[line.startIndex + 3] == 0x3D,
      let named = line.last, named != UInt8(ascii: "\""), named != 0
    {
      delimiter = named
      isSeparatorLine = true
      return
    }
    guard !isUTF16 else { return }
    var inQuotes = false
    var tabs = 0
    var commas = 0
    for byte in line {
      switch byte {
      case UInt8(ascii: "\""): inQuotes.toggle()
      case Self.tab where !inQuotes: tabs += 1
      case Self.comma where !inQuotes: commas += 1
      default: break
      }
    }
    if tabs > 0 && commas == 0 { delimiter = Self.tab }
  }
}
