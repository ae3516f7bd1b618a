import CSVStream
import Foundation
import Policy
import Roster

/// Formats verdict rows straight into the output bytes, cell by cell, exactly as
/// `CSVFormat.appendRow(table.row(for:verdict:))` would, without building a `[String]` row or
/// the joined cell strings first: each row is assembled at the end of a `CSVRowBuffer`, a cell of
/// several parts written in place and formatted there, and copied to the output with the rows
/// before it. A worker keeps one for all its batches, and with it what it learnt of the table
/// and the texts (`RowPieces`, `CandidateCellsMemo`, `TextCellMemo`, `LocationCellMemo`).
struct VerdictRowWriter {
  let table: VerdictTable
  private let pieces: RowPieces
  private let row = CSVRowBuffer()
  private let candidateMemo = CandidateCellsMemo()
  private let cellMemo = TextCellMemo()
  private let locationMemo = LocationCellMemo()
  /// The input file of the last row, and whether its location cells are plain whatever the line:
  /// the name is looked at once per file instead of on every row.
  private var locationFile: String?
  private var locationFileIsPlain = false

  init(table: VerdictTable) {
    self.table = table
    pieces = RowPieces(table)
  }

  /// Rows are held back while they come to fewer bytes than this when a batch asks
  /// (`append(_:_:to:holdingUnder:)`): a few rows go out in one copy, which is still short, and
  /// from bytes just written.
  static let batchHolding = 3072

  /// Appends the row of one verdict, ending in CRLF, to `out`, with any rows held back before
  /// it. While the rows held come to fewer than `holding` bytes they stay in the writer, to go
  /// out with later ones or at `moveRows(to:)`: one copy for a few rows instead of one a row.
  mutating func append(
    _ applicant: Applicant, _ verdict: Verdict, to out: inout [UInt8], holdingUnder holding: Int = 0
  ) {
    var verdict = verdict
    append(applicant, lending: &verdict, to: &out, holdingUnder: holding)
  }

  /// `append(_:_:to:holdingUnder:)` for a verdict the caller judges into in place: lent `inout`,
  /// it is read where it is, where lent as a value from the caller's `inout` it was first copied
  /// (168 bytes) for every row. It is not changed.
  mutating func append(
    _ applicant: Applicant, lending verdict: inout Verdict, to out: inout [UInt8],
    holdingUnder holding: Int
  ) {
    write(applicant, &verdict)
    if row.count >= holding { row.moveRow(to: &out) }
  }

  /// Appends the rows held back to `out`.
  func moveRows(to out: inout [UInt8]) {
    row.moveRow(to: &out)
  }

  /// Writes the row of one verdict, ending in CRLF, after the rows held back.
  ///
  /// The verdict's parts are read where they are (`verdict.title.routes`, `reasons[index]`), never
  /// bound to a local or a loop variable: each such binding copies a direction or a reason, and
  /// retaining and releasing its arrays and texts cost more than writing them.
  private mutating func write(_ applicant: Applicant, _ verdict: inout Verdict) {
    let row = self.row
    let pieces = self.pieces
    let file = applicant.location.file
    if file != locationFile || !locationMemo.appendNext(line: applicant.location.line, to: row) {
      let rowStart = row.count
      row.append(file)
      row.append(UInt8(ascii: ":"))
      if file != locationFile {
        // The line number after the colon (digits, perhaps a minus) adds nothing that formatting
        // looks at: the cell's start stays, it ends in a digit, and with a colon in it it is
        // never a long digit string. So a plain `file:` makes a cell that is written as it is.
        locationFile = file
        locationFileIsPlain = row.isPlainCell(from: rowStart)
      }
      let digitsStart = row.count
      number(applicant.location.line, to: row)
      if locationFileIsPlain {
        locationMemo.remember(
          line: applicant.location.line, cellFrom: rowStart, digitsFrom: digitsStart, in: row)
      } else {
        locationMemo.forget()
        row.formatCell(from: rowStart)
      }
    }
    applicant.withTextUTF8 { idNumber, name, employer in
      Self.idField(idNumber, to: row)
      Self.field(utf8: name, to: row)
      Self.field(utf8: employer, to: row)
    }
    fewValuedField(applicant.district, to: row)
    if let routes = RowPieces.routesNumber(verdict.title.routes) {
      pieces.appendTitleCells(verdict.title.conclusion, verdict.title.target, routes, to: row)
    } else {
      pieces.append(verdict.title.conclusion, to: row)
      pieces.append(verdict.title.target, to: row)
      let start = begin(row)
      for index in verdict.title.routes.indices {
        if index > 0 { pieces.append(pieces.listSeparator, to: row) }
        pieces.append(pieces.route(verdict.title.routes[index]), to: row)
      }
      pieces.formatCell(from: start, in: row, isClean: true)
    }
    if verdict.title.candidates.isEmpty {
      row.append(UInt8(ascii: ","))
      row.append(UInt8(ascii: ","))
    } else {
      let start = row.count
      if !candidateMemo.append(verdict.title.candidates, to: row) {
        seriesCells(verdict.title.candidates, to: row)
        candidateMemo.remember(verdict.title.candidates, writtenFrom: start, in: row)
      }
    }
    var start = begin(row)
    if let next = verdict.title.next {
      pieces.append(pieces.titleLevel(next.level), to: row)
      row.append(UInt8(ascii: " "))
      row.append(next.date.description)
      // A date is written in digits and hyphens.
      pieces.formatCell(from: start, in: row, isClean: true)
    }
    pieces.appendSkillCells(verdict.skill.conclusion, verdict.skill.target, to: row)
    if verdict.skill.conclusion == .notApplicable && verdict.skill.target == nil {
      row.append(UInt8(ascii: ","))
    } else if let occupation = verdict.skill.occupation {
      fewValuedField(occupation, to: row)
    } else {
      row.append(UInt8(ascii: ","))
    }
    pieces.append(flag: verdict.skill.exemptFromTheory, to: row)
    start = begin(row)
    if !verdict.skill.servicePoints.isEmpty {
      for index in verdict.skill.servicePoints.indices {
        if index > 0 { RowPieces.appendFullWidthSemicolon(to: row) }
        Self.servicePoint(at: index, of: verdict.skill.servicePoints, to: row)
      }
      row.formatCell(from: start)
    }
    if let equivalent = verdict.equivalentEducation {
      fewValuedField(equivalent, to: row)
    } else {
      row.append(UInt8(ascii: ","))
    }
    Self.codesCell(verdict.reasons, pieces, to: row)
    start = begin(row)
    let isClean = pieces.appendReasonTexts(verdict.reasons, of: table, to: row)
    pieces.formatCell(from: start, in: row, isClean: isClean)
    row.append(UInt8(ascii: "\r"))
    row.append(UInt8(ascii: "\n"))
  }

