import ArgumentParser
import Foundation
import Unlearning
import Workflows

/// `unlearn train`: train a model to a KKT tolerance and write it as safetensors.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a linear model, a two-layer or a deep ReLU network to a KKT tolerance; write it as .safetensors.",
    discussion: """
      Full-batch loss-normalised gradient descent (MATH.md §2) from a seeded initialisation, stopping when \
      the κ-audit of the normalised model on the training set reaches --tolerance on ε/‖θ̂‖ with every \
      margin positive (audited every --audit-interval steps), or at --max-iterations. The file records the \
      initialisation and the settings, so that `unlearn forget --certify retrained` can retrain from the same point.

      Example:
        unlearn train --x data/iso.x.npy --y data/iso.y.npy --model linear --out linear.safetensors
        unlearn train --x data/iso.x.npy --y data/iso.y.npy --model two-layer --width 100 \\
                      --tolerance 5e-3 --out net.safetensors
        unlearn train --x data/iso.x.npy --y data/iso.y.npy --model deep-relu --depth 3 --width 50 \\
                      --tolerance 5e-2 --out deep.safetensors

      Deep networks (--model deep-relu) train every layer (degree C = L + 1): plain GD with \
      --warm-up-learning-rate (0.01) until every margin is positive, then the decaying normalised step \
      η∇L/(L‖θ‖^(C−1)) (η = 10, init scale 1 unless given). They are audited strictly (no kink band; \
      --kappa is ignored: their κ-band audit would be a relaxation, not a QP; MATH.md §1).
      """)

  enum Architecture: String, ExpressibleByArgument, CaseIterable {
    case linear
    case twoLayer = "two-layer"
    case deepReLU = "deep-relu"
  }

  @OptionGroup var data: DataOptions
  @Option(help: "linear, two-layer or deep-relu.")
  var model: Architecture
  @Option(help: "Hidden width n of the two-layer network (of every hidden layer of a deep one).")
  var width = 100
  @Option(help: "deep-relu: the number L of hidden layers (degree C = L + 1).")
  var depth = 2
  @Flag(help: "Train the output layer too (degree C = 2); otherwise u_j = ±1/√n is fixed.")
  var trainOutputLayer = false
  @Option(help: "exponential or logistic.")
  var loss: Loss = .exponential
  @Option(help: "Stop when ε/‖θ̂‖ at κ is at most this.")
  var tolerance = 1e-3
  @Option(help: "Kink tolerance κ of the stopping rule's audit (default 0.03; deep-relu: always 0, strict).")
  var kappa: Double?
  @Option(help: "Iteration limit.")
  var maxIterations = 50_000
  @Option(help: "Audit every this many iterations.")
  var auditInterval = 100
  @Option(help: "Step size η of loss-normalised GD (default 1; deep-relu 10).")
  var learningRate: Double?
  @Flag(help: "Plain gradient descent θ ← θ − η∇L instead of the loss-normalised step.")
  var plainGradientDescent = false
  @Option(help: "Plain GD steps with this η until every margin is positive, then the chosen step (deep-relu default 0.01; 0 = none).")
  var warmUpLearningRate: Double?
  @Option(help: "Init scale s: entries N(0, s²/fan_in) (default 0.01; deep-relu 1, since a degree-(L+1) net at s = 0.01 starts at a saddle).")
  var initScale: Double?
  @Option(help: "Seed of the initialisation.")
  var seed: UInt64 = 0
  @Flag(help: "two-layer: store the multipliers without the first layer's pre-activations on the training set (kkt_preactivations, one row of n numbers per example: a projection of its features). forget then carries the multipliers by a forward pass over S∖F, and its output keeps no cache either.")
  var noPreactivationCache = false
  @Option(help: ArgumentHelp("The model file to write (.safetensors).", valueName: "file"))
  var out: String
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if model != .linear { guard width >= 1 else { throw ValidationError("--width must be at least 1 (got \(width))") } }
    if model == .deepReLU { guard depth >= 1 else { throw ValidationError("--depth must be at least 1 (got \(depth))") } }
    guard tolerance.isFinite, tolerance >= 0 else { throw ValidationError("--tolerance must be a number ≥ 0 (got \(tolerance))") }
    if let kappa, !(kappa.isFinite && kappa >= 0) { throw ValidationError("--kappa must be a number ≥ 0 (got \(kappa))") }
    guard maxIterations >= 0 else { throw ValidationError("--max-iterations must be ≥ 0 (got \(maxIterations))") }
    guard auditInterval >= 1 else { throw ValidationError("--audit-interval must be at least 1 (got \(auditInterval))") }
    if let learningRate, !(learningRate.isFinite && learningRate > 0) { throw ValidationError("--learning-rate must be a positive number (got \(learningRate))") }
    if let w = warmUpLearningRate, !(w.isFinite && w >= 0) { throw ValidationError("--warm-up-learning-rate must be a number ≥ 0 (got \(w))") }
    if let initScale, !(initScale.isFinite && initScale > 0) { throw ValidationError("--init-scale must be a positive number (got \(initScale))") }
  }

  /// `--kappa`, else 3e-2; always 0 for a deep network (strict audit only).
  var effectiveKappa: Double { model == .deepReLU ? 0 : (kappa ?? KKTAuditor.defaultKappa) }

  func run() throws {
    try CLIError.reporting {
      try OutputPath.checkWritable(out, force: output.force)
      let dataset = try data.load()
      let architecture: ModelArchitecture
      switch model {
      case .linear: architecture = .linear
      case .twoLayer: architecture = .twoLayer(width: width, trainOutputLayer: trainOutputLayer)
      case .deepReLU: architecture = .deep(depth: depth, width: width)
      }
      var configuration = TrainingConfiguration(
        algorithm: plainGradientDescent ? .gradientDescent : .normalizedGradientDescent, loss: loss,
        learningRate: learningRate ?? (model == .deepReLU ? 10 : 1), tolerance: tolerance, kappa: effectiveKappa, auditInterval: auditInterval, maxIterations: maxIterations)
      let warmUp = warmUpLearningRate ?? (model == .deepReLU ? 0.01 : 0)
      configuration.warmUpLearningRate = warmUp > 0 ? warmUp : nil
      let request = TrainingWorkflow.Request(architecture: architecture, configuration: configuration,
                                             initScale: initScale ?? (model == .deepReLU ? 1 : 0.01), seed: seed,
                                             keepsPreactivations: !noPreactivationCache)
      var (trained, metadata, summary) = try TrainingWorkflow.run(request, on: dataset, progress: Progress.training)
      Progress.clear()
      try ModelFile.write(trained, metadata: metadata, to: URL(fileURLWithPath: out), overwrite: output.force)
      summary.output = out
      if output.json {
        print(try JSONOutput.encode(summary))
      } else {
        print("trained \(summary.architecture) (\(summary.parameters) parameters, C = \(summary.homogeneityDegree)) on m = \(dataset.count), d = \(dataset.dimension)")
        print("\(summary.iterations) iterations, \(summary.stopReason == "converged" ? "converged" : "stopped at the iteration limit (not converged)") in \(Format.fixed(summary.seconds, 2)) s")
        print("ε/‖θ̂‖ = \(Format.sci(summary.epsilonRelative)) at κ = \(Format.general(effectiveKappa)) (strict \(Format.sci(summary.epsilonStrictRelative))), δ = \(Format.sci(summary.delta)), band pairs \(summary.bandPairs.map(String.init) ?? "—"), min margin \(Format.general(summary.minMargin))")
        print("wrote \(out)")
      }
    }
  }
}
