import LinearAlgebra

/// The synthetic settings of MATH.md §7.1.
public enum SyntheticSetting: Sendable, Equatable {
  /// `x_i ~ N(0, I_d/d)`, labels uniform ±1 independent of x.
  case isotropic
  /// Gaussian mixture `x = μ_{k(i)} + ξ`, `ξ ~ N(0, I_d/d)`, label fixed by the
  /// cluster; `xor` uses four clusters (`±μ₁` → +1, `±μ₂` → −1, `μ₁ ⟂ μ₂`).
  /// `meanNorm` defaults to `d^{−1/4}`.
  case mixture(xor: Bool = false, meanNorm: Double? = nil)
  /// `x_i = √(1−ρ) g_i + √ρ g_0`, `g ~ N(0, I_d/d)` with one shared `g_0`.
  case correlated(rho: Double)
}

/// Seeded generators for the synthetic settings: the same seed gives the same
/// bytes on every machine.
public enum SyntheticData {
  /// Draws `m` training examples (and `testCount` test examples from the same
  /// distribution) in dimension `d` from `setting` with `seed` (stream 1; the
  /// test examples come after the training ones in the same stream).
  ///
  /// - Parameters:
  ///   - setting: The distribution.
  ///   - m: The number of training examples, ≥ 1.
  ///   - d: The dimension, ≥ 1.
  ///   - testCount: The number of test examples, ≥ 0.
  ///   - seed: The seed.
  /// - Returns: The training set and, when `testCount > 0`, the test set.
  /// - Throws: ``DatasetError/invalidParameter(_:)`` for `m < 1`, `d < 1`,
  ///   `testCount < 0`, a negative or non-finite mean norm, an XOR mixture with
  ///   `d < 2`, or `ρ ∉ [0, 1]`.
  /// - Complexity: O((m + testCount) d).
  public static func generate(_ setting: SyntheticSetting, count m: Int, dimension d: Int,
                              testCount: Int = 0, seed: UInt64) throws -> (train: Dataset, test: Dataset?) {
    guard m > 0 else { throw DatasetError.invalidParameter("the number of examples m must be positive (got \(m))") }
    guard d > 0 else { throw DatasetError.invalidParameter("the dimension d must be positive (got \(d))") }
    guard testCount >= 0 else { throw DatasetError.invalidParameter("the test-set size must be non-negative") }
    var rng = SeededGenerator(seed: seed, stream: 1)
    let scale = 1 / Double(d).squareRoot()
    let total = m + testCount

    var x = Matrix(rows: total, columns: d)
    var y = [Double](repeating: 1, count: total)
    switch setting {
    case .isotropic:
      for k in 0..<(total * d) { x.elements[k] = rng.nextGaussian() * scale }
      for i in 0..<total { y[i] = rng.nextSign() }

    case .mixture(let xor, let meanNorm):
      let norm = meanNorm ?? 1 / Double(d).squareRoot().squareRoot()
      guard norm >= 0, norm.isFinite else { throw DatasetError.invalidParameter("the cluster-mean norm must be finite and ≥ 0") }
      guard !xor || d >= 2 else { throw DatasetError.invalidParameter("the XOR mixture needs d ≥ 2") }
      var mu1 = rng.gaussians(d)
      var mu2 = rng.gaussians(d)
      let n1 = BLAS.norm(mu1)
      mu1 = mu1.map { $0 / n1 }
      let proj = BLAS.dot(mu1, mu2)
      for k in 0..<d { mu2[k] -= proj * mu1[k] }
      let n2 = BLAS.norm(mu2)
      mu2 = mu2.map { $0 / n2 * norm }
      mu1 = mu1.map { $0 * norm }
      for i in 0..<total {
        let mean: [Double]
        var sign: Double
        if xor {
          let cluster = rng.next() >> 62  // 0..3
          sign = cluster & 1 == 0 ? 1 : -1
          mean = cluster < 2 ? mu1 : mu2
          y[i] = cluster < 2 ? 1 : -1
        } else {
          y[i] = rng.nextSign()
          sign = y[i]
          mean = mu1
        }
        for k in 0..<d { x.elements[i * d + k] = sign * mean[k] + rng.nextGaussian() * scale }
      }

    case .correlated(let rho):
      guard rho >= 0, rho <= 1 else { throw DatasetError.invalidParameter("ρ must lie in [0, 1] (got \(rho))") }
      let g0 = rng.gaussians(d, standardDeviation: scale)
      let a = (1 - rho).squareRoot(), b = rho.squareRoot()
      for i in 0..<total {
        for k in 0..<d { x.elements[i * d + k] = a * rng.nextGaussian() * scale + b * g0[k] }
      }
      for i in 0..<total { y[i] = rng.nextSign() }
    }

    let all = try Dataset(features: x, labels: y)
    let train = all.subset(Array(0..<m))
    let test = testCount > 0 ? all.subset(Array(m..<total)) : nil
    return (train, test)
  }
}
