import Foundation
import LinearAlgebra

/// The unlearning methods `unlearn forget --method` offers: the paper's step
/// and the baselines every unlearning result is compared with (MATH.md §9).
/// All start from the trained model θ and the data S.
public enum UnlearningMethod: String, Sendable, CaseIterable, Codable {
  /// The paper's step θ̂ − α Σ_{r∈F} λ_r y_r ∇N(x_r; θ̂) (``GradientAscentUnlearning``).
  case gaKKT = "ga-kkt"
  /// The paper's step, then k loss-normalised GD steps on S∖F (a NegGrad+-style recovery phase: open question 1).
  case gaKKTRecover = "ga-kkt+recover"
  /// Training on S∖F from the recorded initialisation to the training tolerance.
  case retrain
  /// k loss-normalised GD steps on S∖F from θ.
  case fineTune = "fine-tune"
  /// k gradient-ascent steps on the forget loss, θ ← θ + η ∇L(F), with a fixed η: common practice, no multiplier.
  case negGrad = "neggrad"
  /// k gradient steps on L(S∖F) − γ L(F) with a fixed η.
  case negGradPlus = "neggrad-plus"
  /// k loss-normalised GD steps on S with the forget labels flipped.
  case randomLabel = "random-label"
  /// One Newton (influence) removal step on the L2-regularised logistic loss (``NewtonRemoval``, Guo et al. 2020).
  case newton
  /// θ̂ projected onto the span of the retained output gradients, then k loss-normalised
  /// GD steps on S∖F (``MinimumNormProjection``, Block, Mokhtari & Shakkottai 2025).
  case minNormOG = "minnorm-og"
}

/// Runs any ``UnlearningMethod`` on a model.
public struct BaselineUnlearning: Sendable {
  public var method: UnlearningMethod
  /// The step-size multiplier α of the paper's step.
  public var alpha: Double
  public var step: GradientAscentUnlearning.Step
  /// κ of the audit behind the paper's step.
  public var kappa: Double
  /// k: the steps of fine-tune, recover, neggrad, neggrad-plus, random-label and minnorm-og.
  public var steps: Int
  /// η of the loss-normalised steps (fine-tune, recover, random-label).
  public var learningRate: Double
  /// η of the plain gradient steps of neggrad and neggrad-plus.
  public var ascentLearningRate: Double
  /// γ of neggrad-plus.
  public var gamma: Double
  /// ρ of the newton step's L2-regularised logistic loss (`nil`: fitted, see ``NewtonRemoval/regularization``).
  public var regularization: Double?
  public var loss: Loss

  public init(method: UnlearningMethod = .gaKKT, alpha: Double = 1, step: GradientAscentUnlearning.Step = .gradient,
              kappa: Double = KKTAuditor.defaultKappa, steps: Int = 10, learningRate: Double = 1,
              ascentLearningRate: Double = 0.1, gamma: Double = 1, regularization: Double? = nil,
              loss: Loss = .exponential) {
    self.method = method
    self.alpha = alpha
    self.step = step
    self.kappa = kappa
    self.steps = steps
    self.learningRate = learningRate
    self.ascentLearningRate = ascentLearningRate
    self.gamma = gamma
    self.regularization = regularization
    self.loss = loss
  }

  /// `steps` loss-normalised GD steps on `data` from `model`, without audits.
  func normalizedSteps<M: HomogeneousModel>(_ model: M, on data: Dataset) throws -> M {
    guard steps > 0 else { return model }
    var config = TrainingConfiguration(loss: loss, learningRate: learningRate, tolerance: 0, maxIterations: steps)
    config.audits = false
    return try Trainer(config).train(from: model, on: data).model
  }

  /// The model after forgetting `forgetSet`. `retrain` needs `initial` (the
  /// recorded initialisation) and `training` (the settings to retrain with).
  /// `audit`, the κ-audit of `model` on `data` when already at hand, saves the
  /// paper's step from recomputing it (it must be at this method's κ).
  ///
  /// - Throws: ``DatasetError`` for an invalid forget set; ``UnlearningError``
  ///   `.negativeStepCount` and `.missingInitialization` (usage) for the method's
  ///   settings, `.nonFiniteResult` (numerical) when neggrad's steps overflow; the
  ///   errors of the audit, the trainer and the Newton and projection methods.
  public func unlearn<M: HomogeneousModel>(_ model: M, data: Dataset, forgetSet: [Int], initial: M? = nil,
                                           training: TrainingConfiguration? = nil, audit known: KKTAuditReport<M>? = nil) throws -> M {
    let forget = try data.validatedForgetSet(forgetSet)
    guard steps >= 0 else { throw UnlearningError.negativeStepCount(steps) }
    let (retained, _) = try data.removing(forgetSet)
    let forgetData = data.subset(forgetSet)
    switch method {
    case .gaKKT, .gaKKTRecover:
      let audit = try known ?? KKTAuditor(kappa: kappa).audit(model, on: data)
      let stepped = try GradientAscentUnlearning(alpha: alpha, step: step).unlearn(audit, data: data, forgetSet: forgetSet)
      return method == .gaKKT ? stepped : try normalizedSteps(stepped, on: retained)
    case .retrain:
      guard let initial, let training else {
        throw UnlearningError.missingInitialization
      }
      return try Trainer(training).train(from: initial, on: retained).model
    case .fineTune:
      return try normalizedSteps(model, on: retained)
    case .randomLabel:
      let flipped = data.labels.enumerated().map { forget.contains($0.offset) ? -$0.element : $0.element }
      return try normalizedSteps(model, on: try Dataset(features: data.features, labels: flipped))
    case .newton:
      return try NewtonRemoval(regularization: regularization).unlearn(model, data: data, forgetSet: forgetSet).model
    case .minNormOG:
      return try normalizedSteps(try MinimumNormProjection().project(model, retained: retained), on: retained)
    case .negGrad, .negGradPlus:
      var theta = model
      for _ in 0..<steps {
        var direction = theta.lossGradient(on: forgetData, loss: loss)  // ascend L(F)
        if method == .negGradPlus {
          let keep = theta.lossGradient(on: retained, loss: loss)
          direction = zip(direction, keep).map { gamma * $0 - $1 }  // descend L(S∖F) − γ L(F)
        }
        theta.addToParameters(direction, scaledBy: ascentLearningRate)
        guard theta.parameters.allSatisfy(\.isFinite) else { throw UnlearningError.nonFiniteResult(method: method.rawValue) }
      }
      return theta
    }
  }
}
