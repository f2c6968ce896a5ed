import Foundation
import Unlearning

/// Summary statistics for the experiment tables.
package enum Statistics {
  /// The mean of the finite values (`nan` when there are none).
  package static func mean(_ x: [Double]) -> Double {
    let v = x.filter(\.isFinite)
    return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
  }

  /// The sample standard deviation of the finite values (0 for one value).
  package static func standardDeviation(_ x: [Double]) -> Double {
    let v = x.filter(\.isFinite)
    guard v.count > 1 else { return v.isEmpty ? .nan : 0 }
    let m = mean(v)
    return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
  }

  /// Least-squares slope and intercept of `y` against `x` (finite pairs only).
  package static func linearFit(_ x: [Double], _ y: [Double]) -> (slope: Double, intercept: Double) {
    let pairs = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
    guard pairs.count >= 2 else { return (.nan, .nan) }
    let mx = pairs.map(\.0).reduce(0, +) / Double(pairs.count)
    let my = pairs.map(\.1).reduce(0, +) / Double(pairs.count)
    let sxy = pairs.map { ($0.0 - mx) * ($0.1 - my) }.reduce(0, +)
    let sxx = pairs.map { ($0.0 - mx) * ($0.0 - mx) }.reduce(0, +)
    guard sxx > 0 else { return (.nan, .nan) }
    return (sxy / sxx, my - sxy / sxx * mx)
  }

  /// Ranks 1…n with ties given their average rank.
  package static func ranks(_ x: [Double]) -> [Double] {
    let order = x.indices.sorted { x[$0] < x[$1] }
    var r = [Double](repeating: 0, count: x.count)
    var i = 0
    while i < order.count {
      var j = i
      while j + 1 < order.count, x[order[j + 1]] == x[order[i]] { j += 1 }
      for k in i...j { r[order[k]] = Double(i + j) / 2 + 1 }
      i = j + 1
    }
    return r
  }

  /// Spearman's rank correlation of the finite pairs (Pearson's r of the ranks, ties averaged); `nan` for fewer than 3 pairs.
  package static func spearman(_ x: [Double], _ y: [Double]) -> Double {
    let pairs = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
    guard pairs.count >= 3 else { return .nan }
    let rx = ranks(pairs.map(\.0)), ry = ranks(pairs.map(\.1))
    let mx = mean(rx), my = mean(ry)
    let sxy = zip(rx, ry).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
    let sxx = rx.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
    let syy = ry.map { ($0 - my) * ($0 - my) }.reduce(0, +)
    guard sxx > 0, syy > 0 else { return .nan }
    return sxy / (sxx * syy).squareRoot()
  }

  /// The two-sided permutation p-value of Spearman's ρ: the fraction of `permutations`
  /// seeded shuffles of `y` whose |ρ| reaches the observed one (with the observed
  /// arrangement counted, so never 0); `nan` when ρ is.
  package static func spearmanPValue(_ x: [Double], _ y: [Double], permutations: Int = 10_000, seed: UInt64 = 0) -> Double {
    let pairs = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
    let xs = pairs.map(\.0)
    var ys = pairs.map(\.1)
    let observed = spearman(xs, ys)
    guard observed.isFinite else { return .nan }
    var rng = SeededGenerator(seed: seed, stream: 13)
    var reached = 1
    for _ in 0..<permutations {
      rng.shuffle(&ys)
      if abs(spearman(xs, ys)) >= abs(observed) - 1e-12 { reached += 1 }
    }
    return Double(reached) / Double(permutations + 1)
  }

  /// A seeded percentile-bootstrap interval of the mean of the finite values: `resamples` draws of
  /// n values with replacement (``SeededGenerator``, stream 15 of `seed`), their means sorted, and the
  /// `(1 − level)/2` and `(1 + level)/2` quantiles by nearest rank (indices ⌊B(1 − level)/2⌋ and
  /// ⌈B(1 + level)/2⌉ − 1 of B sorted means). `(nan, nan)` without values.
  ///
  /// - Complexity: O(B n + B log B) for B resamples of n values.
  package static func bootstrapMeanInterval(_ x: [Double], resamples: Int = 2000, level: Double = 0.95,
                                            seed: UInt64 = 0) -> (lower: Double, upper: Double) {
    let v = x.filter(\.isFinite)
    guard !v.isEmpty, resamples > 0 else { return (.nan, .nan) }
    var rng = SeededGenerator(seed: seed, stream: 15)
    var means = [Double](repeating: 0, count: resamples)
    for b in 0..<resamples {
      var sum = 0.0
      for _ in 0..<v.count { sum += v[Int(rng.next() % UInt64(v.count))] }
      means[b] = sum / Double(v.count)
    }
    means.sort()
    let tail = (1 - level) / 2 * Double(resamples)
    let lo = min(max(Int(tail.rounded(.down)), 0), resamples - 1)
    let hi = min(max(Int((Double(resamples) - tail).rounded(.up)) - 1, 0), resamples - 1)
    return (means[lo], means[hi])
  }

  /// The median of the finite values (`nan` when there are none).
  package static func median(_ x: [Double]) -> Double {
    let v = x.filter(\.isFinite).sorted()
    guard !v.isEmpty else { return .nan }
    return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
  }

  /// `1.23e-03 ± 4.5e-04`.
  package static func format(_ x: [Double]) -> String {
    let m = mean(x)
    guard m.isFinite else { return "—" }
    return String(format: "%.2e ± %.1e", m, standardDeviation(x))
  }

  /// `0.953 ± 0.012`.
  package static func formatFixed(_ x: [Double], digits: Int = 3) -> String {
    let m = mean(x)
    guard m.isFinite else { return "—" }
    return String(format: "%.\(digits)f ± %.\(digits)f", m, standardDeviation(x))
  }
}

extension Statistics {
  /// Holm's step-down adjustment of `p` (family-wise error control for m tests): sort ascending,
  /// `p̃_(k) = max_{j ≤ k} min(1, (m − j + 1) p_(j))`, returned in the input order. A non-finite p stays
  /// non-finite and does not count among the m.
  ///
  /// - Complexity: O(m log m).
  package static func holmAdjusted(_ p: [Double]) -> [Double] {
    let order = p.indices.filter { p[$0].isFinite }.sorted { p[$0] < p[$1] }
    var adjusted = p.map { $0.isFinite ? 1.0 : Double.nan }
    var running = 0.0
    for (rank, index) in order.enumerated() {
      running = max(running, min(1, Double(order.count - rank) * p[index]))
      adjusted[index] = running
    }
    return adjusted
  }
}
