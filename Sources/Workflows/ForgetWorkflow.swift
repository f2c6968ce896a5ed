import Foundation
import LinearAlgebra
import Unlearning

/// `unlearn forget`: the paper's gradient-ascent step for a forget set, and the
/// certificates of MATH.md §6 for the result.
package enum ForgetWorkflow {
  /// What to forget, how, and how to certify it.
  package struct Request: Sendable {
    package var forgetSet: [Int]
    /// The method with its settings (``UnlearningMethod/gaKKT(alpha:step:)``: the paper's step).
    package var method: UnlearningMethod
    /// κ of every audit (the paper's step's audit on S, the certificates' audits on S∖F, the retraining's tolerance).
    package var kappa: Double
    package var certify: [Certificate.Kind]
    /// The initial weights retraining starts from (`--init`, ``ModelFile/readInitialization(_:for:metadata:layers:)``),
    /// for a model whose file records no initialisation; `nil`: the recorded one (`init_seed`, `init_scale`).
    package var initial: (any HomogeneousModel)?

    package init(forgetSet: [Int], method: UnlearningMethod = .gaKKT(), kappa: Double = KKTAuditor.defaultKappa,
                certify: [Certificate.Kind] = [], initial: (any HomogeneousModel)? = nil) {
      self.initial = initial
      self.forgetSet = forgetSet
      self.method = method
      self.kappa = kappa
      self.certify = certify
    }

    /// α of the paper's step (1 for the other methods, as the summary reports it).
    package var alpha: Double {
      switch method {
      case .gaKKT(let alpha, _), .gaKKTRecover(let alpha, _, _, _): alpha
      default: 1
      }
    }

    /// The paper's step variant (`gradient` for the other methods, as the summary reports it).
    package var step: GradientAscentUnlearning.Step {
      switch method {
      case .gaKKT(_, let step), .gaKKTRecover(_, let step, _, _): step
      default: .gradient
      }
    }
  }

  /// The result as `unlearn forget --json` prints it (a stable schema, see the README).
  package struct Summary: Sendable, Encodable {
    package var method: String
    package var step: String
    package var alpha: Double
    package var kappa: Double
    package var forget: [Int]
    /// λ_r of the forgotten examples (audit of the model on S).
    package var forgetMultipliers: [Double]
    /// The paper's step sizes β_r = λ_r / (−ℓ'(q_r)).
    package var stepSizes: [Double]
    package var retainedExamples: Int
    /// Wall seconds of the method (for ga-kkt: the audit on S, or none with stored multipliers, plus the
    /// step and carrying the multipliers to θ_U).
    package var seconds: Double
    /// With stored multipliers, `seconds` is the median of the step's warm runs in this process
    /// (``UnlearningRun/warmRuns`` after the first, as the retraining after it runs warm); this is the first
    /// run's time (cold: page faults, first BLAS calls).
    package var coldSeconds: Double?
    /// Wall seconds of the stored multipliers' SHA-256 fingerprints (checking the model file's, binding θ_U's
    /// carried ones): not in `seconds`, as the trainer's clock has none (``UnlearningRun/run(_:)``).
    package var fingerprintSeconds: Double
    /// Wall seconds of retraining on S∖F from the recorded initialisation to the
    /// model's training tolerance (the trainer's own clock, measured when the
    /// `retrained` certificate is issued; its audit is not counted).
    package var retrainSeconds: Double?
    /// `retrainSeconds / seconds`.
    package var speedupOverRetrain: Double?
    /// Where the paper's step took λ from: `stored` (the multipliers in the model file, no audit on S) or
    /// `audit`; `nil` for the other methods.
    package var multipliersSource: String?
    /// Why stored multipliers were not used (`nil` when they were, or when the file has none).
    package var multipliersNote: String?
    /// Whether the written model carries the multipliers of S∖F (MATH.md §5.1).
    package var multipliersCarried: Bool
    package var output: String?
    /// Where the *witness* certificate's θ̃ was written (`--witness-out`), else `nil`.
    package var witnessOutput: String?
    package var certificates: [Certificate]

    enum CodingKeys: String, CodingKey {
      case method, step, alpha, kappa, forget, forgetMultipliers, stepSizes, retainedExamples, seconds, coldSeconds, fingerprintSeconds, retrainSeconds
      case speedupOverRetrain, multipliersSource, multipliersNote, multipliersCarried, output, witnessOutput, certificates
    }

    /// Every key always present (`null` when unavailable), so the schema is stable.
    package func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(method, forKey: .method)
      try c.encode(step, forKey: .step)
      try c.encode(alpha, forKey: .alpha)
      try c.encode(kappa, forKey: .kappa)
      try c.encode(forget, forKey: .forget)
      try c.encode(forgetMultipliers, forKey: .forgetMultipliers)
      try c.encode(stepSizes, forKey: .stepSizes)
      try c.encode(retainedExamples, forKey: .retainedExamples)
      try c.encode(seconds, forKey: .seconds)
      try c.encode(coldSeconds, forKey: .coldSeconds)
      try c.encode(fingerprintSeconds, forKey: .fingerprintSeconds)
      try c.encode(retrainSeconds, forKey: .retrainSeconds)
      try c.encode(speedupOverRetrain, forKey: .speedupOverRetrain)
      try c.encode(multipliersSource, forKey: .multipliersSource)
      try c.encode(multipliersNote, forKey: .multipliersNote)
      try c.encode(multipliersCarried, forKey: .multipliersCarried)
      try c.encode(output, forKey: .output)
      try c.encode(witnessOutput, forKey: .witnessOutput)
      try c.encode(certificates, forKey: .certificates)
    }
  }

  /// What ``run(_:metadata:on:_:progress:)`` gives: θ_U, the metadata to store it with, the summary.
  package struct Result {
    /// θ_U.
    package var model: any HomogeneousModel
    /// The input's metadata with the unlearning recorded (``ModelMetadata/recordingUnlearning(forgetSet:alpha:step:kappa:method:)``)
    /// and the multipliers of S∖F carried to θ_U (``ModelMetadata/multipliers``; `nil` after other methods).
    package var metadata: ModelMetadata
    package var summary: Summary
    /// θ̃ of the *witness* certificate (θ_U projected onto its kinks, at θ_U's scale) when it was requested
    /// and the model has one (``KinkProjectable``); `nil` otherwise.
    package var witness: (any HomogeneousModel)?
  }

  /// Unlearns `request.forgetSet` from `model` (trained on `data`) with `request.method` through one
  /// ``UnlearningRun`` and issues the requested certificates from it (one kernel of S∖F, one retraining).
  /// `metadata` supplies the loss, the stored multipliers (``ModelMetadata/multipliers``: when they belong
  /// to the model and `data` at the request's κ, the paper's gradient step runs without an audit on S, and
  /// the certificates' audits start from the multipliers carried to θ_U) and, for `retrain` and the
  /// `retrained` certificate, the recorded initialisation and training settings (retrained at the request's κ).
  ///
  /// - Complexity: the method's (for the paper's step from stored multipliers: one gradient over F, the carried
  ///   pre-activations' update O(|S∖F| |F| (d + n)) for a two-layer network or else a forward pass over S∖F, and
  ///   O(m d + p) of fingerprints; the step runs six times, see ``UnlearningRun/measuresWarm``), plus an audit
  ///   on S∖F per certificate and one retraining for `retrained`.
  /// - Throws: ``UnlearningError/nonFiniteStepSize(_:)`` (usage) for an α that is not finite, and the
  ///   errors of the forget set, the audit, the method and the certificates.
  package static func run(_ model: any HomogeneousModel, metadata: ModelMetadata, on data: Dataset, _ request: Request,
                         progress: ((TrainingProgress) -> Void)? = nil) throws -> Result {
    guard request.alpha.isFinite else { throw UnlearningError.nonFiniteStepSize(request.alpha) }
    func forget<M: HomogeneousModel>(_ model: M) throws -> Result {
      let recorded: M? = (request.initial as? M) ?? metadata.initSeed.flatMap { seed in
        metadata.initScale.flatMap { scale in
          ModelArchitecture.of(model).initialModel(dimension: data.dimension, initScale: scale, seed: seed) as? M
        }
      }.flatMap { initial in
        // A deep file with unequal layer widths is not one `initialModel` can rebuild.
        initial.parameters.count == model.parameters.count ? initial : nil
      }
      var training = metadata.training ?? TrainingConfiguration(loss: metadata.loss)
      training.kappa = request.kappa
      let run = try UnlearningRun(model: model, data: data, forgetSet: request.forgetSet,
                                  auditor: KKTAuditor(kappa: request.kappa), loss: metadata.loss,
                                  initial: recorded, training: training, certifies: request.certify.contains(.self),
                                  comparesToRetrained: false, stored: metadata.multipliers,
                                  carriesMultipliers: request.method.kind == .gaKKT, progress: progress)
      run.measuresWarm = true
      let outcome = try run.run(request.method)
      var certificates: [Certificate] = []
      var retrainSeconds: Double? = request.method == .retrain ? outcome.seconds : nil
      var witness: M? = nil
      for kind in request.certify {
        if kind == .witness {
          let built = try run.witness(for: outcome.model)
          certificates.append(built.certificate)
          witness = built.model
          continue
        }
        if kind == .retrained, !run.canRetrain {
          certificates.append(run.unavailable(.retrained, "unavailable: the model file does not record its initialisation (init_seed, init_scale), which retraining starts from; give the initial weights with --init FILE"))
          continue
        }
        var certificate = try run.certificate(kind, for: outcome.model, audit: outcome.audit, carried: outcome.carried)
        if request.initial != nil {
          certificate.method = certificate.method.replacingOccurrences(of: "from the recorded initialisation", with: "from the given initialisation (--init)")
        }
        certificates.append(certificate)
        if kind == .retrained, retrainSeconds == nil {
          // The trainer's own clock: the retraining alone, without its certificate's audit.
          retrainSeconds = try run.retrained()?.seconds
        }
      }
      // The multipliers behind the paper's step (only ga-kkt reports them), from where the step took them.
      let multipliers = request.method.kind == .gaKKT ? try run.forgetSetMultipliers(for: request.step) : nil
      let summary = Summary(
        method: request.method.name, step: request.step.rawValue, alpha: request.alpha, kappa: request.kappa,
        forget: request.forgetSet, forgetMultipliers: multipliers?.lambda ?? [], stepSizes: multipliers?.stepSizes ?? [],
        retainedExamples: run.retained.count, seconds: outcome.seconds, coldSeconds: outcome.coldSeconds,
        fingerprintSeconds: outcome.fingerprintSeconds,
        retrainSeconds: retrainSeconds,
        speedupOverRetrain: retrainSeconds.map { $0 / max(outcome.seconds, 1e-9) },
        multipliersSource: run.multipliersSource?.rawValue, multipliersNote: run.storedMultipliersRejection,
        multipliersCarried: outcome.carried != nil, output: nil, witnessOutput: nil, certificates: certificates)
      var provenance = metadata.recordingUnlearning(forgetSet: request.forgetSet, alpha: request.alpha, step: request.step.rawValue,
                                                    kappa: request.kappa, method: request.method.name)
      provenance.multipliers = outcome.carried
      return Result(model: outcome.model, metadata: provenance, summary: summary, witness: witness)
    }
    return try forget(model)
  }
}
