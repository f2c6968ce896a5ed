import LinearAlgebra

/// A model whose outputs are linear in θ, `N(x; θ) = ⟨φ(x), θ⟩`: `∇²N = 0` and
/// the Jacobian `J` (rows `∇_θ N(x_i; θ)`) does not depend on θ, so the
/// regularised Hessian `H = Jᵀ D J + ρI` inverts in closed form by the Woodbury
/// identity, `H⁻¹ g = (g − Jᵀ S (ρI + S J Jᵀ S)⁻¹ S J g) / ρ` with `S = D^{1/2}`
/// (``NewtonRemoval``). The linear model adopts it with `J = X`.
public protocol WoodburyInvertible: HomogeneousModel {
  /// `J`, `m × p`: row i is `∇_θ N(x_i; θ)` (the rows of `x` for the linear model).
  ///
  /// - Complexity: at most O(m p).
  func outputJacobian(_ x: Matrix) -> Matrix
}
