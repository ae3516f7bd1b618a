import CSVStream
import Foundation
import Policy
import Roster

/// How much a roster problem matters for the bureau's run.
public enum RosterProblemSeverity: Int, Comparable, Hashable, Sendable, CaseIterable {
  /// Nothing changes in the bureau's run, but it is worth a look.
  case notice
  /// The row will be marked 需复核 (review) for a data reason.
  case review
  /// The row will be rejected or misjudged (or the whole file refused): it must be fixed.
  case error
  /// The file cannot be checked at all.
  case fatal

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The kinds of problem `RosterCheck` finds, in the order its report lists them.
public enum RosterProblemKind: String, Hashable, Sendable, CaseIterable {
  case unreadableFile = "unreadable-file"
  case missingRequiredColumns = "missing-required-columns"
  case duplicateColumn = "duplicate-column"
  case noDataRows = "no-data-rows"
  case brokenRecord = "broken-record"
  case fieldCount = "field-count"
  case noIdentity = "no-id-and-name"
  case exampleRow = "example-row"
  case idNumber = "id-number"
  case duplicateID = "duplicate-id"
  case date
  case level
  case hours
  case flag
  case missingColumn = "missing-column"
  case missingValue = "missing-value"
  case occupationNotInAnnex1 = "occupation-not-in-annex1"
  case unknownColumn = "unknown-column"
  case unknownHonour = "unknown-honour"

  public var severity: RosterProblemSeverity {
    switch self {
    case .unreadableFile: .fatal
    case .missingRequiredColumns, .duplicateColumn, .noDataRows, .brokenRecord, .fieldCount,
      .noIdentity, .exampleRow:
      .error
    case .idNumber, .duplicateID, .date, .level, .hours, .flag, .missingColumn, .missingValue,
      .occupationNotInAnnex1:
      .review
    case .unknownColumn, .unknownHonour: .notice
    }
  }

  /// The heading of the group in the report.
  public func title(_ language: Language) -> String {
    let (chinese, english): (String, String) =
      switch self {
      case .unreadableFile: ("无法读取的文件", "Files that cannot be read")
      case .missingRequiredColumns: ("缺少必需的列", "Required columns missing")
      case .duplicateColumn: ("重复的列", "Columns named twice")
      case .noDataRows: ("没有数据行", "Files without data rows")
      case .brokenRecord: ("CSV 格式错误", "Broken CSV records")
      case .fieldCount: ("列数与表头不一致", "Rows with the wrong number of fields")
      case .noIdentity: ("没有身份证号和姓名", "Rows without ID number and name")
      case .exampleRow: ("示例行，请删除", "Template example row: delete it")
      case .idNumber: ("身份证号无效", "Invalid ID numbers")
      case .duplicateID: ("身份证号重复", "Repeated ID numbers")
      case .date: ("日期无法识别", "Unreadable dates")
      case .level: ("等级无法识别", "Unreadable levels")
      case .hours: ("学时或年限无法识别", "Unreadable hours or years")
      case .flag: ("是/否或申报方向无法识别", "Unreadable yes/no or direction")
      case .missingColumn: ("缺少规则需要的列", "Columns the rules need are missing")
      case .missingValue: ("缺少规则需要的数据", "Values the rules need are empty")
      case .occupationNotInAnnex1: ("职业工种不在附件1中", "Occupations not in Annex 1")
      case .unknownColumn: ("未识别的列", "Unknown columns")
      case .unknownHonour: ("未识别的荣誉", "Unknown honours")
      }
    return language == .chinese ? chinese : english
  }

