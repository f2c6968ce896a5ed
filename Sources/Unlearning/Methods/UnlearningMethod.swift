import Foundation

/// An unlearning method with its own settings (MATH.md §5 for the paper's step, §9 for
/// the baselines). Every method starts from the trained model θ and the data S;
/// ``UnlearningRun`` runs it. The defaults are those of `unlearn forget`.
///
/// The names the CLI flags, the experiments' `--methods` and the runs.csv `method`
/// column use are ``Kind``'s raw values (`ga-kkt`, `neggrad-plus`, …).
public enum UnlearningMethod: Sendable, Hashable {
  /// The paper's step `θ̂ − α Σ_{r∈F} λ_r y_r ∇N(x_r; θ̂)` (``GradientAscentUnlearning``) from the κ-audit on S.
  case gaKKT(alpha: Double = 1, step: GradientAscentUnlearning.Step = .gradient)
  /// The paper's step, then `steps` loss-normalised GD steps on S∖F at η = `learningRate`
  /// (a NegGrad+-style recovery phase: open question 1).
  case gaKKTRecover(alpha: Double = 1, step: GradientAscentUnlearning.Step = .gradient, steps: Int = 10,
                    learningRate: Double = 1)
  /// Training on S∖F from the recorded initialisation with the run's training settings.
  case retrain
  /// `steps` loss-normalised GD steps on S∖F from θ at η = `learningRate`.
  case fineTune(steps: Int = 10, learningRate: Double = 1)
  /// `steps` gradient-ascent steps on the forget loss, `θ ← θ + η ∇L(F)` with the fixed η = `rate`:
  /// common practice, no multiplier.
  case negGrad(steps: Int = 10, rate: Double = 0.1)
  /// `steps` plain gradient steps on `L(S∖F) − γ L(F)` with the fixed η = `rate` and γ = `forgetWeight`:
  /// `θ ← θ + η (γ ∇L(F) − ∇L(S∖F))`.
  case negGradPlus(steps: Int = 10, rate: Double = 0.1, forgetWeight: Double = 1)
  /// `steps` loss-normalised GD steps on S with the forget labels flipped, at η = `learningRate`.
  case randomLabel(steps: Int = 10, learningRate: Double = 1)
  /// One Newton (influence) removal step on the L2-regularised logistic loss (``NewtonRemoval``,
  /// Guo et al. 2020); ρ = `regularization`, `nil`: fitted (``NewtonRemoval/regularization``).
  case newton(regularization: Double? = nil)
  /// θ̂ projected onto the span of the retained output gradients (``MinimumNormProjection``,
  /// Block, Mokhtari & Shakkottai 2025), then `steps` loss-normalised GD steps on S∖F at η = `learningRate`.
  case minNormOG(steps: Int = 10, learningRate: Double = 1)

  /// A method's name, without its settings: what `--method`, `--methods` and the runs.csv
  /// `method` column spell. The raw values are part of the output formats: do not change them.
  public enum Kind: String, Sendable, CaseIterable, Codable {
    case gaKKT = "ga-kkt"
    case gaKKTRecover = "ga-kkt+recover"
    case retrain
    case fineTune = "fine-tune"
    case negGrad = "neggrad"
    case negGradPlus = "neggrad-plus"
    case randomLabel = "random-label"
    case newton
    case minNormOG = "minnorm-og"
  }

  /// The method of `kind` with its default settings.
  ///
  /// - Complexity: O(1).
  public init(_ kind: Kind) {
    switch kind {
    case .gaKKT: self = .gaKKT()
    case .gaKKTRecover: self = .gaKKTRecover()
    case .retrain: self = .retrain
    case .fineTune: self = .fineTune()
    case .negGrad: self = .negGrad()
    case .negGradPlus: self = .negGradPlus()
    case .randomLabel: self = .randomLabel()
    case .newton: self = .newton()
    case .minNormOG: self = .minNormOG()
    }
  }

  /// The method's name without its settings.
  public var kind: Kind {
    switch self {
    case .gaKKT: .gaKKT
    case .gaKKTRecover: .gaKKTRecover
    case .retrain: .retrain
    case .fineTune: .fineTune
    case .negGrad: .negGrad
    case .negGradPlus: .negGradPlus
    case .randomLabel: .randomLabel
    case .newton: .newton
    case .minNormOG: .minNormOG
    }
  }

  /// The name as the CLI and the output files spell it (`ga-kkt`, `neggrad-plus`, …).
  public var name: String { kind.rawValue }

  /// Whether the method starts from the κ-audit of θ on S (the paper's step and its recovery variant).
  public var needsAudit: Bool { kind == .gaKKT || kind == .gaKKTRecover }

  /// The paper's step this method takes (`ga-kkt`, `ga-kkt+recover`), `nil` for the others.
  public var paperStep: GradientAscentUnlearning.Step? {
    switch self {
    case .gaKKT(_, let step), .gaKKTRecover(_, let step, _, _): step
    default: nil
    }
  }
}
