import Foundation

/// One of the paper's experiments as a sweep: a grid of independent points
/// (seeds × settings), each producing a fixed number of `runs.csv` rows, and a
/// summary (Markdown table, verdicts) with a figure computed from all rows.
///
/// Rows are typed: each experiment declares its `Row`, a `Codable` struct whose
/// coding keys are the names of ``columns``; ``RunRowCodec`` writes it to
/// `runs.csv` and reads it back, and the sweep engine (journal, resume, merge)
/// is generic over it.
package protocol ReproductionExperiment: Sendable {
  /// One row of `runs.csv`.
  associatedtype Row: Codable & Sendable

  /// The name used by `unlearn reproduce <name>`.
  var name: String { get }
  /// The options it was built from (saved as `config.json`, used by `merge`).
  var options: ExperimentOptions { get }
  /// The columns of `runs.csv`, in order; timing columns (exempt from determinism) start with `seconds`.
  var columns: [String] { get }
  /// The columns that identify a grid point.
  var pointColumns: [String] { get }
  /// The grid, in a fixed order.
  func points() -> [GridPoint]
  /// How many rows a point produces (a point with fewer rows in a journal is redone).
  func rowsPerPoint(_ point: GridPoint) -> Int
  /// Runs one point (deterministic for its seed).
  func run(_ point: GridPoint) throws -> [Row]
  /// The summary of all rows (in grid order).
  func summarize(_ rows: [Row]) -> ExperimentSummary
}

extension ReproductionExperiment {
  /// The codec of this experiment's rows, in the order of ``columns``.
  package var codec: RunRowCodec<Row> { RunRowCodec(columns: columns) }
}

/// What an experiment writes besides `runs.csv`.
package struct ExperimentSummary: Sendable {
  /// `summary.md`: the table and the verdicts against the paper's claims.
  package var markdown: String
  /// `figure.svg`.
  package var figure: String

  package init(markdown: String, figure: String) {
    self.markdown = markdown
    self.figure = figure
  }
}
