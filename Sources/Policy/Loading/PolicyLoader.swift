import CSVStream
import Foundation

/// Reads a policy bundle (the shipped default or a bureau's edited copy), checks it and builds
/// the `Policy`; also exports the default files and fingerprints a bundle.
public enum PolicyLoader {
  static let settingsFile = "policy.yaml"
  /// The files a bundle consists of, in name order (the order the digest hashes them in).
  static let policyFiles = [AnnexTables.annex1File, AnnexTables.annex2File, settingsFile]

  /// The default bundle shipped with the program (`DefaultPolicy` in the package resources).
  public static var defaultBundleURL: URL {
    get throws(PolicyError) {
      guard let url = Bundle.module.url(forResource: "DefaultPolicy", withExtension: nil) else {
        throw PolicyError(
          file: "DefaultPolicy", message: "程序包中缺少默认政策文件 / default policy not bundled")
      }
      return url
    }
  }

  /// Loads the bundle shipped with the program.
  public static func loadDefault() throws(PolicyError) -> Policy {
    try load(directory: defaultBundleURL)
  }

  /// Loads and checks the bundle in `directory`; the first mistake found is thrown.
  public static func load(directory: URL) throws(PolicyError) -> Policy {
    let settings = try PolicySettings(yaml: text(of: settingsFile, in: directory))
    let annex1 = try AnnexTables.occupations(
      records(of: AnnexTables.annex1File, in: directory))
    let annex2 = try AnnexTables.servicePointRows(
      records(of: AnnexTables.annex2File, in: directory))
    return Policy(
      document: settings.document, normalRoute: settings.normalRoute,
      topLevel: settings.topLevel, honourTiers: settings.honourTiers,
      honourAliases: settings.honourAliases, assessment: settings.assessment,
      continuingEducation: settings.continuingEducation, teacherSeries: settings.teacherSeries,
      teacherClause: settings.teacherClause, titleToSkill: settings.titleToSkill,
      promotionWaitYears: settings.promotionWaitYears, promotionClause: settings.promotionClause,
      equivalence: settings.equivalence, equivalenceExams: settings.equivalenceExams,
      accessOccupations: settings.accessOccupations, reasons: settings.reasons,
      annex1: annex1, annex2: annex2.flatMap(\.servicePoints))
  }

  /// Copies the default bundle's files into `directory` (created if needed) for editing.
  ///
  /// Existing files are never overwritten: exporting over an edited copy is an error.
  public static func export(to directory: URL) throws(PolicyError) {
    let source = try defaultBundleURL
    let manager = FileManager.default
    let names: [String]
    do {
      try manager.createDirectory(at: directory, withIntermediateDirectories: true)
      names = try manager.contentsOfDirectory(atPath: source.path).filter { !$0.hasPrefix(".") }
    } catch {
      throw PolicyError(
        file: directory.path, message: "无法创建目录 / cannot create the directory: \(error)")
    }
    if let existing = names.sorted().map(directory.appendingPathComponent)
      .first(where: { manager.fileExists(atPath: $0.path) })
    {
      throw PolicyError(
        file: existing.path, message: "文件已存在，未覆盖，未写入任何文件 / already exists: nothing written")
    }
    for name in names.sorted() {
      let target = directory.appendingPathComponent(name)
      do {
        try manager.copyItem(at: source.appendingPathComponent(name), to: target)
      } catch {
        throw PolicyError(file: target.path, message: "无法写入 / cannot write: \(error)")
      }
    }
  }

  /// SHA-256 (lowercase hex) of the bundle's policy files in name order, to record which policy a
  /// run used. Each file contributes its name, a NUL, its byte count in decimal, a NUL and its
  /// bytes; other files in the folder (README.md) do not count.
  public static func digest(directory: URL) throws(PolicyError) -> String {
    var hasher = SHA256()
    for name in policyFiles.sorted() {
      let bytes = try data(of: name, in: directory)
      hasher.update(Array(name.utf8) + [0] + Array(String(bytes.count).utf8) + [0])
      hasher.update(bytes)
    }
    return SHA256.hex(hasher.finalize())
  }

  static func data(of name: String, in directory: URL) throws(PolicyError) -> Data {
    let url = directory.appendingPathComponent(name)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw PolicyError(file: name, message: "缺少文件 / file missing in \(directory.path)")
    }
    do {
      return try Data(contentsOf: url)
    } catch {
      throw PolicyError(file: name, message: "无法读取 / cannot read: \(error)")
    }
  }

  static func text(of name: String, in directory: URL) throws(PolicyError) -> String {
    guard let text = String(data: try data(of: name, in: directory), encoding: .utf8) else {
      throw PolicyError(file: name, message: "不是 UTF-8 文本 / not UTF-8 text")
    }
    return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
  }

  static func records(of name: String, in directory: URL) throws(PolicyError) -> [CSVRecord] {
    let path = directory.appendingPathComponent(name).path
    guard FileManager.default.fileExists(atPath: path) else {
      throw PolicyError(file: name, message: "缺少文件 / file missing in \(directory.path)")
    }
    let records: [CSVRecord]
    do {
      records = try CSVReader(path: path, displayName: name).readAll()
    } catch {
      throw located(error, file: name)
    }
    if let damaged = records.first(where: { $0.damage != nil }), let damage = damaged.damage {
      throw PolicyError(
        file: name, line: damaged.location.line,
        message: "CSV 格式错误（至第\(damage.failingLine)行）/ malformed CSV "
          + "(to line \(damage.failingLine)): \(damage.message)")
    }
    return records
  }

  private static func located(_ error: CSVError, file: String) -> PolicyError {
    switch error {
    case .cannotOpen(_, let reason), .io(_, let reason), .notCSV(_, let reason):
      return PolicyError(file: file, message: "无法读取 / cannot read: \(reason)")
    case .incompatibleLibCSV:
      return PolicyError(file: file, message: error.description)
    }
  }

}
