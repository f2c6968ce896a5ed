import Foundation
import LinearAlgebra
import Unlearning

/// `unlearn forget`: the paper's gradient-ascent step for a forget set, and the
/// certificates of MATH.md §6 for the result.
public enum ForgetWorkflow {
  /// What to forget and how to certify it.
  public struct Request: Sendable {
    public var forgetSet: [Int]
    public var alpha: Double
    public var step: GradientAscentUnlearning.Step
    public var kappa: Double
    public var certify: [Certificate.Kind]
    /// The method and the baselines' settings (method `ga-kkt` uses only α, step and κ).
    public var baseline: BaselineUnlearning

    public init(forgetSet: [Int], alpha: Double = 1, step: GradientAscentUnlearning.Step = .gradient,
                kappa: Double = KKTAuditor.defaultKappa, certify: [Certificate.Kind] = [],
                baseline: BaselineUnlearning = BaselineUnlearning()) {
      self.forgetSet = forgetSet
      self.alpha = alpha
      self.step = step
      self.kappa = kappa
      self.certify = certify
      var b = baseline
      b.alpha = alpha
      b.step = step
      b.kappa = kappa
      self.baseline = b
    }
  }

  /// The result as `unlearn forget --json` prints it (a stable schema, see the README).
  public struct Summary: Sendable, Encodable {
    public var method: String
    public var step: String
    public var alpha: Double
    public var kappa: Double
    public var forget: [Int]
    /// λ_r of the forgotten examples (audit of the model on S).
    public var forgetMultipliers: [Double]
    /// The paper's step sizes β_r = λ_r / (−ℓ'(q_r)).
    public var stepSizes: [Double]
    public var retainedExamples: Int
    /// Wall seconds of the method (for ga-kkt: the audit on S plus the step).
    public var seconds: Double
    /// Wall seconds of retraining on S∖F from the recorded initialisation to the
    /// model's training tolerance (the trainer's own clock, measured when the
    /// `retrained` certificate is issued; its audit is not counted).
    public var retrainSeconds: Double?
    /// `retrainSeconds / seconds`.
    public var speedupOverRetrain: Double?
    public var output: String?
    public var certificates: [Certificate]

    enum CodingKeys: String, CodingKey {
      case method, step, alpha, kappa, forget, forgetMultipliers, stepSizes, retainedExamples, seconds, retrainSeconds
      case speedupOverRetrain, output, certificates
    }

    /// Every key always present (`null` when unavailable), so the schema is stable.
    public func encode(to encoder: Encoder) throws {
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
      try c.encode(retrainSeconds, forKey: .retrainSeconds)
      try c.encode(speedupOverRetrain, forKey: .speedupOverRetrain)
      try c.encode(output, forKey: .output)
      try c.encode(certificates, forKey: .certificates)
    }
  }

  /// Unlearns `request.forgetSet` from `model` (trained on `data`) and issues the requested certificates.
  /// `metadata` supplies the loss and, for `retrained`, the recorded initialisation and training settings.
  ///
  /// - Throws: ``UnlearningError/nonFiniteStepSize(_:)`` (usage) for an α that is not finite, and the
  ///   errors of the forget set, the audit, the method and the certificates.
  public static func run(_ model: any HomogeneousModel, metadata: ModelMetadata, on data: Dataset, _ request: Request,
                         progress: ((TrainingProgress) -> Void)? = nil) throws -> (any HomogeneousModel, Summary) {
    guard request.alpha.isFinite else { throw UnlearningError.nonFiniteStepSize(request.alpha) }
    let (retained, _) = try data.removing(request.forgetSet)
    func forget<M: HomogeneousModel>(_ model: M) throws -> (any HomogeneousModel, Summary) {
      let clock = ContinuousClock()
      let auditor = KKTAuditor(kappa: request.kappa)
      var unlearned: M! = nil
      var audit: KKTAuditReport<M>! = nil
      let method = request.baseline.method
      let recorded: M? = metadata.initSeed.flatMap { seed in
        metadata.initScale.flatMap { scale in
          ModelArchitecture.of(model).initialModel(dimension: data.dimension, initScale: scale, seed: seed) as? M
        }
      }.flatMap { initial in
        // A deep file with unequal layer widths is not one `initialModel` can rebuild.
        initial.parameters.count == model.parameters.count ? initial : nil
      }
      let elapsed = try clock.measure {
        if method == .gaKKT {
          audit = try auditor.audit(model, on: data)
          unlearned = try GradientAscentUnlearning(alpha: request.alpha, step: request.step)
            .unlearn(audit, data: data, forgetSet: request.forgetSet)
        } else {
          var baseline = request.baseline
          baseline.loss = metadata.loss
          unlearned = try baseline.unlearn(model, data: data, forgetSet: request.forgetSet, initial: recorded,
                                           training: metadata.training ?? TrainingConfiguration(loss: metadata.loss))
        }
      }
      let certifier = Certifier(auditor: auditor)
      var certificates: [Certificate] = []
      var retrainSeconds: Double? = method == .retrain ? elapsed.inSeconds : nil
      for kind in request.certify {
        switch kind {
        case .self:
          certificates.append(try certifier.selfCertificate(unlearned, retained: retained))
        case .retrained:
          let (certificate, trainingSeconds) = try retrainedCertificate(unlearned, certifier: certifier)
          certificates.append(certificate)
          if retrainSeconds == nil { retrainSeconds = trainingSeconds }
        case .exact:
          if let solvable = unlearned as? any MaxMarginSolvable {
            do {
              certificates.append(try certifier.exactCertificate(solvable, retained: retained).0)
            } catch let error as SVMError {
              certificates.append(unavailable(.exact, "unavailable: \(error)"))
            }
          } else {
            certificates.append(unavailable(.exact, "unavailable: exact certificates exist for linear models only (the SVM of S∖F)"))
          }
        }
      }
      let summary = Summary(
        method: method.rawValue, step: request.step.rawValue, alpha: request.alpha, kappa: request.kappa, forget: request.forgetSet,
        forgetMultipliers: audit.map { a in request.forgetSet.map { a.multipliers[$0] } } ?? [],
        stepSizes: audit.map { GradientAscentUnlearning.stepSizes($0, forgetSet: request.forgetSet, loss: metadata.loss) } ?? [],
        retainedExamples: retained.count, seconds: elapsed.inSeconds, retrainSeconds: retrainSeconds,
        speedupOverRetrain: retrainSeconds.map { $0 / max(elapsed.inSeconds, 1e-9) }, output: nil, certificates: certificates)
      return (unlearned, summary)

      func unavailable(_ kind: Certificate.Kind, _ why: String) -> Certificate {
        Certificate(kind: kind, epsilon: nil, epsilonRelative: nil, delta: nil, tau: nil, kappa: request.kappa, method: why)
      }

      /// The certificate, and the wall seconds of the retraining alone (the trainer's own clock, without the audit).
      func retrainedCertificate(_ unlearned: M, certifier: Certifier) throws -> (Certificate, Double?) {
        guard let initial = recorded else {
          return (unavailable(.retrained, "unavailable: the model file does not record its initialisation (init_seed, init_scale), which retraining starts from"), nil)
        }
        let training = metadata.training ?? TrainingConfiguration(loss: metadata.loss)
        let (certificate, result) = try certifier.retrainedCertificate(unlearned, retained: retained, initial: initial, training: training,
                                                                       progress: progress)
        return (certificate, result.seconds)
      }
    }
    return try forget(model)
  }
}
