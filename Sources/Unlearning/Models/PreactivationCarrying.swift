import LinearAlgebra

/// A model whose output is a function of its first-layer pre-activations `Z = X Wᵀ` (and of parameters the
/// paper's step changes without touching `Z`), so that a gradient step over F changes `W` by rank |F| and the
/// pre-activations of every other example by a rank-|F| update (MATH.md §5.2):
///
///     W' = W + s Bᵀ X_F   ⇒   Z'_R = X_R W'ᵀ = Z_R + s (X_R X_Fᵀ) B
///
/// The capability behind carrying stored multipliers to θ_U without a forward pass over S∖F
/// (``StoredMultipliers/preactivations``). The two-layer network adopts it; the linear model does not need
/// it (its forward pass over S∖F costs what the update costs, O(m d)) and the deep network cannot (its later
/// layers change with every unit of the first).
public protocol PreactivationCarrying: HomogeneousModel {
  /// `n`, the columns of `Z` (the first layer's units).
  var preactivationWidth: Int { get }

  /// `Z` of `pass` (`m × n`, one row per example of the pass).
  ///
  /// - Complexity: O(1) (the pass holds it).
  func preactivations(of pass: Pass) -> Matrix

  /// `N(x_i)` from the pre-activations `Z_i` of the examples (and this model's other parameters).
  ///
  /// - Complexity: O(m n).
  func outputs(preactivations z: Matrix) -> [Double]

  /// ``HomogeneousModel/addOutputGradientCombination(_:pass:coefficients:scaledBy:)``, that is
  /// `θ ← θ + s Σ_r v_r ∇N(x_r; θ)` for the rows `x` of `pass`, with `z`, the pre-activations of this
  /// model on `rows`, carried to the updated model: `z ← z + s (rows · xᵀ) B`, `B_rj = v_r 1[Z_rj > 0] u_j`
  /// (B's own convention per model).
  ///
  /// - Parameters:
  ///   - x: X_F, the rows of the step (`|F| × d`).
  ///   - pass: The forward pass of this model on `x`.
  ///   - v: One coefficient per row of `x`.
  ///   - s: The step's scale.
  ///   - z: Z_R, this model's pre-activations on `rows` (`|R| × n`), replaced by the updated model's.
  ///   - rows: X_R (`|R| × d`).
  /// - Complexity: O(|F| p) for the step and O(|R| |F| (d + n)) for the carry (instead of a forward pass, O(|R| p)).
  mutating func addOutputGradientCombination(_ x: Matrix, pass: Pass, coefficients v: [Double], scaledBy s: Double,
                                             carrying z: inout Matrix, of rows: Matrix)
}

extension TwoLayerReLUNetwork: PreactivationCarrying {
  public var preactivationWidth: Int { width }

  public func preactivations(of pass: Pass) -> Matrix { pass.preactivations }

  public func outputs(preactivations z: Matrix) -> [Double] {
    Self.outputs(preactivations: z, outputWeights: outputWeights)
  }

  /// `W ← W + s Bᵀ X_F` (`B_rj = v_r 1[Z_rj > 0] u_j`, and `u ← u + s Hᵀ v` when `u` is trained) and
  /// `Z_R ← Z_R + s (X_R X_Fᵀ) B`: two small `dgemm`s after the step's own.
  ///
  /// - Complexity: O(|F| n d) + O(|R| |F| (d + n)).
  public mutating func addOutputGradientCombination(_ x: Matrix, pass: Pass, coefficients v: [Double], scaledBy s: Double,
                                                    carrying z: inout Matrix, of rows: Matrix) {
    precondition(z.rows == rows.rows && z.columns == width && rows.columns == inputDimension,
                 "two-layer network: carried pre-activations are \(z.rows) × \(z.columns) for \(rows.rows) × \(rows.columns) rows")
    let b = addStep(x, pass: pass, coefficients: v, scaledBy: s)
    guard rows.rows > 0 else { return }
    let cross = BLAS.product(rows, .none, x, .transposed)  // X_R X_Fᵀ, |R| × |F|
    BLAS.gemm(cross, .none, b, .none, alpha: s, beta: 1, into: &z)
  }
}
