import Foundation
import Unlearning

/// `unlearn merge`: combines the outputs of shards (or of interrupted and
/// resumed runs) of one experiment into one folder: `runs.csv` with each grid
/// point once, in grid order, then the summary and the figure of all rows.
package enum SweepMerger {
  /// What the merge found.
  package struct Outcome: Sendable {
    package var experiment: String
    package var points: Int
    package var gridPoints: Int
    package var duplicates: Int
    package var incomplete: Int
  }

  /// Merges the runs of `directories` into `output` (its `runs.csv`, summary and figure).
  ///
  /// - Throws: ``SweepError`` (usage) for folders that are not runs of one experiment with the same
  ///   options; ``FileFormatError/Kind/fileExists`` (I/O) when `output/runs.csv` exists, is not
  ///   one of the merged folders' own, and `force` is false; the errors of reading and writing the files.
  package static func merge(_ directories: [URL], into output: URL, force: Bool) throws -> Outcome {
    guard !directories.isEmpty else { throw SweepError.invalidOption("merge needs at least one shard folder") }
    let decoder = JSONDecoder()
    var options: ExperimentOptions? = nil
    var tables: [RunsCSV] = []
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
      if let (table, _) = RunsCSV.parse(text) { tables.append(table) }
    }
    guard let options, let name = options.experiment else { throw SweepError.invalidOption("config.json names no experiment") }
    let experiment = try ExperimentCatalog.make(name, options: options)
    return try merge(tables, of: experiment, options: options, directories: directories, into: output, force: force)
  }

  /// ``merge(_:into:force:)`` with the experiment's row type known: the complete points of `tables`
  /// (each once), in grid order, then the summary of their rows.
  private static func merge<E: ReproductionExperiment>(_ tables: [RunsCSV], of experiment: E, options: ExperimentOptions,
                                                      directories: [URL], into output: URL, force: Bool) throws -> Outcome {
    let name = experiment.name
    let pointColumns = experiment.pointColumns
    var merged = RunsCSV(columns: experiment.columns)
    var seen: [String: [[String]]] = [:]
    var duplicates = 0, incomplete = 0
    let timing = Set(experiment.columns.indices.filter { experiment.columns[$0].hasPrefix("seconds") })
    func comparable(_ records: [[String]]) -> [[String]] {
      records.map { record in record.indices.filter { !timing.contains($0) }.map { record[$0] } }
    }
    for table in tables {
      guard table.columns == experiment.columns else {
        throw SweepError.mergeConflict("a runs.csv has other columns than \(name) writes (another version?)")
      }
      for (key, records) in RunJournal<E.Row>.groups(table, pointColumns: pointColumns) {
        guard records.count == experiment.rowsPerPoint(table.point(of: records[0], pointColumns)) else { incomplete += 1; continue }
        if let previous = seen[key] {
          duplicates += 1
          guard comparable(previous) == comparable(records) else {
            throw SweepError.mergeConflict("grid point \(key) has different results in two shards")
          }
          continue
        }
        seen[key] = records
        merged.records += records
      }
    }
    let fm = FileManager.default
    try fm.createDirectory(at: output, withIntermediateDirectories: true)
    let runsURL = output.appendingPathComponent("runs.csv")
    if fm.fileExists(atPath: runsURL.path), !force, !directories.contains(where: { $0.standardizedFileURL == output.standardizedFileURL }) {
      throw FileFormatError(.fileExists, file: runsURL.path, "already exists")
    }
    let sorted = SweepRunner.sortedByGrid(merged, grid: experiment.points(), pointColumns: pointColumns)
    try AtomicFile.write(Array(sorted.text.utf8), to: runsURL, overwrite: true)
    let summary = experiment.summarize(try experiment.codec.rows(of: sorted))
    try AtomicFile.write(Array(summary.markdown.utf8), to: output.appendingPathComponent("summary.md"), overwrite: true)
    try AtomicFile.write(Array(summary.figure.utf8), to: output.appendingPathComponent("figure.svg"), overwrite: true)
    try options.writeConfig(to: output.appendingPathComponent(ExperimentOptions.configFileName))
    return Outcome(experiment: name, points: seen.count, gridPoints: experiment.points().count, duplicates: duplicates, incomplete: incomplete)
  }
}
