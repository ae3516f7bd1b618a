import ArgumentParser
import CSystem
import Foundation
import Screening

/// The `talent-screen` command line: screens rosters for 职业发展贯通 (绍市人社发〔2023〕3号).
struct TalentScreen: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "talent-screen",
    abstract: "Screen worker rosters for the skill/title crossing policy (职业发展贯通).",
    discussion: """
      Applies 绍市人社发〔2023〕3号 to enterprise rosters (CSV): skill holders applying for \
      a professional title, and title holders applying for skill evaluation.

      Example:
        talent-screen screen rosters/ --quarter 2026Q3 --out results
      """,
    version: TalentScreenVersion.current,
    subcommands: [
      Screen.self, Check.self, Template.self, Explain.self, PolicyCommand.self, Generate.self,
    ]
  )
}

/// Runs the command line and renders every error once, here: usage problems and unusable
/// inputs exit with status 2 and one clear message.
@main
enum Main {
  static func main() {
    signal(SIGPIPE, SIG_IGN)
    limitMallocArenas()
    do {
      var command = try TalentScreen.parseAsRoot()
      try command.run()
    } catch let error as ScreeningError {
      fail(error.description)
    } catch let error as CommandFailure {
      fail(error.message)
    } catch {
      let code = TalentScreen.exitCode(for: error)
      if code == .success || error is ExitCode {
        TalentScreen.exit(withError: error)
      }
      let message = TalentScreen.fullMessage(for: error)
      Terminal.error(message)
      exit(2)
    }
  }

  static func fail(_ message: String) -> Never {
    Terminal.error("talent-screen: \(message)")
    exit(2)
  }
}

/// An error already phrased for the person at the terminal; exits with status 2.
struct CommandFailure: Error {
  var message: String
}

extension Main {
  /// Has glibc's allocator keep one arena for all threads. With its default (an arena a thread,
  /// up to eight a core) each thread's arena keeps the batch buffers that thread freed, and a
  /// long run's peak grew with the rows (10M rows peaked 3–7 MiB above 1M); with one arena it
  /// stays flat. Elsewhere nothing changes.
  static func limitMallocArenas() {
    _ = csystem_limit_malloc_arenas(1)
  }
}
