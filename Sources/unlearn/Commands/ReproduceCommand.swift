import ArgumentParser
import Experiments
import Foundation
import Unlearning

/// `unlearn reproduce <experiment>`: one of the paper's experiments as a parallel, resumable sweep.
struct ReproduceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reproduce",
    abstract: "Run one of the paper's experiments: runs.csv, summary.md (tables, verdicts) and figure.svg.",
    discussion: """
      Experiments: step-size (the paper's Figure 1), linear-dimension, two-layer-dimension, correlation, \
      mixture, forget-set-size; beyond the paper: recovery, privacy, real-data (open questions 1, 2, 4), depth (open question 3: deep ReLU networks, L = 1…4), sequential (T deletions one after another), scaling \
      (m = m_max/8 … m_max at fixed d across the near-orthogonality boundary m·φ ≈ 1, forgetting the largest- and \
      the smallest-λ example; --m sets m_max). Seeds and settings run in parallel on all cores; each finished run is \
      appended to runs.csv and flushed at once, so --resume continues a killed sweep and --shard i/N \
      splits one over machines (combine with `unlearn merge`). --config FILE takes every experiment option \
      from a config.json (the one an earlier run wrote, or a sweep's DIR/config.json) instead of flags; \
      it cannot be combined with experiment flags (exit 64), a missing file exits 74, a malformed one 65.

      Example:
        unlearn reproduce step-size                       # results/step-size/
        unlearn reproduce linear-dimension --seeds 3 --dimensions 100,1000,10000
        unlearn reproduce depth --depths 1,2,3                # results/depth/
        unlearn reproduce depth --config results/depth/config.json --out again/depth
        unlearn reproduce correlation --shard 0/2 --out shards/0 ; unlearn merge shards/0 shards/1 --out results/correlation
      """)

  @OptionGroup var arguments: ExperimentArguments
  @Option(help: ArgumentHelp("Run only the i-th of N slices of the grid.", valueName: "i/N"))
  var shard: String?
  @Flag(help: "Continue a sweep: keep the finished runs in runs.csv, run the rest.")
  var resume = false
  @Flag(help: "Start over, replacing an existing runs.csv.")
  var force = false
  @Option(help: "Concurrent runs (default: the number of cores).")
  var threads: Int?
  @Option(help: ArgumentHelp("Output folder (default results/<experiment>).", valueName: "dir"))
  var out: String?

  func validate() throws {
    if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1 (got \(t))") }
    if let shard {
      do { _ = try Shard(parsing: shard) } catch { throw ValidationError(CLIError.message(for: error)) }
    }
    if resume && force { throw ValidationError("--resume and --force exclude each other") }
  }

  func run() throws {
    try CLIError.reporting {
      let experiment = arguments.experiment
      let exp = try ExperimentCatalog.make(experiment, options: try arguments.experimentOptions())
      let folder = URL(fileURLWithPath: out ?? "results/\(experiment)")
      let runner = SweepRunner(experiment: exp, output: folder, shard: try shard.map { try Shard(parsing: $0) },
                               resume: resume, force: force, threads: threads)
      let start = Date()
      let label = experiment + (shard.map { " shard \($0)" } ?? "")
      try runner.run { p in
        let eta = p.remaining.map { Format.duration($0) } ?? "…"
        Terminal.status("\(label): \(p.done)/\(p.total) runs done\(p.resumed > 0 ? " (\(p.resumed) resumed)" : ""), \(Format.duration(p.elapsed)) elapsed, ETA \(eta)")
      }
      Progress.clear()
      print("\(label): finished in \(Format.duration(Date().timeIntervalSince(start)))")
      for file in ["runs.csv", "summary.md", "figure.svg", "config.json"] { print("wrote \(folder.appendingPathComponent(file).relativePath)") }
      if let verdict = try? String(contentsOf: folder.appendingPathComponent("summary.md"), encoding: .utf8)
        .components(separatedBy: "## Verdict").last {
        print("\nVerdict" + verdict.trimmingCharacters(in: .newlines))
      }
    }
  }
}