  /// The reason-codes cell, with its comma: each code once, in the reasons' order. Known codes
  /// (numbers below 64, as every code the tool makes) are looked for in a mask of those
  /// written, in a loop of their own with few values to keep; a list with any other code
  /// takes `otherCodesCell`.
  @inline(never)
  private static func codesCell(_ reasons: [Reason], _ pieces: RowPieces, to row: CSVRowBuffer) {
    row.append(UInt8(ascii: ","))
    let start = row.count
    let allKnown = reasons.withUnsafeBufferPointer { reasons in
      reasons.allSatisfy { $0.code.knownNumber.map { $0 < 64 } ?? false }
    }
    guard allKnown else { return otherCodesCell(reasons, pieces, from: start, to: row) }
    var written: UInt64 = 0
    reasons.withUnsafeBufferPointer { reasons in
      for index in reasons.indices {
        let number = reasons[index].code.knownNumber ?? 0
        guard written & 1 &<< number == 0 else { continue }
        written |= 1 &<< number
        // The first code without the `;` its piece starts with.
        pieces.append(code: number, first: row.count == start, to: row)
      }
    }
    if !pieces.knownCodesStartPlain { pieces.formatCell(from: start, in: row, isClean: true) }
  }

  /// `codesCell` for a list with a code spelt otherwise than the known ones: such a code, and
  /// any code after one, is looked for by comparing it with those before.
  @inline(never)
  private static func otherCodesCell(
    _ reasons: [Reason], _ pieces: RowPieces, from start: Int, to row: CSVRowBuffer
  ) {
    var isClean = true
    var written: UInt64 = 0
    var hasOtherCodes = false
    for index in reasons.indices {
      let number = reasons[index].code.knownNumber
      if let number, number < 64 {
        guard written & 1 &<< number == 0 else { continue }
        written |= 1 &<< number
        if hasOtherCodes && !isFirstOfItsCode(index, in: reasons) { continue }
      } else {
        hasOtherCodes = true
        guard isFirstOfItsCode(index, in: reasons) else { continue }
      }
      if let number, number < 64 {
        pieces.append(code: number, first: row.count == start, to: row)
      } else {
        if row.count > start { row.append(UInt8(ascii: ";")) }
        row.append(reasons[index].code.rawValue)
        isClean = false
      }
    }
    if !isClean || !pieces.knownCodesStartPlain {
      pieces.formatCell(from: start, in: row, isClean: isClean)
    }
  }

  /// The series cell and the specialty cell of a non-empty list of candidates.
  private func seriesCells(_ candidates: [SeriesCandidate], to row: CSVRowBuffer) {
    let start = begin(row)
    for index in candidates.indices {
      if index > 0 { pieces.append(pieces.listSeparator, to: row) }
      row.append(candidates[index].series)
    }
    row.formatCell(from: start)
    field(candidates[0].specialty, to: row)
  }

