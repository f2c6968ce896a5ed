/// The one quadratic program of the project (MATH.md §4):
///
///     minimise   ½ zᵀ G z − cᵀ z
///     subject to z_k ≥ 0                      for every k,
///                z_k ≤ upper_k                where upper_k < ∞  (ε–δ frontier box),
///                z_k ≤ z_{parent(k)}          for dominated variables (κ-band μ_ij ≤ λ_i).
///
/// `G` must be symmetric positive semidefinite (a Gram matrix `J Jᵀ`), so the
/// problem is convex and, with `c = J θ`, bounded below. The plain
/// non-negative least-squares audit uses only the first family of constraints.
/// A dominated variable's parent must itself be undominated, and dominated
/// variables carry no upper bound of their own (the parent's bounds them).
public struct BoundedQuadraticProgram: Sendable {
  /// `G`, `N × N`, symmetric positive semidefinite.
  public var hessian: Matrix
  /// `c`, length `N`.
  public var linearTerm: [Double]
  /// `upper_k`, `+∞` where a variable has no upper bound.
  public var upperBounds: [Double]
  /// `parent(k)`, or `nil` for undominated variables.
  public var parents: [Int?]

  /// Number of variables `N`.
  public var variableCount: Int { linearTerm.count }

  public init(hessian: Matrix, linearTerm: [Double], upperBounds: [Double]? = nil, parents: [Int?]? = nil) {
    let n = linearTerm.count
    precondition(hessian.rows == n && hessian.columns == n, "QP: G is \(hessian.rows)×\(hessian.columns), c has \(n) entries")
    let upper = upperBounds ?? [Double](repeating: .infinity, count: n)
    let parents = parents ?? [Int?](repeating: nil, count: n)
    precondition(upper.count == n && parents.count == n, "QP: bounds or parents of the wrong length")
    for k in 0..<n {
      precondition(upper[k] >= 0, "QP: upper bound \(upper[k]) of variable \(k) is negative")
      if let p = parents[k] {
        precondition(p >= 0 && p < n && p != k, "QP: variable \(k) has invalid parent \(p)")
        precondition(parents[p] == nil, "QP: parent \(p) of variable \(k) is itself dominated")
        precondition(upper[k] == .infinity, "QP: dominated variable \(k) cannot have its own upper bound")
      }
    }
    self.hessian = hessian
    self.linearTerm = linearTerm
    self.upperBounds = upper
    self.parents = parents
  }

  /// `½ zᵀ G z − cᵀ z`.
  public func objective(_ z: [Double]) -> Double {
    let gz = BLAS.product(hessian, .none, z)
    return 0.5 * BLAS.dot(z, gz) - BLAS.dot(linearTerm, z)
  }

  /// `G z − c`, the gradient of the objective.
  public func gradient(_ z: [Double]) -> [Double] {
    var g = linearTerm
    BLAS.gemv(hessian, .none, z, alpha: 1, beta: -1, into: &g)
    return g
  }

  /// The largest violation of any constraint at `z` (0 when feasible).
  public func infeasibility(_ z: [Double]) -> Double {
    var worst = 0.0
    for k in 0..<variableCount {
      worst = max(worst, -z[k], z[k] - upperBounds[k])
      if let p = parents[k] { worst = max(worst, z[k] - z[p]) }
    }
    return worst
  }
}
