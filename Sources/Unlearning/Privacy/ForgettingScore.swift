import Foundation

/// The forgetting-quality score of the NeurIPS 2023 Machine Unlearning challenge
/// (Triantafillou et al., "Are we making progress in unlearning?", 2024).
///
/// For one forgotten example, the outputs of N unlearned models are compared with
/// those of N retrained models by every threshold attack "flag q ≥ t" and its
/// mirror "flag q < t" (unlearned = positive); each threshold's false-positive and false-negative rates give the
/// (ε, δ)-style estimate
///
///     ε̂(t) = max( log((1 − δ − FPR)/FNR), log((1 − δ − FNR)/FPR) ),
///
/// and the example's ε̂ is the largest over thresholds (the best attack).
/// Thresholds where the rate in a denominator is 0 give no finite estimate and are
/// skipped, so with N models per side ε̂ is bounded by about log N. The example
/// is scored `2^{−b}` with bin `b = ⌊ε̂ / binWidth⌋` (bin 0 scores 1), and the
/// forgetting score is the mean over the forget set: 1 means indistinguishable
/// from retraining, smaller means the attack separates them.
public struct ForgettingScore: Sendable {
  public var delta: Double
  public var binWidth: Double

  public init(delta: Double = 1e-5, binWidth: Double = 0.5) {
    self.delta = delta
    self.binWidth = binWidth
  }

  /// ε̂ of one example from its outputs under unlearned and retrained models (0 when no threshold gives an estimate).
  public func epsilon(unlearned: [Double], retrained: [Double]) -> Double {
    let u = unlearned.filter(\.isFinite).sorted(), r = retrained.filter(\.isFinite).sorted()
    guard !u.isEmpty, !r.isEmpty else { return .nan }
    var best = 0.0
    for t in Set(u + r) {
      // "unlearned" is the positive class: flag q ≥ t.
      let fnr = Double(AttackCurve.countBelow(u, t)) / Double(u.count)
      let fpr = Double(r.count - AttackCurve.countBelow(r, t)) / Double(r.count)
      for (fp, fn) in [(fpr, fnr), (1 - fpr, 1 - fnr)] {
        for (a, b) in [(fp, fn), (fn, fp)] where b > 0 {
          let numerator = 1 - delta - a
          if numerator > 0 { best = max(best, Foundation.log(numerator / b)) }
        }
      }
    }
    return best
  }

  /// `2^{−⌊ε̂/binWidth⌋}`.
  public func exampleScore(_ epsilon: Double) -> Double {
    guard epsilon.isFinite else { return .nan }
    return Foundation.pow(2, -Foundation.floor(epsilon / binWidth))
  }

  /// The mean example score over the forget set.
  public func score(epsilons: [Double]) -> Double {
    let s = epsilons.map(exampleScore).filter(\.isFinite)
    return s.isEmpty ? .nan : s.reduce(0, +) / Double(s.count)
  }
}
