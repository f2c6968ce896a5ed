import ArgumentParser
import Experiments
import Foundation

/// `unlearn merge`: combine shard outputs of one sweep.
struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Combine the output folders of shards (or resumed runs) of one experiment into one.",
    discussion: """
      Each grid point appears once in the merged runs.csv (in grid order); points run twice must agree \
      (timings aside); incomplete points are dropped and reported. Writes summary.md and figure.svg of all rows.

      Example:
        unlearn reproduce mixture --shard 0/2 --out shards/0
        unlearn reproduce mixture --shard 1/2 --out shards/1
        unlearn merge shards/0 shards/1 --out results/mixture
      """)

  @Argument(help: ArgumentHelp("Shard output folders.", valueName: "dir"))
  var directories: [String]
  @Option(help: ArgumentHelp("The merged output folder.", valueName: "dir"))
  var out: String
  @Flag(help: "Overwrite an existing merged runs.csv.")
  var force = false

  func run() throws {
    try CLIError.reporting {
      let outcome = try SweepMerger.merge(directories.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: out), force: force)
      print("merged \(outcome.experiment): \(outcome.points) of \(outcome.gridPoints) grid points"
            + (outcome.duplicates > 0 ? ", \(outcome.duplicates) duplicates dropped" : "")
            + (outcome.incomplete > 0 ? ", \(outcome.incomplete) incomplete points dropped" : ""))
      print("wrote \(out)/runs.csv, summary.md, figure.svg, config.json")
    }
  }
}
