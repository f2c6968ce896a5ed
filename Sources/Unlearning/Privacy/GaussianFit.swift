import Foundation

/// A normal distribution fitted to samples by their mean and (unbiased)
/// variance, with a variance floor so that a population of identical values
/// still has a density. Used by the likelihood-ratio attack and KLoM.
public struct GaussianFit: Sendable, Equatable {
  public var mean: Double
  public var variance: Double

  public init(mean: Double, variance: Double) {
    self.mean = mean
    self.variance = variance
  }

  /// The fit of the finite `samples` (`nil` for fewer than two), variance at least `floor`.
  public init?(_ samples: [Double], varianceFloor floor: Double = 1e-12) {
    let v = samples.filter(\.isFinite)
    guard v.count >= 2 else { return nil }
    let m = v.reduce(0, +) / Double(v.count)
    let s = v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)
    self.init(mean: m, variance: max(s, floor))
  }

  /// `log p(x)`.
  public func logDensity(_ x: Double) -> Double {
    let z = x - mean
    return -0.5 * (Foundation.log(2 * Double.pi * variance) + z * z / variance)
  }

  /// `KL(self ∥ other) = ½ [σ₁²/σ₂² + (μ₂ − μ₁)²/σ₂² − 1 + ln(σ₂²/σ₁²)]`.
  public func divergence(from other: GaussianFit) -> Double {
    let r = variance / other.variance
    let d = other.mean - mean
    return 0.5 * (r + d * d / other.variance - 1 - Foundation.log(r))
  }
}
