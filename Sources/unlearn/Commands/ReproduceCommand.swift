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
      mixture, forget-set-size; beyond the paper: recovery (open question 1), depth (open question 3: deep ReLU networks, L = 1…4). Seeds and settings run in parallel on all cores; each finished run is \
      appended to runs.csv and flushed at once, so --resume continues a killed sweep and --shard i/N \
      splits one over machines (combine with `unlearn merge`).

      Example:
        unlearn reproduce step-size                       # results/step-size/
        unlearn reproduce linear-dimension --seeds 3 --dimensions 100,1000,10000
        unlearn reproduce depth --depths 1,2,3                # results/depth/
        unlearn reproduce correlation --shard 0/2 --out shards/0 ; unlearn merge shards/0 shards/1 --out results/correlation
      """)

  @Argument(help: ArgumentHelp("The experiment.", valueName: "experiment"))
  var experiment: String
  @Option(help: "Seeds per setting (default 5).")
  var seeds: Int?
  @Option(name: .customLong("m"), help: "Training-set size (default 20; mixture 40).")
  var examples: Int?
  @Option(name: .customLong("d"), help: "Input dimension (default 1000).")
  var dimension: Int?
  @Option(help: "Hidden width of the two-layer network (default 100).")
  var width: Int?
  @Flag(help: "step-size, two-layer-dimension: train the output layer too.")
  var trainOutputLayer = false
  @Option(help: ArgumentHelp("step-size, depth: step-size multipliers α, comma-separated.", valueName: "list"))
  var alphas: String?
  @Option(help: ArgumentHelp("Kink tolerances κ (step-size: one curve each; others use the first; default 3e-2).", valueName: "list"))
  var kappas: String?
  @Option(help: ArgumentHelp("The dimension experiments: dimensions d, comma-separated.", valueName: "list"))
  var dimensions: String?
  @Option(help: ArgumentHelp("correlation: values of ρ, comma-separated.", valueName: "list"))
  var rhos: String?
  @Option(help: ArgumentHelp("forget-set-size: sizes k, comma-separated.", valueName: "list"))
  var sizes: String?
  @Option(name: .customLong("test-m"), help: "mixture: test-set size (default 1000).")
  var testExamples: Int?
  @Option(help: "mixture: cluster-mean norm ‖μ‖ (default d^(-1/4)).")
  var meanNorm: Double?
  @Flag(help: "mixture: four clusters in an XOR layout.")
  var xor = false
  @Option(help: ArgumentHelp("recovery: step counts k, comma-separated (default 0,1,2,5,10,20,50).", valueName: "list"))
  var steps: String?
  @Option(help: ArgumentHelp("privacy, real-data: unlearning methods to compare, comma-separated (see `unlearn forget --help`).", valueName: "list"))
  var methods: String?
  @Option(help: "privacy: models trained with and without each target (the population attack's N).")
  var population: Int?
  @Option(help: ArgumentHelp("real-data: bundled data sets, comma-separated (breast-cancer, digits).", valueName: "list"))
  var datasets: String?
  @Option(help: ArgumentHelp("real-data: random-feature widths D of the lift x ↦ ReLU(Rx)/√D, comma-separated.", valueName: "list"))
  var lifts: String?
  @Option(help: ArgumentHelp("depth: numbers of hidden layers L, comma-separated (default 1,2,3,4).", valueName: "list"))
  var depths: String?
  @Option(help: "KKT tolerance on ε/‖θ̂‖ for training the two-layer network.")
  var tolerance: Double?
  @Option(help: "Iteration limit for training the two-layer network.")
  var maxIterations: Int?
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

  func options() throws -> ExperimentOptions {
    var o = ExperimentOptions()
    o.seeds = seeds
    o.examples = examples
    o.dimension = dimension
    o.width = width
    o.trainOutputLayer = trainOutputLayer ? true : nil
    o.alphas = try alphas.map { try IndexList.numbers($0, flag: "--alphas") }
    o.kappas = try kappas.map { try IndexList.numbers($0, flag: "--kappas") }
    o.dimensions = try dimensions.map { try IndexList.integers($0, flag: "--dimensions") }
    o.rhos = try rhos.map { try IndexList.numbers($0, flag: "--rhos") }
    o.forgetSizes = try sizes.map { try IndexList.integers($0, flag: "--sizes") }
    o.testExamples = testExamples
    o.meanNorm = meanNorm
    o.xor = xor ? true : nil
    o.tolerance = tolerance
    o.maxIterations = maxIterations
    o.steps = try steps.map { try IndexList.integers($0, flag: "--steps") }
    o.methods = try methods.map { list in
      try list.split(separator: ",").map { name in
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard UnlearningMethod(rawValue: trimmed) != nil else {
          throw ValidationError("--methods: unknown method \"\(trimmed)\"; the methods are \(UnlearningMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return trimmed
      }
    }
    o.populationSize = population
    o.datasets = datasets.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    o.liftDimensions = try lifts.map { try IndexList.integers($0, flag: "--lifts") }
    o.depths = try depths.map { try IndexList.integers($0, flag: "--depths") }
    return o
  }

  func validate() throws {
    guard ExperimentCatalog.names.contains(experiment) else {
      throw ValidationError("unknown experiment \"\(experiment)\"; the experiments are \(ExperimentCatalog.names.joined(separator: ", "))")
    }
    let o = try options()
    if let s = seeds, s < 1 { throw ValidationError("--seeds must be at least 1 (got \(s))") }
    if let m = examples, m < 2 { throw ValidationError("--m must be at least 2 (got \(m))") }
    if let d = dimension, d < 1 { throw ValidationError("--d must be at least 1 (got \(d))") }
    if let n = width, n < 1 { throw ValidationError("--width must be at least 1 (got \(n))") }
    if let k = o.kappas?.first(where: { $0 < 0 }) { throw ValidationError("--kappas must be ≥ 0 (got \(k))") }
    if let l = o.depths?.first(where: { $0 < 1 }) { throw ValidationError("--depths must be ≥ 1 (got \(l))") }
    if let d = o.dimensions?.first(where: { $0 < 1 }) { throw ValidationError("--dimensions must be ≥ 1 (got \(d))") }
    if let r = o.rhos?.first(where: { $0 < 0 || $0 > 1 }) { throw ValidationError("--rhos must lie in [0, 1] (got \(r))") }
    let m = examples ?? (experiment == "mixture" ? 40 : 20)
    if let k = o.forgetSizes?.first(where: { $0 < 1 || $0 >= m }) { throw ValidationError("--sizes must lie in 1..<m = \(m) (got \(k))") }
    if let r = meanNorm, !(r.isFinite && r >= 0) { throw ValidationError("--mean-norm must be a number ≥ 0 (got \(r))") }
    if let t = tolerance, !(t.isFinite && t >= 0) { throw ValidationError("--tolerance must be a number ≥ 0 (got \(t))") }
    if let i = maxIterations, i < 0 { throw ValidationError("--max-iterations must be ≥ 0 (got \(i))") }
    if let k = o.steps?.first(where: { $0 < 0 }) { throw ValidationError("--steps must be ≥ 0 (got \(k))") }
    if let p = population, p < 2 { throw ValidationError("--population must be at least 2 (got \(p))") }
    if let l = o.liftDimensions?.first(where: { $0 < 1 }) { throw ValidationError("--lifts must be ≥ 1 (got \(l))") }
    if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1 (got \(t))") }
    if let shard { _ = try Shard(parsing: shard) }
    if resume && force { throw ValidationError("--resume and --force exclude each other") }
  }

  func run() throws {
    try CLIError.reporting {
      let exp = try ExperimentCatalog.make(experiment, options: try options())
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
