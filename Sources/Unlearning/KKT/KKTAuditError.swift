import Foundation

/// Why a model cannot be audited on a data set.
public enum KKTAuditError: Error, Equatable, CustomStringConvertible {
  /// Some margin is ≤ 0: the model does not interpolate the data, so there is
  /// no normalisation `θ̂` with minimum margin 1 and the KKT conditions of
  /// `P(S)` are undefined (MATH.md §4).
  case notInterpolating(minMargin: Double, nonPositiveMargins: Int, examples: Int)
  /// The model's outputs or parameters are not finite.
  case nonFiniteModel
  /// The model's input dimension differs from the data's.
  case dimensionMismatch(model: Int, data: Int)
  /// A negative or non-finite kink tolerance.
  case invalidKappa(Double)
  /// A negative or non-finite slack budget of the ε–δ frontier.
  case invalidDeltaBudget(Double)

  /// One line saying what is wrong and, where there is one, what to do.
  public var description: String {
    switch self {
    case .notInterpolating(let g, let k, let m):
      // Six significant digits: the sign and size are what the user acts on; the last bits of a margin
      // depend on the machine's BLAS kernels (docs/ERRORS.md, "Determinism").
      return "the model does not interpolate the data: \(k) of \(m) margins are ≤ 0 (minimum margin \(String(format: "%.6g", g))), so the KKT audit is undefined: "
        + "train until every margin is positive, or use separable data"
    case .nonFiniteModel:
      return "the model has non-finite parameters or outputs (NaN or ±inf)"
    case .dimensionMismatch(let p, let d):
      return "the model takes inputs of dimension \(p) but the data have \(d) features"
    case .invalidKappa(let k):
      return "the kink tolerance κ must be finite and ≥ 0 (got \(k))"
    case .invalidDeltaBudget(let b):
      return "every slack budget δ₀ of the frontier must be finite and ≥ 0 (got \(b))"
    }
  }
}

extension KKTAuditError: ClassifiedError {
  /// ``FailureClass/numerical`` for every case.
  public var failureClass: FailureClass { .numerical }
}
