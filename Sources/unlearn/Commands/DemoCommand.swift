import ArgumentParser
import Foundation
import LinearAlgebra
import Unlearning
import Workflows

/// `unlearn demo`: the main job on seeded data, end to end.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Train, audit, forget one example and compare with retraining, on seeded isotropic data.",
    discussion: """
      Trains a linear model and a two-layer ReLU network to a KKT tolerance on seeded isotropic data \
      (x ~ N(0, I/d), random ±1 labels), forgets one example with the paper's gradient-ascent step \
      (α = 1, step size from the example's KKT multiplier), and audits every model against the retained set.

      Example:
        unlearn demo                  # m = 20, d = 1000, n = 100, forget 0
        unlearn demo --seed 3 --forget 5 --json
        unlearn demo --d 300 --width 50 --verbose
      """)

  @Option(name: .customLong("m"), help: "Number of training examples.")
  var examples = 20
  @Option(name: .customLong("d"), help: "Input dimension.")
  var dimension = 1000
  @Option(help: "Hidden width n of the two-layer network.")
  var width = 100
  @Flag(help: "Train the output layer of the two-layer network too (degree C = 2).")
  var trainOutputLayer = false
  @Option(help: "Seed of the data and of the initialisation.")
  var seed: UInt64 = 0
  @Option(help: ArgumentHelp("Comma-separated indices of the examples to forget (default 0).", valueName: "list"),
          transform: CommaSeparated<Int>.parser)
  var forget = CommaSeparated<Int>([0])
  @Option(help: "Kink tolerance κ of the audits (relative; 0 = strict audit only).")
  var kappa = KKTAuditor.defaultKappa
  @Option(help: "KKT tolerance on ε/‖θ̂‖ at κ for training the two-layer network (default 5e-3).")
  var tolerance: Double?
  @Option(help: "Iteration limit of every training run (default 20000 linear, 40000 two-layer).")
  var maxIterations: Int?
  @Flag(help: "Print the results as JSON on stdout.")
  var json = false
  @Flag(name: .shortAndLong, help: "Say which BLAS kernels are in use and show every audit during training.")
  var verbose = false

  func validate() throws {
    guard examples >= 2 else { throw ValidationError("--m must be at least 2 (got \(examples))") }
    guard dimension >= 1 else { throw ValidationError("--d must be at least 1 (got \(dimension))") }
    guard width >= 1 else { throw ValidationError("--width must be at least 1 (got \(width))") }
    guard kappa.isFinite, kappa >= 0 else { throw ValidationError("--kappa must be a number ≥ 0 (got \(kappa))") }
    if let tolerance, !(tolerance.isFinite && tolerance >= 0) { throw ValidationError("--tolerance must be a number ≥ 0 (got \(tolerance))") }
    if let maxIterations, maxIterations < 0 { throw ValidationError("--max-iterations must be ≥ 0 (got \(maxIterations))") }
    if let bad = forget.values.first(where: { $0 < 0 || $0 >= examples }) {
      throw ValidationError("--forget index \(bad) is out of range 0..<\(examples)")
    }
  }

  func run() throws {
    var settings = DemoSettings()
    settings.examples = examples
    settings.dimension = dimension
    settings.width = width
    settings.trainOutputLayer = trainOutputLayer
    settings.seed = seed
    settings.forget = forget.values
    settings.kappa = kappa
    if let tolerance { settings.twoLayerTraining.tolerance = tolerance }
    if let maxIterations {
      settings.linearTraining.maxIterations = maxIterations
      settings.twoLayerTraining.maxIterations = maxIterations
    }

    let progress = Terminal.progressEnabled || verbose
    if verbose { Terminal.error(BLASKernelSelection.summary) }
    try CLIError.reporting {
      let report = try Demo.run(settings) { line in
        let isIteration = line.hasPrefix("  iteration")
        if verbose || (progress && !isIteration) { Terminal.error(line) }
        else if progress { Terminal.status(line) }
      }
      if progress { Terminal.status("") }
      if json {
        print(try JSONOutput.encode(report))
      } else {
        print(DemoTable.render(report))
      }
    }
  }
}
