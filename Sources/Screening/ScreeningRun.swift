import CSVStream
import Dispatch
import Foundation
import Policy
import Roster

/// What one screening run needs: the inputs, the policy in force, and how to read and write.
public struct ScreeningConfiguration: Sendable {
  public var inputs: [String]
  public var outputDirectory: String
  public var policy: ResolvedPolicy
  public var policyDigest: String
  public var integrity: IntegrityList
  public var jobs: Int
  public var inputEncoding: InputEncoding
  public var outputEncoding: OutputEncoding
  public var language: Language
  public var batchSize: Int
  /// The largest total input size, in bytes, for which repeated IDs are found with an index in
  /// memory as the screening reads. Larger inputs, and standard input, get a first pass that
  /// sorts the IDs on disk, so memory does not grow with the number of people.
  public var inMemoryDuplicateLimit: Int
  /// How many IDs the first pass sorts in memory before it spills a run to disk (32 bytes each,
  /// so 4 MiB a run).
  var duplicateRunCapacity = 1 << 17
  /// The size from which a single input is read in pieces at once by the first pass.
  var duplicateSplitSize = 64 << 20
  /// Whether the screening pass judges the first pass's records (`false` reads each input again,
  /// as when the records could not be kept: for tests of that path).
  var replaysFirstPass = true
  /// Called from the reading thread now and then with the bytes and rows read so far.
  public var progress: (@Sendable (ScreeningProgress) -> Void)?

  public init(
    inputs: [String], outputDirectory: String, policy: ResolvedPolicy, policyDigest: String,
    integrity: IntegrityList = IntegrityList(),
    jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
    inputEncoding: InputEncoding = .auto, outputEncoding: OutputEncoding = .utf8BOM,
    language: Language = .chinese, batchSize: Int = 1024,
    inMemoryDuplicateLimit: Int = 128 << 20,
    progress: (@Sendable (ScreeningProgress) -> Void)? = nil
  ) {
    self.inputs = inputs
    self.outputDirectory = outputDirectory
    self.policy = policy
    self.policyDigest = policyDigest
    self.integrity = integrity
    self.jobs = max(1, jobs)
    self.inputEncoding = inputEncoding
    self.outputEncoding = outputEncoding
    self.language = language
    self.batchSize = max(1, batchSize)
    self.inMemoryDuplicateLimit = inMemoryDuplicateLimit
    self.progress = progress
  }
}

/// How far a run has got, for the progress line.
public struct ScreeningProgress: Sendable {
  /// The two passes of a large run.
  public enum Phase: Sendable {
    /// The first pass, which finds repeated ID numbers.
    case duplicates
    /// The pass that judges and writes.
    case screening
  }

  public var phase: Phase = .screening
  public var rows: Int
  public var bytesRead: Int
  public var totalBytes: Int?
}

/// What happened to one input file.
public struct InputReport: Sendable {
  public var path: String
  public var size: Int?
  public var sha256: String?
  public var encoding: String?
  public var byteOrderMark: Bool
  public var rows: Int
  /// Why the file could not be (fully) read; `nil` when it was.
  public var failure: String?
  public var unknownColumns: [String] = []
  /// Rows passed over on purpose (title rows, blank rows, repeated headers, totals).
  public var skipped = SkippedRows()
  /// Things the sender should fix, reported once per file.
  public var warnings: [String] = []

  init(path: String, size: Int?) {
    self.path = path
    self.size = size
    self.byteOrderMark = false
    self.rows = 0
  }
}

/// The outcome of a run, for the closing report and `summary.json`.
public struct RunReport: Sendable {
  public var inputs: [InputReport]
  public var recordsRead: Int
  public var verdicts: Int
  public var rejects: Int
  public var duplicates: Int
  /// Rows passed over on purpose, over every input.
  public var skipped: SkippedRows
  public var eligibleByLevel: [TitleLevel: Int]
  public var outputDirectory: String
  public var elapsedSeconds: Double
  /// CPU seconds per stage, for engineers (never written to the output files).
  public var stageTimes = StageTimes()
  public var bytesRead: Int

