/// A primal active-set method for ``BoundedQuadraticProgram``.
///
/// The working set fixes variables at a bound or ties a dominated variable to
/// its parent. The free *columns* are groups of variables that move together
/// (a parent and the children tied to it, or a lone variable); the reduced
/// Hessian `Pᵀ G P` of the free columns is held in an ``UpdatableCholesky``,
/// so each iteration costs one `G z` product and `O(k²)` triangular work.
/// Each iteration either steps to the minimiser of the current face, or stops
/// at the first constraint in the way and adds it; at a face minimiser the
/// constraint with the most negative Lagrange multiplier is released. On a
/// rank-deficient `G` a column that is numerically dependent on the free ones
/// opens a direction of zero curvature: the solver follows it to the first
/// constraint (the objective changes linearly along it), or reports the
/// problem unbounded when nothing stops a descent.
/// In exact arithmetic this is Lawson–Hanson NNLS when there are no upper
/// bounds and no ties.
///
/// The audit of MATH.md §4.2 and §4.6, the ε–δ frontier of §4.7, the
/// max-margin SVM dual of §6.4 and the minimum-norm projection of §9.7 all
/// solve with this type.
public struct ActiveSetQPSolver: Sendable {
  /// Why the solver stopped.
  public enum Status: String, Sendable {
    /// Every working-set multiplier is non-negative to the tolerance.
    case optimal
    /// The iteration limit was reached first; the iterate is feasible but not optimal.
    case iterationLimit
    /// The objective decreases without bound along a feasible ray (a singular `G`
    /// with `c` outside its range, e.g. the SVM dual of non-separable data).
    case unbounded
  }

  /// The result of a solve.
  public struct Solution: Sendable {
    /// The minimiser `z*` (always feasible).
    public var z: [Double]
    /// Whether it is optimal.
    public var status: Status
    /// Iterations used.
    public var iterations: Int
    /// The most negative Lagrange multiplier of the final working set, relative
    /// to the gradient scale (≤ tolerance when optimal).
    public var dualInfeasibility: Double
    /// Columns refused because they were numerically dependent on the free ones.
    public var dependentColumns: Int
    /// The objective `½ zᵀGz − cᵀz` at `z`.
    public var objective: Double
  }

  /// Multipliers above `−relativeTolerance · scale` count as non-negative, with
  /// `scale = max(‖c‖∞, ‖G z‖∞)`.
  public var relativeTolerance: Double
  /// Relative pivot below which a column counts as dependent.
  public var pivotTolerance: Double
  /// Iteration limit; `nil` means `10 N + 100`.
  public var maxIterations: Int?
  /// Whether `G z` uses a compressed-row copy of `G`; `nil` decides by density
  /// (fewer than a fifth of the entries non-zero, N ≥ 64).
  public var sparseProducts: Bool?

  /// Creates a solver with the given tolerances.
  ///
  /// - Parameters:
  ///   - relativeTolerance: Multipliers above `−relativeTolerance · scale`
  ///     count as non-negative (``relativeTolerance``).
  ///   - pivotTolerance: The relative pivot below which a column counts as
  ///     dependent (``pivotTolerance``).
  ///   - maxIterations: The iteration limit; `nil` means `10 N + 100`.
  ///   - sparseProducts: Whether `G z` uses compressed rows; `nil` decides by
  ///     density.
  public init(relativeTolerance: Double = 1e-11, pivotTolerance: Double = 1e-12, maxIterations: Int? = nil,
              sparseProducts: Bool? = nil) {
    self.relativeTolerance = relativeTolerance
    self.pivotTolerance = pivotTolerance
    self.maxIterations = maxIterations
    self.sparseProducts = sparseProducts
  }

  /// Solves `problem`, optionally starting from `warmStart` (projected onto the
  /// feasible set; its zero/bound/tie pattern becomes the first working set).
  /// Without one, dense problems of 64 or more variables without upper bounds
  /// start from a block-principal-pivoting guess (`BlockPivotingStart`);
  /// sparse ones (the κ-audit's) are cheaper per active-set iteration than per
  /// dense block exchange, and start cold.
  ///
  /// The solver never throws: an unbounded problem or the iteration limit is
  /// reported in ``Solution/status``, and the returned `z` is always feasible.
  ///
  /// - Parameters:
  ///   - problem: The program; `G` must be positive semidefinite.
  ///   - warmStart: A starting point of length `N`, e.g. the previous audit's
  ///     solution; `nil` starts from `z = 0` or the block-pivoting guess.
  /// - Returns: The minimiser with its status, iteration count and diagnostics.
  /// - Complexity: O(N²) to set up (scanning `G` for density). Each iteration
  ///   costs one `G z` product, O(N²) dense or O(nnz) sparse, plus O(f²)
  ///   triangular work for f free columns; at most ``maxIterations``
  ///   (default `10 N + 100`) iterations. The block-pivoting start, when used,
  ///   adds at most 60 steps of O(f³ + N²) each.
  public func solve(_ problem: BoundedQuadraticProgram, warmStart: [Double]? = nil) -> Solution {
    var run = ActiveSetRun(problem: problem, pivotTolerance: pivotTolerance, sparseProducts: sparseProducts)
    var start = warmStart
    if start == nil, problem.variableCount >= 64, problem.upperBounds.allSatisfy({ $0 == .infinity }), !run.usesSparseProducts {
      start = BlockPivotingStart.guess(problem.hessian, problem.linearTerm)
    }
    run.start(from: start)
    let limit = maxIterations ?? (10 * problem.variableCount + 100)
    let (status, iterations, violation) = run.iterate(limit: limit, relativeTolerance: relativeTolerance)
    return Solution(z: run.z, status: status, iterations: iterations, dualInfeasibility: violation,
                    dependentColumns: run.dependentColumns, objective: problem.objective(run.z))
  }
}
