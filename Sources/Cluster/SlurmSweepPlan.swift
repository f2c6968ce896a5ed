import Foundation
import Unlearning
import Experiments

/// An experiment sweep as Slurm jobs: a job array of N tasks, task i running
/// `unlearn reproduce <experiment> --config DIR/config.json --shard i/N --resume --out DIR/shards/i`,
/// and a merge job (submitted with `--dependency=afterok:<array job>`) that runs
/// `unlearn merge` and `unlearn report` into DIR.
///
/// The tasks get their experiment options from one place only: `DIR/config.json`,
/// the resolved options (``manifest``'s) written by ``write()``. No option is
/// spelt out in the scripts, so none can be left out of them.
///
/// Files in the sweep folder DIR: `config.json` (the options every task runs
/// with; the merge writes the same options there again), `sweep.sbatch` and
/// `merge.sbatch` (the two scripts), `sweep.json` (the ``SweepManifest``),
/// `logs/` (one log per task and submission, one per merge job), `shards/<i>/`
/// (each shard's `runs.csv`, journal of finished grid points), and after the
/// merge `runs.csv`, `summary.md`, `figure.svg` and `report.html`.
///
/// Every task runs with `--resume`, so submitting the same plan again after a
/// failure or a cancellation runs only the grid points not yet in a shard's
/// journal; the merge keeps each point once.
package struct SlurmSweepPlan: Sendable {
  /// The experiment with the user's options, its defaults filled in (the tasks get exactly ``config``).
  package let experiment: any ReproductionExperiment
  package let shards: Int
  /// The sweep folder DIR (absolute).
  package let output: URL
  /// The absolute path of the `unlearn` binary the tasks run.
  package let binary: String
  package let partition: String?
  package let timeLimit: SlurmTimeLimit?
  /// CPUs per task; also each task's `--threads`.
  package let cpusPerTask: Int

  /// Validates the plan: a known experiment, 1 ≤ shards ≤ grid points, CPUs ≥ 1,
  /// a partition name without spaces or quotes, absolute paths.
  ///
  /// - Throws: ``ClusterError/invalidSetting(_:_:)`` naming the setting out of range,
  ///   ``ClusterError/invalidPlan(_:)`` for relative paths (both usage); the errors of
  ///   ``ExperimentCatalog/make(_:options:)``.
  package init(experiment name: String, options: ExperimentOptions, shards: Int, output: URL, binary: String,
              partition: String? = nil, timeLimit: SlurmTimeLimit? = nil, cpusPerTask: Int = 1) throws {
    let experiment = try ExperimentCatalog.make(name, options: options)
    let gridSize = experiment.points().count
    guard shards >= 1 else { throw ClusterError.invalidSetting(.shards, "the number of shards must be at least 1 (got \(shards))") }
    guard shards <= gridSize else {
      throw ClusterError.invalidSetting(.shards, "\(shards) shards are more than the \(gridSize) grid points of this \(name) sweep; use at most \(gridSize) shards (or widen the grid)")
    }
    guard cpusPerTask >= 1 else { throw ClusterError.invalidSetting(.cpusPerTask, "the CPUs per task must be at least 1 (got \(cpusPerTask))") }
    if let partition {
      let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,")
      guard !partition.isEmpty, partition.allSatisfy({ allowed.contains($0) }) else {
        throw ClusterError.invalidSetting(.partition, "the partition must be a partition name (letters, digits, - _ . and commas between names; got \"\(partition)\")")
      }
    }
    guard output.path.hasPrefix("/"), binary.hasPrefix("/") else {
      throw ClusterError.invalidPlan("the sweep folder and the unlearn binary need absolute paths (got \(output.path), \(binary))")
    }
    _ = try ShellQuoting.sbatchValue(output.path)
    guard !output.path.contains("%") else {
      throw ClusterError.invalidSetting(.folder, "the sweep folder \(output.path) contains %, which Slurm reads as a pattern in log file names; choose another folder")
    }
    self.experiment = experiment
    self.shards = shards
    self.output = output.standardizedFileURL
    self.binary = binary
    self.partition = partition
    self.timeLimit = timeLimit
    self.cpusPerTask = cpusPerTask
  }

  /// The number of grid points of the whole sweep.
  package var gridSize: Int { experiment.points().count }

  /// The number of grid points shard `index` runs (every N-th point from `index`).
  package func points(inShard index: Int) -> Int { (gridSize - index + shards - 1) / shards }

  package var arrayScriptURL: URL { output.appendingPathComponent("sweep.sbatch") }
  package var mergeScriptURL: URL { output.appendingPathComponent("merge.sbatch") }
  package var logsURL: URL { output.appendingPathComponent("logs") }
  /// `DIR/config.json`, which every task reads (`--config`).
  package var configURL: URL { output.appendingPathComponent(ExperimentOptions.configFileName) }
  package func shardURL(_ index: Int) -> URL { output.appendingPathComponent("shards").appendingPathComponent(String(index)) }

  /// The options every task runs with: the experiment's resolved options (every
  /// default filled in), naming the experiment. Written to ``configURL``.
  package var config: ExperimentOptions {
    var resolved = experiment.options
    resolved.experiment = experiment.name
    return resolved
  }

  /// The manifest of this plan (no submissions).
  package var manifest: SweepManifest { SweepManifest(experiment: experiment.name, options: config, shards: shards) }

  /// `#SBATCH` lines shared by both scripts.
  private func commonDirectives() -> [String] {
    var lines: [String] = []
    if let partition { lines.append("#SBATCH --partition=\(partition)") }
    if let timeLimit { lines.append("#SBATCH --time=\(timeLimit)") }
    return lines
  }

  private func value(_ url: URL) -> String { (try? ShellQuoting.sbatchValue(url.path)) ?? url.path }

  /// `sweep.sbatch`: the job array, task i = shard i of N.
  package var arrayScript: String {
    let name = experiment.name
    var lines = ["#!/bin/bash",
                 "#SBATCH --job-name=unlearn-\(name)",
                 "#SBATCH --array=0-\(shards - 1)",
                 "#SBATCH --cpus-per-task=\(cpusPerTask)",
                 "#SBATCH --output=\(value(logsURL.appendingPathComponent("shard-%a.job-%A.out")))"]
    lines += commonDirectives()
    lines += ["#",
              "# Written by `unlearn sweep`: the \(name) sweep (\(gridSize) grid points) as \(shards) array tasks; task i runs",
              "# shard i/\(shards) into shards/i. Every task resumes (--resume): submitting this script again after a failure",
              "# or a cancellation runs only the grid points missing from shards/i/runs.csv. merge.sbatch combines the shards.",
              "# Every experiment option comes from config.json in the sweep folder (--config).",
              "set -euo pipefail",
              "unlearn=\(ShellQuoting.quote(binary))",
              "dir=\(ShellQuoting.quote(output.path))",
              "i=\"${SLURM_ARRAY_TASK_ID:?run this script with sbatch (it is a job array)}\"",
              "exec \"$unlearn\" reproduce \(ShellQuoting.quote(name)) --config \"$dir/\(ExperimentOptions.configFileName)\" \\\n"
                + "  --shard \"$i/\(shards)\" --resume --threads \(cpusPerTask) --out \"$dir/shards/$i\""]
    return lines.joined(separator: "\n") + "\n"
  }

  /// `merge.sbatch`: `unlearn merge` of every shard into DIR, then `unlearn report`.
  package var mergeScript: String {
    let name = experiment.name
    var lines = ["#!/bin/bash",
                 "#SBATCH --job-name=unlearn-\(name)-merge",
                 "#SBATCH --cpus-per-task=1",
                 "#SBATCH --output=\(value(logsURL.appendingPathComponent("merge.job-%j.out")))",
                 "#SBATCH --kill-on-invalid-dep=yes"]
    lines += commonDirectives()
    lines += ["#",
              "# Written by `unlearn sweep`: submitted with --dependency=afterok:<array job>, so it runs once all \(shards)",
              "# shards succeeded (a failed or cancelled task cancels it), and writes runs.csv, summary.md, figure.svg,",
              "# config.json and report.html of the whole \(name) sweep into the sweep folder.",
              "set -euo pipefail",
              "unlearn=\(ShellQuoting.quote(binary))",
              "dir=\(ShellQuoting.quote(output.path))",
              "shards=()",
              "for ((i = 0; i < \(shards); i++)); do shards+=(\"$dir/shards/$i\"); done",
              "\"$unlearn\" merge \"${shards[@]}\" --out \"$dir\" --force",
              "\"$unlearn\" report \"$dir\" --no-recursive --out \"$dir/report.html\"",
              "\"$unlearn\" sweep status \"$dir\""]
    return lines.joined(separator: "\n") + "\n"
  }

  /// Checks that `output` holds no other sweep: a `sweep.json` of another
  /// experiment, options or shard count, or a `config.json` (of the sweep folder
  /// or of a shard) with other options.
  package func checkResumable() throws {
    if let existing = try SweepManifest.read(in: output) { try existing.checkSameSweep(as: manifest, folder: output) }
    let mine = config
    for url in [configURL] + (0..<shards).map({ shardURL($0).appendingPathComponent(ExperimentOptions.configFileName) }) {
      guard let data = try? Data(contentsOf: url) else { continue }
      guard let theirs = try? JSONDecoder().decode(ExperimentOptions.self, from: data), theirs == mine else {
        let what = url == configURL ? "a run" : "a shard run"
        throw ClusterError.sweepMismatch("\(url.path) holds \(what) with other options: re-run the sweep with those, or choose another folder")
      }
    }
  }

  /// Writes `config.json`, both scripts and the manifest (keeping its earlier
  /// submissions) into the sweep folder, each atomically, and creates `logs/`.
  /// Call ``checkResumable()`` first.
  package func write() throws {
    let fm = FileManager.default
    try fm.createDirectory(at: logsURL, withIntermediateDirectories: true)
    try config.writeConfig(to: configURL)
    try AtomicFile.write(Array(arrayScript.utf8), to: arrayScriptURL, overwrite: true)
    try AtomicFile.write(Array(mergeScript.utf8), to: mergeScriptURL, overwrite: true)
    var manifest = self.manifest
    manifest.submissions = (try SweepManifest.read(in: output))?.submissions ?? []
    try manifest.write(in: output)
  }

  /// Records a submission in `sweep.json`.
  package func record(_ submission: SweepManifest.Submission) throws {
    var manifest = (try SweepManifest.read(in: output)) ?? self.manifest
    manifest.submissions.append(submission)
    try manifest.write(in: output)
  }
}