  /// Whether no reason before `index` has its code. By index: searching a slice would copy out
  /// every reason it passes.
  @inline(__always)
  private static func isFirstOfItsCode(_ index: Int, in reasons: [Reason]) -> Bool {
    for earlier in 0..<index where reasons[earlier].code == reasons[index].code { return false }
    return true
  }

  /// Starts a cell of several parts after its comma; returns where its bytes begin.
  @inline(__always)
  private func begin(_ row: CSVRowBuffer) -> Int {
    row.append(UInt8(ascii: ","))
    return row.count
  }

  /// A cell of one text, formatted where it was copied.
  private func field(_ string: String, to row: CSVRowBuffer) {
    row.append(UInt8(ascii: ","))
    guard !string.isEmpty else { return }
    let start = row.count
    row.append(string)
    row.formatCell(from: start)
  }

  /// A cell of one text that comes back row after row (a district, an occupation): copied from
  /// `cellMemo` once the writer has formatted it.
  @inline(__always)
  private func fewValuedField(_ string: String, to row: CSVRowBuffer) {
    if !cellMemo.append(string, to: row) { newFewValuedField(string, to: row) }
  }

  /// `fewValuedField(_:to:)` for a text the memo does not hold; out of line, as it is rare.
  @inline(never)
  private func newFewValuedField(_ string: String, to row: CSVRowBuffer) {
    let start = row.count
    field(string, to: row)
    cellMemo.remember(string, writtenFrom: start, in: row)
  }

  /// The ID cell. An 18-character number (17 ASCII digits and a digit or `X`), as nearly every
  /// row holds, is a long digit string, which `CSVFormat` always writes as `"\t…"`: it is written
  /// so at once. Any other text takes the general path. Static, like `field(utf8:to:)`: the
  /// closure that lends the applicant's bytes would otherwise copy the whole writer for each call.
  private static func idField(_ bytes: UnsafeBufferPointer<UInt8>, to row: CSVRowBuffer) {
    guard Self.isEighteenCharacterNumber(bytes), let base = bytes.baseAddress else {
      return field(utf8: bytes, to: row)
    }
    // The comma and the cell, 22 bytes in one step: the number as two words and two bytes.
    let number = UnsafeRawPointer(base)
    row.append(count: 22) { cell in
      let cell = UnsafeMutableRawPointer(cell)
      // `,"\t` and a byte that the number's first word replaces.
      cell.storeBytes(of: UInt32(0x0009_222C).littleEndian, as: UInt32.self)
      cell.storeBytes(of: number.loadUnaligned(as: UInt64.self), toByteOffset: 3, as: UInt64.self)
      cell.storeBytes(
        of: number.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 11,
        as: UInt64.self)
      cell.storeBytes(
        of: number.loadUnaligned(fromByteOffset: 16, as: UInt16.self), toByteOffset: 19,
        as: UInt16.self)
      cell.storeBytes(of: UInt8(ascii: "\""), toByteOffset: 21, as: UInt8.self)
    }
  }

  /// `field(_:to:)` for a text given as UTF-8, formatted before it is copied: a name or an
  /// employer with a comma in it goes between its quotes with no second pass over its bytes.
  private static func field(utf8 bytes: UnsafeBufferPointer<UInt8>, to row: CSVRowBuffer) {
    row.append(UInt8(ascii: ","))
    row.appendCell(bytes)
  }

  /// 17 ASCII digits followed by a digit, `X` or `x`. The first sixteen are looked at as two
  /// words at once (`areDigits(_:)`).
  @inline(__always)
  static func isEighteenCharacterNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count == 18, let base = bytes.baseAddress else { return false }
    let raw = UnsafeRawPointer(base)
    guard areDigits(raw.loadUnaligned(as: UInt64.self)),
      areDigits(raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
      bytes[16] &- UInt8(ascii: "0") < 10
    else { return false }
    let last = bytes[17]
    return last &- UInt8(ascii: "0") < 10 || last == UInt8(ascii: "X") || last == UInt8(ascii: "x")
  }

  /// Whether all eight bytes of `word` are ASCII digits. With no byte at or above 0x80, adding
  /// 0x46 to each sets its top bit exactly when it is above `9`, and subtracting 0x30 from each
  /// with its top bit set first clears that bit exactly when it is below `0`; no byte carries
  /// into the next either way.
  @inline(__always)
  static func areDigits(_ word: UInt64) -> Bool {
    let high: UInt64 = 0x8080_8080_8080_8080
    return word & high == 0 && (word &+ 0x4646_4646_4646_4646) & high == 0
      && ((word | high) &- 0x3030_3030_3030_3030) & high == high
  }

  /// The decimal digits of `value`, as `String(value)` writes them: counted first, then written
  /// into the row from the last, two at a time.
  private func number(_ value: Int, to row: CSVRowBuffer) {
    guard value >= 0 else { return row.append(String(value)) }
    var count = 1
    var power = 10
    while count < 19 && value >= power {
      count += 1
      power &*= 10
    }
    row.append(count: count) { target in
      var rest = value
      var position = count
      while position >= 2 {
        let pair = rest % 100
        rest /= 100
        position -= 2
        target[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: pair / 10)
        target[position + 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: pair % 10)
      }
      if position == 1 { target[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest) }
    }
  }

