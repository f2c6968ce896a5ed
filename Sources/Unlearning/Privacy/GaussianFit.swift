import Foundation

/// A normal distribution fitted to samples by their mean and (unbiased)
/// variance, with a variance floor so that a population of identical values
/// still has a density. Used by the likelihood-ratio attack and KLoM (MATH.md §11.3).
public struct GaussianFit: Sendable, Equatable {
  /// μ.
  public var mean: Double
  /// σ², positive.
  public var variance: Double

  /// The normal distribution `N(mean, variance)`.
  ///
  /// - Complexity: O(1).
  public init(mean: Double, variance: Double) {
    self.mean = mean
    self.variance = variance
  }

  /// The fit of the finite `samples` (`nil` for fewer than two): their mean and
  /// unbiased variance `Σ (x − μ)² / (n − 1)`, at least `floor`.
  ///
  /// - Complexity: O(n) for n samples.
  public init?(_ samples: [Double], varianceFloor floor: Double = 1e-12) {
    let v = samples.filter(\.isFinite)
    guard v.count >= 2 else { return nil }
    let m = v.reduce(0, +) / Double(v.count)
    let s = v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)
    self.init(mean: m, variance: max(s, floor))
  }

  /// `log p(x) = −½ (log(2π σ²) + (x − μ)²/σ²)`.
  ///
  /// - Complexity: O(1).
  public func logDensity(_ x: Double) -> Double {
    let z = x - mean
    return -0.5 * (Foundation.log(2 * Double.pi * variance) + z * z / variance)
  }

  /// `KL(self ∥ other) = ½ [σ₁²/σ₂² + (μ₂ − μ₁)²/σ₂² − 1 + ln(σ₂²/σ₁²)]`
  /// (the KLoM measure of MATH.md §11.3), with `self = N(μ₁, σ₁²)`.
  ///
  /// - Complexity: O(1).
  public func divergence(from other: GaussianFit) -> Double {
    let r = variance / other.variance
    let d = other.mean - mean
    return 0.5 * (r + d * d / other.variance - 1 - Foundation.log(r))
  }
}
