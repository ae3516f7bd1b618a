/// Why a whole CSV file could not be read or written, rendered once at the edge. Problems with
/// single records do not throw: they come back as records with a `RecordDamage`.
public enum CSVError: Error, Equatable, CustomStringConvertible {
  /// The file could not be opened (missing, no permission, a directory, …).
  case cannotOpen(path: String, reason: String)
  /// Reading or writing failed after the file was open.
  case io(path: String, reason: String)
  /// The file is not CSV text at all (an Excel workbook, a binary file); `reason` says what it
  /// looks like and what to do, in Chinese then English.
  case notCSV(path: String, reason: String)
  /// The libcsv the program was linked with at run time does not parse as the one it was built
  /// for (`LibCSVParser.linkedLibraryBehaves`), so no input is read with it.
  case incompatibleLibCSV(path: String)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason):
      return "\(path): 无法打开文件 / cannot open file: \(reason)"
    case .io(let path, let reason):
      return "\(path): 读写错误 / I/O error: \(reason)"
    case .notCSV(let path, let reason):
      return "\(path): 不是 CSV 文本文件 / not a CSV text file: \(reason)"
    case .incompatibleLibCSV(let path):
      return "\(path): 系统的 libcsv 与本程序不兼容，请安装 libcsv 3.0.3 后重新运行 / "
        + "the system's libcsv does not behave as this program needs: install libcsv 3.0.3"
    }
  }
}