  /// What the enterprise should do about problems of this kind.
  public func advice(_ language: Language) -> String {
    let (chinese, english): (String, String) =
      switch self {
      case .unreadableFile:
        (
          "确认文件存在，是 CSV 文件（不是 .xlsx/.xls 工作簿），且有表头行；在 Excel/WPS 中用“另存为 → CSV UTF-8（逗号分隔）”生成。",
          "Make sure the file exists, is CSV (not an .xlsx/.xls workbook) and has a header row; "
            + "save it from Excel/WPS as \"CSV UTF-8 (comma delimited)\"."
        )
      case .missingRequiredColumns:
        (
          "表头必须有“身份证号”和“姓名”两列（可用的其他写法见上）；最好直接使用 talent-screen template 生成的模板。",
          "The header needs 身份证号 and 姓名 (other accepted spellings above); best start from "
            + "the template written by talent-screen template."
        )
      case .duplicateColumn:
        ("同一列只能出现一次；删除或改名其中一列。", "A column may appear only once: delete or rename one of them.")
      case .noDataRows:
        (
          "表头下面没有任何人员，请确认文件是否存错。",
          "No one is listed below the header: check that this is the right file."
        )
      case .brokenRecord:
        (
          "单元格内的英文双引号必须成对；不要手工拼接 CSV，请在 Excel/WPS 中另存为 CSV。只有这一条记录受影响，其后的行照常检查。",
          "Double quotes inside cells must pair up; let Excel/WPS write the CSV instead of "
            + "editing it by hand. Only this record is affected; the rows after it were checked."
        )
      case .fieldCount:
        (
          "该行的列数与表头不同，多半是单元格里有未加引号的逗号或换行；在 Excel/WPS 中检查并重新另存。",
          "The row has a different number of fields than the header, usually an unquoted comma "
            + "or line break in a cell; check it in Excel/WPS and save again."
        )
      case .noIdentity:
        ("每行至少要有身份证号或姓名；空白的行请删除。", "Every row needs an ID number or a name; delete empty rows.")
      case .exampleRow:
        ("模板中的示例行不是真实人员，请删除。", "The template's example row is not a real person: delete it.")
      case .idNumber:
        (
          "把身份证号列设为“文本”格式后重新输入；显示为 3.30602E+17 或末三位变成 000 说明已被 Excel 损坏。",
          "Format the ID column as text and type the numbers again; 3.30602E+17 or a 000 ending "
            + "means Excel has damaged them."
        )
      case .duplicateID:
        (
          "同一人只填一行；如为两个人，请核对身份证号。",
          "List each person once; if they are two people, check the ID numbers."
        )
      case .date:
        (
          "日期写成 2019-06-30（年-月-日），并确认日期真实存在。",
          "Write dates as 2019-06-30 and make sure the day exists."
        )
      case .level:
        (
          "技能等级写 初级工、中级工、高级工、技师、高级技师（或五级…一级），职称等级写 员级、助理级、中级、副高级、正高级。",
          "Skill levels: 初级工 … 高级技师 (or 五级 … 一级); title levels: 员级, 助理级, 中级, "
            + "副高级, 正高级."
        )
      case .hours:
        ("只填阿拉伯数字，如 90 或 3.5。", "Write digits only, such as 90 or 3.5.")
      case .flag:
        (
          "是/否列填“是”或“否”；申报方向填 A（技能人才申报职称）或 B（职称人才申报技能评价）。",
          "Yes/no columns take 是 or 否; the direction takes A (title) or B (skill evaluation)."
        )
      case .missingColumn:
        (
          "在表头中加上这一列并填写；没有这一列，相关的人都会被标为需复核。",
          "Add the column and fill it in; without it everyone concerned is marked for review."
        )
      case .missingValue:
        (
          "补全这些单元格；缺少数据的人会被标为需复核。",
          "Fill in these cells; people with missing data are marked for review."
        )
      case .occupationNotInAnnex1:
        (
          "按国家职业分类大典的规范名称填写职业工种；确属附件1以外的职业，人社部门会人工确定职称系列。",
          "Use the occupation's standard name; for an occupation outside Annex 1 the bureau "
            + "decides the series by hand."
        )
      case .unknownColumn:
        (
          "这些列不会被读取。如果它本应是某个规范列（如写错字），请改用模板中的表头；“序号”“备注”等可以保留。",
          "These columns are not read. If one was meant to be a known column, use the template's "
            + "header; columns such as 序号 or 备注 may stay."
        )
      case .unknownHonour:
        (
          "政策荣誉表中没有这个荣誉，不计入直接申报；请按证书上的全称填写，多个荣誉用“、”分隔。",
          "The policy does not know this honour, so it does not count; write the full name as on "
            + "the certificate and separate several with 、."
        )
      }
    return language == .chinese ? chinese : english
  }
}

/// One thing in a roster that would make the bureau's run reject a row or mark it for review.
public struct RosterProblem: Hashable, Sendable {
  public var kind: RosterProblemKind
  public var location: SourceLocation
  /// The column concerned, as the file writes its header (empty for a whole row or file).
  public var column: String
  public var message: String
  /// The value as written in the cell (or the record, or the header), for the clerk to find it.
  public var value: String

