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
  /// An optional description of `G`'s sparsity among the dominated variables: a partition of them into
  /// blocks such that `G_kl = 0` for dominated `k`, `l` in different blocks (the κ-audit's μ-block is
  /// block-diagonal by hidden unit, MATH.md §4.6). `nil` when not known. ``BlockStructuredQPSolver``
  /// uses it; ``ActiveSetQPSolver`` ignores it.
  public var dominatedBlocks: [[Int]]?

  /// Number of variables `N` (m for a strict audit, m plus the band pairs for a
  /// κ-audit).
  ///
  /// - Complexity: O(1).
  public var variableCount: Int { linearTerm.count }

  /// Creates a problem, checking the shapes and the constraint structure with
  /// preconditions.
  ///
  /// - Parameters:
  ///   - hessian: `G`, `N × N`, symmetric positive semidefinite (not checked).
  ///   - linearTerm: `c`, length `N`.
  ///   - upperBounds: `upper_k ≥ 0` for every variable, `+∞` for none; `nil`
  ///     means no upper bounds.
  ///   - parents: `parent(k)` for dominated variables, `nil` entries for the
  ///     others; `nil` means no dominance constraints. A parent must be
  ///     undominated and a dominated variable must have no upper bound.
  ///   - dominatedBlocks: A partition of the dominated variables into blocks with `G_kl = 0` between
  ///     different blocks (``dominatedBlocks``; the zeros are not checked, the partition is); `nil` for none.
  /// - Complexity: O(N).
  public init(hessian: Matrix, linearTerm: [Double], upperBounds: [Double]? = nil, parents: [Int?]? = nil,
              dominatedBlocks: [[Int]]? = nil) {
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
    if let dominatedBlocks {
      var seen = [Bool](repeating: false, count: n)
      for block in dominatedBlocks {
        for k in block {
          precondition(k >= 0 && k < n && parents[k] != nil, "QP: block member \(k) is not a dominated variable")
          precondition(!seen[k], "QP: variable \(k) is in two blocks")
          seen[k] = true
        }
      }
      precondition((0..<n).allSatisfy { parents[$0] == nil || seen[$0] }, "QP: a dominated variable is in no block")
    }
    self.hessian = hessian
    self.linearTerm = linearTerm
    self.upperBounds = upper
    self.parents = parents
    self.dominatedBlocks = dominatedBlocks
  }

  /// The objective `½ zᵀ G z − cᵀ z` at `z`.
  ///
  /// With `G = J Jᵀ` and `c = J θ̂` this is `½‖θ̂ − Jᵀz‖² − ½‖θ̂‖²` (MATH.md §4.2);
  /// ε is never read off it (MATH.md §4.4).
  ///
  /// - Parameter z: A point, length `N`.
  /// - Complexity: O(N²).
  public func objective(_ z: [Double]) -> Double {
    let gz = BLAS.product(hessian, .none, z)
    return 0.5 * BLAS.dot(z, gz) - BLAS.dot(linearTerm, z)
  }

  /// The gradient of the objective, `G z − c`.
  ///
  /// - Parameter z: A point, length `N`.
  /// - Complexity: O(N²).
  public func gradient(_ z: [Double]) -> [Double] {
    var g = linearTerm
    BLAS.gemv(hessian, .none, z, alpha: 1, beta: -1, into: &g)
    return g
  }

  /// The largest violation of any constraint at `z`:
  /// `max(0, max_k −z_k, max_k (z_k − upper_k), max_{dominated k} (z_k − z_parent(k)))`,
  /// 0 when `z` is feasible.
  ///
  /// - Parameter z: A point, length `N`.
  /// - Complexity: O(N).
  public func infeasibility(_ z: [Double]) -> Double {
    var worst = 0.0
    for k in 0..<variableCount {
      worst = max(worst, -z[k], z[k] - upperBounds[k])
      if let p = parents[k] { worst = max(worst, z[k] - z[p]) }
    }
    return worst
  }
}
