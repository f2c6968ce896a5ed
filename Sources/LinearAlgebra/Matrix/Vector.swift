/// Operations on vectors stored as `[Double]`.
public enum Vector {
  /// The cosine similarity `⟨a, b⟩ / (‖a‖ ‖b‖)` (MATH.md §1); 0 when either vector is zero.
  public static func cosine(_ a: [Double], _ b: [Double]) -> Double {
    let na = BLAS.norm(a), nb = BLAS.norm(b)
    guard na > 0, nb > 0 else { return 0 }
    return max(-1, min(1, BLAS.dot(a, b) / (na * nb)))
  }

  /// The distance of unlearning from a reference (MATH.md §6), `τ = 1 − cos(a, b)`:
  /// 0 for parallel vectors, 2 for opposite ones, 1 when either is zero. The one
  /// place τ is computed (certificates, the unlearning pipeline, the experiments).
  ///
  /// - Parameters:
  ///   - a: the unlearned parameters θ_U.
  ///   - b: the reference θ̃ (the retrained model, the SVM of S∖F, …).
  /// - Complexity: O(p) for p parameters.
  public static func tau(_ a: [Double], _ b: [Double]) -> Double {
    1 - cosine(a, b)
  }

  /// `a − b`.
  public static func difference(_ a: [Double], _ b: [Double]) -> [Double] {
    precondition(a.count == b.count, "difference: lengths \(a.count) and \(b.count) differ")
    var r = a
    for i in r.indices { r[i] -= b[i] }
    return r
  }

  /// `s · a`.
  public static func scaled(_ a: [Double], by s: Double) -> [Double] { a.map { $0 * s } }
}