  public init(
    kind: RosterProblemKind, location: SourceLocation, column: String, message: String,
    value: String
  ) {
    self.kind = kind
    self.location = location
    self.column = column
    self.message = message
    self.value = value
  }

  /// `file:line 列名: 问题（值）`.
  public func line(_ language: Language) -> String {
    var text = location.description
    if !column.isEmpty { text += " \(column)" }
    text += ": \(message)"
    if !value.isEmpty { text += language == .chinese ? "（\(value)）" : " (\(value))" }
    return text
  }
}

/// What was found out about one input file.
public struct CheckedInput: Sendable {
  /// The file as named in problems (`stdin` for standard input).
  public var path: String
  public var encoding: InputEncoding?
  public var byteOrderMark = false
  public var headerLine: Int?
  public var dataRows = 0
  public var skipped = SkippedRows()
  /// Columns recognised in the header.
  public var columns = 0
  public var unknownColumns: [String] = []
  /// Why the file could not be checked at all.
  public var failure: String?

  public init(path: String) {
    self.path = path
  }
}

/// The outcome of a check: per-file facts, counts per kind and the first problems of each kind.
public struct RosterCheckReport: Sendable {
  public var inputs: [CheckedInput] = []
  public var counts: [RosterProblemKind: Int] = [:]
  /// The first `exampleLimit` problems of each kind, in file order.
  public var examples: [RosterProblemKind: [RosterProblem]] = [:]
  public var exampleLimit: Int
  /// Data rows read over every file.
  public var rowsChecked = 0
  /// Data rows with at least one problem that is more than a notice.
  public var rowsWithProblems = 0

  public init(exampleLimit: Int) {
    self.exampleLimit = exampleLimit
  }

  /// Problems that are more than notices.
  public var problemCount: Int {
    counts.filter { $0.key.severity > .notice }.values.reduce(0, +)
  }

  public var noticeCount: Int {
    counts.filter { $0.key.severity == .notice }.values.reduce(0, +)
  }

  /// 2 when a file could not be read at all, 1 when problems were found, 0 when clean.
  public var exitStatus: Int32 {
    if inputs.contains(where: { $0.failure != nil }) { return 2 }
    return problemCount > 0 ? 1 : 0
  }

  /// Problems more serious than notices, counted as they come.
  var seriousProblems = 0

  mutating func record(_ problem: RosterProblem) {
    counts[problem.kind, default: 0] += 1
    if problem.kind.severity > .notice { seriousProblems += 1 }
    if examples[problem.kind, default: []].count < exampleLimit {
      examples[problem.kind, default: []].append(problem)
    }
  }
}

/// Checks rosters before they are handed in: reads them exactly as `screen` does (same reader,
/// header search, parser and policy) and reports everything that would make the bureau's run
/// reject a row or mark it 需复核 for a data reason, file by file and line by line.
public struct RosterCheck: Sendable {
  public var policy: ResolvedPolicy
  public var inputEncoding: InputEncoding
  public var language: Language
  /// How many problems of each kind the report keeps for showing (all are passed to `each`).
  public var exampleLimit: Int
  /// Inputs larger than this in all, or read from standard input, are searched for repeated ID
  /// numbers by a first pass that sorts them on disk, as `screen` does, so that memory stays
  /// the same whatever their size; smaller ones by an index in memory.
  public var inMemoryDuplicateLimit: Int
  /// Where that first pass keeps its sorted runs and the records it read, in a folder of its
  /// own (readable by the owner only) removed when the check ends.
  public var temporaryDirectory: String

