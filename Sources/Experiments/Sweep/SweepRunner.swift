import Foundation
import LinearAlgebra
import Unlearning

/// Runs an experiment's grid: in parallel on all cores (one BLAS thread per
/// run), optionally one shard of it, resuming from an existing journal, and
/// writes `runs.csv` (in grid order once complete), `summary.md`,
/// `figure.svg` and `config.json` into the output folder.
package struct SweepRunner: Sendable {
  package var experiment: any ReproductionExperiment
  package var output: URL
  package var shard: Shard?
  package var resume: Bool
  package var force: Bool
  /// Concurrent runs; `nil` = the number of cores.
  package var threads: Int?

  /// Progress of a sweep: points done (including resumed ones), total, seconds elapsed.
  package struct Progress: Sendable {
    package var done: Int
    package var total: Int
    package var resumed: Int
    package var elapsed: Double
    /// Estimated seconds left, from the points run in this session.
    package var remaining: Double? {
      let ran = done - resumed
      guard ran > 0, done < total else { return done >= total ? 0 : nil }
      return elapsed / Double(ran) * Double(total - done)
    }
  }

  package init(experiment: any ReproductionExperiment, output: URL, shard: Shard? = nil, resume: Bool = false,
              force: Bool = false, threads: Int? = nil) {
    self.experiment = experiment
    self.output = output
    self.shard = shard
    self.resume = resume
    self.force = force
    self.threads = threads
  }

  /// Runs the sweep; returns the summary written.
  ///
  /// - Throws: ``SweepError`` when the output exists (without `resume` or `force`) or cannot be resumed;
  ///   the first error of a grid point; the errors of writing the files.
  @discardableResult
  package func run(progress: (@Sendable (Progress) -> Void)? = nil) throws -> ExperimentSummary {
    try sweep(experiment, progress: progress)
  }

  /// ``run(progress:)`` with the experiment's row type known.
  private func sweep<E: ReproductionExperiment>(_ experiment: E, progress: (@Sendable (Progress) -> Void)?) throws -> ExperimentSummary {
    let fm = FileManager.default
    try fm.createDirectory(at: output, withIntermediateDirectories: true)
    let pointColumns = experiment.pointColumns
    let grid = experiment.points()
    let mine = grid.enumerated().filter { shard?.contains($0.offset) ?? true }.map(\.element)
    if resume { try checkResumedOptions() }
    let journal = try RunJournal(url: output.appendingPathComponent("runs.csv"), codec: experiment.codec,
                                 pointColumns: pointColumns, resume: resume, force: force,
                                 rowsPerPoint: experiment.rowsPerPoint)
    try writeConfig()
    let todo = mine.filter { !journal.completed.contains($0.key(pointColumns)) }
    let resumed = mine.count - todo.count
    let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, todo.count))
    let state = SweepState(total: mine.count, resumed: resumed)
    let start = Date()
    progress?(Progress(done: resumed, total: mine.count, resumed: resumed, elapsed: 0))

    // Each run's numbers do not depend on how many workers run beside it: BLAS calls are single-threaded
    // and large products are tiled by shape alone (LinearAlgebra's BLAS), so the rows are the same for any
    // --threads, sharding, or number of points a resumed sweep has left.
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while let k = state.next(limit: todo.count) {
        do {
          let rows = try experiment.run(todo[k])
          try journal.append(rows)
          let done = state.finish()
          progress?(Progress(done: done, total: mine.count, resumed: resumed, elapsed: Date().timeIntervalSince(start)))
        } catch {
          state.fail(error)
        }
      }
    }
    if let error = state.error { throw error }

    // Complete: rewrite in grid order (deterministic bytes), then summarise.
    let text = try String(contentsOf: journal.url, encoding: .utf8)
    guard let (table, _) = RunsCSV.parse(text) else {
      throw SweepError.incompatibleJournal("\(journal.url.path): unreadable after the sweep")
    }
    let sorted = Self.sortedByGrid(table, grid: grid, pointColumns: pointColumns)
    try AtomicFile.write(Array(sorted.text.utf8), to: journal.url, overwrite: true)
    let summary = experiment.summarize(try experiment.codec.rows(of: sorted))
    try AtomicFile.write(Array(summary.markdown.utf8), to: output.appendingPathComponent("summary.md"), overwrite: true)
    try AtomicFile.write(Array(summary.figure.utf8), to: output.appendingPathComponent("figure.svg"), overwrite: true)
    return summary
  }

  /// On resume, the folder's `config.json` must name the same experiment and options:
  /// otherwise finished rows of another setting would be kept as if they were this one's.
  func checkResumedOptions() throws {
    let url = output.appendingPathComponent("config.json")
    guard let data = try? Data(contentsOf: url) else { return }
    var mine = experiment.options
    mine.experiment = experiment.name
    guard let theirs = try? JSONDecoder().decode(ExperimentOptions.self, from: data), theirs == mine else {
      throw SweepError.incompatibleJournal("\(output.path) holds a sweep with other options (config.json): resume it with those, or start it over")
    }
  }

  func writeConfig() throws {
    var options = experiment.options
    options.experiment = experiment.name
    try options.writeConfig(to: output.appendingPathComponent(ExperimentOptions.configFileName))
  }

  /// Records ordered by their point's position in the grid (stable within a point).
  ///
  /// - Complexity: O(n log n) for n records.
  static func sortedByGrid(_ table: RunsCSV, grid: [GridPoint], pointColumns: [String]) -> RunsCSV {
    var position: [String: Int] = [:]
    for (k, p) in grid.enumerated() { position[p.key(pointColumns)] = k }
    let indexed = table.records.enumerated().map { (k, record) -> (Int, Int, [String]) in
      (position[table.point(of: record, pointColumns).key(pointColumns)] ?? Int.max, k, record)
    }
    var sorted = table
    sorted.records = indexed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    return sorted
  }
}

/// Shared work counter of a sweep's workers.
final class SweepState: @unchecked Sendable {
  private let lock = NSLock()
  private var nextIndex = 0
  private var done: Int
  private(set) var error: Error?
  let total: Int

  init(total: Int, resumed: Int) {
    self.total = total
    self.done = resumed
  }

  func next(limit: Int) -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard error == nil, nextIndex < limit else { return nil }
    defer { nextIndex += 1 }
    return nextIndex
  }

  func finish() -> Int {
    lock.lock()
    defer { lock.unlock() }
    done += 1
    return done
  }

  func fail(_ e: Error) {
    lock.lock()
    defer { lock.unlock() }
    if error == nil { error = e }
  }
}
