import CSVStream
import Foundation
import Roster

/// Rows a run passes over on purpose, counted per kind so that every record is accounted for:
/// records read = verdicts + rejects + skipped.
public struct SkippedRows: Sendable, Equatable, Codable {
  /// Rows above the header (an Excel title such as “2026年第三季度人员名单”).
  public var titleRows = 0
  /// Rows whose cells are all empty (Excel's rows of only commas).
  public var blankRows = 0
  /// The header repeated inside the data (sheets pasted together).
  public var repeatedHeaders = 0
  /// Total rows: a cell says 合计, 总计 or 小计 and the ID cell holds no digit.
  public var totalRows = 0

  public var total: Int { titleRows + blankRows + repeatedHeaders + totalRows }

  mutating func merge(_ other: SkippedRows) {
    titleRows += other.titleRows
    blankRows += other.blankRows
    repeatedHeaders += other.repeatedHeaders
    totalRows += other.totalRows
  }
}

/// A row passed over on purpose, kept with its location so `skipped.csv` can list it.
struct SkippedRecord: Sendable {
  enum Kind: Sendable {
    case title, blank, repeatedHeader, total
  }

  var record: CSVRecord
  var kind: Kind

  func reason(_ english: Bool) -> String {
    switch (kind, english) {
    case (.title, false): "表头上方的标题行"
    case (.blank, false): "空行"
    case (.repeatedHeader, false): "重复的表头"
    case (.total, false): "合计行"
    case (.title, true): "title row above the header"
    case (.blank, true): "blank row"
    case (.repeatedHeader, true): "repeated header"
    case (.total, true): "total row"
    }
  }
}

/// One roster file as the screening reads it: the CSV reader, the header found below any title
/// rows, and the data records, with Excel artefacts skipped and counted. When the encoding was
/// guessed and the header does not match, the other encoding is tried before giving up.
final class RosterSource {
  let path: String
  let displayName: String
  private(set) var reader: CSVReader
  private(set) var header: RosterHeader? {
    didSet { idColumn = header?.columnIndex[.idNumber] }
  }
  /// The header's 身份证号 column, looked up once.
  private var idColumn: Int?
  private(set) var skipped = SkippedRows()
  /// Rows skipped since the last `takeSkippedRecords()`, in file order.
  private var skippedRecords: [SkippedRecord] = []
  /// Records that belong to the data and were read while looking for the header.
  private var pending: [CSVRecord] = []
  private var headerKeys: [String] = []
  private let options: CSVReaderOptions

  /// How many records may stand above the header before the file is taken to have none.
  static let headerSearchLimit = 10

  init(path: String, displayName: String, options: CSVReaderOptions) throws(ScreeningError) {
    self.path = path
    self.displayName = displayName
    self.options = options
    do {
      reader = try CSVReader(path: path, displayName: displayName, options: options)
    } catch {
      throw .input(error)
    }
  }

  /// The header another source found at the start of the same file, for a source that reads a
  /// later piece of it (`CSVReaderOptions.continuation`): no header search, the same skipping.
  struct KnownHeader {
    var header: RosterHeader
    var keys: [String]
  }

  var knownHeader: KnownHeader? {
    header.map { KnownHeader(header: $0, keys: headerKeys) }
  }

  convenience init(
    path: String, displayName: String, options: CSVReaderOptions, header: KnownHeader
  ) throws(ScreeningError) {
    try self.init(path: path, displayName: displayName, options: options)
    self.header = header.header
    idColumn = header.header.columnIndex[.idNumber]
    headerKeys = header.keys
  }

  /// The rows skipped since the last call, for `skipped.csv`.
  func takeSkippedRecords() -> [SkippedRecord] {
    defer { skippedRecords = [] }
    return skippedRecords
  }

  /// Bytes consumed so far, for progress.
  var bytesRead: Int { reader.bytesRead }

  /// The next data records (never the header or a skipped row), or `nil` at the end.
  func nextBatch() throws(ScreeningError) -> [CSVRecord]? {
    try locateHeader()
    if !pending.isEmpty {
      let records = pending
      pending = []
      return filtered(records)
    }
    do {
      guard let batch = try reader.nextBatch() else { return nil }
      return filtered(batch)
    } catch {
      throw .input(error)
    }
  }

  /// Finds the header now, when it has not been found yet; the records read past it wait for
  /// `nextBatch()`.
  func locateHeader() throws(ScreeningError) {
    if header == nil { try findHeader() }
  }

  /// The records that are data, in order; the batch itself when every record is (the usual
  /// case), so records are not copied one by one.
  private func filtered(_ records: [CSVRecord]) -> [CSVRecord] {
    // Read in place: a copy of each record would retain and release its storage.
    let firstSkipped = records.withUnsafeBufferPointer { records -> Int? in
      var index = 0
      while index < records.count {
        if !Self.holdsIDDigits(records[index], column: idColumn), isSkipped(records[index]) {
          return index
        }
        index += 1
      }
      return nil
    }
    guard let firstSkipped else { return records }
    var kept = Array(records[..<firstSkipped])
    kept.reserveCapacity(records.count)
    for record in records[(firstSkipped + 1)...] where !isSkipped(record) {
      kept.append(record)
    }
    return kept
  }

