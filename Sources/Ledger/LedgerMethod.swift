import Unlearning

/// The unlearning method of a version with the settings it read, as the chain records them (so that
/// `verify --replay` can run it again): `ga-kkt` (α, step), `ga-kkt+recover` (α, step, k, η), `retrain`,
/// `fine-tune` / `random-label` / `minnorm-og` (k, η), `neggrad` (k, rate), `neggrad-plus` (k, rate, γ),
/// `newton` (ρ or fitted).
package struct LedgerMethod: Sendable, Equatable, Codable {
  package var method: UnlearningMethod.Kind
  package var alpha: Double?
  package var step: String?
  package var steps: Int?
  package var learningRate: Double?
  package var rate: Double?
  package var forgetWeight: Double?
  package var regularization: Double?
  /// The step's multipliers came from a fresh κ-audit of the parent (the `reaudit` fallback), not from
  /// multipliers carried forward in the parent's model file.
  package var freshAudit: Bool?

  enum CodingKeys: String, CodingKey {
    case method, alpha, step, steps, learningRate = "learning_rate", rate, forgetWeight = "forget_weight", regularization
    case freshAudit = "fresh_audit"
  }

  /// The record of `method`: its name and exactly the settings it reads.
  package init(_ method: UnlearningMethod) {
    self.method = method.kind
    switch method {
    case .gaKKT(let alpha, let step):
      self.alpha = alpha
      self.step = step.rawValue
    case .gaKKTRecover(let alpha, let step, let steps, let learningRate):
      self.alpha = alpha
      self.step = step.rawValue
      self.steps = steps
      self.learningRate = learningRate
    case .retrain: break
    case .fineTune(let steps, let learningRate), .randomLabel(let steps, let learningRate), .minNormOG(let steps, let learningRate):
      self.steps = steps
      self.learningRate = learningRate
    case .negGrad(let steps, let rate):
      self.steps = steps
      self.rate = rate
    case .negGradPlus(let steps, let rate, let forgetWeight):
      self.steps = steps
      self.rate = rate
      self.forgetWeight = forgetWeight
    case .newton(let regularization):
      self.regularization = regularization
    }
  }

  /// The method with its recorded settings (the method's defaults for any setting not recorded).
  package var unlearningMethod: UnlearningMethod {
    let step = self.step.flatMap(GradientAscentUnlearning.Step.init(rawValue:)) ?? .gradient
    switch method {
    case .gaKKT: return .gaKKT(alpha: alpha ?? 1, step: step)
    case .gaKKTRecover: return .gaKKTRecover(alpha: alpha ?? 1, step: step, steps: steps ?? 10, learningRate: learningRate ?? 1)
    case .retrain: return .retrain
    case .fineTune: return .fineTune(steps: steps ?? 10, learningRate: learningRate ?? 1)
    case .randomLabel: return .randomLabel(steps: steps ?? 10, learningRate: learningRate ?? 1)
    case .minNormOG: return .minNormOG(steps: steps ?? 10, learningRate: learningRate ?? 1)
    case .negGrad: return .negGrad(steps: steps ?? 10, rate: rate ?? 0.1)
    case .negGradPlus: return .negGradPlus(steps: steps ?? 10, rate: rate ?? 0.1, forgetWeight: forgetWeight ?? 1)
    case .newton: return .newton(regularization: regularization)
    }
  }

  /// The recorded step form (`gradient` when none is recorded).
  package var unlearningMethodStep: GradientAscentUnlearning.Step {
    step.flatMap(GradientAscentUnlearning.Step.init(rawValue:)) ?? .gradient
  }

  /// α and the step form as the model file's provenance records them (1 and `gradient` for the other methods).
  package var provenance: (alpha: Double, step: String) { (alpha ?? 1, step ?? GradientAscentUnlearning.Step.gradient.rawValue) }

  /// The record in the canonical content of its entry (absent settings omitted).
  package var canonical: CanonicalJSON {
    var o: [String: CanonicalJSON] = ["method": .string(method.rawValue)]
    if let alpha { o["alpha"] = .double(alpha) }
    if let step { o["step"] = .string(step) }
    if let steps { o["steps"] = .int(steps) }
    if let learningRate { o["learning_rate"] = .double(learningRate) }
    if let rate { o["rate"] = .double(rate) }
    if let forgetWeight { o["forget_weight"] = .double(forgetWeight) }
    if let regularization { o["regularization"] = .double(regularization) }
    if let freshAudit { o["fresh_audit"] = .bool(freshAudit) }
    return .object(o)
  }

  /// A short label: the name, with α when it is not 1.
  package var label: String {
    if let alpha, alpha != 1 { return "\(method.rawValue) (α = \(alpha))" }
    return method.rawValue
  }
}