  /// The text of `points[index]`, read where the array holds it: a `ServicePoint` passed on
  /// would be copied, its three texts retained and released.
  private static func servicePoint(at index: Int, of points: [ServicePoint], to row: CSVRowBuffer) {
    points.withUnsafeBufferPointer { points in
      precondition(points.indices.contains(index), "service point index out of range")
      let point = points.baseAddress.unsafelyUnwrapped + index
      row.append(point.pointee.institution)
      let hasContact = !point.pointee.contact.isEmpty
      let hasPhone = !point.pointee.phone.isEmpty
      guard hasContact || hasPhone else { return }
      row.append("（")
      row.append(point.pointee.contact)
      if hasContact && hasPhone { row.append(UInt8(ascii: " ")) }
      row.append(point.pointee.phone)
      row.append("）")
    }
  }
}

/// The formatted cells, each with its comma, of the texts of few-valued columns (districts,
/// occupations, equivalent education) that one writer has written, found by the `TextWords` of
/// the text: the same few values come back row after row, as the same small strings or the
/// policy's and the parser's cache's shared storage, and copying a cell costs less than
/// appending and checking the text again.
///
/// A text may be in either slot of a pair chosen by its words (a few hundred occupations meet
/// in the table); a new text takes the pair's slots in turn. Each slot keeps the text it was
/// filled from alive, so equal words stay equal texts. Not for use from several threads at once;
/// its fields skip the runtime exclusivity check, as `CSVRowBuffer`'s do.
final class TextCellMemo {
  private struct Slot {
    var words: TextWords
    var count: Int
  }

  private static let slotBits = 10
  private static let slotCount = 1 << slotBits
  /// Room for each slot's cell; a longer cell is not kept.
  private static let cellCapacity = 64

  private let slots: UnsafeMutablePointer<Slot>
  private let cells: UnsafeMutablePointer<UInt8>
  private let kept: UnsafeMutablePointer<String>
  /// Which slot of its pair the next text remembered takes.
  @exclusivity(unchecked) private var nextWay = 0

  init() {
    slots = .allocate(capacity: Self.slotCount)
    slots.initialize(repeating: Slot(words: .none, count: 0), count: Self.slotCount)
    cells = .allocate(capacity: Self.slotCount * Self.cellCapacity)
    kept = .allocate(capacity: Self.slotCount)
    kept.initialize(repeating: "", count: Self.slotCount)
  }

  deinit {
    slots.deallocate()
    cells.deallocate()
    kept.deinitialize(count: Self.slotCount)
    kept.deallocate()
  }

  @inline(__always)
  private static func slot(_ words: TextWords) -> Int {
    Int(truncatingIfNeeded: words.mixed >> UInt64(64 - slotBits))
  }

  /// Appends the cell remembered for `text`; `false` when there is none, and then the caller
  /// writes it and calls `remember(_:writtenFrom:in:)`.
  @inline(__always)
  func append(_ text: String, to row: CSVRowBuffer) -> Bool {
    let words = TextWords(text)
    var slot = Self.slot(words)
    if slots[slot].words != words {
      slot ^= 1
      guard slots[slot].words == words else { return false }
    }
    // A slot's room is a multiple of sixteen bytes, and its cell is followed by zeros to the
    // next multiple (`remember`).
    row.appendSixteenAtATime(
      from: cells + slot * Self.cellCapacity, count: slots[slot].count, roomAfter: 0)
    return true
  }

  /// The zeros written after a cell of `count` bytes, to the next multiple of sixteen: a cell
  /// is copied out sixteen bytes at a time (`CSVRowBuffer.appendSixteenAtATime`), and so every
  /// byte read is initialized.
  static func paddingAfter(_ count: Int) -> Int { (16 - count % 16) % 16 }

  /// Remembers the bytes of `row` from `start` on as the cell of `text`, followed by zeros to
  /// the next multiple of sixteen.
  func remember(_ text: String, writtenFrom start: Int, in row: CSVRowBuffer) {
    let count = row.count - start
    guard count <= Self.cellCapacity else { return }
    let words = TextWords(text)
    let slot = Self.slot(words) ^ nextWay
    nextWay ^= 1
    let cell = cells + slot * Self.cellCapacity
    row.withBytes(from: start) { bytes in
      if let base = bytes.baseAddress { cell.initialize(from: base, count: count) }
    }
    (cell + count).initialize(repeating: 0, count: Self.paddingAfter(count))
    slots[slot] = Slot(words: words, count: count)
    kept[slot] = text
  }
}