  public var failedInputs: [InputReport] { inputs.filter { $0.failure != nil } }
}

/// The quarterly run: one reader, `jobs` Dispatch workers judging and formatting batches, one
/// writer emitting them strictly in input order. In-flight batches are bounded, so memory stays
/// flat whatever the input size, and the output is byte-identical for any number of jobs.
public enum ScreeningRun {
  @discardableResult
  public static func run(_ configuration: ScreeningConfiguration) throws(ScreeningError)
    -> RunReport
  {
    let started = DispatchTime.now()
    let output = try OutputDirectory(path: configuration.outputDirectory)
    do {
      var report = try screen(configuration, into: output)
      try SummaryFiles.write(
        report: &report.report, counts: report.counts, configuration: configuration,
        directory: output.temporaryPath)
      try output.commit()
      report.report.elapsedSeconds =
        Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
      return report.report
    } catch {
      output.discard()
      throw error
    }
  }

  struct Outcome {
    var report: RunReport
    var counts: SummaryCounts
  }

  /// A batch on its way from the reader to the writer.
  struct Job: @unchecked Sendable {
    var sequence: Int
    var records: [CSVRecord]
    var skipped: [SkippedRecord]
    var contexts: [EvaluationContext]
    var parser: ApplicantParser
  }

  static func screen(_ configuration: ScreeningConfiguration, into output: OutputDirectory)
    throws(ScreeningError) -> Outcome
  {
    let table = VerdictTable(language: configuration.language, policy: configuration.policy)
    let evaluator = Evaluator(policy: configuration.policy)
    let states = JudgingStates(table: table)
    let sink = try OrderedSink(
      directory: output.temporaryPath, encoding: configuration.outputEncoding,
      verdictHeader: table.header, rejectHeader: RejectTable.header(configuration.language),
      skippedHeader: RejectTable.skippedHeader(configuration.language))
    let workers = DispatchQueue(
      label: "talent-screen.workers", qos: .userInitiated, attributes: .concurrent)
    let slots = DispatchSemaphore(value: configuration.jobs * 2)
    let group = DispatchGroup()
    var inputs: [InputReport] = []
    var sequence = 0
    var rowsRead = 0
    var bytesBefore = 0
    let totalBytes = FirstPassInputs.totalSize(of: configuration.inputs)
    let readerOptions = CSVReaderOptions(
      encoding: configuration.inputEncoding, batchSize: configuration.batchSize)

    // Standard input, a pipe or any other input that is not a regular file can be read only
    // once; a run that reads its inputs twice keeps a copy of each (0600) in the hidden output
    // folder, removed when the run ends.
    let planned = FirstPassInputs.needed(
      for: configuration.inputs, limit: configuration.inMemoryDuplicateLimit)
    var readPaths = configuration.inputs
    var copies: [Int: String] = [:]
    defer { for copy in copies.values { unlink(copy) } }
    if planned {
      (readPaths, copies) = try FirstPassInputs.readPaths(
        for: configuration.inputs, copyingInto: output.temporaryPath)
    }
    let sources = zip(readPaths, configuration.inputs).map {
      (path: $0, displayName: $1 == "-" ? "stdin" : $1)
    }
    let clock = StageClock()
    var plan: DuplicatePlan?
    if planned {
      // Nothing else runs during the first pass, so the process's CPU time is the pass's.
      let passStarted = StageClock.processCPU()
      var progress: (@Sendable (Int, Int) -> Void)?
      if let report = configuration.progress {
        progress = { @Sendable rows, bytes in
          report(
            ScreeningProgress(
              phase: .duplicates, rows: rows, bytesRead: bytes, totalBytes: totalBytes))
        }
      }
      plan = try DuplicatePlan.make(
        inputs: sources, options: readerOptions, directory: output.temporaryPath,
        runCapacity: configuration.duplicateRunCapacity,
        readers: min(configuration.jobs, DuplicatePlan.maximumReaders),
        splitSize: configuration.duplicateSplitSize,
        progress: progress)
      clock.add(\.duplicatePass, StageClock.processCPU() - passStarted)
      if configuration.replaysFirstPass, let plan {
        FirstPassInputs.removeReplayedCopies(copies, of: plan)
      }
    }
    var duplicates = DuplicateFinder(plan: plan)
    let readingStarted = StageClock.threadCPU()

    func submit(_ job: Job) {
      slots.wait()
      group.enter()
      workers.async {
        let start = StageClock.threadCPU()
        let result = process(job, evaluator: evaluator, states: states)
        let judged = StageClock.threadCPU()
        // A place is freed only when a batch is written, so batches that finished early and
        // wait behind a slow one still count against the bound.
        for _ in 0..<sink.deliver(result, sequence: job.sequence) { slots.signal() }
        clock.add(\.judging, judged - start)
        clock.add(\.writing, StageClock.threadCPU() - judged)
        group.leave()
      }
    }

    for (path, (readPath, displayName)) in zip(configuration.inputs, sources) {
      var input = InputReport(path: path, size: fileSize(path))
      let fileIndex = duplicates.add(file: displayName)
      var excelDamagedIDs = 0
      var parser: ApplicantParser?
      do throws(ScreeningError) {
        let source = try duplicates.open(
          file: fileIndex, readPath: readPath, displayName: displayName, options: readerOptions,
          replays: configuration.replaysFirstPass)
        defer {
          input.encoding = source.encoding?.rawValue
          input.byteOrderMark = source.hadByteOrderMark
          input.skipped = source.skipped
          input.sha256 = source.sha256
          input.rows += source.skipped.total
          rowsRead += source.skipped.total
          bytesBefore += source.bytesRead
        }
        while sink.failure == nil, let records = try source.nextBatch() {
          let skipped = source.takeSkippedRecords()
          guard let header = source.header, !records.isEmpty || !skipped.isEmpty else { continue }
          if parser == nil {
            parser = ApplicantParser(header: header)
            input.unknownColumns = header.unknownHeaders.map(\.name)
          }
          var contexts: [EvaluationContext] = []
          contexts.reserveCapacity(records.count)
          // Read in place: taking each record out of the array would retain and release it.
          try records.withUnsafeBufferPointer { records throws(ScreeningError) in
            for index in records.indices {
              var context = EvaluationContext()
              if let key = Self.duplicateKey(records[index], header: header) {
                context.firstOccurrence = try duplicates.firstSeen(
                  key, file: fileIndex, line: records[index].location.line)
                context.onIntegrityList = configuration.integrity.contains(key)
                if key.mayBeExcelDamage, ValueParser.idNumber(key.text).looksDamagedByExcel {
                  excelDamagedIDs += 1
                }
              }
              contexts.append(context)
            }
          }
          input.rows += records.count
          rowsRead += records.count
          submit(
            Job(
              sequence: sequence, records: records, skipped: skipped, contexts: contexts,
              parser: parser ?? ApplicantParser(header: header)))
          sequence += 1
          configuration.progress?(
            ScreeningProgress(
              phase: .screening, rows: rowsRead, bytesRead: bytesBefore + source.bytesRead,
              totalBytes: totalBytes))
        }
        if let replay = source as? ReplayedRosterSource {
          // What the first pass read is what was judged, whatever the file holds now.
          if input.size != nil { input.size = replay.bytesRead }
        } else if let size = input.size, source.sha256 != nil, source.bytesRead < size {
          throw .inputTruncated(
            path: displayName, expected: size, read: source.bytesRead)
        }
        try duplicates.confirmUnchanged(file: fileIndex, source: source, displayName: displayName)
        if source.header != nil, input.rows == 0 {
          input.warnings.append("只有表头，没有数据行 / the file has a header but no data rows")
        }
      } catch {
        input.failure = error.description
      }
      if excelDamagedIDs > 0 {
        input.warnings.append(
          "\(excelDamagedIDs) 行身份证号疑似被 Excel 损坏（科学计数法或末位变成000），"
            + "请把该列设为文本后重新导出 / \(excelDamagedIDs) ID numbers look damaged by Excel: "
            + "format the column as text and export again")
      }
      if input.sha256 == nil, path != "-" { input.sha256 = try? FileDigest.sha256(path: path) }
      inputs.append(input)
    }
    clock.add(\.reading, StageClock.threadCPU() - readingStarted)
    group.wait()
    let counts = try sink.finish()
    var report = RunReport(
      inputs: inputs, recordsRead: rowsRead, verdicts: counts.verdicts, rejects: counts.rejects,
      duplicates: counts.duplicates,
      skipped: inputs.reduce(into: SkippedRows()) { $0.merge($1.skipped) },
      eligibleByLevel: counts.eligibleByLevel,
      outputDirectory: configuration.outputDirectory, elapsedSeconds: 0, bytesRead: bytesBefore)
    report.stageTimes = clock.total
    return Outcome(report: report, counts: counts)
  }

