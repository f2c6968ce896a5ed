import LinearAlgebra

/// Training steps of a two-layer network with a fixed output layer carried out
/// in the span of the data, for `m ≪ d`.
///
/// A gradient step `W ← W + s·Bᵀ X` (`B_ij = v_i 1[Z_ij > 0] u_j`) keeps
/// `W − W₀` in the row space of X, so the iterate is `W = W₀ + Cᵀ X` with an
/// `m × n` matrix C, and the pre-activations follow without touching W:
/// `Z ← Z + s·K B` with `K = X Xᵀ`. A step then costs `O(m² n)` instead of the
/// explicit `O(m n d)`; W is formed (and Z recomputed from it, which also
/// removes any drift) only when the trainer needs the model: at audits and at
/// the end. Mathematically the same iterates; the rounding differs.
///
/// - Complexity: O(m² d + m n d) to start (`K` and the first `Z`), O(m² n) per
///   step, O(m n d) to form W.
public struct KernelSpaceSteps: TrainingSteps {
  let x: Matrix
  let kernel: Matrix
  let outputWeights: [Double]
  private var base: TwoLayerReLUNetwork
  private var coefficients: Matrix  // C, m × n
  private var z: Matrix             // X Wᵀ, m × n
  private var pending = false

  /// Whether the kernel-space steps apply to `model` and are cheaper on `m` examples in dimension `d`
  /// (``KernelSpaceTrainable/trainsInKernelSpace(examples:dimension:)``; `false` for models that do not adopt it).
  ///
  /// - Complexity: O(1).
  public static func applies(to model: any HomogeneousModel, examples m: Int, dimension d: Int) -> Bool {
    guard let fast = model as? any KernelSpaceTrainable else { return false }
    return fast.trainsInKernelSpace(examples: m, dimension: d)
  }

  /// The steps a training run from `model` takes on `x`, when ``applies(to:examples:dimension:)``.
  ///
  /// - Parameters:
  ///   - model: The initial model of the run.
  ///   - x: The training inputs `X`, `m × d`.
  /// - Returns: The steps, or `nil` when the model trains with ordinary steps.
  /// - Complexity: O(m² d + m n d) when they apply (`K = X Xᵀ` and the first
  ///   `Z`), O(1) otherwise.
  public static func steps<M: HomogeneousModel>(for model: M, on x: Matrix) -> (any TrainingSteps<M>)? {
    guard let fast = model as? any KernelSpaceTrainable,
          fast.trainsInKernelSpace(examples: x.rows, dimension: x.columns) else { return nil }
    return fast.kernelSpaceSteps(on: x) as? any TrainingSteps<M>
  }

  init(_ network: TwoLayerReLUNetwork, x: Matrix) {
    self.x = x
    self.kernel = BLAS.rowGram(x)
    self.outputWeights = network.outputWeights
    self.base = network
    self.coefficients = Matrix(rows: x.rows, columns: network.width)
    self.z = BLAS.product(x, .none, network.hiddenWeights, .transposed)
  }

  /// The forward pass of the current iterate, from the tracked `Z` (W is not formed).
  ///
  /// - Complexity: O(mn).
  public func pass() -> TwoLayerReLUNetwork.Pass {
    TwoLayerReLUNetwork.Pass(outputs: TwoLayerReLUNetwork.outputs(preactivations: z, outputWeights: outputWeights), preactivations: z)
  }

  /// `θ ← θ + s Σ_i v_i ∇_θ N(x_i)` as `C += s B`, `Z += s K B` with
  /// `B_ij = v_i 1[Z_ij > 0] u_j` (MATH.md §2.3, kernel-space steps).
  ///
  /// - Parameters:
  ///   - v: One coefficient per example, length m.
  ///   - s: The step factor.
  /// - Complexity: O(m² n).
  public mutating func step(coefficients v: [Double], scaledBy s: Double) {
    let b = TwoLayerReLUNetwork.stepCoefficients(preactivations: z, coefficients: v, outputWeights: outputWeights)
    BLAS.gemm(kernel, .none, b, .none, alpha: s, beta: 1, into: &z)
    coefficients.elements.withUnsafeMutableBufferPointer { cp in
      b.elements.withUnsafeBufferPointer { bp in for k in 0..<cp.count { cp[k] += s * bp[k] } }
    }
    pending = true
  }

  /// The current iterate as a network (`W = W₀ + Cᵀ X`); restarts the accumulation
  /// from it, recomputing `Z = X Wᵀ` to remove drift.
  ///
  /// - Complexity: O(mnd) after a step, O(1) when nothing changed since the last call.
  public mutating func model() -> TwoLayerReLUNetwork {
    guard pending else { return base }
    BLAS.gemm(coefficients, .transposed, x, .none, alpha: 1, beta: 1, into: &base.hiddenWeights)
    coefficients = Matrix(rows: coefficients.rows, columns: coefficients.columns)
    z = BLAS.product(x, .none, base.hiddenWeights, .transposed)
    pending = false
    return base
  }
}
