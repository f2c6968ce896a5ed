import ArgumentParser
import Foundation
import Cluster

/// `unlearn sweep [submit] <experiment> … --shards N --out DIR`: writes the job
/// array and merge scripts and submits them with `sbatch`.
struct SweepSubmitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "submit",
    abstract: "Submit an experiment sweep to Slurm: N array tasks (one shard each), then a merge job.",
    discussion: """
      Writes DIR/config.json (the resolved experiment options: the flags given, or the --config file, \
      and the experiment's defaults for the rest), DIR/sweep.sbatch, a job array of N tasks where task i runs \
      `unlearn reproduce <experiment> --config DIR/config.json --shard i/N --resume --threads C --out DIR/shards/i`, \
      and DIR/merge.sbatch, which runs `unlearn merge` of the N shards and `unlearn report` into DIR once \
      every task succeeded (--dependency=afterok). Submits both with `sbatch --parsable` and prints the job \
      ids and the commands to follow them. --dry-run prints config.json and the two scripts and writes or \
      submits nothing.

      Files: DIR/sweep.json (experiment, options, shards, job ids), DIR/logs/shard-<i>.job-<id>.out and \
      merge.job-<id>.out (Slurm's logs), DIR/shards/<i>/runs.csv (each shard's journal: one line per run, \
      flushed as each grid point finishes), and after the merge DIR/runs.csv, summary.md, figure.svg \
      and report.html (and config.json again, with the same options). The tasks run this binary by its absolute path: DIR and the binary must \
      be on a file system the compute nodes see.

      Re-running the same command resumes: finished grid points are kept and never rerun or duplicated. \
      Other options, another experiment or another --shards for the same DIR are refused, and so is a \
      submission while the previous one is still queued or running.

      Example:
        unlearn sweep step-size --seeds 40 --shards 8 --out /scratch/step-size \\
          --partition short --time 02:00:00
        unlearn sweep step-size --seeds 40 --shards 8 --out /scratch/step-size --dry-run
        unlearn sweep status /scratch/step-size
      """)

  @OptionGroup var arguments: ExperimentArguments
  @Option(help: "Number of array tasks (shards), at most the number of grid points.")
  var shards: Int
  @Option(help: ArgumentHelp("The sweep folder.", valueName: "dir"))
  var out: String
  @Option(help: ArgumentHelp("Slurm partition (default: the cluster's default).", valueName: "P"))
  var partition: String?
  @Option(help: ArgumentHelp("Time limit of each task and of the merge job, HH:MM:SS or D-HH:MM:SS (default: the partition's).", valueName: "HH:MM:SS"))
  var time: String?
  @Option(help: ArgumentHelp("CPUs per task, also each task's concurrent runs (--threads).", valueName: "C"))
  var cpusPerTask = 1
  @Flag(help: "Print the scripts; write and submit nothing.")
  var dryRun = false

  func validate() throws {
    if shards < 1 { throw ValidationError("--shards must be at least 1 (got \(shards))") }
    if cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1 (got \(cpusPerTask))") }
    // With --config, the file is read (and its errors reported with their exit codes) by run().
    guard arguments.config == nil else { return }
    do {
      _ = try plan()
    } catch let error as ClusterError {
      throw ValidationError(CLIError.message(for: error))
    }
  }

  /// The plan of these options (validated: shards against the grid size, time limit, partition).
  func plan() throws -> SlurmSweepPlan {
    try SlurmSweepPlan(experiment: arguments.experiment, options: try arguments.experimentOptions(), shards: shards,
                       output: URL(fileURLWithPath: out).absoluteURL, binary: Self.binaryPath(), partition: partition,
                       timeLimit: try time.map { try SlurmTimeLimit(parsing: $0) }, cpusPerTask: cpusPerTask)
  }

  /// The running `unlearn`, by absolute path (what the tasks run).
  static func binaryPath() -> String {
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), exe.hasPrefix("/") {
      return exe
    }
    let first = CommandLine.arguments[0]
    return URL(fileURLWithPath: first).standardizedFileURL.resolvingSymlinksInPath().path
  }

  func run() throws {
    try CLIError.reporting {
      let plan = try plan()
      if dryRun {
        print("# \(plan.configURL.path)  (the experiment options; every task reads them with --config)")
        print(String(decoding: try plan.config.configJSON(), as: UTF8.self))
        print()
        print("# \(plan.arrayScriptURL.path)  (sbatch --parsable)")
        print(plan.arrayScript)
        print("# \(plan.mergeScriptURL.path)  (sbatch --parsable --dependency=afterok:<array job id>)")
        print(plan.mergeScript, terminator: "")
        return
      }
      let submitter = SbatchSubmitter()
      _ = try submitter.sbatch()
      try plan.checkResumable()
      if let previous = try SweepManifest.read(in: plan.output)?.submissions.last {
        let active = submitter.activeJobs([previous.arrayJob, previous.mergeJob])
        if !active.isEmpty {
          throw ClusterError.stillRunning("the previous submission of this sweep is still queued or running (\(active.joined(separator: ", "))): wait for it, or cancel it with scancel \(previous.arrayJob) \(previous.mergeJob), then submit again")
        }
      }
      let before = try? SweepStatus.read(plan.output)
      try plan.write()
      let arrayJob = try submitter.submit(plan.arrayScriptURL)
      let mergeJob: String
      do {
        mergeJob = try submitter.submit(plan.mergeScriptURL, afterOK: arrayJob)
      } catch {
        throw ClusterError.submissionRefused("\(error) (the array job \(arrayJob) was submitted: cancel it with scancel \(arrayJob), or merge by hand once it is done)")
      }
      let stamp = ISO8601DateFormatter().string(from: Date())
      try plan.record(SweepManifest.Submission(arrayJob: arrayJob, mergeJob: mergeJob, submitted: stamp))
      let dir = plan.output.path
      if let before, before.done > 0 {
        print("resuming: \(before.done) of \(plan.gridSize) grid points are already done and are kept")
      }
      print("submitted array job \(arrayJob) (\(shards) tasks, \(plan.gridSize) grid points) and merge job \(mergeJob) (runs after every task succeeded)")
      print("scripts: \(plan.arrayScriptURL.path), \(plan.mergeScriptURL.path); logs: \(plan.logsURL.path)/")
      print("follow:  squeue -j \(arrayJob),\(mergeJob)")
      print("         sacct -j \(arrayJob),\(mergeJob) --format=JobID,JobName,State,Elapsed,ExitCode   (needs Slurm accounting)")
      print("         unlearn sweep status \(ShellQuoting.quote(dir))")
      print("resume:  run the same command again (finished grid points are kept)")
      print("results: \(dir)/runs.csv, summary.md, figure.svg, report.html once merge job \(mergeJob) has run")
    }
  }
}
