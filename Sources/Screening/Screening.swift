import CSVStream
import Policy
import Roster

/// The screening library's version, recorded in every run manifest.
public enum TalentScreenVersion {
  public static let current = "0.1.0"
}
