import Foundation
import Unlearning

/// An experiment's output folder (`results/<experiment>/`): `config.json`, `runs.csv`, and what they
/// render to, `summary.md` and `figure.svg`.
///
/// ``render(_:)`` recomputes the summary and the figure from the raw rows alone, so a committed
/// summary can be checked against its data (it cannot go stale unnoticed: `CommittedResultsTests`).
package enum ExperimentFolder {
  /// The summary and the figure that `folder`'s `runs.csv` renders to under its `config.json`.
  ///
  /// - Complexity: reading and summarising the rows, O(rows · columns).
  /// - Throws: ``FileFormatError`` for a missing or malformed `config.json`; ``SweepError/invalidOption(_:)``
  ///   (usage) for a config naming no experiment, or a `runs.csv` that is missing, unreadable or has other
  ///   columns than the experiment writes; the errors of decoding the rows.
  package static func render(_ folder: URL) throws -> ExperimentSummary {
    let configURL = folder.appendingPathComponent(ExperimentOptions.configFileName)
    let options = try ExperimentOptions.readConfig(from: configURL)
    guard let name = options.experiment else { throw SweepError.invalidOption("\(configURL.path) names no experiment") }
    let experiment = try ExperimentCatalog.make(name, options: options)
    let runsURL = folder.appendingPathComponent("runs.csv")
    guard let text = try? String(contentsOf: runsURL, encoding: .utf8), let (table, _) = RunsCSV.parse(text) else {
      throw SweepError.invalidOption("\(runsURL.path): missing or not a runs.csv")
    }
    return try summarize(table, of: experiment, file: runsURL.path)
  }

  private static func summarize<E: ReproductionExperiment>(_ table: RunsCSV, of experiment: E, file: String) throws -> ExperimentSummary {
    guard table.columns == experiment.columns else {
      throw SweepError.invalidOption("\(file) has other columns than \(experiment.name) writes (another version?)")
    }
    return experiment.summarize(try experiment.codec.rows(of: table))
  }
}
