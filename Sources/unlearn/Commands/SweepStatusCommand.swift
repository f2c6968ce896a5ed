import ArgumentParser
import Foundation
import Cluster

/// `unlearn sweep status DIR`: finished grid points per shard, from the shard journals.
struct SweepStatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "How many grid points of a sharded sweep are done, per shard, read from the shard journals.",
    discussion: """
      Reads DIR/sweep.json (written by `unlearn sweep`) or, without it, the shard folders DIR/shards/<i> \
      written by `unlearn reproduce … --shard i/N --out DIR/shards/<i>` (N = the highest i + 1), and counts \
      in each shard's runs.csv the grid points with all their rows. Reads files only: works with any \
      scheduler, or none, while the sweep runs or after.

      Example:
        unlearn sweep status results/step-size
        unlearn sweep status results/step-size --json
      """)

  @Argument(help: ArgumentHelp("The sweep folder (the --out of unlearn sweep).", valueName: "dir"))
  var directory: String
  @Flag(help: "Print the status as JSON on stdout.")
  var json = false

  func run() throws {
    try CLIError.reporting {
      let status = try SweepStatus.read(URL(fileURLWithPath: directory))
      if json {
        print(try JSONOutput.encode(status))
        return
      }
      print("\(status.experiment) sweep in \(directory): \(status.shards.count) shards, \(status.total) grid points")
      let rows = status.shards.map { ["\($0.index)", "\($0.done)/\($0.total)", $0.state.rawValue] }
        + [["total", "\(status.done)/\(status.total)", status.state.rawValue]]
      print(Format.table(header: ["shard", "done/total", "state"], rows: rows, indent: 2))
      if let merged = status.mergedPoints {
        print("merged runs.csv: \(merged) of \(status.total) grid points")
      } else {
        print("not merged yet (\(status.state == .complete ? "every shard is complete: the merge job or unlearn merge writes runs.csv" : "the merge runs once every shard is complete"))")
      }
    }
  }
}
