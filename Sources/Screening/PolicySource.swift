import Foundation
import Policy

/// The policy a run uses, and the digest that identifies it in the manifest.
public struct PolicySource: Sendable {
  public var policy: Policy
  public var digest: String
  public var directory: URL

  /// Loads `--policy DIR`, or the bundled default when `path` is `nil`.
  public static func load(_ path: String?) throws(ScreeningError) -> PolicySource {
    do {
      let directory =
        if let path { URL(fileURLWithPath: path) } else { try PolicyLoader.defaultBundleURL }
      let policy = try PolicyLoader.load(directory: directory)
      return PolicySource(
        policy: policy, digest: try PolicyLoader.digest(directory: directory),
        directory: directory)
    } catch {
      throw .policy(error)
    }
  }
}