  public init(
    policy: ResolvedPolicy, inputEncoding: InputEncoding = .auto, language: Language = .chinese,
    exampleLimit: Int = 50, inMemoryDuplicateLimit: Int = 128 << 20,
    temporaryDirectory: String = NSTemporaryDirectory()
  ) {
    self.policy = policy
    self.inputEncoding = inputEncoding
    self.language = language
    self.exampleLimit = exampleLimit
    self.inMemoryDuplicateLimit = inMemoryDuplicateLimit
    self.temporaryDirectory = temporaryDirectory
  }

  /// Checks every input in order; `each` sees every problem as it is found (streaming). Throws
  /// only when the first pass over large inputs cannot keep its files on disk; a file that
  /// cannot be read is a problem in the report.
  public func run(_ paths: [String], each: (RosterProblem) -> Void = { _ in })
    throws(ScreeningError) -> RosterCheckReport
  {
    var plan: DuplicatePlan?
    var readPaths = paths
    var scratch: ScratchFolder?
    defer { scratch?.remove() }
    if FirstPassInputs.needed(for: paths, limit: inMemoryDuplicateLimit) {
      let folder = try ScratchFolder(in: temporaryDirectory)
      scratch = folder
      (plan, readPaths) = try firstPass(paths, in: folder)
    }
    return withoutActuallyEscaping(each) { each in
      var state = CheckState(
        report: RosterCheckReport(exampleLimit: exampleLimit), each: each,
        evaluator: Evaluator(policy: policy), duplicates: DuplicateFinder(plan: plan))
      for (path, readPath) in zip(paths, readPaths) {
        state.report.inputs.append(check(path, readingFrom: readPath, &state))
      }
      return state.report
    }
  }

  /// Reads every input once to find its repeated ID numbers, as `screen`'s first pass does;
  /// unreadable files and workbooks are left to the check to report. Gives the plan and the
  /// paths to read the inputs from again (standard input and pipes from their copies).
  private func firstPass(_ paths: [String], in folder: ScratchFolder) throws(ScreeningError)
    -> (DuplicatePlan, [String])
  {
    let (readPaths, copies) = try FirstPassInputs.readPaths(for: paths, copyingInto: folder.path)
    let inputs = zip(readPaths, paths).map {
      (path: $0, displayName: $1 == "-" ? "stdin" : $1)
    }
    let readers = min(ProcessInfo.processInfo.activeProcessorCount, DuplicatePlan.maximumReaders)
    let plan = try DuplicatePlan.make(
      inputs: inputs, options: CSVReaderOptions(encoding: inputEncoding), directory: folder.path,
      readers: max(1, readers))
    FirstPassInputs.removeReplayedCopies(copies, of: plan)
    return (plan, readPaths)
  }

  struct CheckState {
    var report: RosterCheckReport
    let each: (RosterProblem) -> Void
    let evaluator: Evaluator
    var duplicates: DuplicateFinder
    /// What the evaluator keeps from row to row, and the verdict each row is judged into.
    var memo = EvaluationMemo()
    var verdict = Verdict(
      title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])

    mutating func add(_ problem: RosterProblem) {
      report.record(problem)
      each(problem)
    }
  }

  func t(_ chinese: String, _ english: String) -> String {
    language == .chinese ? chinese : english
  }

