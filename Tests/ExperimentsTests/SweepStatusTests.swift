import Experiments
import Foundation
import Testing
import Cluster

/// `unlearn sweep status` on hand-made shard folders.
@Suite("Sweep status from shard journals")
struct SweepStatusTests {
  let dir: URL
  let experiment: any ReproductionExperiment

  init() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-status-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    // linear-dimension: 3 seeds × d ∈ {20, 40}: 6 grid points, one row each; 3 shards of 2 points.
    experiment = try ExperimentCatalog.make("linear-dimension", options: ExperimentOptions(seeds: 3, examples: 6, dimensions: [20, 40]))
  }

  /// A record of grid point `k` (only the point columns filled).
  func row(_ k: Int) -> [String] {
    let point = experiment.points()[k]
    return experiment.columns.map { point[$0] ?? "" }
  }

  /// Writes shard `index`'s config.json and a runs.csv with the rows of grid points `points`, plus `extra` text.
  func writeShard(_ index: Int, points: [Int], extra: String = "") throws {
    let folder = dir.appendingPathComponent("shards/\(index)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var options = experiment.options
    options.experiment = experiment.name
    try JSONEncoder().encode(options).write(to: folder.appendingPathComponent("config.json"))
    let table = RunsCSV(columns: experiment.columns, records: points.map(row))
    try (table.text + extra).write(to: folder.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
  }

  @Test("Counts complete points per shard from runs.csv: complete, partial (a torn line ignored), not started")
  func handMadeShards() throws {
    // Shard i of 3 holds grid points i and i + 3.
    try writeShard(0, points: [0, 3])
    try writeShard(1, points: [1], extra: "2,40,6,0.1")   // a torn last line does not count
    // shard 2: not started (no folder) — only known from sweep.json
    var manifestOptions = experiment.options
    manifestOptions.experiment = experiment.name
    try SweepManifest(experiment: experiment.name, options: manifestOptions, shards: 3).write(in: dir)
    let status = try SweepStatus.read(dir)
    #expect(status.experiment == "linear-dimension")
    #expect(status.shards.map(\.done) == [2, 1, 0])
    #expect(status.shards.map(\.total) == [2, 2, 2])
    #expect(status.shards.map(\.state) == [.complete, .partial, .notStarted])
    #expect(status.done == 3 && status.total == 6 && status.state == .partial)
    #expect(status.mergedPoints == nil)
  }

  @Test("Without sweep.json the shards come from shards/<i>/config.json; points of another shard and the merged runs.csv are counted right")
  func withoutManifest() throws {
    try writeShard(0, points: [0, 3, 1])   // point 1 belongs to shard 1: not counted for shard 0
    try writeShard(1, points: [1, 4])
    try writeShard(2, points: [2, 5])
    let merged = RunsCSV(columns: experiment.columns, records: (0..<6).map(row))
    try merged.text.write(to: dir.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
    let status = try SweepStatus.read(dir)
    #expect(status.shards.map(\.done) == [2, 2, 2])
    #expect(status.state == .complete)
    #expect(status.mergedPoints == 6)
  }

  @Test("A folder that is no sweep, or is missing, is an error that says so")
  func notASweep() throws {
    #expect(throws: ClusterError.self) { try SweepStatus.read(dir) }
    #expect(throws: ClusterError.self) { try SweepStatus.read(dir.appendingPathComponent("missing")) }
  }
}
