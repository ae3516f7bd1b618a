import ArgumentParser
import Screening

/// The `talent-screen` command line: screens rosters for 职业发展贯通 (绍市人社发〔2023〕3号).
@main
struct TalentScreen: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "talent-screen",
    abstract: "Screen worker rosters for the skill/title crossing policy (职业发展贯通).",
    version: TalentScreenVersion.current
  )
}