  /// Checks input `path`, read from `readPath` (its copy, for standard input or a pipe that the
  /// first pass had to read first).
  private func check(_ path: String, readingFrom readPath: String, _ state: inout CheckState)
    -> CheckedInput
  {
    let name = path == "-" ? "stdin" : path
    var input = CheckedInput(path: name)
    let fileIndex = state.duplicates.add(file: name)
    if let workbook = Self.workbookKind(readPath) {
      fail(
        &input, state: &state,
        t(
          "这是 Excel 工作簿（\(workbook)），不是 CSV；请在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”",
          "This is an Excel workbook (\(workbook)), not CSV; save it as \"CSV UTF-8\" first"))
      return input
    }
    // An input the first pass read to its end is checked from that pass's records.
    let source: any RosterBatches
    do throws(ScreeningError) {
      source = try state.duplicates.open(
        file: fileIndex, readPath: readPath, displayName: name,
        options: CSVReaderOptions(encoding: inputEncoding))
    } catch {
      fail(&input, state: &state, error.description)
      return input
    }
    var file = FileState(fileIndex: fileIndex)
    do throws(ScreeningError) {
      while let records = try source.nextBatch() {
        guard let header = source.header else { continue }
        if file.parser == nil { start(header, &file, &input, &state) }
        for record in records {
          input.dataRows += 1
          state.report.rowsChecked += 1
          try check(record, header: header, &file, &state)
        }
      }
      if let header = source.header, file.parser == nil { start(header, &file, &input, &state) }
      try state.duplicates.confirmUnchanged(file: fileIndex, source: source, displayName: name)
    } catch {
      handle(error, source: source, &input, &state)
    }
    if let header = source.header {
      reportAbsentColumns(file, header: header, &state)
      if input.dataRows == 0, input.failure == nil, file.parser != nil {
        state.add(
          RosterProblem(
            kind: .noDataRows, location: header.location, column: "",
            message: t("只有表头，没有数据行", "a header but no data rows"), value: ""))
      }
    }
    input.encoding = source.encoding
    input.byteOrderMark = source.hadByteOrderMark
    input.skipped = source.skipped
    return input
  }

  private func fail(_ input: inout CheckedInput, state: inout CheckState, _ message: String) {
    input.failure = message
    state.add(
      RosterProblem(
        kind: .unreadableFile, location: SourceLocation(file: input.path, line: 1), column: "",
        message: message, value: ""))
  }

