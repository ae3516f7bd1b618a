import CSVStream
import Foundation
import Policy

/// The machine-readable summary: the same numbers as the tables plus the run manifest.
struct SummaryDocument: Codable {
  struct Manifest: Codable {
    var tool: String
    var version: String
    var asOf: String
    var policyDocument: String
    var policyEffective: String?
    var policyDigest: String
    var language: String
    var outputEncoding: String
    var integrityList: IntegrityListRecord?
    var inputs: [Input]
  }

  /// Which integrity list (五（三）) the run used, so an audit can tell.
  struct IntegrityListRecord: Codable {
    var path: String
    var sha256: String?
    var ids: Int
  }

  struct Input: Codable {
    var path: String
    var size: Int?
    var sha256: String?
    var encoding: String?
    var byteOrderMark: Bool
    var rows: Int
    var status: String
    var failure: String?
    var unknownColumns: [String]
    var skipped: SkippedRows
    var warnings: [String]
  }

  struct Counts: Codable {
    var recordsRead: Int
    var verdicts: Int
    var rejects: Int
    var duplicates: Int
    var skipped: SkippedRows
    var failedInputs: Int
  }

  /// records read = verdicts + rejects + skipped, which must hold.
  struct Reconciliation: Codable {
    var recordsRead: Int
    var verdicts: Int
    var rejects: Int
    var skipped: Int
    var holds: Bool
  }

  struct SeriesRow: Codable {
    var series: String
    var district: String
    var applicants: Int
    var eligible: [String: Int]
    var review: Int
    var ineligible: Int
    var normalRoute: Int
    var directRoute: Int
  }

  struct SkillRow: Codable {
    var level: String
    var district: String
    var applicants: Int
    var eligible: Int
    var review: Int
    var ineligible: Int
    var notApplicable: Int
  }

  struct ReasonRow: Codable {
    var code: String
    var clause: String
    var district: String
    var count: Int
  }

  var manifest: Manifest
  var counts: Counts
  var reconciliation: Reconciliation
  var eligibleByTitleLevel: [String: Int]
  var titleSeriesByDistrict: [SeriesRow]
  var skillLevelByDistrict: [SkillRow]
  var reasons: [ReasonRow]
}

extension SummaryFiles {
  static func writeJSON(
    report: RunReport, counts: SummaryCounts, configuration: ScreeningConfiguration,
    directory: String
  ) throws(ScreeningError) {
    let policy = configuration.policy
    let inputs = report.inputs.map {
      SummaryDocument.Input(
        path: $0.path, size: $0.size, sha256: $0.sha256, encoding: $0.encoding,
        byteOrderMark: $0.byteOrderMark, rows: $0.rows, status: $0.failure == nil ? "OK" : "FAILED",
        failure: $0.failure, unknownColumns: $0.unknownColumns, skipped: $0.skipped,
        warnings: $0.warnings)
    }
    let document = SummaryDocument(
      manifest: .init(
        tool: "talent-screen", version: TalentScreenVersion.current,
        asOf: policy.asOf.description, policyDocument: policy.policy.document.id,
        policyEffective: policy.policy.document.effective?.description,
        policyDigest: configuration.policyDigest, language: configuration.language.rawValue,
        outputEncoding: configuration.outputEncoding.rawValue,
        integrityList: configuration.integrity.path.map {
          .init(
            path: $0, sha256: configuration.integrity.sha256, ids: configuration.integrity.count)
        },
        inputs: inputs),
      counts: .init(
        recordsRead: report.recordsRead, verdicts: counts.verdicts, rejects: counts.rejects,
        duplicates: counts.duplicates, skipped: report.skipped,
        failedInputs: report.failedInputs.count),
      reconciliation: .init(
        recordsRead: report.recordsRead, verdicts: counts.verdicts, rejects: counts.rejects,
        skipped: report.skipped.total,
        holds: report.recordsRead == counts.verdicts + counts.rejects + report.skipped.total),
      eligibleByTitleLevel: Dictionary(
        uniqueKeysWithValues: counts.eligibleByLevel.map { ($0.key.chineseName, $0.value) }),
      titleSeriesByDistrict: counts.series.keys.sorted().map { key in
        let tally = counts.series[key] ?? SeriesTally()
        return .init(
          series: key.group, district: key.district, applicants: tally.applicants,
          eligible: Dictionary(
            uniqueKeysWithValues: zip(SeriesTally.levels.map(\.chineseName), tally.eligible)),
          review: tally.review, ineligible: tally.ineligible, normalRoute: tally.normalRoute,
          directRoute: tally.directRoute)
      },
      skillLevelByDistrict: counts.skills.keys.sorted().map { key in
        let tally = counts.skills[key] ?? SkillTally()
        return .init(
          level: key.group, district: key.district, applicants: tally.applicants,
          eligible: tally.eligible, review: tally.review, ineligible: tally.ineligible,
          notApplicable: tally.notApplicable)
      },
      reasons: counts.reasons.keys.sorted().map { key in
        .init(
          code: key.group, clause: policy.clause(for: ReasonCode(key.group)),
          district: key.district, count: counts.reasons[key] ?? 0)
      })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let path = "\(directory)/summary.json"
    do {
      let data = try encoder.encode(document)
      guard
        FileManager.default.createFile(
          atPath: path, contents: data + Data("\n".utf8), attributes: [.posixPermissions: 0o600])
      else { throw ScreeningError.output(path: path, message: "create failed") }
    } catch let error as ScreeningError {
      throw error
    } catch {
      throw .output(path: path, message: "\(error)")
    }
  }
}

/// The screening library's version, recorded in every run manifest.
public enum TalentScreenVersion {
  public static let current = "0.1.0"
}

/// SHA-256 of an input file, streamed, for the run manifest.
enum FileDigest {
  /// Reads into one buffer with `read(2)`: a large input is digested on its own thread while
  /// the first pass parses it, and a fresh `Data` per block cost that thread more than hashing.
  static func sha256(path: String) throws -> String {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw ScreeningError.inputNotFound(path: path) }
    defer { close(descriptor) }
    var hasher = SHA256()
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
    defer { buffer.deallocate() }
    while true {
      let count = read(descriptor, buffer.baseAddress, buffer.count)
      if count < 0 && errno == EINTR { continue }
      guard count >= 0 else {
        throw ScreeningError.input(.io(path: path, reason: String(cString: strerror(errno))))
      }
      guard count > 0 else { break }
      hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
    }
    return SHA256.hex(hasher.finalize())
  }
}
