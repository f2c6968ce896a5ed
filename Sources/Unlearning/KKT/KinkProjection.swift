import LinearAlgebra

/// The least change of one hidden unit that puts chosen examples exactly on its ReLU kink (MATH.md §6.6):
///
///     w̃ = w − X_Bᵀ (X_B X_Bᵀ)⁺ X_B w,
///
/// the orthogonal projection of `w` onto the orthogonal complement of the rows `x_i`, `i ∈ B`. Then
/// `⟨w̃, x_i⟩ = 0` for every `i ∈ B`, and `w − w̃` lies in the span of those rows, so no smaller change
/// does it.
///
/// The pseudo-inverse is never formed. The rows are orthonormalised by modified Gram–Schmidt with
/// pivoting (the remaining row with the largest relative residual `‖r_i‖ / ‖x_i‖` goes next) and a second
/// orthogonalisation pass for the chosen row ("twice is enough"), giving `Q` with orthonormal columns
/// spanning the rows' span, and `w̃ = w − Q (Qᵀ w)`. This works on `X_B` itself, not on its Gram matrix, so
/// the condition number is not squared.
///
/// **Rank tolerance.** A row whose relative residual is `≤ rankTolerance` when it would be chosen (and so
/// every row still remaining) is taken as dependent on those chosen before and adds no direction. The
/// default, `10⁻¹³` (about 450 u, u = 2⁻⁵²), lies above the rounding that Gram–Schmidt leaves in the
/// residual of an exactly dependent row (about `√k · u`, at most `k u`, after k chosen rows: below the
/// tolerance for any band of up to 450 rows) — normalising such rounding noise would add a spurious,
/// arbitrary direction and move `w` by up to `‖w‖`, destroying the least change — and it is small enough
/// that a dropped row is still on its kink: `w̃` is orthogonal to the chosen rows, so
/// `|⟨w̃, x_i⟩| = |⟨w̃, r_i⟩| ≤ 10⁻¹³ ‖w̃‖ ‖x_i‖`, four orders below the exact audit's 10⁻⁹
/// (``Certifier/exactKinkTolerance``). Rows that are zero are on every kink already and are skipped.
public struct KinkProjection: Sendable, Equatable {
  /// The relative residual at or below which a row is dependent (see the type's discussion).
  public var rankTolerance: Double

  /// The default rank tolerance, `10⁻¹³`.
  public static let defaultRankTolerance = 1e-13

  /// A projection with rank tolerance `rankTolerance` (finite, ≥ 0).
  ///
  /// - Complexity: O(1).
  public init(rankTolerance: Double = KinkProjection.defaultRankTolerance) {
    precondition(rankTolerance.isFinite && rankTolerance >= 0, "kink projection: the rank tolerance must be finite and ≥ 0")
    self.rankTolerance = rankTolerance
  }

  /// One projected unit.
  public struct Result: Sendable, Equatable {
    /// `w̃ = w − X_Bᵀ (X_B X_Bᵀ)⁺ X_B w`.
    public var projected: [Double]
    /// The numerical rank of `X_B` (rows chosen).
    public var rank: Int
    /// Rows of B found dependent (or zero) and given no direction: `|B| − rank`.
    public var dependentRows: Int
  }

  /// Projects `w` onto the orthogonal complement of the rows `indices` of `x`: `w̃ = w − Q (Qᵀ w)` with `Q`
  /// an orthonormal basis of their span (see the type's discussion).
  ///
  /// - Parameters:
  ///   - w: The unit `w`, length `x.columns`.
  ///   - x: The inputs, `m × d`.
  ///   - indices: The rows B to put on the kink (repeats are harmless: they are dependent).
  /// - Returns: `w̃`, the rank of `X_B` and the count of dependent rows.
  /// - Complexity: O(|B|² d) (pivoted Gram–Schmidt on the `|B|` rows; nothing of size `|B|² d` is stored,
  ///   O(|B| d) memory).
  public func project(_ w: [Double], rows x: Matrix, indices: [Int]) -> Result {
    let d = x.columns
    precondition(w.count == d, "kink projection: w has \(w.count) entries, the rows \(d)")
    // Residuals r_i of the candidate rows against the basis chosen so far, and the rows' own norms.
    var residuals: [[Double]] = []
    var norms: [Double] = []
    var zeroRows = 0
    for i in indices {
      let row = x.row(i)
      let n = BLAS.norm(row)
      if n > 0 { residuals.append(row); norms.append(n) } else { zeroRows += 1 }
    }
    var basis: [[Double]] = []
    var remaining = Array(residuals.indices)
    while !remaining.isEmpty {
      // Pivot: the largest relative residual.
      var best = remaining[0], bestRatio = -1.0
      for k in remaining {
        let ratio = BLAS.norm(residuals[k]) / norms[k]
        if ratio > bestRatio { best = k; bestRatio = ratio }
      }
      guard bestRatio > rankTolerance else { break }
      remaining.removeAll { $0 == best }
      // Second pass against every chosen vector (the first was the running updates).
      var q = residuals[best]
      for b in basis { BLAS.axpy(-BLAS.dot(b, q), b, &q) }
      let norm = BLAS.norm(q)
      guard norm > 0 else { continue }
      for t in q.indices { q[t] /= norm }
      for k in remaining { BLAS.axpy(-BLAS.dot(q, residuals[k]), q, &residuals[k]) }
      basis.append(q)
    }
    var projected = w
    for q in basis { BLAS.axpy(-BLAS.dot(q, projected), q, &projected) }
    // A second sweep removes what rounding left along the basis (w̃ is then orthogonal to it to ~u‖w‖).
    for q in basis { BLAS.axpy(-BLAS.dot(q, projected), q, &projected) }
    return Result(projected: projected, rank: basis.count, dependentRows: indices.count - basis.count)
  }
}