  /// "xlsx" or "xls" when the file starts like an Excel workbook.
  static func workbookKind(_ path: String) -> String? {
    // Only a regular file is opened here: from a pipe the bytes would be taken from the reader.
    guard ScreeningRun.isRegularFile(path), let handle = FileHandle(forReadingAtPath: path) else {
      return nil
    }
    defer { try? handle.close() }
    let start = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
    if start.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "xlsx" }
    if start.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return "xls" }
    return nil
  }

  struct FileState {
    var fileIndex: Int
    var parser: ApplicantParser?
    /// Rows that need a column the header does not have, per column.
    var absent: [RosterColumn: Int] = [:]
  }

  private func start(
    _ header: RosterHeader, _ file: inout FileState, _ input: inout CheckedInput,
    _ state: inout CheckState
  ) {
    file.parser = ApplicantParser(header: header)
    input.headerLine = header.location.line
    input.columns = header.columnIndex.count
    input.unknownColumns = header.unknownHeaders.map(\.name)
    for unknown in header.unknownHeaders {
      state.add(
        RosterProblem(
          kind: .unknownColumn, location: header.location, column: unknown.name,
          message: t(
            "未识别的列（第\(unknown.index + 1)列），其值不会被读取",
            "unknown column (column \(unknown.index + 1)); its values are not read"),
          value: ""))
    }
  }

  private func check(
    _ record: CSVRecord, header: RosterHeader, _ file: inout FileState, _ state: inout CheckState
  ) throws(ScreeningError) {
    guard let parser = file.parser else { return }
    // Asked for every record with an ID, in order, as the first pass counted them.
    var firstOccurrence: SourceLocation?
    if let key = ScreeningRun.duplicateKey(record, header: header) {
      firstOccurrence = try state.duplicates.firstSeen(
        key, file: file.fileIndex, line: record.location.line)
    }
    let before = state.report.seriousProblems
    defer { if state.report.seriousProblems > before { state.report.rowsWithProblems += 1 } }
    if let damage = record.damage {
      let raw = record.fieldCount > 0 ? record.field(0) : ""
      state.add(
        RosterProblem(
          kind: .brokenRecord, location: record.location, column: "",
          message: ScreeningRun.rejectReason(for: damage, english: language == .english),
          value: raw.count > 80 ? String(raw.prefix(80)) + "…" : raw))
      return
    }
    let applicant: Applicant
    switch parser.parse(record) {
    case .reject(let reject):
      let kind: RosterProblemKind =
        record.fieldCount != header.fieldCount ? .fieldCount : .noIdentity
      let raw = reject.raw.count > 80 ? String(reject.raw.prefix(80)) + "…" : reject.raw
      state.add(
        RosterProblem(
          kind: kind, location: record.location, column: "",
          message: language == .chinese ? reject.reason : (reject.englishReason ?? reject.reason),
          value: raw))
      return
    case .applicant(let read):
      applicant = read
    }
    if let first = firstOccurrence, let idIndex = header.columnIndex[.idNumber] {
      state.add(
        RosterProblem(
          kind: .duplicateID, location: record.location, column: header.names[idIndex],
          message: t("与 \(first) 重复", "same as \(first)"),
          value: IntegrityList.key(record.field(idIndex))))
    }
    if RosterTemplate.isExample(applicant) {
      state.add(
        RosterProblem(
          kind: .exampleRow, location: record.location, column: "",
          message: t("模板的示例行，请删除", "the template's example row; delete it"),
          value: header.columnIndex[.name].map { ValueParser.trimmed(record.field($0)) }
            ?? applicant.name))
      return
    }
    for problem in applicant.problems {
      state.add(
        RosterProblem(
          kind: Self.kind(of: problem.kind), location: record.location,
          column: header.name(of: problem.column) ?? problem.column.header,
          message: language == .chinese ? problem.detail : "cannot be read: \(problem.detail)",
          value: problem.raw))
    }
    state.evaluator.evaluate(applicant, into: &state.verdict, memo: &state.memo)
    for reason in state.verdict.reasons {
      check(reason, record: record, applicant: applicant, header: header, &file, &state)
    }
  }

  static func kind(of kind: FieldProblemKind) -> RosterProblemKind {
    switch kind {
    case .id: .idNumber
    case .date: .date
    case .level: .level
    case .hours: .hours
    case .flag: .flag
    case .missing: .missingValue
    }
  }

  /// Turns an evaluator reason that stems from the data into a problem; other reasons are not
  /// the enterprise's to fix.
  private func check(
    _ reason: Reason, record: CSVRecord, applicant: Applicant, header: RosterHeader,
    _ file: inout FileState, _ state: inout CheckState
  ) {
    let columns: [RosterColumn]
    switch reason.code {
    case .occupationUnmapped:
      state.add(
        RosterProblem(
          kind: .occupationNotInAnnex1, location: record.location,
          column: header.name(of: .occupation) ?? RosterColumn.occupation.header,
          message: t(
            "不在附件1（职业工种与职称系列对应表）中，职称系列需人工确定",
            "not in Annex 1; the title series needs a human decision"),
          value: applicant.occupation ?? ""))
      return
    case .honourUnknown:
      state.add(
        RosterProblem(
          kind: .unknownHonour, location: record.location,
          column: header.name(of: .honours) ?? RosterColumn.honours.header,
          message: t("政策荣誉表中没有此荣誉，不计入直接申报", "not an honour the policy knows; not counted"),
          value: reason.values["honour"] ?? ""))
      return
    case .dataMissing:
      columns = [reason.values["column"].flatMap(RosterColumn.init(rawValue:))].compactMap { $0 }
    case .assessmentMissing:
      columns = [.assessments]
    case .continuingEducationMissing:
      columns = (reason.values["columns"] ?? "").split(separator: "、")
        .compactMap { RosterColumn(rawValue: String($0)) }
    case .occupationMissing:
      columns = [.targetOccupation, .occupation]
    case .noDirection:
      columns = [.direction]
    default:
      return
    }
    let present = columns.filter { header.columnIndex[$0] != nil }
    guard !present.isEmpty || reason.code == .noDirection else {
      // 申请评价职业工种 and 职业工种 are alternatives: one absent column is enough to name.
      let absent = reason.code == .occupationMissing ? Array(columns.prefix(1)) : columns
      for column in absent { file.absent[column, default: 0] += 1 }
      return
    }
    let shown = present.isEmpty ? columns : present
    let value = present.compactMap { column in
      header.columnIndex[column].map { ValueParser.trimmed(record.field($0)) }
    }.filter { !$0.isEmpty }.joined(separator: "、")
    state.add(
      RosterProblem(
        kind: .missingValue, location: record.location,
        column: shown.map { header.name(of: $0) ?? $0.header }.joined(separator: "、"),
        message: policy.text(for: reason, in: language), value: value))
  }

  private func reportAbsentColumns(
    _ file: FileState, header: RosterHeader, _ state: inout CheckState
  ) {
    for column in RosterColumn.allCases {
      guard let rows = file.absent[column] else { continue }
      state.add(
        RosterProblem(
          kind: .missingColumn, location: header.location, column: column.header,
          message: t(
            "表头中没有这一列（也可写作 \(column.aliases.prefix(4).joined(separator: "、"))），"
              + "\(rows) 行因此需复核",
            "the header has no such column; \(rows) rows are marked for review because of it"),
          value: ""))
    }
  }

  private func handle(
    _ error: ScreeningError, source: any RosterBatches, _ input: inout CheckedInput,
    _ state: inout CheckState
  ) {
    switch error {
    case .roster(.missingRequiredColumns(let fileName, let line, let missing, let found))
    where found.contains(where: { RosterColumn.matching(header: $0) != nil }):
      let accepted = missing.compactMap(RosterColumn.init(rawValue:)).map { column in
        "\(column.header)（\(column.aliases.joined(separator: "、"))）"
      }
      state.add(
        RosterProblem(
          kind: .missingRequiredColumns, location: SourceLocation(file: fileName, line: line),
          column: missing.joined(separator: "、"),
          message: t(
            "表头缺少必需的列，可写作：\(accepted.joined(separator: "；"))，整个文件不会被处理",
            "required column(s) missing; accepted headers: \(accepted.joined(separator: "; ")); "
              + "the whole file would be refused"),
          value: found.joined(separator: ",")))
    case .roster(.duplicateColumn(let fileName, let line, let name, let first, let second)):
      state.add(
        RosterProblem(
          kind: .duplicateColumn, location: SourceLocation(file: fileName, line: line),
          column: name,
          message: t(
            "第\(first)列和第\(second)列都是这一列，整个文件不会被处理",
            "columns \(first) and \(second) both name it; the whole file would be refused"),
          value: ""))
    case .input(let csvError) where source.header != nil:
      let (location, message) = describe(csvError)
      state.add(
        RosterProblem(
          kind: .brokenRecord, location: location ?? SourceLocation(file: input.path, line: 1),
          column: "", message: message, value: ""))
    case .emptyInput:
      fail(
        &input, state: &state,
        t("文件为空或找不到表头行（须有“身份证号”“姓名”等列）", "the file is empty or has no header row"))
    default:
      fail(&input, state: &state, error.description)
    }
  }

  /// Where a reading error happened and what it means, without the location prefix.
  func describe(_ error: CSVError) -> (SourceLocation?, String) {
    (nil, error.description)
  }
}
