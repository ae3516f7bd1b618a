import Foundation

/// Turns the command line's INPUT arguments into the list of rosters to read, in order: files as
/// given, folders as every `*.csv` inside in sorted order, and `-` for standard input.
public enum ScreeningInputs {
  public static func expand(_ arguments: [String]) throws(ScreeningError) -> [String] {
    guard !arguments.isEmpty else { throw .noInputs }
    var paths: [String] = []
    let files = FileManager.default
    for argument in arguments {
      if argument == "-" {
        paths.append(argument)
        continue
      }
      var isFolder: ObjCBool = false
      guard files.fileExists(atPath: argument, isDirectory: &isFolder) else {
        throw .inputNotFound(path: argument)
      }
      guard isFolder.boolValue else {
        paths.append(argument)
        continue
      }
      let names = (try? files.contentsOfDirectory(atPath: argument)) ?? []
      let rosters = names.filter { name in
        var isSubfolder: ObjCBool = false
        let found = files.fileExists(atPath: "\(argument)/\(name)", isDirectory: &isSubfolder)
        return name.lowercased().hasSuffix(".csv") && !name.hasPrefix(".") && found
          && !isSubfolder.boolValue
      }.sorted()
      guard !rosters.isEmpty else { throw .emptyFolder(path: argument) }
      let folder = argument.hasSuffix("/") ? String(argument.dropLast()) : argument
      paths.append(contentsOf: rosters.map { "\(folder)/\($0)" })
    }
    return paths
  }
}
