import ArgumentParser

/// `unlearn sweep`: an experiment sweep as Slurm array jobs (`submit`, the
/// default) and the progress of a sweep folder (`status`).
struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Run an experiment sweep on a Slurm cluster as a job array of shards plus a merge job, and follow it.",
    discussion: """
      `unlearn sweep <experiment> … --shards N --out DIR` is `unlearn sweep submit`; \
      `unlearn sweep status DIR` counts the finished grid points per shard (no Slurm needed). \
      See `unlearn sweep submit --help` for the files written.

      Example:
        unlearn sweep step-size --seeds 40 --shards 8 --out /scratch/step-size \\
          --partition short --time 02:00:00
        unlearn sweep status /scratch/step-size
      """,
    subcommands: [SweepSubmitCommand.self, SweepStatusCommand.self],
    defaultSubcommand: SweepSubmitCommand.self)
}
