import ArgumentParser
import Experiments
import Foundation
import Unlearning

/// The experiment and its options, shared by `unlearn reproduce` and `unlearn sweep`
/// (a sweep writes them, resolved, to `DIR/config.json`, and every task reads them
/// back with `--config`). The options come either from the flags or from a
/// `--config` file, never from both: ``experimentOptions()``.
struct ExperimentArguments: ParsableArguments {
  @Argument(help: ArgumentHelp("The experiment.", valueName: "experiment"))
  var experiment: String
  @Option(help: "Seeds per setting (\(ExperimentDefaults.describe(\.seeds)); privacy draws its models by --population instead).")
  var seeds: Int?
  @Option(name: .customLong("m"), help: "Training-set size (\(ExperimentDefaults.describe(\.examples))).")
  var examples: Int?
  @Option(name: .customLong("d"), help: "Input dimension (\(ExperimentDefaults.describe(\.dimension))).")
  var dimension: Int?
  @Option(help: "Hidden width of the networks (\(ExperimentDefaults.describe(\.width))).")
  var width: Int?
  @Flag(help: "step-size, two-layer-dimension: train the output layer too.")
  var trainOutputLayer = false
  @Option(help: ArgumentHelp("step-size, depth, privacy: step-size multipliers α, comma-separated (\(ExperimentDefaults.describe(\.alphas))).", valueName: "list"),
          transform: CommaSeparated<Double>.parser)
  var alphas: CommaSeparated<Double>?
  @Option(help: ArgumentHelp("Kink tolerances κ (step-size: one curve each; others use the first; \(ExperimentDefaults.describe(\.kappas))).", valueName: "list"),
          transform: CommaSeparated<Double>.parser)
  var kappas: CommaSeparated<Double>?
  @Option(help: ArgumentHelp("The dimension experiments: dimensions d, comma-separated (\(ExperimentDefaults.describe(\.dimensions))).", valueName: "list"),
          transform: CommaSeparated<Int>.parser)
  var dimensions: CommaSeparated<Int>?
  @Option(help: ArgumentHelp("correlation: values of ρ, comma-separated (\(ExperimentDefaults.describe(\.rhos))).", valueName: "list"),
          transform: CommaSeparated<Double>.parser)
  var rhos: CommaSeparated<Double>?
  @Option(help: ArgumentHelp("forget-set-size, real-data: sizes k, comma-separated (forget-set-size: 1, 2, 4, … up to m/2; real-data: the first, default 1); sequential: the T at which it retrains and measures τ, the last being the number of deletions (default 1, 2, 3, 5, 10, 15, …, 50).", valueName: "list"),
          transform: CommaSeparated<Int>.parser)
  var sizes: CommaSeparated<Int>?
  @Option(name: .customLong("test-m"), help: "Test-set size (\(ExperimentDefaults.describe(\.testExamples))).")
  var testExamples: Int?
  @Option(help: "Cluster-mean norm ‖μ‖ (\(ExperimentDefaults.describe(\.meanNorm) { String(format: "%.3g", $0) }); mixture, depth: d^(-1/4) of the d in use; sequential: Bayes error 10 %, 1.28/√d).")
  var meanNorm: Double?
  @Flag(help: "mixture: four clusters in an XOR layout.")
  var xor = false
  @Option(help: ArgumentHelp("recovery: step counts k, comma-separated; sequential: the first is recover10's k (\(ExperimentDefaults.describe(\.steps))).", valueName: "list"),
          transform: CommaSeparated<Int>.parser)
  var steps: CommaSeparated<Int>?
  @Option(help: ArgumentHelp("privacy, real-data: unlearning methods to compare, comma-separated (see `unlearn forget --help`; \(ExperimentDefaults.describe(\.methods))).", valueName: "list"),
          transform: CommaSeparated<UnlearningMethod.Kind>.parser)
  var methods: CommaSeparated<UnlearningMethod.Kind>?
  @Option(help: "privacy: models trained with each target, and as many without (the population attack's N, at least 4; \(ExperimentDefaults.describe(\.populationSize))).")
  var population: Int?
  @Option(help: ArgumentHelp("real-data: bundled data sets, comma-separated (\(ExperimentDefaults.describe(\.datasets))).", valueName: "list"),
          transform: CommaSeparated<RealDataset>.parser)
  var datasets: CommaSeparated<RealDataset>?
  @Option(help: ArgumentHelp("real-data: random-feature widths D of the lift x ↦ ReLU(Rx)/√D, comma-separated, each run uncentred and centred (0 = no lift; \(ExperimentDefaults.describe(\.liftDimensions))).", valueName: "list"),
          transform: CommaSeparated<Int>.parser)
  var lifts: CommaSeparated<Int>?
  @Option(help: ArgumentHelp("depth: numbers of hidden layers L, comma-separated (\(ExperimentDefaults.describe(\.depths))).", valueName: "list"),
          transform: CommaSeparated<Int>.parser)
  var depths: CommaSeparated<Int>?
  @Option(help: "KKT tolerance on ε/‖θ̂‖ for training the networks (\(ExperimentDefaults.describe(\.tolerance))).")
  var tolerance: Double?
  @Option(help: "Iteration limit for training the networks (\(ExperimentDefaults.describe(\.maxIterations))).")
  var maxIterations: Int?
  @Option(help: ArgumentHelp(
    "Read every experiment option from this config.json (as written by reproduce, merge or sweep: what `unlearn sweep`'s tasks run with) instead of the flags above; combining it with any of them is refused.",
    valueName: "file"))
  var config: String?

