import LinearAlgebra

/// The data geometry of the paper's Assumption 2.3 (MATH.md §4.8):
/// `‖x_i‖² ∈ [1 − ψ, 1 + ψ]` and `|⟨x_i, x_j⟩| ≤ φ` for `i ≠ j`.
public struct DataGeometry: Sendable, Equatable {
  /// `ψ = max_i |‖x_i‖² − 1|`.
  public var psi: Double
  /// `φ = max_{i≠j} |⟨x_i, x_j⟩|` (0 for a single example).
  public var phi: Double

  /// ψ and φ from the kernel matrix `K = X Xᵀ`:
  /// `ψ = max_i |K_ii − 1|`, `φ = max_{i≠j} |K_ij|`.
  ///
  /// - Parameter k: `K`, `m × m`.
  /// - Complexity: O(m²).
  public init(kernel k: Matrix) {
    var psi = 0.0, phi = 0.0
    for i in 0..<k.rows {
      psi = max(psi, abs(k[i, i] - 1))
      for j in 0..<k.columns where j != i { phi = max(phi, abs(k[i, j])) }
    }
    self.psi = psi
    self.phi = phi
  }

  /// ψ and φ of a data set.
  ///
  /// - Complexity: O(m²d) (forming `K`).
  public init(of data: Dataset) {
    self.init(kernel: BLAS.rowGram(data.features))
  }
}
