import Foundation

/// The margin losses of MATH.md §2, evaluated in log space so that no margin
/// in `|q| ≤ 1e4` (or beyond) produces an infinity or a NaN where a finite
/// answer exists.
///
/// - exponential: `ℓ(q) = e^{−q}`, `ℓ'(q) = −e^{−q}`;
/// - logistic: `ℓ(q) = log(1 + e^{−q})`, `ℓ'(q) = −1/(1 + e^{q})`.
///
/// Every member is O(1) per margin (the whole-data-set ones O(m)).
public enum Loss: String, Sendable, CaseIterable, Codable {
  /// `ℓ(q) = e^{−q}`.
  case exponential
  /// `ℓ(q) = log(1 + e^{−q})`.
  case logistic

  /// `softplus(t) = log(1 + e^t)`, stable for every finite t.
  @inlinable
  static func softplus(_ t: Double) -> Double {
    t > 0 ? t + Foundation.log1p(Foundation.exp(-t)) : Foundation.log1p(Foundation.exp(t))
  }

  /// `log ℓ(q)` (MATH.md §2.1): `−q` (exponential); `log softplus(−q)`
  /// (logistic), `−q − ½e^{−q}` for `q > 35`. Finite for every finite q.
  ///
  /// - Complexity: O(1).
  public func logValue(_ q: Double) -> Double {
    switch self {
    case .exponential:
      return -q
    case .logistic:
      // ℓ(q) = softplus(−q). For q > 35, softplus(−q) = e^{−q}(1 − e^{−q}/2 + …).
      if q > 35 { return -q - 0.5 * Foundation.exp(-q) }
      return Foundation.log(Self.softplus(-q))
    }
  }

  /// `log(−ℓ'(q))` (MATH.md §2.1): `−q` (exponential), `−softplus(q)` (logistic).
  /// Finite for every finite q.
  ///
  /// - Complexity: O(1).
  public func logNegativeDerivative(_ q: Double) -> Double {
    switch self {
    case .exponential: return -q
    case .logistic: return -Self.softplus(q)
    }
  }

  /// `ℓ(q)`; `+∞` only where the value exceeds the largest double
  /// (exponential loss at `q < −709.78`) — use ``logValue(_:)`` there.
  ///
  /// - Complexity: O(1).
  public func value(_ q: Double) -> Double {
    switch self {
    case .exponential: return Foundation.exp(-q)
    case .logistic: return Self.softplus(-q)
    }
  }

  /// `ℓ'(q) = −exp(log(−ℓ'(q)))`: negative; `−∞` only for the exponential loss
  /// at `q < −709.78`.
  ///
  /// - Complexity: O(1).
  public func derivative(_ q: Double) -> Double {
    -Foundation.exp(logNegativeDerivative(q))
  }

  /// `ℓ''(q) > 0`: `e^{−q}` (exponential) or `e^{−|q|} / (1 + e^{−|q|})²` (logistic, stable for every q).
  /// The Newton baseline's weights (MATH.md §9.6).
  ///
  /// - Complexity: O(1).
  public func secondDerivative(_ q: Double) -> Double {
    switch self {
    case .exponential: return Foundation.exp(-q)
    case .logistic:
      let e = Foundation.exp(-Swift.abs(q))
      return e / ((1 + e) * (1 + e))
    }
  }

  /// `log L` with `L = Σ_i ℓ(q_i)`, by log-sum-exp of the log losses (MATH.md §2.1):
  ///
  ///     log L = t* + log Σ_i exp(log ℓ(q_i) − t*),   t* = max_i log ℓ(q_i)
  ///
  /// `−∞` for no margins.
  ///
  /// - Parameter margins: The margins `q_i`, length m.
  /// - Complexity: O(m).
  public func logEmpiricalLoss(_ margins: [Double]) -> Double {
    let logs = margins.map(logValue)
    guard let top = logs.max() else { return -.infinity }
    var sum = 0.0
    for v in logs { sum += Foundation.exp(v - top) }
    return top + Foundation.log(sum)
  }

  /// The weights `−ℓ'(q_i) / L` of the loss-normalised gradient
  /// `∇L / L = −Σ_i (−ℓ'(q_i)/L) y_i ∇N(x_i)`, and `log L` (MATH.md §2.1):
  /// `ω_i = exp(log(−ℓ'(q_i)) − log L)`. For finite margins every weight is
  /// finite and, up to rounding, in `[0, 1]` (`−ℓ' ≤ ℓ` for both losses; the
  /// weights sum to 1 for the exponential loss).
  ///
  /// - Parameter margins: The margins `q_i`, length m.
  /// - Returns: The weights `ω_i`, length m, and `log L`.
  /// - Complexity: O(m).
  public func normalizedDerivativeWeights(_ margins: [Double]) -> (weights: [Double], logLoss: Double) {
    let logL = logEmpiricalLoss(margins)
    let w = margins.map { Foundation.exp(logNegativeDerivative($0) - logL) }
    return (w, logL)
  }
}
