import CSVStream
import Foundation
import Roster
import Testing
import Yams

@testable import Policy

/// Runs the scenario files in `Tests/PolicyTests/Scenarios/`: a roster row, a screening date and
/// the verdict it must get, written in the bureau's own column names so cases can be added
/// without Swift.
@Suite struct ScenarioTests {
  struct Scenario: Sendable, CustomTestStringConvertible {
    var file: String
    var name: String
    var asOf: String
    var row: [(String, String)]
    var context: [String: String]
    var expect: [String: ExpectedValue]
    var testDescription: String { "\(file): \(name)" }
  }

  enum ExpectedValue: Sendable, Equatable {
    case text(String)
    case list([String])
  }

  static func loadScenarios() throws -> [Scenario] {
    guard let folder = Bundle.module.url(forResource: "Scenarios", withExtension: nil) else {
      throw ScenarioError("Scenarios folder missing from the test bundle")
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".yaml") }.sorted()
    var scenarios: [Scenario] = []
    for file in files {
      let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      guard case .sequence(let cases)? = try Yams.compose(yaml: text) else {
        throw ScenarioError("\(file): a list of cases expected")
      }
      for node in cases {
        scenarios.append(try scenario(node, file: file))
      }
    }
    return scenarios
  }

  static func scenario(_ node: Node, file: String) throws -> Scenario {
    guard let mapping = node.mapping else { throw ScenarioError("\(file): case is not a mapping") }
    func text(_ key: String) -> String? { mapping[key]?.string }
    var row: [(String, String)] = []
    for (key, value) in mapping["row"]?.mapping ?? [:] {
      row.append((key.string ?? "", value.string ?? ""))
    }
    var context: [String: String] = [:]
    for (key, value) in mapping["context"]?.mapping ?? [:] {
      context[key.string ?? ""] = value.string ?? ""
    }
    var expect: [String: ExpectedValue] = [:]
    for (key, value) in mapping["expect"]?.mapping ?? [:] {
      if let items = value.sequence {
        expect[key.string ?? ""] = .list(items.compactMap(\.string))
      } else {
        expect[key.string ?? ""] = .text(value.string ?? "")
      }
    }
    guard let name = text("name"), let asOf = text("as_of"), !row.isEmpty, !expect.isEmpty else {
      throw ScenarioError("\(file) line \(node.mark?.line ?? 0): name, as_of, row, expect needed")
    }
    return Scenario(
      file: file, name: name, asOf: asOf, row: row, context: context, expect: expect)
  }

  /// The verdict as the bureau reads it, under the verdict file's column names.
  static func observed(_ verdict: Verdict) -> [String: ExpectedValue] {
    let title = verdict.title
    let skill = verdict.skill
    let points = skill.servicePoints.map { point in
      let contact = [point.contact, point.phone].filter { !$0.isEmpty }.joined(separator: " ")
      return contact.isEmpty ? point.institution : "\(point.institution)（\(contact)）"
    }
    return [
      "职称申报结论": .text(title.conclusion.rawValue),
      "可申报职称等级": .text(title.target?.chineseName ?? ""),
      "申报途径": .text(title.routes.map(\.rawValue).joined(separator: "、")),
      "职称系列": .text(title.primary?.series ?? ""),
      "专业": .text(title.primary?.specialty ?? ""),
      "下一等级及可申报日期": .text(title.next.map { "\($0.level.chineseName) \($0.date)" } ?? ""),
      "技能评价结论": .text(skill.conclusion.rawValue),
      "可申请技能等级": .text(skill.target?.chineseName ?? ""),
      "评价职业工种": .text(skill.occupation ?? ""),
      "免理论考试": .text(skill.exemptFromTheory.map { $0 ? "是" : "否" } ?? ""),
      "推荐评价机构": .text(points.joined(separator: "；")),
      "等同学历": .text(verdict.equivalentEducation ?? ""),
      "原因代码": .list(verdict.reasons.map(\.code.rawValue)),
    ]
  }

  @Test func scenarioFilesAreFound() throws {
    #expect(try Self.loadScenarios().count >= 15)
  }

  @Test(arguments: try loadScenarios())
  func scenario(_ scenario: Scenario) throws {
    let header = CSVRecord(
      location: SourceLocation(file: scenario.file, line: 1), fields: scenario.row.map(\.0))
    let record = CSVRecord(
      location: SourceLocation(file: scenario.file, line: 2), fields: scenario.row.map(\.1))
    let parser = ApplicantParser(header: try RosterHeader(record: header))
    guard case .applicant(let applicant) = parser.parse(record) else {
      Issue.record("the row was rejected")
      return
    }
    var context = EvaluationContext()
    context.onIntegrityList = scenario.context["诚信名单"] == "是"
    if let first = scenario.context["首次出现"] {
      let parts = first.split(separator: ":")
      context.firstOccurrence = SourceLocation(
        file: String(parts.first ?? ""), line: Int(parts.last ?? "") ?? 0)
    }
    let verdict = Fixtures.evaluator(asOf: scenario.asOf).evaluate(applicant, context: context)
    let observed = Self.observed(verdict)
    for (column, expected) in scenario.expect {
      #expect(observed[column] != nil, "unknown expectation column \(column)")
      #expect(observed[column] == expected, "\(column)")
    }
  }
}

struct ScenarioError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