  /// Whether the record's ID cell holds an ID number's digits: such a cell is neither a header
  /// cell nor a total row's, so the record is data.
  @inline(__always)
  private static func holdsIDDigits(_ record: CSVRecord, column: Int?) -> Bool {
    guard let column, column < record.fieldCount else { return false }
    return record.withFieldBytes(column) { holdsManyDigits($0) }
  }

  /// Whether the record is passed over (counted and kept for `skipped.csv`) rather than data.
  private func isSkipped(_ record: CSVRecord) -> Bool {
    if Self.holdsIDDigits(record, column: idColumn) { return false }
    // The rare rows without an ID number's digits are examined as strings, made once.
    let fields = record.fields
    let kind: SkippedRecord.Kind
    if fields.allSatisfy(ValueParser.isBlank) {
      skipped.blankRows += 1
      kind = .blank
    } else if isRepeatedHeader(fields) {
      skipped.repeatedHeaders += 1
      kind = .repeatedHeader
    } else if isTotalRow(fields) {
      skipped.totalRows += 1
      kind = .total
    } else {
      return false
    }
    skippedRecords.append(SkippedRecord(record: record, kind: kind))
    return true
  }

  /// Whether the cell holds six or more ASCII digits, which no header spelling does.
  @inline(__always)
  private static func holdsManyDigits(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
    // An ID number's cell starts with six digits: its first eight bytes are tested as one word.
    if cell.count >= 8, let base = cell.baseAddress {
      let word = UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self))
      // Each byte 0x30...0x3F, and adding 6 does not carry it past 0x3F: 0x30...0x39.
      if word & 0xF0F0_F0F0_F0F0 == 0x3030_3030_3030,
        (word &+ 0x0606_0606_0606) & 0xF0F0_F0F0_F0F0 == 0x3030_3030_3030
      {
        return true
      }
    }
    return countsSixDigits(cell)
  }

  private static func countsSixDigits(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
    var digits = 0
    for byte in cell where byte &- UInt8(ascii: "0") < 10 {
      digits += 1
      if digits == 6 { return true }
    }
    return false
  }

  /// The header again: the same cells, or another spelling the header rules accept (sheets from
  /// different templates pasted together).
  private func isRepeatedHeader(_ fields: [String]) -> Bool {
    if fields.count == headerKeys.count
      && zip(fields, headerKeys).allSatisfy({ ValueParser.normalise($0) == $1 })
    {
      return true
    }
    return RosterHeader.looksLikeHeader(fields: fields)
  }

  private func isTotalRow(_ fields: [String]) -> Bool {
    guard let id = idColumn, id < fields.count,
      !fields[id].unicodeScalars.contains(where: { $0.properties.numericType != nil })
    else { return false }
    return fields.contains { cell in
      let key = ValueParser.normalise(cell).replacingOccurrences(of: " ", with: "")
      return key == "合计" || key == "总计" || key == "小计" || key.hasPrefix("合计：")
        || key.hasPrefix("合计:")
    }
  }

  /// Reads up to `headerSearchLimit` records to find the header; rows above it are title rows.
  private func findHeader() throws(ScreeningError) {
    if try scanForHeader() { return }
    if options.encoding == .auto, path != "-", !reader.hadByteOrderMark,
      let guessed = reader.encoding, guessed == .utf8 || guessed == .gb18030
    {
      let other: InputEncoding = guessed == .gb18030 ? .utf8 : .gb18030
      var retry = options
      retry.encoding = other
      let firstAttempt = (reader, skipped, pending)
      do {
        reader = try CSVReader(path: path, displayName: displayName, options: retry)
      } catch {
        throw .input(error)
      }
      skipped = SkippedRows()
      skippedRecords = []
      pending = []
      if (try? scanForHeader()) == true { return }
      (reader, skipped, pending) = firstAttempt
    }
    let candidates = pending.filter { !$0.fields.allSatisfy(ValueParser.isBlank) }
    guard let first = candidates.first else { throw .emptyInput(path: displayName) }
    do {
      _ = try RosterHeader(record: first)
    } catch {
      throw .roster(error)
    }
    throw .emptyInput(path: displayName)
  }

  /// `true` when a header was found; the records after it stay in `pending`.
  private func scanForHeader() throws(ScreeningError) -> Bool {
    var seen: [CSVRecord] = []
    do {
      while seen.count < Self.headerSearchLimit, let batch = try reader.nextBatch() {
        for (index, record) in batch.enumerated() {
          if seen.count < Self.headerSearchLimit, RosterHeader.looksLikeHeader(record) {
            do {
              header = try RosterHeader(record: record)
            } catch {
              throw ScreeningError.roster(error)
            }
            headerKeys = record.fields.map(ValueParser.normalise)
            skippedRecords = seen.map { record in
              let blank = record.fields.allSatisfy(ValueParser.isBlank)
              return SkippedRecord(record: record, kind: blank ? .blank : .title)
            }
            skipped.titleRows = skippedRecords.filter { $0.kind == .title }.count
            skipped.blankRows = seen.count - skipped.titleRows
            pending = Array(batch[(index + 1)...])
            return true
          }
          seen.append(record)
        }
      }
    } catch let error as ScreeningError {
      throw error
    } catch let error as CSVError {
      throw .input(error)
    } catch {
      throw .input(.io(path: displayName, reason: "\(error)"))
    }
    pending = seen
    return false
  }
}