  /// The ID number of a record that will be judged, as the duplicate and integrity checks
  /// compare it; `nil` for a damaged or short record, a roster without the column, or a blank
  /// ID cell.
  static func duplicateKey(_ record: CSVRecord, header: RosterHeader) -> DuplicateKey? {
    guard let column = header.idNumberColumn, record.damage == nil,
      record.fieldCount == header.fieldCount
    else { return nil }
    if let packed = record.withFieldBytes(column, DuplicateKey.packedCell) {
      return .packed(packed)
    }
    let text = IntegrityList.key(record.field(column))
    return text.isEmpty ? nil : .text(text)
  }

  /// Whether `path` names a regular file (after symbolic links), which can be read twice.
  static func isRegularFile(_ path: String) -> Bool {
    var status = stat()
    return path != "-" && stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
  }

  /// Judges and formats one batch; runs on a worker thread, with a judging state that earlier
  /// batches may have filled.
  static func process(_ job: Job, evaluator: Evaluator, states: JudgingStates) -> BatchResult {
    var result = BatchResult()
    result.verdictRows.reserveCapacity(job.records.count * 640)
    let english = states.table.language == .english
    for skipped in job.skipped {
      CSVFormat.appendRow(
        [
          skipped.record.location.description, skipped.reason(english),
          skipped.record.fields.joined(separator: ","),
        ], to: &result.skippedRows)
    }
    var state = states.take()
    defer { states.keep(state) }
    // A cache an earlier batch may have filled, so a worker learns the few-valued texts once.
    job.parser.withCache { cache in
      judgeRows(of: job, evaluator: evaluator, state: &state, cache: &cache, into: &result)
    }
    state.writer.moveRows(to: &result.verdictRows)
    result.counts = state.counts.takeBatch()
    return result
  }

