import Foundation

/// A per-example population attack in the style of LiRA (Carlini et al., S&P 2022)
/// and U-LiRA (Hayes et al., "Inexact unlearning needs more careful evaluations",
/// SaTML 2025): for one target example, its (normalised) margin under models
/// trained *with* it and under models trained *without* it are each fitted by a
/// Gaussian; an observed margin q is scored by the log likelihood ratio
/// `log p_in(q) − log p_out(q)`. Against unlearning, "in" is the population of
/// models that saw the target and then forgot it, "out" the models that never saw it.
public struct LikelihoodRatioAttack: Sendable {
  /// The fit of the "in" margins, after the common variance floor.
  public var inside: GaussianFit
  /// The fit of the "out" margins, after the common variance floor.
  public var outside: GaussianFit

  /// The attack from the target's margins under shadow models with and without it; `nil` with fewer than two of either.
  /// Both variances are raised to the common floor `10⁻⁶ max(σ²_in, σ²_out, 10⁻³⁰⁰)` (MATH.md §11.3).
  ///
  /// - Complexity: O(n) for n margins in all.
  public init?(inside: [Double], outside: [Double]) {
    guard let i = GaussianFit(inside), let o = GaussianFit(outside) else { return nil }
    // A common floor keeps the ratio finite when one side is (nearly) constant.
    let floor = 1e-6 * max(i.variance, o.variance, 1e-300)
    self.inside = GaussianFit(mean: i.mean, variance: max(i.variance, floor))
    self.outside = GaussianFit(mean: o.mean, variance: max(o.variance, floor))
  }

  /// `log p_in(q) − log p_out(q)`: larger means "saw the target".
  ///
  /// - Complexity: O(1).
  public func score(_ q: Double) -> Double { inside.logDensity(q) - outside.logDensity(q) }
}
