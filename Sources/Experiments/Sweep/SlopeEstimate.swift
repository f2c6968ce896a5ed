import Foundation
import Unlearning

/// A log–log slope (a power law `y ∝ x^b`) with a seed-bootstrap interval:
///
///     b = least-squares slope of log y on log x over every (seed, x) row,
///     interval = percentiles 2.5 and 97.5 of b over B = 2000 resamples of the *seeds* with replacement
///     (each resampled seed brings all its rows, so the rows of one seed stay together).
///
/// A claim on the sign of b (`y` grows, or falls, with `x`) gets its ``verdict`` from the interval alone, as
/// ``PairedComparison`` does.
package struct SlopeEstimate: Sendable, Equatable {
  package let slope: Double
  package let lower: Double
  package let upper: Double
  package let claim: PairedComparison.Direction

  /// - Parameters:
  ///   - rows: `(seed, x, y)`; rows with a non-positive or non-finite `x` or `y` are left out.
  ///   - claim: `.above` for "y grows with x" (b > 0), `.below` for "y falls" (b < 0).
  ///   - seed: The bootstrap's seed.
  /// - Complexity: O(B n) for n rows and B = 2000 resamples.
  /// With fewer than ``PairedComparison/minimumPairs`` seeds there is no interval (and the verdict is *untestable*).
  package init(_ rows: [(seed: Int, x: Double, y: Double)], claim: PairedComparison.Direction, resamples: Int = 2000, seed: UInt64 = 0) {
    self.claim = claim
    let usable = rows.filter { $0.x > 0 && $0.y > 0 && $0.x.isFinite && $0.y.isFinite }
    let bySeed = Dictionary(grouping: usable, by: \.seed)
    let seeds = bySeed.keys.sorted()
    func fit(_ r: [(seed: Int, x: Double, y: Double)]) -> Double {
      Statistics.linearFit(r.map { Foundation.log($0.x) }, r.map { Foundation.log($0.y) }).slope
    }
    slope = fit(usable)
    guard seeds.count >= PairedComparison.minimumPairs, slope.isFinite else {
      lower = .nan
      upper = .nan
      return
    }
    var rng = SeededGenerator(seed: seed, stream: 16)
    var slopes: [Double] = []
    slopes.reserveCapacity(resamples)
    for _ in 0..<resamples {
      var sample: [(seed: Int, x: Double, y: Double)] = []
      for _ in seeds.indices { sample += bySeed[seeds[Int(rng.next() % UInt64(seeds.count))]]! }
      let b = fit(sample)
      if b.isFinite { slopes.append(b) }
    }
    slopes.sort()
    guard !slopes.isEmpty else {
      lower = .nan
      upper = .nan
      return
    }
    let tail = 0.025 * Double(slopes.count)
    lower = slopes[min(max(Int(tail.rounded(.down)), 0), slopes.count - 1)]
    upper = slopes[min(max(Int((Double(slopes.count) - tail).rounded(.up)) - 1, 0), slopes.count - 1)]
  }

  /// *held* when the interval excludes 0 on the claimed side's opposite, *not held* when it excludes the claim,
  /// *not visible* when it contains 0, *untestable* without an interval.
  package var verdict: Verdict {
    guard lower.isFinite, upper.isFinite else { return .untestable }
    switch claim {
    case .above: return lower > 0 ? .held : (upper < 0 ? .notHeld : .notVisible)
    case .below: return upper < 0 ? .held : (lower > 0 ? .notHeld : .notVisible)
    }
  }

  /// `−1.00 [−1.04, −0.97]`.
  package var formatted: String {
    guard slope.isFinite else { return "—" }
    return String(format: "%.2f [%.2f, %.2f]", slope, lower, upper)
  }
}