  /// Reads, judges, writes and counts the rows of one batch. The applicant, verdict, memo, counts
  /// and writer are its own variables, moved in from the state: read from the state, they would
  /// be copied for every `judge`. Each row is read into the one applicant in place. The parser is
  /// bound once and the rows visited by index: read as `job.parser` in the loop, the parser was
  /// copied for every row. (The applicant is still copied once a row to be lent to `judge`; an
  /// `inout` applicant, or one read from the state, was copied for each of the three steps.)
  private static func judgeRows(
    of job: Job, evaluator: Evaluator, state: inout JudgingState,
    cache: inout ApplicantParser.Cache, into result: inout BatchResult
  ) {
    let english = state.writer.table.language == .english
    var applicant = Applicant(location: SourceLocation(file: "", line: 0))
    var verdict = JudgingState.blankVerdict
    var memo = EvaluationMemo()
    var counts = SummaryCounts.blank
    var writer = state.writer
    swap(&applicant, &state.applicant)
    swap(&verdict, &state.verdict)
    swap(&memo, &state.memo)
    swap(&counts, &state.counts)
    defer {
      swap(&applicant, &state.applicant)
      swap(&verdict, &state.verdict)
      swap(&memo, &state.memo)
      swap(&counts, &state.counts)
      state.writer = writer
    }
    let parser = job.parser
    precondition(job.contexts.count == job.records.count, "one context per record")
    for index in job.records.indices {
      if let damage = job.records[index].damage {
        let record = job.records[index]
        CSVFormat.appendRow(
          [
            record.location.description, rejectReason(for: damage, english: english),
            record.fields.first ?? "",
          ], to: &result.rejectRows)
        counts.rejects += 1
        continue
      }
      if let reject = parser.parse(job.records[index], into: &applicant, cache: &cache) {
        let reason = english ? (reject.englishReason ?? reject.reason) : reject.reason
        CSVFormat.appendRow(
          [reject.location.description, reason, reject.raw], to: &result.rejectRows)
        counts.rejects += 1
        continue
      }
      judge(
        applicant, context: job.contexts[index], evaluator: evaluator, verdict: &verdict,
        memo: &memo, writer: &writer, rows: &result.verdictRows, counts: &counts)
    }
  }

