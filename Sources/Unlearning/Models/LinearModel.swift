import LinearAlgebra

/// The linear predictor `N(x; w) = ⟨w, x⟩`, homogeneous of degree 1 (MATH.md §1).
public struct LinearModel: HomogeneousModel, Equatable {
  /// `w ∈ R^d`, which is all of θ (p = d).
  public var weights: [Double]

  /// Creates the linear model with weights `w`.
  ///
  /// - Complexity: O(1).
  public init(weights: [Double]) {
    self.weights = weights
  }

  /// `w` with entries `N(0, s²/d)` (so `‖w‖ ≈ s`), drawn from stream 2 of `seed` (MATH.md §1.5).
  ///
  /// - Parameters:
  ///   - d: The input dimension.
  ///   - s: The init scale.
  ///   - seed: The seed.
  /// - Complexity: O(d).
  public static func initialized(dimension d: Int, initScale s: Double, seed: UInt64) -> LinearModel {
    var rng = SeededGenerator(seed: seed, stream: 2)
    return LinearModel(weights: rng.gaussians(d, standardDeviation: s / Double(d).squareRoot()))
  }

  /// `.linear`.
  public var architecture: ModelArchitecture { .linear }
  /// `C = 1`.
  public var homogeneityDegree: Int { 1 }
  /// `d`, the length of `w`.
  public var inputDimension: Int { weights.count }
  /// `θ = w`.
  public var parameters: [Double] { weights }

  /// The linear model with `w = θ`.
  ///
  /// - Complexity: O(1).
  public func replacingParameters(_ theta: [Double]) -> LinearModel {
    precondition(theta.count == weights.count, "linear model: θ has \(theta.count) entries, expected \(weights.count)")
    return LinearModel(weights: theta)
  }

  /// `w ← w + s·v` (`daxpy`).
  ///
  /// - Complexity: O(d).
  public mutating func addToParameters(_ v: [Double], scaledBy s: Double) {
    BLAS.axpy(s, v, &weights)
  }

  /// `w ← s w`.
  ///
  /// - Complexity: O(d).
  public mutating func scaleParameters(by s: Double) {
    weights.withUnsafeMutableBufferPointer { w in for k in w.indices { w[k] *= s } }
  }

  /// The outputs `X w`.
  ///
  /// - Complexity: O(md).
  public func forward(_ x: Matrix) -> Pass {
    Pass(outputs: BLAS.product(x, .none, weights))
  }

  /// `Σ_i v_i x_i = Xᵀ v` (`∇_w N(x_i) = x_i`).
  ///
  /// - Complexity: O(md).
  public func outputGradientCombination(_ x: Matrix, pass: Pass, coefficients v: [Double]) -> [Double] {
    BLAS.product(x, .transposed, v)
  }

  /// `w ← w + s Xᵀ v` (`dgemv` with β = 1).
  ///
  /// - Complexity: O(md).
  public mutating func addOutputGradientCombination(_ x: Matrix, pass: Pass, coefficients v: [Double], scaledBy s: Double) {
    BLAS.gemv(x, .transposed, v, alpha: s, beta: 1, into: &weights)
  }

  /// `J v = X v`, exact.
  ///
  /// - Complexity: O(md).
  public func outputDirectionalDerivatives(_ x: Matrix, pass: Pass, direction v: [Double]) -> [Double] {
    BLAS.product(x, .none, v)
  }

  /// `∇²N = 0`: the outputs are linear in w, so this is the zero vector.
  ///
  /// - Complexity: O(d).
  public func outputCurvatureCombination(_ x: Matrix, pass: Pass, direction v: [Double], coefficients c: [Double]) -> [Double] {
    [Double](repeating: 0, count: weights.count)
  }

  /// A linear model has no kinks: always the empty band.
  ///
  /// - Complexity: O(1).
  public func kinkBand(_ x: Matrix, pass: Pass, kappa: Double) -> KinkBand { .empty(kappa: kappa) }

  /// The strict program of MATH.md §4.3: `G = (y yᵀ) ∘ K`, `c = J w = q` (the
  /// band is ignored; it is always empty for this model).
  ///
  /// - Complexity: O(m²) with `K` given.
  public func kktProgram(_ data: Dataset, pass: Pass, band: KinkBand, kernel: Matrix) -> BoundedQuadraticProgram {
    var g = kernel
    let y = data.labels, m = data.count
    for i in 0..<m { for k in 0..<m { g.elements[i * m + k] *= y[i] * y[k] } }
    let c = (0..<m).map { y[$0] * pass.outputs[$0] }
    return BoundedQuadraticProgram(hessian: g, linearTerm: c)
  }

  /// `Σ_{i∈E} λ_i y_i x_i` (no band, so no `μ`).
  ///
  /// - Complexity: O(md).
  public func decompositionCombination(_ data: Dataset, pass: Pass, band: KinkBand,
                                       multipliers: [Double], kinkShares: [Double], examples: Set<Int>?) -> [Double] {
    let v = (0..<data.count).map { i in (examples?.contains(i) ?? true) ? multipliers[i] * data.labels[i] : 0 }
    return BLAS.product(data.features, .transposed, v)
  }
}

extension LinearModel: WoodburyInvertible {
  /// `J = X`: `∇_w N(x_i; w) = x_i` whatever w.
  ///
  /// - Complexity: O(1) (the same storage).
  public func outputJacobian(_ x: Matrix) -> Matrix { x }
}

extension LinearModel: MaxMarginSolvable {
  /// The hard-margin SVM of `data`, `svm.solve(data)`.
  ///
  /// - Complexity: that of ``MaxMarginSVM/solve(_:)``.
  /// - Throws: ``SVMError`` when `data` is not separable or the dual solve fails.
  public static func maxMarginSolution(of data: Dataset, svm: MaxMarginSVM) throws -> MaxMarginSVM.Solution {
    try svm.solve(data)
  }
}