/// The location cell of the last row (`file:line`, for a file whose cells are plain), kept so
/// that the next line of the same file is written by counting the kept digits up one, rather
/// than by writing the file name and the number again. Not for use from several threads at
/// once; its fields skip the runtime exclusivity check, as `CSVRowBuffer`'s do.
final class LocationCellMemo {
  /// Room for the cell; a longer one is not kept.
  private static let capacity = 512
  private let bytes: UnsafeMutablePointer<UInt8>
  /// The length of the cell kept; 0 when there is none.
  @exclusivity(unchecked) private var count = 0
  @exclusivity(unchecked) private var digitsStart = 0
  @exclusivity(unchecked) private var line = 0

  init() {
    bytes = .allocate(capacity: Self.capacity)
    bytes.initialize(repeating: 0, count: Self.capacity)
  }

  deinit { bytes.deallocate() }

  /// Appends the cell of `line` when it is the line after the one kept (of the file the caller
  /// knows it was kept for) and has as many digits; `false` otherwise, and then the caller
  /// writes the cell and calls `remember` or `forget`.
  @inline(__always)
  func appendNext(line: Int, to row: CSVRowBuffer) -> Bool {
    guard count > 0, self.line >= 0, self.line < .max, line == self.line + 1 else { return false }
    var position = count - 1
    while bytes[position] == UInt8(ascii: "9") {
      bytes[position] = UInt8(ascii: "0")
      position -= 1
      guard position >= digitsStart else {
        // All nines: the next number has one more digit.
        count = 0
        return false
      }
    }
    bytes[position] += 1
    self.line = line
    // The room is a multiple of sixteen bytes, all of them initialized.
    row.appendSixteenAtATime(from: bytes, count: count, roomAfter: 0)
    return true
  }

  /// Keeps the bytes of `row` from `start` on as the cell of `line`, whose digits begin at
  /// `digitsStart`.
  func remember(line: Int, cellFrom start: Int, digitsFrom digitsStart: Int, in row: CSVRowBuffer) {
    let count = row.count - start
    guard count <= Self.capacity else { return forget() }
    row.withBytes(from: start) { cell in
      if let base = cell.baseAddress { bytes.update(from: base, count: count) }
    }
    self.count = count
    self.digitsStart = digitsStart - start
    self.line = line
  }

  func forget() {
    count = 0
  }
}

/// Direction A's series and specialty cells, formatted and with their commas, of the lists of
/// candidates one writer has written, found by the texts they are made of: each series and the
/// first specialty, taken as the `TextWords` of each `String`. Those are the policy's own texts
/// whatever array a verdict holds them in, so the same few hundred lists come back row after
/// row, and copying their cells costs a fraction of assembling and checking them again.
///
/// The memo keeps the lists it remembers alive (`kept`), so equal words stay equal texts;
/// unequal words only miss. Not for use from several threads at once; its fields skip the
/// runtime exclusivity check, as `CSVRowBuffer`'s do.
final class CandidateCellsMemo {
  private struct Entry {
    var hash: UInt64
    var keyStart: Int
    var keyCount: Int
    var textStart: Int
    var textCount: Int
  }

  /// Lists of more candidates are not remembered.
  private static let maximumCandidates = 8
  private static let maximumWords = 2 * maximumCandidates + 2
  private static let slotCount = 1024
  private static let entryLimit = 512
  private static let textCapacity = 1 << 18

  /// The tables live in blocks of their own rather than in arrays, which would check
  /// uniqueness on every write and bounds on every read of a lookup made for every row.
  private let text: UnsafeMutablePointer<UInt8>
  private let keys: UnsafeMutablePointer<UInt64>
  private let entries: UnsafeMutablePointer<Entry>
  /// Indexes into `entries`, or -1.
  private let slots: UnsafeMutablePointer<Int>
  /// The key of the list last looked up.
  private let key: UnsafeMutablePointer<UInt64>
  @exclusivity(unchecked) private var textUsed = 0
  @exclusivity(unchecked) private var entryCount = 0
  /// The lists remembered, whose texts must outlive their entries.
  @exclusivity(unchecked) private var kept: [[SeriesCandidate]] = []

  init() {
    // Room for the zeros after the last cells (`remember`).
    text = .allocate(capacity: Self.textCapacity + 16)
    keys = .allocate(capacity: Self.entryLimit * Self.maximumWords)
    entries = .allocate(capacity: Self.entryLimit)
    slots = .allocate(capacity: Self.slotCount)
    slots.initialize(repeating: -1, count: Self.slotCount)
    key = .allocate(capacity: Self.maximumWords)
    kept.reserveCapacity(Self.entryLimit)
  }

  deinit {
    text.deallocate()
    keys.deallocate()
    entries.deallocate()
    slots.deallocate()
    key.deallocate()
  }

