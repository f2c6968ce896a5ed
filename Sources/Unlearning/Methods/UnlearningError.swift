/// Why an unlearning method could not produce a model.
///
/// Two kinds of failure, each with its ``FailureClass``:
/// - the method's settings (``FailureClass/usage``): a setting out of its range, or
///   one the caller must supply and did not (``missingInitialization``,
///   ``unfittableRegularization(fitted:)``);
/// - the numbers (``FailureClass/numerical``): a solver or a Gram matrix that
///   fails, or a result that is not finite. An input model that is not finite is
///   refused before any step (``KKTAuditError/nonFiniteModel``), so a non-finite
///   result (``nonFiniteResult(method:)``) is the method's own arithmetic
///   overflowing, like training that diverges: numerical, not data.
public enum UnlearningError: Error, Equatable, CustomStringConvertible {
  /// Conjugate gradients met a direction of non-positive curvature: the regularised
  /// Hessian is not positive definite at θ (possible with a trained output layer).
  case hessianNotPositiveDefinite(iteration: Int, curvature: Double)
  /// Conjugate gradients stopped at the iteration limit above the tolerance.
  case solverDidNotConverge(iterations: Int, relativeResidual: Double)
  /// The Gram matrix of the retained output gradients is singular even after a ridge.
  case singularGram(size: Int)
  /// The unlearned parameters became NaN or infinite (the method names the baseline, e.g. `neggrad`).
  case nonFiniteResult(method: String)
  /// A step count `k` below 0.
  case negativeStepCount(Int)
  /// A step-size multiplier α that is not a finite number.
  case nonFiniteStepSize(Double)
  /// An L2 regularisation ρ that was given and is not a positive number.
  case invalidRegularization(Double)
  /// No ρ was given and the one fitted to the model is not a positive number
  /// (the model does not fit S): the caller must give ρ.
  case unfittableRegularization(fitted: Double)
  /// Retraining needs the model's recorded initialisation and training settings, and they were not given.
  case missingInitialization
  /// The Woodbury solver of the Newton step was asked for a model that is not linear.
  case woodburyNeedsLinearModel
  /// The step from stored multipliers was asked for with the decomposition step (it needs the audit's pattern on S).
  case storedMultipliersNeedGradientStep

  public var description: String {
    switch self {
    case .hessianNotPositiveDefinite(let k, let c):
      return "the regularised Hessian is not positive definite at θ (curvature \(c) at CG iteration \(k)); raise the L2 regularisation ρ"
    case .solverDidNotConverge(let k, let r):
      return "conjugate gradients did not converge: relative residual \(r) after \(k) iterations; for better conditioning, raise the L2 regularisation ρ"
    case .singularGram(let n):
      return "the \(n) × \(n) Gram matrix of the retained examples' output gradients is numerically singular"
    case .nonFiniteResult(let method):
      return "the parameters unlearned by \(method) are not finite (NaN or ±inf): its arithmetic overflowed"
    case .negativeStepCount(let k):
      return "the number of steps k must be ≥ 0 (got \(k))"
    case .nonFiniteStepSize(let alpha):
      return "the step-size multiplier α must be a finite number (got \(alpha))"
    case .invalidRegularization(let rho):
      return "the L2 regularisation ρ must be a positive number (got \(rho))"
    case .unfittableRegularization(let rho):
      return "the fitted L2 regularisation ρ is \(rho) (the model does not fit S); give ρ explicitly"
    case .missingInitialization:
      return "retrain needs the model's recorded initialisation (init_seed, init_scale) and training settings"
    case .woodburyNeedsLinearModel:
      return "the Woodbury solver needs a linear model; use conjugate gradients (or the automatic choice) for networks"
    case .storedMultipliersNeedGradientStep:
      return "the step from stored multipliers is the gradient step; the decomposition step needs an audit on S"
    }
  }
}

extension UnlearningError: ClassifiedError {
  /// The settings' cases are usage (the caller chose or omitted them); the rest are numerical.
  public var failureClass: FailureClass {
    switch self {
    case .hessianNotPositiveDefinite, .solverDidNotConverge, .singularGram, .nonFiniteResult:
      return .numerical
    case .negativeStepCount, .nonFiniteStepSize, .invalidRegularization, .unfittableRegularization,
         .missingInitialization, .woodburyNeedsLinearModel, .storedMultipliersNeedGradientStep:
      return .usage
    }
  }
}
