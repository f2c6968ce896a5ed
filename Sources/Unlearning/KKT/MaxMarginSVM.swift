import LinearAlgebra

/// The exact max-margin oracle for linear models (MATH.md §6): the hard-margin
/// SVM without bias, `w* = argmin ½‖w‖²` subject to `y_i ⟨w, x_i⟩ ≥ 1`, from
/// its dual
///
///     min_{α ≥ 0} ½ αᵀ Q α − 1ᵀ α,   Q = (y yᵀ) ∘ K,   w* = Σ_i α_i y_i x_i,
///
/// solved by the project's QP solver. `w*` is a (0, 0)-KKT point of `P(S)`
/// (α are its multipliers). When the data are not linearly separable the dual
/// is unbounded below (some `α ≥ 0` has `Σ α_i y_i x_i = 0`): that is detected
/// and reported as ``SVMError/notSeparable(minMargin:)``.
public struct MaxMarginSVM: Sendable {
  /// The solved SVM.
  public struct Solution: Sendable {
    /// `w* = Σ_i α_i y_i x_i`.
    public var weights: [Double]
    /// The dual coefficients α (the KKT multipliers of `w*`).
    public var dualCoefficients: [Double]
    /// `q_i(w*) = y_i ⟨w*, x_i⟩`.
    public var margins: [Double]
    /// Relative KKT error: `max(max_i (1 − q_i)⁺, max_i α_i |q_i − 1| / max(1, max α))`.
    public var kktError: Double
    /// Number of support vectors (`α_i > 0`).
    public var supportVectors: Int
    /// Active-set iterations.
    public var iterations: Int

    /// `w*` as a model.
    ///
    /// - Complexity: O(1).
    public var model: LinearModel { LinearModel(weights: weights) }
  }

  /// The QP solver of the dual.
  public var solver: ActiveSetQPSolver

  /// Creates an SVM that solves its dual with `solver`.
  public init(solver: ActiveSetQPSolver = ActiveSetQPSolver()) {
    self.solver = solver
  }

  /// Solves the SVM of `data` (MATH.md §6.4) from its dual, with relative KKT
  /// error ``Solution/kktError``.
  ///
  /// - Parameter data: The data set (S, or `S∖F` for the *exact* certificate).
  /// - Returns: `w*`, α, the margins and diagnostics.
  /// - Throws: ``SVMError``: `notSeparable(minMargin:)` when the dual is
  ///   unbounded or the "optimum" has minimum margin below `1 − 10⁻⁶`;
  ///   `notConverged(iterations:)` when the solver hits its iteration limit.
  /// - Complexity: O(m²d) for `Q`, one `ActiveSetQPSolver.solve(_:warmStart:)`
  ///   in m variables, O(md) for `w*` and the margins.
  public func solve(_ data: Dataset) throws -> Solution {
    let m = data.count, y = data.labels
    var q = BLAS.rowGram(data.features)
    for i in 0..<m { for k in 0..<m { q[i, k] *= y[i] * y[k] } }
    let program = BoundedQuadraticProgram(hessian: q, linearTerm: [Double](repeating: 1, count: m))
    let dual = solver.solve(program)
    let alpha = dual.z
    let w = BLAS.product(data.features, .transposed, zip(alpha, y).map(*))
    let margins = zip(y, BLAS.product(data.features, .none, w)).map(*)
    let minMargin = margins.min() ?? 0
    guard dual.status != .unbounded else { throw SVMError.notSeparable(minMargin: minMargin) }
    guard dual.status == .optimal else { throw SVMError.notConverged(iterations: dual.iterations) }
    // An "optimum" that violates the primal can only come from a ray lost in rounding.
    guard minMargin > 1 - 1e-6 else { throw SVMError.notSeparable(minMargin: minMargin) }
    let alphaScale = max(1, alpha.max() ?? 0)
    var error = max(0, 1 - minMargin)
    for i in 0..<m { error = max(error, alpha[i] * abs(margins[i] - 1) / alphaScale) }
    return Solution(weights: w, dualCoefficients: alpha, margins: margins, kktError: error,
                    supportVectors: alpha.filter { $0 > 0 }.count, iterations: dual.iterations)
  }
}

/// Why the SVM has no solution.
public enum SVMError: Error, Equatable, CustomStringConvertible {
  /// No `w` separates the data through the origin: the dual is unbounded.
  case notSeparable(minMargin: Double)
  /// The QP solver hit its iteration limit.
  case notConverged(iterations: Int)

  /// One line saying why there is no max-margin predictor.
  public var description: String {
    switch self {
    case .notSeparable:
      return "the data are not linearly separable through the origin: the SVM dual is unbounded, so there is no max-margin predictor"
    case .notConverged(let k):
      return "the SVM dual did not converge in \(k) active-set iterations"
    }
  }
}

extension SVMError: ClassifiedError {
  /// ``FailureClass/numerical`` for every case.
  public var failureClass: FailureClass { .numerical }
}
