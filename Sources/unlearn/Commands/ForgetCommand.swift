import ArgumentParser
import Foundation
import Unlearning
import Workflows

/// `unlearn forget`: the paper's gradient-ascent step, and certificates for the result.
struct ForgetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forget",
    abstract: "Forget examples by one gradient-ascent step sized by their KKT multipliers; certify the result.",
    discussion: """
      Audits the model on S (or, when the model file stores the multipliers of its training set and the data \
      match their fingerprint, takes them: no audit; MATH.md §5.1), takes θ_U = θ̂ − α Σ_{r∈F} λ_r y_r ∇N(x_r; θ̂) (MATH.md §5; --step decomposition \
      subtracts F's share of the κ-audit instead), writes θ_U, and issues certificates w.r.t. S∖F (MATH.md §6): \
      self (θ_U itself), retrained (retrain on S∖F from the recorded initialisation), exact (linear: the SVM of S∖F), \
      carried (θ_U with the multipliers carried to it, no QP: an upper bound on self's ε at the cost of one gradient), \
      witness (θ_U with every hidden unit projected onto the kinks of its κ-band, audited under the exact Clarke \
      conditions: no relaxation; linear and two-layer models; --witness-out writes that θ̃; MATH.md §6.6). \
      A model trained elsewhere records no initialisation: --init FILE gives its initial weights (same layout). \
      A file saved by PyTorch is read as it is and θ_U is written in its names, shapes and dtypes (MATH.md §8.5). \
      Each reports (ε, ε/‖θ̃‖, δ, τ). --method picks a baseline instead of the paper's step; every method reports \
      its wall time, and with --certify retrained also the time of retraining and the speed-up over it.

      Example:
        unlearn forget --model linear.safetensors --x data/iso.x.npy --y data/iso.y.npy --forget 3,17 \\
                       --certify self,retrained,exact --out linear-forgot.safetensors
      """)

  @Option(help: ArgumentHelp("The trained model (.safetensors).", valueName: "file"))
  var model: String
  @OptionGroup var data: DataOptions
  @OptionGroup var layout: ModelLayoutOptions
  @Option(name: .customLong("init"), help: ArgumentHelp("""
    The initial weights, in the model's layout, that retraining on S∖F starts from (--certify retrained, \
    --method retrain), for a model whose file records no initialisation (one trained elsewhere).
    """, valueName: "file"))
  var initialWeights: String?
  @Option(help: ArgumentHelp("Comma-separated 0-based indices of the examples to forget.", valueName: "list"),
          transform: CommaSeparated<Int>.parser)
  var forget: CommaSeparated<Int>
  @Option(help: "Step-size multiplier α (1 is the paper's step).")
  var alpha = 1.0
  @Option(help: "gradient (the paper's step) or decomposition (F's share of the κ-audit).")
  var step: GradientAscentUnlearning.Step = .gradient
  @Option(help: "Kink tolerance κ of the audits.")
  var kappa = KKTAuditor.defaultKappa
  @Option(help: ArgumentHelp("""
    ga-kkt (the paper's step), ga-kkt+recover, retrain, fine-tune, neggrad, neggrad-plus, random-label, \
    newton (influence step on the L2-regularised logistic loss) or minnorm-og (projection onto the retained \
    output gradients, then k GD steps).
    """, valueName: "method"))
  var method: UnlearningMethod.Kind = .gaKKT
  @Option(help: "k: steps of ga-kkt+recover, fine-tune, neggrad, neggrad-plus, random-label, minnorm-og.")
  var steps = 10
  @Option(help: "η of the loss-normalised steps (ga-kkt+recover, fine-tune, random-label).")
  var learningRate = 1.0
  @Option(help: "η of the plain gradient steps of neggrad and neggrad-plus.")
  var ascentLearningRate = 0.1
  @Option(help: "γ of neggrad-plus (steps on L(S∖F) − γ L(F)).")
  var gamma = 1.0
  @Option(name: .customLong("l2"), help: ArgumentHelp("""
    ρ of newton: the L2 regularisation of the logistic loss whose Hessian it inverts (default: fitted, the ρ that \
    makes the normalised model closest to stationary).
    """, valueName: "ρ"))
  var regularization: Double?
  @Option(help: ArgumentHelp("Certificates to issue: any of self,retrained,exact,carried,witness, or none (default self).", valueName: "list"),
          transform: CertificateList.parser)
  var certify = CertificateList([.self])
  @Option(help: ArgumentHelp("The unlearned model to write (.safetensors).", valueName: "file"))
  var out: String
  @Option(help: ArgumentHelp("Also write the witness θ̃ of --certify witness (θ_U projected onto its kinks; .safetensors).",
                             valueName: "file"))
  var witnessOut: String?
  @OptionGroup var output: OutputOptions

  func validate() throws {
    guard alpha.isFinite else { throw ValidationError("--alpha must be a finite number (got \(alpha))") }
    guard kappa.isFinite, kappa >= 0 else { throw ValidationError("--kappa must be a number ≥ 0 (got \(kappa))") }
    guard steps >= 0 else { throw ValidationError("--steps must be ≥ 0 (got \(steps))") }
    guard learningRate.isFinite, learningRate > 0 else { throw ValidationError("--learning-rate must be a positive number (got \(learningRate))") }
    guard ascentLearningRate.isFinite, ascentLearningRate > 0 else { throw ValidationError("--ascent-learning-rate must be a positive number (got \(ascentLearningRate))") }
    guard gamma.isFinite, gamma >= 0 else { throw ValidationError("--gamma must be a number ≥ 0 (got \(gamma))") }
    if let regularization, !(regularization.isFinite && regularization > 0) {
      throw ValidationError("--l2 must be a positive number (got \(regularization))")
    }
    if let witnessOut {
      guard certify.kinds.contains(.witness) else {
        throw ValidationError("--witness-out writes the witness of --certify witness; add witness to --certify")
      }
      guard URL(fileURLWithPath: witnessOut).standardizedFileURL != URL(fileURLWithPath: out).standardizedFileURL else {
        throw ValidationError("--witness-out and --out name the same file; give the witness its own")
      }
    }
  }

  /// `--method` with the flags that are its settings (each method reads only its own).
  var unlearningMethod: UnlearningMethod {
    switch method {
    case .gaKKT: .gaKKT(alpha: alpha, step: step)
    case .gaKKTRecover: .gaKKTRecover(alpha: alpha, step: step, steps: steps, learningRate: learningRate)
    case .retrain: .retrain
    case .fineTune: .fineTune(steps: steps, learningRate: learningRate)
    case .negGrad: .negGrad(steps: steps, rate: ascentLearningRate)
    case .negGradPlus: .negGradPlus(steps: steps, rate: ascentLearningRate, forgetWeight: gamma)
    case .randomLabel: .randomLabel(steps: steps, learningRate: learningRate)
    case .newton: .newton(regularization: regularization)
    case .minNormOG: .minNormOG(steps: steps, learningRate: learningRate)
    }
  }

  func run() throws {
    try CLIError.reporting {
      try OutputPath.checkWritable(out, force: output.force)
      if let witnessOut { try OutputPath.checkWritable(witnessOut, force: output.force) }
      let (stored, metadata) = try layout.read(model)
      if witnessOut != nil, !(stored is any KinkProjectable) {
        throw ValidationError("--witness-out: a deep network has no witness to write (its audit is strict, with no kink band to project, MATH.md §1.6); drop --witness-out")
      }
      let initial = try initialWeights.map {
        try ModelFile.readInitialization(URL(fileURLWithPath: $0), for: stored, metadata: metadata, layers: layout.layerOrder)
      }
      let dataset = try data.load()
      let request = ForgetWorkflow.Request(forgetSet: forget.values, method: unlearningMethod, kappa: kappa,
                                           certify: certify.kinds, initial: initial)
      let result = try ForgetWorkflow.run(stored, metadata: metadata, on: dataset, request, progress: Progress.training)
      var summary = result.summary
      Progress.clear()
      // The provenance echoes --alpha and --step as given, whichever method reads them.
      var provenance = metadata.recordingUnlearning(forgetSet: request.forgetSet, alpha: alpha, step: step.rawValue,
                                                    kappa: kappa, method: method.rawValue)
      provenance.multipliers = result.metadata.multipliers
      try ModelFile.write(result.model, metadata: provenance, to: URL(fileURLWithPath: out), overwrite: output.force)
      summary.output = out
      if let witnessOut, let witness = result.witness {
        // θ̃ with θ_U's provenance but without θ_U's carried multipliers (they are not θ̃'s).
        var witnessProvenance = provenance
        witnessProvenance.multipliers = nil
        try ModelFile.write(witness, metadata: witnessProvenance, to: URL(fileURLWithPath: witnessOut), overwrite: output.force)
        summary.witnessOutput = witnessOut
      }
      // The JSON echoes --alpha and --step as given, as the provenance does, whichever method reads them.
      summary.alpha = alpha
      summary.step = step.rawValue
      if output.json {
        print(try JSONOutput.encode(summary))
        return
      }
      if method == .gaKKT {
        print("forgot \(summary.forget) of \(dataset.count) examples with the \(summary.step) step at α = \(Format.general(alpha)) (κ = \(Format.general(kappa))) in \(Format.seconds(summary.seconds))")
      } else {
        print("forgot \(summary.forget) of \(dataset.count) examples with \(method.rawValue) in \(Format.seconds(summary.seconds))")
      }
      switch summary.multipliersSource {
      case "stored":
        print("  multipliers: stored in the model file (no audit on S; their SHA-256 fingerprints took \(Format.seconds(summary.fingerprintSeconds)) more)")
        if let cold = summary.coldSeconds {
          print("  timed warm: the step's first run in this process took \(Format.seconds(cold)) (paging in its buffers), the time above is the median of the \(UnlearningRun<LinearModel>.warmRuns) runs after it")
        }
      case "audit":
        print("  multipliers: audited on S" + (summary.multipliersNote.map { " (the stored ones were not used: \($0))" } ?? " (the model file stores none; `unlearn audit --attach` adds them)"))
      default: break
      }
      for (r, (lambda, beta)) in zip(summary.forget, zip(summary.forgetMultipliers, summary.stepSizes)) {
        print("  example \(r): λ = \(Format.sci(lambda)), step size β = λ/(−ℓ'(q)) = \(Format.sci(beta))")
      }
      if method == .retrain {
        // The method is the retraining: no speed-up to report.
      } else if let speedup = summary.speedupOverRetrain, let retrain = summary.retrainSeconds {
        let comparison = speedup >= 1 ? "is \(Format.fixed(speedup, 1))× faster" : "takes \(Format.fixed(1 / speedup, 1))× as long"
        print("  retraining on S∖F to the same tolerance took \(Format.fixed(retrain, 4)) s: \(method.rawValue) \(comparison)")
      } else {
        print("  (add --certify retrained to time retraining and report the speed-up)")
      }
      let rounded = metadata.layout?.weights.contains { $0.dtype != .f64 } ?? false
      if rounded, let dtype = metadata.layout?.weights.first?.dtype {
        // θ_U rounded to the file's dtype is not the θ_U the carried multipliers fingerprint: the next forget audits.
        print("wrote \(out) in the input's layout (\(dtype.rawValue): θ_U rounded; the multipliers carried with it belong to θ_U before rounding, so its next forget audits again)")
      } else {
        print("wrote \(out)" + (metadata.layout != nil ? " in the input's layout" : "") + (summary.multipliersCarried ? " (with the multipliers of S∖F carried forward: its next forget needs no audit)" : ""))
      }
      if let written = summary.witnessOutput { print("wrote \(written) (the witness θ̃ of the witness certificate)") }
      if !summary.certificates.isEmpty {
        print("certificates w.r.t. S∖F (\(summary.retainedExamples) examples):")
        let rows = summary.certificates.map { c in
          [c.kind.rawValue, Format.sci(c.epsilon), Format.sci(c.epsilonRelative), Format.sci(c.delta), Format.sci(c.tau)]
        }
        print(Format.table(header: ["kind", "ε", "ε/‖θ̃‖", "δ", "τ"], rows: rows, indent: 2))
        for c in summary.certificates {
          print("  \(c.kind.rawValue): \(c.method)")
          if c.kind == .witness, let pairs = c.projectedPairs, let flips = c.signChanges {
            print("    projected pairs \(pairs), sign changes off the band \(flips), min margin of θ̃ \(c.minMargin.map { Format.general($0) } ?? "—")")
          }
        }
      }
    }
  }
}

extension GradientAscentUnlearning.Step: ExpressibleByArgument {}
extension Loss: ExpressibleByArgument {}
extension UnlearningMethod.Kind: ExpressibleByArgument {}
