import Foundation
import Experiments

/// How far a sharded sweep has come: the grid points finished per shard, read
/// from each shard's journal `DIR/shards/<i>/runs.csv` (a point counts when all
/// its rows are there). Needs no scheduler: it reads files only, so it works for
/// shards run by Slurm, by another scheduler or by a shell loop.
package struct SweepStatus: Sendable, Codable, Equatable {
  /// A shard's progress.
  package enum State: String, Sendable, Codable {
    case complete, partial
    case notStarted = "not started"
  }

  /// One shard: `done` of `total` grid points.
  package struct ShardProgress: Sendable, Codable, Equatable {
    package var index: Int
    package var done: Int
    package var total: Int
    package var state: State
  }

  package var experiment: String
  package var directory: String
  package var shards: [ShardProgress]
  package var done: Int
  package var total: Int
  package var state: State
  /// Grid points in the merged `DIR/runs.csv`, or `nil` when not merged yet.
  package var mergedPoints: Int?

  static func state(done: Int, total: Int) -> State {
    done >= total ? .complete : (done == 0 ? .notStarted : .partial)
  }

  /// Reads the sweep in `directory`: its `sweep.json` when present, otherwise the
  /// shard folders `shards/<i>` that hold a `config.json` (N = the highest i + 1).
  package static func read(_ directory: URL) throws -> SweepStatus {
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw ClusterError.notASweep("\(directory.path): no such folder")
    }
    let shardsFolder = directory.appendingPathComponent("shards")
    let options: ExperimentOptions
    let count: Int
    if let manifest = try SweepManifest.read(in: directory) {
      options = manifest.options
      count = manifest.shards
    } else {
      let names = (try? fm.contentsOfDirectory(atPath: shardsFolder.path)) ?? []
      let indices = names.compactMap { Int($0) }.filter { i in
        i >= 0 && fm.fileExists(atPath: shardsFolder.appendingPathComponent(String(i)).appendingPathComponent("config.json").path)
      }
      guard let highest = indices.max() else {
        throw ClusterError.notASweep("\(directory.path): not a sweep folder (no sweep.json, and no shards/<i>/config.json of an experiment run into \(directory.path)/shards/<i>)")
      }
      let config = shardsFolder.appendingPathComponent(String(indices.min()!)).appendingPathComponent("config.json")
      guard let data = try? Data(contentsOf: config), let o = try? JSONDecoder().decode(ExperimentOptions.self, from: data) else {
        throw ClusterError.notASweep("\(config.path): unreadable")
      }
      options = o
      count = highest + 1
    }
    guard let name = options.experiment else { throw ClusterError.notASweep("\(directory.path): the sweep's options name no experiment") }
    let experiment = try ExperimentCatalog.make(name, options: options)
    let grid = experiment.points()
    guard count >= 1 else { throw ClusterError.notASweep("\(directory.path): a sweep of \(count) shards") }

    var progress: [ShardProgress] = []
    for index in 0..<count {
      let mine = Set(grid.enumerated().filter { $0.offset % count == index }.map { $0.element.key(experiment.pointColumns) })
      let journal = shardsFolder.appendingPathComponent(String(index)).appendingPathComponent("runs.csv")
      let done = completePoints(in: journal, experiment: experiment).intersection(mine).count
      progress.append(ShardProgress(index: index, done: done, total: mine.count, state: state(done: done, total: mine.count)))
    }
    let mergedURL = directory.appendingPathComponent("runs.csv")
    let merged = fm.fileExists(atPath: mergedURL.path) ? completePoints(in: mergedURL, experiment: experiment).count : nil
    let done = progress.map(\.done).reduce(0, +), total = progress.map(\.total).reduce(0, +)
    return SweepStatus(experiment: name, directory: directory.path, shards: progress, done: done, total: total,
                       state: state(done: done, total: total), mergedPoints: merged)
  }

  /// Keys of the grid points with all their rows in the `runs.csv` at `url` (none when it is missing or unreadable).
  static func completePoints(in url: URL, experiment: any ReproductionExperiment) -> Set<String> {
    guard let text = try? String(contentsOf: url, encoding: .utf8), let (table, _) = RunsCSV.parse(text),
          table.columns == experiment.columns else { return [] }
    let columns = experiment.pointColumns
    var rows: [String: (point: GridPoint, count: Int)] = [:]
    for record in table.records {
      let point = table.point(of: record, columns)
      rows[point.key(columns), default: (point, 0)].count += 1
    }
    return Set(rows.filter { $0.value.count == experiment.rowsPerPoint($0.value.point) }.keys)
  }
}
