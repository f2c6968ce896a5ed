import Foundation

/// A forgetting-quality score in the style of the NeurIPS 2023 Machine Unlearning
/// challenge (Triantafillou et al., "Are we making progress in unlearning?", 2024).
///
/// For one forgotten example, the outputs of N unlearned models are compared with
/// those of N retrained models by every threshold attack "flag q ≥ t" and its
/// mirror "flag q < t" (unlearned = positive); each threshold's false-positive and
/// false-negative rates give the (ε, δ)-style estimate
///
///     ε̂(t) = max( log((1 − δ − FPR)/FNR), log((1 − δ − FNR)/FPR) ).
///
/// A threshold with FPR = 0 or FNR = 0 gives no finite estimate and is skipped,
/// except that one with both 0 (a perfect separation) makes ε̂ = ∞; the example's
/// ε̂ is the largest over thresholds (the best attack). With N models per side a
/// finite ε̂ is at most about log N, so the estimate has a small-sample floor and
/// ceiling. The example is scored `2^{−b}` with bin `b = ⌊ε̂ / binWidth⌋` (bin 0
/// scores 1; ε̂ = ∞ scores 0), and the score is the mean over the forget set: 1
/// means indistinguishable from retraining, 0 perfectly separated. The challenge
/// computed its rates from its own attack ensemble; this is the same recipe on the
/// threshold attacks of one output.
///
/// MATH.md §11.3 ("Forgetting score") calls the second side the never-seen
/// models' margins; the computation does not depend on which reference
/// population the caller passes.
public struct ForgettingScore: Sendable {
  /// The δ of the estimate (10⁻⁵ by default).
  public var delta: Double
  /// The bin width of the example score (0.5 by default).
  public var binWidth: Double

  /// Creates the score with the challenge's δ and bin width by default.
  public init(delta: Double = 1e-5, binWidth: Double = 0.5) {
    self.delta = delta
    self.binWidth = binWidth
  }

  /// ε̂ of one example from its outputs under unlearned and retrained models (0 when no threshold gives an estimate,
  /// ∞ when a threshold separates them perfectly, `nan` when either side is empty).
  /// Non-finite outputs are dropped.
  ///
  /// - Parameters:
  ///   - unlearned: The example's outputs under the unlearned models (the positives).
  ///   - retrained: Its outputs under the reference models (the negatives).
  /// - Complexity: O(T log T) for T = `unlearned.count + retrained.count`.
  public func epsilon(unlearned: [Double], retrained: [Double]) -> Double {
    let u = unlearned.filter(\.isFinite).sorted(), r = retrained.filter(\.isFinite).sorted()
    guard !u.isEmpty, !r.isEmpty else { return .nan }
    var best = 0.0
    for t in Set(u + r) {
      // "unlearned" is the positive class: flag q ≥ t.
      let fnr = Double(AttackCurve.countBelow(u, t)) / Double(u.count)
      let fpr = Double(r.count - AttackCurve.countBelow(r, t)) / Double(r.count)
      for (fp, fn) in [(fpr, fnr), (1 - fpr, 1 - fnr)] {
        if fp == 0 && fn == 0 { return .infinity }
        guard fp > 0, fn > 0 else { continue }
        for (a, b) in [(fp, fn), (fn, fp)] {
          let numerator = 1 - delta - a
          if numerator > 0 { best = max(best, Foundation.log(numerator / b)) }
        }
      }
    }
    return best
  }

  /// `2^{−⌊ε̂/binWidth⌋}` (0 for ε̂ = ∞, NaN for NaN).
  ///
  /// - Complexity: O(1).
  public func exampleScore(_ epsilon: Double) -> Double {
    if epsilon == .infinity { return 0 }
    guard epsilon.isFinite else { return .nan }
    return Foundation.pow(2, -Foundation.floor(epsilon / binWidth))
  }

  /// The mean example score over the forget set, skipping examples whose score
  /// is NaN; NaN when none is left.
  ///
  /// - Parameter epsilons: ε̂ of every forgotten example.
  /// - Complexity: O(k) for k examples.
  public func score(epsilons: [Double]) -> Double {
    let s = epsilons.map(exampleScore).filter(\.isFinite)
    return s.isEmpty ? .nan : s.reduce(0, +) / Double(s.count)
  }
}
