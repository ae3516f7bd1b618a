import Roster
import Yams

/// A node of `policy.yaml` with the path and line that errors about it will name.
struct YAMLValue {
  static let file = "policy.yaml"

  var node: Node
  /// `honours.tiers[1].names[3]`.
  var path: String
  /// The line of the key (or sequence item) that introduced this value.
  var keyLine: Int?

  /// The value's own line for a written scalar; otherwise the line of its key.
  var line: Int? {
    if case .scalar = node, !isNull, let line = node.mark?.line { return line }
    return keyLine ?? node.mark?.line
  }

  var isNull: Bool {
    guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
    return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
  }

  func error(_ message: String) -> PolicyError {
    PolicyError(file: Self.file, line: line, field: path, message: message)
  }

  func mapping(keys allowed: [String]) throws(PolicyError) -> YAMLMapping {
    guard case .mapping(let mapping) = node else {
      throw error("应为映射（键: 值）/ expected a mapping of keys to values")
    }
    var entries: [(key: String, value: YAMLValue)] = []
    for (keyNode, valueNode) in mapping {
      guard case .scalar(let key) = keyNode else {
        throw error("键应为文字 / a key must be plain text")
      }
      let child = YAMLValue(
        node: valueNode, path: path.isEmpty ? key.string : "\(path).\(key.string)",
        keyLine: keyNode.mark?.line)
      guard allowed.isEmpty || allowed.contains(key.string) else {
        throw child.error(
          "未知的键“\(key.string)”，可用：\(allowed.joined(separator: ", ")) / unknown key")
      }
      entries.append((key.string, child))
    }
    return YAMLMapping(owner: self, entries: entries)
  }

  /// A mapping whose keys are data (reason codes, honour aliases), not field names.
  func openMapping() throws(PolicyError) -> YAMLMapping {
    try mapping(keys: [])
  }

  func sequence() throws(PolicyError) -> [YAMLValue] {
    guard case .sequence(let sequence) = node else {
      throw error("应为列表 / expected a list")
    }
    return sequence.enumerated().map { index, item in
      YAMLValue(node: item, path: "\(path)[\(index)]", keyLine: item.mark?.line ?? keyLine)
    }
  }

  /// A written text; `allowEmpty` admits `''` but never a missing value.
  func string(allowEmpty: Bool = false) throws(PolicyError) -> String {
    guard case .scalar(let scalar) = node else {
      throw error("应为文字 / expected a text value")
    }
    if isNull { throw error("缺少值 / value missing") }
    let text = PolicyText.trimmed(scalar.string)
    if text.isEmpty && !allowEmpty { throw error("值为空 / value is empty") }
    return text
  }

  func strings() throws(PolicyError) -> [String] {
    var result: [String] = []
    for item in try sequence() { result.append(try item.string()) }
    return result
  }

  func int(in range: ClosedRange<Int>) throws(PolicyError) -> Int {
    let text = try string()
    guard let value = Int(text), range.contains(value) else {
      throw error(
        "“\(text)”应为 \(range.lowerBound)…\(range.upperBound) 的整数 / expected a whole number")
    }
    return value
  }

  func number() throws(PolicyError) -> Double {
    let text = try string()
    guard let value = Double(text), value.isFinite, value >= 0 else {
      throw error("“\(text)”应为非负数 / expected a non-negative number")
    }
    return value
  }

  func bool() throws(PolicyError) -> Bool {
    switch try string() {
    case "true": return true
    case "false": return false
    case let text: throw error("“\(text)”应为 true 或 false / expected true or false")
    }
  }

  /// A `YYYY-MM-DD` date, or `nil` when the value is left empty.
  func optionalDate() throws(PolicyError) -> CivilDate? {
    if isNull { return nil }
    let text = try string()
    guard let date = PolicyText.date(text) else {
      throw error("“\(text)”不是有效日期（YYYY-MM-DD）/ not a valid date")
    }
    return date
  }
}

/// The entries of a YAML mapping, in file order, with lookups that report missing keys.
struct YAMLMapping {
  var owner: YAMLValue
  var entries: [(key: String, value: YAMLValue)]

  func optional(_ key: String) -> YAMLValue? {
    entries.first { $0.key == key }?.value
  }

  func required(_ key: String) throws(PolicyError) -> YAMLValue {
    if let value = optional(key) { return value }
    let path = owner.path.isEmpty ? key : "\(owner.path).\(key)"
    throw PolicyError(
      file: YAMLValue.file, line: owner.keyLine ?? owner.node.mark?.line, field: path,
      message: "缺少必需的键“\(key)” / required key missing")
  }

  /// The `from:` / `until:` pair of a table entry; `until` before `from` is an error.
  func validity() throws(PolicyError) -> Validity {
    let from = try optional("from")?.optionalDate()
    let until = try optional("until")?.optionalDate()
    if let from, let until, until < from, let untilValue = optional("until") {
      throw untilValue.error("失效日期 \(until) 早于生效日期 \(from) / until is before from")
    }
    return Validity(from: from, until: until)
  }
}

/// Text helpers shared by the YAML and CSV readers of a policy bundle.
enum PolicyText {
  /// Trims whitespace (and a stray byte-order mark) from both ends.
  static func trimmed(_ text: String) -> String {
    var scalars = Substring(text).unicodeScalars
    while let first = scalars.first, first.properties.isWhitespace || first == "\u{FEFF}" {
      scalars.removeFirst()
    }
    while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
    return String(scalars)
  }

  /// Parses exactly `YYYY-MM-DD` with an existing day; anything else is `nil`.
  static func date(_ text: String) -> CivilDate? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else { return nil }
    return CivilDate(year: year, month: month, day: day)
  }

  /// Whether two validity periods share at least one day.
  static func overlap(_ lhs: Validity, _ rhs: Validity) -> Bool {
    if let lhsUntil = lhs.until, let rhsFrom = rhs.from, lhsUntil < rhsFrom { return false }
    if let rhsUntil = rhs.until, let lhsFrom = lhs.from, rhsUntil < lhsFrom { return false }
    return true
  }
}