  /// The flag of each ``ExperimentOptions`` field (for messages; a field missing here is named by its JSON key).
  static let flags: [String: String] = [
    "seeds": "--seeds", "examples": "--m", "dimension": "--d", "width": "--width", "trainOutputLayer": "--train-output-layer",
    "alphas": "--alphas", "kappas": "--kappas", "dimensions": "--dimensions", "rhos": "--rhos", "forgetSizes": "--sizes",
    "testExamples": "--test-m", "meanNorm": "--mean-norm", "xor": "--xor", "tolerance": "--tolerance",
    "maxIterations": "--max-iterations", "steps": "--steps", "methods": "--methods", "populationSize": "--population",
    "datasets": "--datasets", "liftDimensions": "--lifts", "depths": "--depths",
  ]

  /// The options the experiment runs with: those of the `--config` file when one
  /// is given (checked like the flags; a missing or unreadable file is an I/O
  /// error, exit 74, a malformed one or invalid values exit 65, a config of another
  /// experiment exit 64), otherwise those of the flags.
  func experimentOptions() throws -> ExperimentOptions {
    guard let config else { return options() }
    let options = try ExperimentOptions.readConfig(from: URL(fileURLWithPath: config))
    if let name = options.experiment, name != experiment {
      throw SweepError.invalidOption("--config \(config) holds options of the \(name) experiment, not of \(experiment)")
    }
    do {
      try Self.check(options, experiment: experiment)
    } catch let error as ValidationError {
      throw FileFormatError(.invalidContents, file: config, error.message)
    }
    return options
  }

  /// The options of the flags (``ExperimentOptions`` fields left `nil` for flags not given).
  func options() -> ExperimentOptions {
    var o = ExperimentOptions()
    o.seeds = seeds
    o.examples = examples
    o.dimension = dimension
    o.width = width
    o.trainOutputLayer = trainOutputLayer ? true : nil
    o.alphas = alphas?.values
    o.kappas = kappas?.values
    o.dimensions = dimensions?.values
    o.rhos = rhos?.values
    o.forgetSizes = sizes?.values
    o.testExamples = testExamples
    o.meanNorm = meanNorm
    o.xor = xor ? true : nil
    o.tolerance = tolerance
    o.maxIterations = maxIterations
    o.steps = steps?.values
    o.methods = methods?.values.map(\.rawValue)
    o.populationSize = population
    o.datasets = datasets?.values.map(\.rawValue)
    o.liftDimensions = lifts?.values
    o.depths = depths?.values
    return o
  }

