import Experiments
import Foundation
import Testing
import Unlearning

/// The sweep machinery on a real but tiny experiment (linear-dimension, m = 6, d ∈ {20, 40, 60}, 3 seeds).
@Suite("Sweeps: parallel runs, resume, shards, merge")
struct SweepTests {
  let dir: URL
  let options: ExperimentOptions

  init() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-sweep-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var o = ExperimentOptions()
    o.seeds = 3
    o.examples = 6
    o.dimensions = [20, 40, 60]
    options = o
  }

  func experiment() throws -> any ReproductionExperiment { try ExperimentCatalog.make("linear-dimension", options: options) }

  /// runs.csv without the timing column.
  func stable(_ url: URL) throws -> String {
    let text = try String(contentsOf: url.appendingPathComponent("runs.csv"), encoding: .utf8)
    let table = try #require(RunsCSV.parse(text)?.table)
    let kept = table.columns.indices.filter { !table.columns[$0].hasPrefix("seconds") }
    return RunsCSV(columns: kept.map { table.columns[$0] }, records: table.records.map { r in kept.map { r[$0] } }).text
  }

  @Test("A parallel run writes every point once, in grid order, with a summary and a figure")
  func fullRun() throws {
    let out = dir.appendingPathComponent("full")
    try SweepRunner(experiment: experiment(), output: out, threads: 2).run()
    let text = try String(contentsOf: out.appendingPathComponent("runs.csv"), encoding: .utf8)
    let rows = try RunRowCodec<LinearDimensionExperiment.Row>(columns: try experiment().columns).rows(ofText: text)
    #expect(rows.count == 9)
    #expect(rows.map { "\($0.d)/\($0.seed)" } == ["20/0", "20/1", "20/2", "40/0", "40/1", "40/2", "60/0", "60/1", "60/2"])
    let summary = try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8)
    #expect(summary.contains("## Verdicts") && summary.contains("Slope of log τ against log d"))
    let svg = try String(contentsOf: out.appendingPathComponent("figure.svg"), encoding: .utf8)
    #expect(svg.contains("<svg") && !svg.contains("NaN"))
    // Same inputs, one thread: the same bytes (timings aside).
    let serial = dir.appendingPathComponent("serial")
    try SweepRunner(experiment: experiment(), output: serial, threads: 1).run()
    #expect(try stable(serial) == stable(out))
    // An existing journal is not overwritten without --resume or --force.
    #expect(throws: SweepError.self) { try SweepRunner(experiment: experiment(), output: out).run() }
  }

  @Test("Resume keeps finished points, drops a torn line and incomplete points, and ends with the same runs.csv")
  func resume() throws {
    let reference = dir.appendingPathComponent("reference")
    try SweepRunner(experiment: experiment(), output: reference).run()
    let full = try String(contentsOf: reference.appendingPathComponent("runs.csv"), encoding: .utf8)
    let lines = full.split(separator: "\n", omittingEmptySubsequences: false)
    // Header + 4 complete rows + half of the 5th row (torn by a crash).
    let torn = lines[0...4].joined(separator: "\n") + "\n" + lines[5].prefix(12)
    let out = dir.appendingPathComponent("resumed")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try torn.write(to: out.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
    let resumed = ResumedCount()
    try SweepRunner(experiment: experiment(), output: out, resume: true, threads: 1).run { p in resumed.set(p.resumed) }
    #expect(resumed.value == 4)
    #expect(try stable(out) == stable(reference))
    // Resuming with other options is refused (the finished rows belong to another setting).
    var other = options
    other.examples = 7
    #expect(throws: SweepError.self) {
      try SweepRunner(experiment: try ExperimentCatalog.make("linear-dimension", options: other), output: out, resume: true).run()
    }
  }

  @Test("Shards cover the grid once and merge to the unsharded result")
  func shardsAndMerge() throws {
    let reference = dir.appendingPathComponent("reference")
    try SweepRunner(experiment: experiment(), output: reference).run()
    var shards: [URL] = []
    for i in 0..<2 {
      let out = dir.appendingPathComponent("shard\(i)")
      try SweepRunner(experiment: experiment(), output: out, shard: try Shard(index: i, count: 2)).run()
      shards.append(out)
    }
    let merged = dir.appendingPathComponent("merged")
    let outcome = try SweepMerger.merge(shards + [shards[0]], into: merged, force: false)
    #expect(outcome.points == 9 && outcome.gridPoints == 9 && outcome.duplicates > 0)
    #expect(try stable(merged) == stable(reference))
    #expect(throws: SweepError.self) { try Shard(parsing: "2/2") }
    #expect(throws: SweepError.self) { try Shard(parsing: "a/b") }
  }
}

/// The `resumed` count a progress callback saw (thread-safe).
final class ResumedCount: @unchecked Sendable {
  private let lock = NSLock()
  private var stored = -1
  var value: Int { lock.lock(); defer { lock.unlock() }; return stored }
  func set(_ v: Int) { lock.lock(); stored = v; lock.unlock() }
}