  /// Appends the cells remembered for this list; `false` when there are none, and then the
  /// caller writes them and calls `remember(_:writtenFrom:in:)`.
  func append(_ candidates: [SeriesCandidate], to row: CSVRowBuffer) -> Bool {
    guard let (hash, count) = makeKey(candidates) else { return false }
    var slot = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
    while true {
      let found = slots[slot]
      if found < 0 { return false }
      let entry = entries + found
      if entry.pointee.hash == hash && entry.pointee.keyCount == count
        && matches(entry.pointee.keyStart, count)
      {
        row.appendSixteenAtATime(
          from: text + entry.pointee.textStart, count: entry.pointee.textCount, roomAfter: 0)
        return true
      }
      slot = (slot + 1) & (Self.slotCount - 1)
    }
  }

  /// Remembers the bytes of `row` from `start` on as the cells of the list last looked up.
  func remember(_ candidates: [SeriesCandidate], writtenFrom start: Int, in row: CSVRowBuffer) {
    guard let (hash, count) = makeKey(candidates) else { return }
    let textCount = row.count - start
    guard textCount <= Self.textCapacity / 8 else { return }
    if entryCount == Self.entryLimit || textUsed + textCount > Self.textCapacity {
      entryCount = 0
      kept.removeAll(keepingCapacity: true)
      slots.update(repeating: -1, count: Self.slotCount)
      textUsed = 0
    }
    let keyStart = entryCount * Self.maximumWords
    for index in 0..<count { keys[keyStart + index] = key[index] }
    row.withBytes(from: start) { bytes in
      if let base = bytes.baseAddress {
        (text + textUsed).initialize(from: base, count: bytes.count)
      }
    }
    // Zeros to the next multiple of sixteen, so that the cells can be copied sixteen bytes at
    // a time (`CSVRowBuffer.appendSixteenAtATime`) with every byte read initialized; the next
    // cells are written over them.
    (text + textUsed + textCount).initialize(
      repeating: 0, count: TextCellMemo.paddingAfter(textCount))
    var slot = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
    while slots[slot] >= 0 { slot = (slot + 1) & (Self.slotCount - 1) }
    slots[slot] = entryCount
    (entries + entryCount).initialize(
      to: Entry(
        hash: hash, keyStart: keyStart, keyCount: count, textStart: textUsed, textCount: textCount))
    entryCount += 1
    kept.append(candidates)
    textUsed += textCount
  }

  /// Fills `key` with the `TextWords` of the first specialty and of each series; returns their
  /// hash and count, or `nil` for a list not to be remembered.
  @inline(__always)
  private func makeKey(_ candidates: [SeriesCandidate]) -> (UInt64, Int)? {
    let count = candidates.count
    guard count > 0, count <= Self.maximumCandidates else { return nil }
    return candidates.withUnsafeBufferPointer { list in
      var hash = UInt64(count) &* 0x9E37_79B9_7F4A_7C15
      var words = 0
      func add(_ text: TextWords) {
        key[words] = text.first
        key[words + 1] = text.second
        words += 2
        hash = ((hash ^ text.first) &* 0xFF51_AFD7_ED55_8CCD ^ text.second) &* 0xC4CE_B9FE_1A85_EC53
      }
      add(TextWords(list[0].specialty))
      for index in list.indices { add(TextWords(list[index].series)) }
      return (hash ^ (hash >> 29), words)
    }
  }

  @inline(__always)
  private func matches(_ start: Int, _ count: Int) -> Bool {
    for index in 0..<count where keys[start + index] != key[index] { return false }
    return true
  }
}

/// The texts a row is assembled from that depend only on the table's language (separators, the
/// informational mark, route and level names, the known reason codes) and the cells that depend
/// only on a conclusion, a level or a flag (formatted once, each with the comma before it), as
/// UTF-8 in one block that lives as long as the writer: appending one is a copy, where a
/// `String` or an array is retained and released around every use.
private final class RowPieces {
  /// Owns the block, so that `base` stays valid while the pieces are kept.
  private final class Storage {
    let base: UnsafeMutablePointer<UInt8>

    init(_ bytes: [UInt8]) {
      // Sixteen bytes of padding, so that any piece can be copied sixteen bytes at a time
      // (`CSVRowBuffer.appendSixteenAtATime`).
      base = .allocate(capacity: bytes.count + 16)
      base.initialize(from: bytes, count: bytes.count)
      (base + bytes.count).initialize(repeating: 0, count: 16)
    }

    deinit { base.deallocate() }
  }

