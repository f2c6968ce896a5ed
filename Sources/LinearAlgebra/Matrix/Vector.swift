/// Operations on vectors stored as `[Double]`.
///
/// A namespace: the parameter vectors θ of MATH.md §1.3 are plain arrays, and
/// these are the few whole-vector operations the library and the experiments
/// compare them with. Lengths are checked with preconditions.
public enum Vector {
  /// The cosine similarity of two vectors (MATH.md §1.3):
  ///
  ///     cos(a, b) = ⟨a, b⟩ / (‖a‖ ‖b‖)
  ///
  /// It is 0 when either vector is zero, and clamped to `[−1, 1]` against
  /// rounding. It is scale-free, so it compares homogeneous models at any
  /// scale (the τ of MATH.md §6.1 is `1 − cos(θ_U, θ̃)`).
  ///
  /// - Parameters:
  ///   - a: The first vector.
  ///   - b: The second vector, as long as `a`.
  /// - Returns: The cosine, in `[−1, 1]`.
  /// - Complexity: O(p) for vectors of length p.
  public static func cosine(_ a: [Double], _ b: [Double]) -> Double {
    let na = BLAS.norm(a), nb = BLAS.norm(b)
    guard na > 0, nb > 0 else { return 0 }
    return max(-1, min(1, BLAS.dot(a, b) / (na * nb)))
  }

  /// The distance of unlearning from a reference (MATH.md §6), `τ = 1 − cos(a, b)`:
  /// 0 for parallel vectors, 2 for opposite ones, 1 when either is zero. The one
  /// place τ is computed (certificates, the unlearning pipeline, the experiments).
  /// Identical non-zero vectors give exactly 0 (a witness that is θ_U itself): the rounded
  /// ⟨a, a⟩ and ‖a‖² need not agree in their last bits, and which way they round depends on
  /// the BLAS kernel, so `1 − cos(a, a)` alone would be 0 on one machine and 2⁻⁵² on another.
  ///
  /// - Parameters:
  ///   - a: the unlearned parameters θ_U.
  ///   - b: the reference θ̃ (the retrained model, the SVM of S∖F, …).
  /// - Complexity: O(p) for p parameters.
  public static func tau(_ a: [Double], _ b: [Double]) -> Double {
    if a == b, a.contains(where: { $0 != 0 }) { return 0 }
    return 1 - cosine(a, b)
  }

  /// The difference `a − b`, entry by entry.
  ///
  /// - Precondition: `a.count == b.count`.
  /// - Complexity: O(p) for vectors of length p.
  public static func difference(_ a: [Double], _ b: [Double]) -> [Double] {
    precondition(a.count == b.count, "difference: lengths \(a.count) and \(b.count) differ")
    var r = a
    for i in r.indices { r[i] -= b[i] }
    return r
  }

  /// The multiple `s · a`.
  ///
  /// - Complexity: O(p) for a vector of length p.
  public static func scaled(_ a: [Double], by s: Double) -> [Double] { a.map { $0 * s } }
}
