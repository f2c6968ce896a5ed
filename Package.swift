// swift-tools-version:6.0
//
// swift-unlearning: provable machine unlearning by one gradient-ascent step
// (Melamed, Yehudai, Vardi, arXiv 2510.14844). See docs/MATH.md for
// the formulas every module computes.

import PackageDescription

let package = Package(
  name: "swift-unlearning",
  platforms: [.macOS(.v13)],
  products: [
    .library(name: "Unlearning", targets: ["Unlearning"]),
    .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
    .executable(name: "unlearn", targets: ["unlearn"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    // Tests: approximate equality (RealModule's isApproximatelyEqual).
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.0"),
    // `make docs`: the DocC catalogs of LinearAlgebra and Unlearning (swift package generate-documentation).
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    // SHA-256 of training sets, model files and the ledger's hash chain.
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    // The deletion ledger's embedded SQLite database (WAL, transactions, busy timeouts).
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    // OpenBLAS (with its LAPACK) on Linux; Accelerate on Apple platforms.
    .systemLibrary(
      name: "CUnlearningBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev", "pkg-config"])]
    ),
    .target(
      name: "LinearAlgebra",
      dependencies: [
        .target(name: "CUnlearningBLAS", condition: .when(platforms: [.linux]))
      ]
    ),
    // Resources/RealData: the breast-cancer and digits sets (scripts/extract-real-data.py, NOTICE.md).
    .target(
      name: "Unlearning",
      dependencies: ["LinearAlgebra", .product(name: "SwiftCSV", package: "SwiftCSV"), .product(name: "Crypto", package: "swift-crypto")],
      resources: [.copy("Resources/RealData")]),
    // Orchestration and reporting stand apart from the mathematics:
    // Workflows: the train / audit / forget / demo jobs the CLI runs (the application layer).
    .target(name: "Workflows", dependencies: ["Unlearning", "LinearAlgebra"]),
    // Ledger: the certified deletion ledger (unlearn ledger): versions, hash chain, certificates in SQLite.
    .target(
      name: "Ledger",
      dependencies: ["Unlearning", "LinearAlgebra", "Workflows", .product(name: "GRDB", package: "GRDB.swift")]),
    // Reporting: SVG plots, the Markdown subset and the HTML report.
    .target(name: "Reporting", dependencies: ["Unlearning"]),
    // Experiments: the reproductions and the sweep engine (grid, journal, shards, merge).
    .target(
      name: "Experiments",
      dependencies: ["Unlearning", "LinearAlgebra", "Reporting", .product(name: "SwiftCSV", package: "SwiftCSV")]),
    // Cluster: the Slurm client of unlearn sweep.
    .target(name: "Cluster", dependencies: ["Experiments", "Unlearning"]),
    // Benchmarks: unlearn bench and its peers.
    .target(name: "Benchmarks", dependencies: ["Experiments", "Unlearning", "LinearAlgebra"]),
    .executableTarget(
      name: "unlearn",
      dependencies: [
        "Workflows", "Ledger", "Reporting", "Experiments", "Cluster", "Benchmarks", "Unlearning", "LinearAlgebra",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Fixtures and brute-force references shared by the test targets.
    .target(name: "TestSupport", dependencies: ["LinearAlgebra", .product(name: "RealModule", package: "swift-numerics")],
            path: "Tests/TestSupport"),
    .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
    .testTarget(
      name: "UnlearningTests",
      dependencies: ["Unlearning", "LinearAlgebra", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
      resources: [.copy("Fixtures")]),
    .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Reporting", "Cluster", "Unlearning", "LinearAlgebra"]),
    .testTarget(name: "LedgerTests", dependencies: ["Ledger", "Workflows", "Unlearning", "LinearAlgebra", .product(name: "GRDB", package: "GRDB.swift")]),
    .testTarget(name: "CLITests", dependencies: ["unlearn", "Experiments", "Reporting", "Cluster", "Benchmarks"]),
  ]
)