  private let storage: Storage
  private let base: UnsafePointer<UInt8>
  let listSeparator: Range<Int>
  let note: Range<Int>
  /// By `route(_:)`.
  private let routes: [Range<Int>]
  /// By `TitleLevel.rawValue`; index 0 and missing ranks hold the empty piece.
  private let titleLevels: [Range<Int>]
  /// By `ReasonCode.knownNumber`, each after a `;` (left out for a cell's first code).
  private let codes: [Range<Int>]
  /// Every known code starts with a capital letter other than `S`, has plain edges and holds no
  /// control character, quote or comma, so a cell of known codes joined by `;` is written as it
  /// is (`CSVFormat.hasPlainEdges(_:)`).
  let knownCodesStartPlain: Bool
  /// The cells, each with its comma: by `index(_:)`, by `TitleLevel.rawValue` (missing ranks
  /// hold the empty cell), and for `false` and `true`.
  private let conclusionCells: [Range<Int>]
  private let titleLevelCells: [Range<Int>]
  private let flagCells: [Range<Int>]
  private let emptyCell: Range<Int>
  /// Direction A's conclusion, target and routes cells together, by conclusion (`index(_:)`),
  /// target slot (`TitleLevel.rawValue`, 0 for none) and `routesNumber(_:)`.
  private let titleCells: [Range<Int>]
  /// Direction B's conclusion and target cells together, by conclusion (`index(_:)`) and target
  /// slot (`SkillLevel.rawValue + 2`, 0 for none).
  private let skillCells: [Range<Int>]
  /// `Self.titleTargetSlots`, `Self.skillTargetSlots` and `Self.routeLists.count` kept here:
  /// a static is checked for its first use on every read.
  private let titleTargetSlots = RowPieces.titleTargetSlots
  private let skillTargetSlots = RowPieces.skillTargetSlots
  private let routeListCount = RowPieces.routeLists.count
  /// No piece (the cells aside) holds a control character, quote or comma, so a cell made of
  /// pieces and other such texts need only have its edges checked.
  private let piecesAreClean: Bool

  init(_ table: VerdictTable) {
    var bytes: [UInt8] = []
    func piece(_ text: String) -> Range<Int> {
      let start = bytes.count
      bytes += text.utf8
      return start..<bytes.count
    }
    listSeparator = piece(table.separator)
    let noteText = table.language == .chinese ? "（提示）" : "(note) "
    note = piece(noteText)
    routes = [piece(table.route(.normal)), piece(table.route(.direct))]
    var levels = Array(
      repeating: 0..<0, count: 1 + (TitleLevel.allCases.map(\.rawValue).max() ?? 0))
    for level in TitleLevel.allCases { levels[level.rawValue] = piece(table.level(level)) }
    titleLevels = levels
    codes = ReasonCode.known.map { piece(";" + $0.rawValue) }
    knownCodesStartPlain = ReasonCode.known.allSatisfy { code in
      guard let first = code.rawValue.utf8.first, let last = code.rawValue.utf8.last else {
        return false
      }
      let text = Array(code.rawValue.utf8)
      let isPlain = text.withUnsafeBufferPointer {
        CSVFormat.hasPlainEdges($0) && !CSVFormat.containsSpecialByte($0)
      }
      return first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z") && first != UInt8(ascii: "S")
        && last != UInt8(ascii: " ") && isPlain
    }
    piecesAreClean = !bytes.withUnsafeBufferPointer(CSVFormat.containsSpecialByte)
    func cell(_ text: String) -> Range<Int> {
      let start = bytes.count
      bytes.append(UInt8(ascii: ","))
      var text = text
      text.withUTF8 { CSVFormat.appendCell($0, to: &bytes) }
      return start..<bytes.count
    }
    let empty = cell("")
    emptyCell = empty
    var conclusions = Array(repeating: empty, count: Conclusion.allCases.count)
    for conclusion in Conclusion.allCases {
      conclusions[Self.index(conclusion)] = cell(table.conclusion(conclusion))
    }
    conclusionCells = conclusions
    var titles = Array(
      repeating: empty, count: 1 + (TitleLevel.allCases.map(\.rawValue).max() ?? 0))
    for level in TitleLevel.allCases { titles[level.rawValue] = cell(table.level(level)) }
    titleLevelCells = titles
    flagCells = [cell(table.flag(false)), cell(table.flag(true))]
    var title: [Range<Int>] = []
    for conclusion in Conclusion.allCases.sorted(by: { Self.index($0) < Self.index($1) }) {
      for rank in 0..<Self.titleTargetSlots {
        let target = TitleLevel(rawValue: rank).map { table.level($0) } ?? ""
        for routes in Self.routeLists {
          let start = bytes.count
          _ = cell(table.conclusion(conclusion))
          _ = cell(target)
          _ = cell(routes.map(table.route).joined(separator: table.separator))
          title.append(start..<bytes.count)
        }
      }
    }
    titleCells = title
    var skill: [Range<Int>] = []
    for conclusion in Conclusion.allCases.sorted(by: { Self.index($0) < Self.index($1) }) {
      for slot in 0..<Self.skillTargetSlots {
        let target = SkillLevel(rawValue: slot - 2).map { table.level($0) } ?? ""
        let start = bytes.count
        _ = cell(table.conclusion(conclusion))
        _ = cell(target)
        skill.append(start..<bytes.count)
      }
    }
    skillCells = skill
    storage = Storage(bytes)
    base = UnsafePointer(storage.base)
  }

