// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "talent-screen",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "talent-screen", targets: ["talent-screen"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibCSV",
      providers: [.apt(["libcsv-dev"])]
    ),
    .target(name: "CSHA256"),
    .target(name: "CByteScan"),
    .target(name: "CSystem"),
    .target(name: "CSVStream", dependencies: ["CLibCSV", "CSHA256", "CByteScan"]),
    .target(name: "Roster", dependencies: ["CSVStream"]),
    .target(
      name: "Policy",
      dependencies: ["Roster", "CSVStream", "Yams"],
      resources: [.copy("DefaultPolicy")]
    ),
    .target(name: "Screening", dependencies: ["Policy", "Roster", "CSVStream", "CSystem"]),
    .target(name: "RosterSynthesis", dependencies: ["Policy", "Roster", "CSVStream"]),
    .executableTarget(
      name: "talent-screen",
      dependencies: [
        "Screening", "RosterSynthesis", "Policy", "Roster", "CSVStream", "CSystem",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "csv-parse-baseline",
      linkerSettings: [.linkedLibrary("csv")]
    ),
    .executableTarget(
      name: "talent-screen-bench",
      dependencies: [
        "talent-screen", "csv-parse-baseline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "CSVStreamTests", dependencies: ["CSVStream"]),
    .testTarget(name: "RosterTests", dependencies: ["Roster"]),
    .testTarget(
      name: "PolicyTests",
      dependencies: ["Policy", "Roster", "CSVStream", "RosterSynthesis", "Yams"],
      resources: [.copy("Scenarios")]),
    .testTarget(
      name: "ScreeningTests",
      dependencies: [
        "Screening", "RosterSynthesis", "Policy", "Roster", "CSVStream", "CSystem",
      ]),
  ],
  swiftLanguageModes: [.v6]
)
