/// A mistake in a policy bundle, located by file, line and field so an editor can fix it.
///
/// Rendered once at the edge as `policy.yaml:42 honours.tiers[1]: …`.
public struct PolicyError: Error, Equatable, CustomStringConvertible {
  /// The file's name inside the bundle (`policy.yaml`, `annex1-occupations.csv`).
  public var file: String
  /// 1-based line, when the mistake has one.
  public var line: Int?
  /// The YAML path (`honours.tiers[1].names[3]`) or CSV column (`职业工种`), when known.
  public var field: String?
  /// What is wrong, in Chinese and English.
  public var message: String

  public init(file: String, line: Int? = nil, field: String? = nil, message: String) {
    self.file = file
    self.line = line
    self.field = field
    self.message = message
  }

  public var description: String {
    var location = file
    if let line { location += ":\(line)" }
    if let field { location += " \(field)" }
    return "\(location): \(message)"
  }
}