  /// Appends the reasons' texts, separated by `；` and each informational one marked with
  /// `note` (`ResolvedPolicy.appendTexts`); `true` when every text is clean.
  @inline(__always)
  func appendReasonTexts(_ reasons: [Reason], of table: VerdictTable, to row: CSVRowBuffer)
    -> Bool
  {
    table.policy.appendTexts(
      of: reasons, in: table.language,
      note: UnsafeBufferPointer(start: base + note.lowerBound, count: note.count), to: row)
  }

  /// Appends `；`, which separates the reasons and the service points in either language.
  @inline(__always)
  static func appendFullWidthSemicolon(to row: CSVRowBuffer) {
    row.append(count: 3) { bytes in
      bytes[0] = 0xEF
      bytes[1] = 0xBC
      bytes[2] = 0x9B
    }
  }

  /// Appends the spelling of the known code numbered `knownNumber`, after a `;` unless it is
  /// the cell's first.
  @inline(__always)
  func append(code knownNumber: Int, first: Bool, to row: CSVRowBuffer) {
    let piece = codes[knownNumber]
    let skip = first ? 1 : 0
    row.appendSixteenAtATime(
      from: base + (piece.lowerBound &+ skip), count: piece.count &- skip, roomAfter: 0)
  }

  @inline(__always)
  func append(_ piece: Range<Int>, to row: CSVRowBuffer) {
    row.appendSixteenAtATime(from: base + piece.lowerBound, count: piece.count, roomAfter: 0)
  }

  /// Formats the bytes from `start` on as one cell: by its edges alone when they are made only
  /// of pieces and of texts that the caller found or knows to hold no control character, quote
  /// or comma (`isClean`), else by every byte.
  @inline(__always)
  func formatCell(from start: Int, in row: CSVRowBuffer, isClean: Bool) {
    if isClean && piecesAreClean {
      row.formatCleanCell(from: start)
    } else {
      row.formatCell(from: start)
    }
  }

  /// The lists of routes a verdict gives, numbered as `routesNumber(_:)` numbers them.
  private static let routeLists: [[Route]] = [
    [], [.normal], [.direct], [.normal, .direct], [.direct, .normal],
  ]
  /// Target ranks 1–5 and none (0).
  private static let titleTargetSlots = 1 + (TitleLevel.allCases.map(\.rawValue).max() ?? 0)
  /// Target ranks -1–5 as slots 1–7 (rank + 2), and none (0).
  private static let skillTargetSlots = 3 + (SkillLevel.allCases.map(\.rawValue).max() ?? 0)

  /// The number of a list of routes in `routeLists`, or `nil` for any other list.
  @inline(__always)
  static func routesNumber(_ routes: [Route]) -> Int? {
    switch routes.count {
    case 0: return 0
    case 1: return routes[0] == .normal ? 1 : 2
    case 2 where routes[0] != routes[1]: return routes[0] == .normal ? 3 : 4
    default: return nil
    }
  }

  /// Appends direction A's conclusion, target and routes cells, each with its comma, in one copy.
  @inline(__always)
  func appendTitleCells(
    _ conclusion: Conclusion, _ target: TitleLevel?, _ routes: Int, to row: CSVRowBuffer
  ) {
    let slot = target?.rawValue ?? 0
    let index =
      (Self.index(conclusion) * titleTargetSlots + slot) * routeListCount + routes
    append(titleCells[index], to: row)
  }

  /// Appends direction B's conclusion and target cells, each with its comma, in one copy.
  @inline(__always)
  func appendSkillCells(_ conclusion: Conclusion, _ target: SkillLevel?, to row: CSVRowBuffer) {
    let slot = target.map { $0.rawValue + 2 } ?? 0
    append(skillCells[Self.index(conclusion) * skillTargetSlots + slot], to: row)
  }

  @inline(__always)
  func route(_ route: Route) -> Range<Int> {
    switch route {
    case .normal: routes[0]
    case .direct: routes[1]
    }
  }

  @inline(__always)
  func titleLevel(_ level: TitleLevel) -> Range<Int> { titleLevels[level.rawValue] }

  @inline(__always)
  func append(_ conclusion: Conclusion, to row: CSVRowBuffer) {
    append(conclusionCells[Self.index(conclusion)], to: row)
  }

  private static func index(_ conclusion: Conclusion) -> Int {
    switch conclusion {
    case .eligible: 0
    case .ineligible: 1
    case .review: 2
    case .notApplicable: 3
    }
  }

  @inline(__always)
  func append(_ level: TitleLevel?, to row: CSVRowBuffer) {
    append(level.map { titleLevelCells[$0.rawValue] } ?? emptyCell, to: row)
  }

  @inline(__always)
  func append(flag: Bool?, to row: CSVRowBuffer) {
    append(flag.map { flagCells[$0 ? 1 : 0] } ?? emptyCell, to: row)
  }
}
