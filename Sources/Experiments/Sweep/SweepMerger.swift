import Foundation
import Unlearning

/// `unlearn merge`: combines the outputs of shards (or of interrupted and
/// resumed runs) of one experiment into one folder: `runs.csv` with each grid
/// point once, in grid order, then the summary and the figure of all rows.
public enum SweepMerger {
  /// What the merge found.
  public struct Outcome: Sendable {
    public var experiment: String
    public var points: Int
    public var gridPoints: Int
    public var duplicates: Int
    public var incomplete: Int
  }

  /// Merges the runs of `directories` into `output` (its `runs.csv`, summary and figure).
  ///
  /// - Throws: ``SweepError`` (usage) for folders that are not runs of one experiment with the same
  ///   options; ``FileFormatError/Kind/fileExists`` (I/O) when `output/runs.csv` exists, is not
  ///   one of the merged folders' own, and `force` is false; the errors of reading and writing the files.
  public static func merge(_ directories: [URL], into output: URL, force: Bool) throws -> Outcome {
    guard !directories.isEmpty else { throw SweepError.invalidOption("merge needs at least one shard folder") }
    let decoder = JSONDecoder()
    var options: ExperimentOptions? = nil
    var tables: [RunTable] = []
    for dir in directories {
      let configURL = dir.appendingPathComponent("config.json")
      guard let data = try? Data(contentsOf: configURL) else {
        throw SweepError.invalidOption("\(dir.path): no config.json (not the output folder of an experiment run)")
      }
      guard let o = try? decoder.decode(ExperimentOptions.self, from: data) else {
        throw SweepError.invalidOption("\(configURL.path): unreadable")
      }
      if let options, options != o {
        throw SweepError.mergeConflict("\(dir.path) was run with other options than \(directories[0].path); only shards of one sweep can be merged")
      }
      options = o
      let text = (try? String(contentsOf: dir.appendingPathComponent("runs.csv"), encoding: .utf8)) ?? ""
      if let (table, _) = RunTable.parse(text) { tables.append(table) }
    }
    guard let options, let name = options.experiment else { throw SweepError.invalidOption("config.json names no experiment") }
    let experiment = try ExperimentCatalog.make(name, options: options)
    let pointColumns = experiment.pointColumns
    var merged = RunTable(columns: experiment.columns)
    var seen: [String: [[String: String]]] = [:]
    var duplicates = 0, incomplete = 0
    func comparable(_ rows: [[String: String]]) -> [[String: String]] {
      rows.map { $0.filter { !$0.key.hasPrefix("seconds") } }
    }
    for table in tables {
      guard table.columns == experiment.columns else {
        throw SweepError.mergeConflict("a runs.csv has other columns than \(name) writes (another version?)")
      }
      var groups: [String: [[String: String]]] = [:]
      var order: [String] = []
      for row in table.rows {
        let key = GridPoint(row.filter { pointColumns.contains($0.key) }).key(pointColumns)
        if groups[key] == nil { order.append(key) }
        groups[key, default: []].append(row)
      }
      for key in order {
        let rows = groups[key]!
        let point = GridPoint(rows[0].filter { pointColumns.contains($0.key) })
        guard rows.count == experiment.rowsPerPoint(point) else { incomplete += 1; continue }
        if let previous = seen[key] {
          duplicates += 1
          guard comparable(previous) == comparable(rows) else {
            throw SweepError.mergeConflict("grid point \(key) has different results in two shards")
          }
          continue
        }
        seen[key] = rows
        merged.rows += rows
      }
    }
    let fm = FileManager.default
    try fm.createDirectory(at: output, withIntermediateDirectories: true)
    let runsURL = output.appendingPathComponent("runs.csv")
    if fm.fileExists(atPath: runsURL.path), !force, !directories.contains(where: { $0.standardizedFileURL == output.standardizedFileURL }) {
      throw FileFormatError(.fileExists, file: runsURL.path, "already exists")
    }
    let sorted = SweepRunner.sortedByGrid(merged, grid: experiment.points(), pointColumns: pointColumns)
    try AtomicFile.write(Array(sorted.csv.utf8), to: runsURL, overwrite: true)
    let summary = experiment.summarize(sorted)
    try AtomicFile.write(Array(summary.markdown.utf8), to: output.appendingPathComponent("summary.md"), overwrite: true)
    try AtomicFile.write(Array(summary.figure.utf8), to: output.appendingPathComponent("figure.svg"), overwrite: true)
    try options.writeConfig(to: output.appendingPathComponent(ExperimentOptions.configFileName))
    return Outcome(experiment: name, points: seen.count, gridPoints: experiment.points().count, duplicates: duplicates, incomplete: incomplete)
  }
}
