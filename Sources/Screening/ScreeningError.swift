import CSVStream
import Policy
import Roster

/// Everything that can stop a screening run or fail one input, with the file (and line) it
/// concerns. Rendered once, by the command line.
public enum ScreeningError: Error, CustomStringConvertible {
  case noInputs
  case argument(String)
  case inputNotFound(path: String)
  case emptyFolder(path: String)
  case input(CSVError)
  case roster(RosterError)
  case emptyInput(path: String)
  case inputTruncated(path: String, expected: Int, read: Int)
  /// The input's bytes differ between the duplicate pass and the screening pass.
  case inputChanged(path: String)
  case policy(PolicyError)
  case integrityList(path: String, line: Int?, message: String)
  case output(path: String, message: String)
  case outputExists(path: String)

  public var description: String {
    switch self {
    case .noInputs:
      "没有输入文件 / no input files given"
    case .argument(let message):
      message
    case .inputNotFound(let path):
      "\(path): 文件或文件夹不存在 / no such file or folder"
    case .emptyFolder(let path):
      "\(path): 文件夹中没有 .csv 文件 / the folder holds no .csv file"
    case .input(let error):
      error.description
    case .roster(let error):
      error.description
    case .inputTruncated(let path, let expected, let read):
      "\(path): 文件在读取过程中变短（开始时 \(expected) 字节，只读到 \(read) 字节），结果不完整 / "
        + "the file shrank while being read (\(expected) bytes at the start, \(read) read)"
    case .inputChanged(let path):
      "\(path): 文件在筛查过程中被改动（两次读取的内容不同），结果不完整 / "
        + "the file changed during the run (the two passes read different bytes)"
    case .emptyInput(let path):
      "\(path): 文件为空，没有表头 / the file is empty (no header row)"
    case .policy(let error):
      error.description
    case .integrityList(let path, let line, let message):
      "\(path)\(line.map { ":\($0)" } ?? ""): 诚信名单 / integrity list: \(message)"
    case .output(let path, let message):
      "\(path): 无法写出结果 / cannot write output: \(message)"
    case .outputExists(let path):
      "\(path): 输出文件夹已存在，且含有本工具结果以外的文件，请换一个 --out / "
        + "the output folder exists and holds files other than a previous result; choose another --out"
    }
  }
}
