import ArgumentParser
import Experiments
import Foundation
import Unlearning

/// The experiment and its options, shared by `unlearn reproduce` and `unlearn sweep`
/// (a sweep passes them on to every task unchanged).
struct ExperimentArguments: ParsableArguments {
  @Argument(help: ArgumentHelp("The experiment.", valueName: "experiment"))
  var experiment: String
  @Option(help: "Seeds per setting (default 5; real-data 3; privacy draws its models by --population instead).")
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
  @Option(help: "privacy: models trained with each target, and as many without (the population attack's N, at least 4; default 32).")
  var population: Int?
  @Option(help: ArgumentHelp("real-data: bundled data sets, comma-separated (breast-cancer, digits).", valueName: "list"))
  var datasets: String?
  @Option(help: ArgumentHelp("real-data: random-feature widths D of the lift x ↦ ReLU(Rx)/√D, comma-separated (0 = no lift).", valueName: "list"))
  var lifts: String?
  @Option(help: ArgumentHelp("depth: numbers of hidden layers L, comma-separated (default 1,2,3,4).", valueName: "list"))
  var depths: String?
  @Option(help: "KKT tolerance on ε/‖θ̂‖ for training the two-layer network.")
  var tolerance: Double?
  @Option(help: "Iteration limit for training the two-layer network.")
  var maxIterations: Int?

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
    o.methods = try methods.map {
      try IndexList.names($0, flag: "--methods", allowed: UnlearningMethod.allCases.map(\.rawValue), what: "method")
    }
    o.populationSize = population
    o.datasets = try datasets.map {
      try IndexList.names($0, flag: "--datasets", allowed: RealDataset.allCases.map(\.rawValue), what: "bundled data set")
    }
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
    if let p = population, p < 4 {
      throw ValidationError("--population must be at least 4 (got \(p)): the attack fits on half the models and needs two with and two without each target there")
    }
    if let l = o.liftDimensions?.first(where: { $0 < 0 }) { throw ValidationError("--lifts must be ≥ 0 (got \(l))") }
  }
}