  /// Judges, writes and counts one applicant. A function of its own, so the three steps are lent
  /// the one applicant in place: lent from `process`'s variable, each got its own copy.
  @inline(never)
  private static func judge(
    _ applicant: Applicant, context: EvaluationContext, evaluator: Evaluator,
    verdict: inout Verdict, memo: inout EvaluationMemo, writer: inout VerdictRowWriter,
    rows: inout [UInt8], counts: inout SummaryCounts
  ) {
    evaluator.evaluate(applicant, context: context, into: &verdict, memo: &memo)
    writer.append(
      applicant, lending: &verdict, to: &rows, holdingUnder: VerdictRowWriter.batchHolding)
    counts.add(applicant, lending: &verdict)
  }

  /// The reject reason for a record the reader could not parse: what broke and on which line,
  /// when that is not the line the record began on.
  static func rejectReason(for damage: RecordDamage, english: Bool) -> String {
    var position = ""
    if let column = damage.column {
      position =
        english
        ? " (line \(damage.failingLine), column \(column))" : "（第\(damage.failingLine)行第\(column)列）"
    } else {
      position = english ? " (line \(damage.failingLine))" : "（第\(damage.failingLine)行）"
    }
    return damage.message + position
  }

  /// The size of a regular file, following symbolic links; `nil` for standard input, pipes and
  /// anything that cannot be examined.
  static func fileSize(_ path: String) -> Int? {
    var status = stat()
    guard path != "-", stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
      return nil
    }
    return Int(status.st_size)
  }
}

/// What a worker judges with and keeps from one batch to the next: the row writer with what it
/// learnt of the table, the evaluator's memo, the counts with the numbers of the texts met, and
/// the applicant and verdict each row is read and judged into in place.
struct JudgingState {
  static let blankVerdict = Verdict(
    title: .notApplicable, skill: .notApplicable, equivalentEducation: nil, reasons: [])

  var writer: VerdictRowWriter
  var memo = EvaluationMemo()
  var applicant = Applicant(location: SourceLocation(file: "", line: 0))
  var verdict = blankVerdict
  var counts = SummaryCounts()

  init(table: VerdictTable) {
    writer = VerdictRowWriter(table: table)
  }
}

/// The judging states of the batches not being judged now, one for each batch that was judged
/// at the same time as others, so that memory stays bounded by the batches in flight (at most
/// `2 × jobs`, each state a few hundred KiB). The lock is taken twice a batch, never for a row.
final class JudgingStates: @unchecked Sendable {
  let table: VerdictTable
  private let lock = NSLock()
  /// Each state is used by one batch at a time, taken out of here while it is.
  private var idle: [JudgingState] = []

  init(table: VerdictTable) {
    self.table = table
  }

  func take() -> JudgingState {
    lock.withLock { idle.popLast() } ?? JudgingState(table: table)
  }

  func keep(_ state: JudgingState) {
    lock.withLock { idle.append(state) }
  }
}

/// The formatted rows and counts of one batch.
struct BatchResult: Sendable {
  var verdictRows: [UInt8] = []
  var rejectRows: [UInt8] = []
  var skippedRows: [UInt8] = []
  var counts = SummaryCounts.blank
}
