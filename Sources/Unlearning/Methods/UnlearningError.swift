/// Why an unlearning method could not produce a model.
public enum UnlearningError: Error, Equatable, CustomStringConvertible {
  /// Conjugate gradients met a direction of non-positive curvature: the regularised
  /// Hessian is not positive definite at θ (possible with a trained output layer).
  case hessianNotPositiveDefinite(iteration: Int, curvature: Double)
  /// Conjugate gradients stopped at the iteration limit above the tolerance.
  case solverDidNotConverge(iterations: Int, relativeResidual: Double)
  /// The Gram matrix of the retained output gradients is singular even after a ridge.
  case singularGram(size: Int)

  public var description: String {
    switch self {
    case .hessianNotPositiveDefinite(let k, let c):
      return "the regularised Hessian is not positive definite at θ (curvature \(c) at CG iteration \(k)); raise --l2"
    case .solverDidNotConverge(let k, let r):
      return "conjugate gradients did not converge: relative residual \(r) after \(k) iterations; raise --l2 (better conditioning)"
    case .singularGram(let n):
      return "the \(n) × \(n) Gram matrix of the retained examples' output gradients is numerically singular"
    }
  }
}

extension UnlearningError: ClassifiedError {
  /// Every case is numerical: a solver or a Gram matrix failed on these numbers.
  public var failureClass: FailureClass { .numerical }
}