  func validate() throws {
    guard ExperimentCatalog.names.contains(experiment) else {
      throw ValidationError("unknown experiment \"\(experiment)\"; the experiments are \(ExperimentCatalog.names.joined(separator: ", "))")
    }
    let o = options()
    if config != nil {
      let given = Mirror(reflecting: o).children.filter { !Self.isNil($0.value) }.compactMap(\.label).map { Self.flags[$0] ?? $0 }
      if !given.isEmpty {
        throw ValidationError("--config cannot be combined with experiment options (got \(given.joined(separator: ", "))): the config file holds every option; edit it, or drop --config")
      }
      return
    }
    try Self.check(o, experiment: experiment)
  }

  /// Whether a field's value (an optional) is `nil`.
  private static func isNil(_ value: Any) -> Bool {
    let mirror = Mirror(reflecting: value)
    return mirror.displayStyle == .optional && mirror.children.isEmpty
  }

  /// Refuses options out of their ranges (named by their flags), from the flags or a config file.
  static func check(_ o: ExperimentOptions, experiment: String) throws {
    if let s = o.seeds, s < 1 { throw ValidationError("--seeds must be at least 1 (got \(s))") }
    if let m = o.examples, m < 2 { throw ValidationError("--m must be at least 2 (got \(m))") }
    if let d = o.dimension, d < 1 { throw ValidationError("--d must be at least 1 (got \(d))") }
    if let n = o.width, n < 1 { throw ValidationError("--width must be at least 1 (got \(n))") }
    if let k = o.kappas?.first(where: { $0 < 0 }) { throw ValidationError("--kappas must be ≥ 0 (got \(k))") }
    if let l = o.depths?.first(where: { $0 < 1 }) { throw ValidationError("--depths must be ≥ 1 (got \(l))") }
    if let d = o.dimensions?.first(where: { $0 < 1 }) { throw ValidationError("--dimensions must be ≥ 1 (got \(d))") }
    if let r = o.rhos?.first(where: { $0 < 0 || $0 > 1 }) { throw ValidationError("--rhos must lie in [0, 1] (got \(r))") }
    let m = o.examples ?? (try? ExperimentDefaults.options(for: experiment).examples) ?? ExperimentDefaults.fallback.examples!
    if let k = o.forgetSizes?.first(where: { $0 < 1 || $0 >= m }) { throw ValidationError("--sizes must lie in 1..<m = \(m) (got \(k))") }
    if let r = o.meanNorm, !(r.isFinite && r >= 0) { throw ValidationError("--mean-norm must be a number ≥ 0 (got \(r))") }
    if let t = o.tolerance, !(t.isFinite && t >= 0) { throw ValidationError("--tolerance must be a number ≥ 0 (got \(t))") }
    if let i = o.maxIterations, i < 0 { throw ValidationError("--max-iterations must be ≥ 0 (got \(i))") }
    if let k = o.steps?.first(where: { $0 < 0 }) { throw ValidationError("--steps must be ≥ 0 (got \(k))") }
    if let p = o.populationSize, p < 4 {
      throw ValidationError("--population must be at least 4 (got \(p)): the attack fits on half the models and needs two with and two without each target there")
    }
    if let l = o.liftDimensions?.first(where: { $0 < 0 }) { throw ValidationError("--lifts must be ≥ 0 (got \(l))") }
    // The flags check these names as they parse them (CommaSeparated); a config file's are checked here.
    let methods = UnlearningMethod.Kind.names, datasets = RealDataset.names
    if let name = o.methods?.first(where: { !methods.contains($0) }) {
      throw ValidationError("--methods: unknown method \"\(name)\"; the methods are \(methods.joined(separator: ", "))")
    }
    if let name = o.datasets?.first(where: { !datasets.contains($0) }) {
      throw ValidationError("--datasets: unknown bundled data set \"\(name)\"; the bundled data sets are \(datasets.joined(separator: ", "))")
    }
  }
}
