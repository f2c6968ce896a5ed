/// Elementary functions computed with IEEE `+ − × ÷` only, so that they give
/// the same bits on every machine (the platform `libm` may differ in the last
/// place). Used where reproducibility across machines is part of the contract:
/// the seeded Gaussian sampler.
public enum DeterministicMath {
  private static let ln2Hi = 6.93147180369123816490e-01
  private static let ln2Lo = 1.90821492927058770002e-10

  /// The natural logarithm of a positive finite `x`, accurate to a few ulps.
  ///
  /// Writes `x = f · 2^e` with `f ∈ [√½, √2)` (exact) and sums the series
  /// `log f = 2 atanh(s) = 2 (s + s³/3 + s⁵/5 + …)`, `s = (f − 1)/(f + 1)`,
  /// `|s| ≤ 0.1716`, 16 terms, to beyond double precision, and adds `e · ln 2`
  /// in two parts (MATH.md §7.3).
  ///
  /// - Precondition: `x` is positive and finite.
  /// - Complexity: O(1).
  public static func log(_ x: Double) -> Double {
    precondition(x > 0 && x.isFinite, "DeterministicMath.log needs a positive finite argument")
    var f = x.significand            // [1, 2), exact
    var e = Double(x.exponent)
    if f > 1.4142135623730951 { f *= 0.5; e += 1 }
    let s = (f - 1) / (f + 1)
    let s2 = s * s
    var term = s
    var sum = 0.0
    var k = 1.0
    for _ in 0..<16 {
      sum += term / k
      term *= s2
      k += 2
    }
    return e * ln2Hi + (e * ln2Lo + 2 * sum)
  }
}
