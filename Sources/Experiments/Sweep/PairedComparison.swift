import Foundation

/// A claim that one quantity is below (or above) another, tested on per-seed *paired* differences
/// `d_s = a_s − b_s` (the same seed's data, model and forget set on both sides):
///
///     mean d̄ = (1/S) Σ_s d_s,   95 % interval = seeded percentile bootstrap of d̄ over seeds
///     (``Statistics/bootstrapMeanInterval(_:resamples:level:seed:)``)
///
/// and its verdict (``Verdict``), decided by the interval alone: *held* when it excludes the opposite
/// of the claim (for "a < b": the upper end < 0), *not held* when it excludes the claim itself (the
/// lower end > 0), *not visible* when it contains 0 — a flat comparison — and *untestable at this
/// setting* when every difference is exactly 0 because both sides sit at a bound (accuracy at 1, say),
/// where no outcome of the test could have contradicted the claim, or when fewer than
/// ``minimumPairs`` seeds give both sides (a bootstrap of one or two values is no interval). With a
/// `resolution` r > 0, sides that agree to it on every seed (every `|d_s| ≤ r (|a_s| + |b_s|)/2`, the
/// same model computed two ways and differing by rounding) are *not visible*, whatever the interval
/// of the rounding residue says.
package struct PairedComparison: Sendable, Equatable {
  /// Which way the claim goes.
  package enum Direction: Sendable, Equatable {
    /// The claim is `a < b` (d < 0).
    case below
    /// The claim is `a > b` (d > 0).
    case above
  }

  /// The fewest paired seeds a verdict is drawn from.
  package static let minimumPairs = 3

  /// The per-seed differences `a_s − b_s` (finite pairs only, in seed order).
  package let differences: [Double]
  package let direction: Direction
  /// The mean difference.
  package let mean: Double
  /// The bootstrap 95 % interval of the mean difference.
  package let lower: Double
  package let upper: Double
  /// Whether both sides sit at a bound on every seed (see ``verdict``).
  package let atCeiling: Bool
  /// Whether the two sides agree to the relative resolution on every seed (see ``verdict``).
  package let withinResolution: Bool

  /// The comparison of `a` with `b`, paired by index (seed); pairs with a non-finite side are left out.
  ///
  /// - Parameters:
  ///   - ceiling: A value the quantity cannot exceed (accuracy 1): when both sides equal it on every seed,
  ///     the comparison is untestable rather than "not visible".
  ///   - resolution: The relative difference below which the two sides count as equal (0: none).
  ///   - seed: The bootstrap's seed (fixed: the same rows give the same interval).
  /// - Complexity: O(B S) for B = 2000 resamples of S seeds.
  package init(_ a: [Double], _ b: [Double], claim direction: Direction, ceiling: Double? = nil, resolution: Double = 0,
               seed: UInt64 = 0) {
    precondition(a.count == b.count, "paired comparison: \(a.count) values against \(b.count)")
    let pairs = zip(a, b).filter { $0.0.isFinite && $0.1.isFinite }
    differences = pairs.map { $0.0 - $0.1 }
    self.direction = direction
    mean = Statistics.mean(differences)
    (lower, upper) = Statistics.bootstrapMeanInterval(differences, seed: seed)
    atCeiling = ceiling.map { c in !pairs.isEmpty && pairs.allSatisfy { $0.0 == c && $0.1 == c } } ?? false
    withinResolution = resolution > 0 && !pairs.isEmpty
      && pairs.allSatisfy { abs($0.0 - $0.1) <= resolution * (abs($0.0) + abs($0.1)) / 2 }
  }

  /// The verdict the interval gives (see the type's description).
  package var verdict: Verdict {
    if differences.count < Self.minimumPairs || atCeiling { return .untestable }
    if !lower.isFinite || !upper.isFinite { return .untestable }
    if withinResolution { return .notVisible }
    switch direction {
    case .below:
      if upper < 0 { return .held }
      if lower > 0 { return .notHeld }
    case .above:
      if lower > 0 { return .held }
      if upper < 0 { return .notHeld }
    }
    return .notVisible
  }

  /// On how many seeds the difference goes the claimed way, of how many (`12/20`).
  package var seedsAgreeing: String {
    let agreeing = differences.filter { direction == .below ? $0 < 0 : $0 > 0 }.count
    return "\(agreeing)/\(differences.count)"
  }

  /// `−9.6e-03 [−1.4e-02, −5.0e-03], 18/20 seeds` (`precision` significant digits after the point in %e).
  package func formatted(digits: Int = 1) -> String {
    guard mean.isFinite else { return "—" }
    let f = "%.\(digits)e"
    return "\(String(format: f, mean)) [\(String(format: f, lower)), \(String(format: f, upper))], \(seedsAgreeing) seeds"
  }
}
