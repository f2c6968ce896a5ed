import LinearAlgebra

/// A bias-free model `N(x; θ)`, positively homogeneous of degree `C`:
/// `N(x; sθ) = s^C N(x; θ)` for `s > 0` (MATH.md §1).
///
/// This protocol is the seam between architectures and everything downstream
/// (training, the KKT audit, unlearning): it exposes only what MATH.md needs.
/// `θ` is always the flattened vector of the *trained* parameters.
///
/// Each model declares its own forward pass (``Pass``), its architecture and
/// file layout (MATH.md §8). Architecture-specific fast paths are opt-in
/// protocols a model adopts: ``KernelSpaceTrainable`` (training steps in the
/// span of the data), ``WoodburyInvertible`` (closed-form inverse of the
/// regularised Hessian), ``MaxMarginSolvable`` (an exact max-margin oracle)
/// and ``StrictAuditOnly`` (no kink band).
public protocol HomogeneousModel: Sendable {
  /// What one forward pass over the rows of `X` keeps: the outputs and what the gradients reuse.
  associatedtype Pass: ModelPass

  /// The architecture, as a model file records it (MATH.md §8).
  var architecture: ModelArchitecture { get }
  /// The named tensors of the model file (MATH.md §8), e.g. `w`; `W`, `u`; `W1…WL`, `v`.
  ///
  /// - Complexity: O(p), a copy of the parameters.
  func tensors() -> [String: SafetensorsTensor]
  /// The model in the tensors of a model file, with the file's `__metadata__`
  /// for architecture keys such as `train_output_layer` and `depth`.
  ///
  /// - Complexity: O(p).
  /// - Throws: ``FileFormatError`` (`.invalidContents`, no file name yet) for a
  ///   missing or unexpected tensor, a shape that does not fit the architecture,
  ///   a non-finite value, or an architecture key that contradicts the tensors.
  init(tensors: [String: SafetensorsTensor], metadata: [String: String]) throws

  /// The homogeneity degree `C`.
  var homogeneityDegree: Int { get }
  /// The input dimension `d`.
  var inputDimension: Int { get }
  /// `θ`, the trained parameters flattened row-major (MATH.md §1).
  var parameters: [Double] { get }
  /// The same architecture with parameters `θ`.
  func replacingParameters(_ theta: [Double]) -> Self
  /// `θ ← θ + s·v` in place.
  mutating func addToParameters(_ v: [Double], scaledBy s: Double)

  /// Outputs `N(x_i; θ)` of the rows of `x`, and what the gradients need.
  func forward(_ x: Matrix) -> Pass
  /// `Σ_i v_i ∇_θ N(x_i; θ)` with `σ'(z) = 1[z > 0]` (`Jᵀv` up to the labels).
  func outputGradientCombination(_ x: Matrix, pass: Pass, coefficients v: [Double]) -> [Double]

  /// The (example, unit) pairs on the ReLU kink at relative tolerance `κ` (MATH.md §4, "Kinks").
  func kinkBand(_ x: Matrix, pass: Pass, kappa: Double) -> KinkBand
  /// The κ-audit's quadratic program on `data` at `θ`: variables `λ_1..λ_m`
  /// then one `μ` per band pair, Gram matrix from `K = X Xᵀ` (given), `A`, `u`
  /// without forming `J`.
  func kktProgram(_ data: Dataset, pass: Pass, band: KinkBand, kernel: Matrix) -> BoundedQuadraticProgram
  /// `θ ← θ + s Σ_i v_i ∇_θ N(x_i; θ)` in place (one training step without temporaries).
  mutating func addOutputGradientCombination(_ x: Matrix, pass: Pass, coefficients v: [Double], scaledBy s: Double)

  /// `Σ_{i∈E} y_i (λ_i ∇_θ N(x_i; θ)|_{A} + Σ_j μ_ij ∂_{w_j})`, the decomposition
  /// of MATH.md §4–5 restricted to the examples `E` (all when `nil`): band pairs
  /// carry `σ' = 0` in `A` and their share through `μ`.
  func decompositionCombination(_ data: Dataset, pass: Pass, band: KinkBand,
                                multipliers: [Double], kinkShares: [Double], examples: Set<Int>?) -> [Double]

  /// Examples whose output and whole gradient vanish (default: none; see the extension).
  func deadExamples(_ x: Matrix, pass: Pass) -> [Int]
  /// `J v`: the directional derivatives `⟨∇_θ N(x_i; θ), v⟩`, one per row of `x`
  /// (forward mode; with `σ'(z) = 1[z > 0]`). The default differentiates the
  /// outputs numerically; architectures override it with the exact product.
  func outputDirectionalDerivatives(_ x: Matrix, pass: Pass, direction v: [Double]) -> [Double]
  /// `Σ_i c_i ∇²_θ N(x_i; θ) v`: the curvature of the outputs along `v`
  /// (`σ'' = 0` away from kinks). The default differentiates
  /// ``outputGradientCombination(_:pass:coefficients:)`` numerically;
  /// architectures override it with the exact product.
  func outputCurvatureCombination(_ x: Matrix, pass: Pass, direction v: [Double], coefficients c: [Double]) -> [Double]
}

extension HomogeneousModel {
  /// The step `h` of the central differences below: `10⁻⁵ ‖θ‖ / ‖v‖`, so the
  /// move is small relative to θ (the outputs are polynomials of degree C
  /// along a line inside a linear region, so the O(h²) error is that small).
  /// Limit: a pre-activation within about `h` times its rate of change of a kink
  /// is crossed, and the difference then mixes two linear regions (a gradient
  /// jump divided by 2h); architectures with many such pairs should override the
  /// two products with exact ones, as the linear and two-layer models do.
  private func differenceStep(_ v: [Double]) -> Double {
    let nv = BLAS.norm(v)
    guard nv > 0 else { return 0 }
    return 1e-5 * Swift.max(parameterNorm, 1) / nv
  }

  /// `J v` by central differences of the outputs (exact for C ≤ 2 inside a linear region).
  public func outputDirectionalDerivatives(_ x: Matrix, pass: Pass, direction v: [Double]) -> [Double] {
    let h = differenceStep(v)
    guard h > 0 else { return [Double](repeating: 0, count: x.rows) }
    var plus = self, minus = self
    plus.addToParameters(v, scaledBy: h)
    minus.addToParameters(v, scaledBy: -h)
    return zip(plus.outputs(x), minus.outputs(x)).map { ($0 - $1) / (2 * h) }
  }

  /// `Σ_i c_i ∇²N(x_i) v` by central differences of `Σ_i c_i ∇N(x_i)` (exact for C ≤ 2 inside a linear region).
  public func outputCurvatureCombination(_ x: Matrix, pass: Pass, direction v: [Double], coefficients c: [Double]) -> [Double] {
    let h = differenceStep(v)
    guard h > 0 else { return [Double](repeating: 0, count: parameters.count) }
    var plus = self, minus = self
    plus.addToParameters(v, scaledBy: h)
    minus.addToParameters(v, scaledBy: -h)
    let gp = plus.outputGradientCombination(x, pass: plus.forward(x), coefficients: c)
    let gm = minus.outputGradientCombination(x, pass: minus.forward(x), coefficients: c)
    return zip(gp, gm).map { ($0 - $1) / (2 * h) }
  }
}

extension HomogeneousModel {
  /// Examples whose output and whole gradient vanish, so that their own loss
  /// cannot move them (a deep network with every unit of some layer dead for
  /// them; only the other examples' updates of earlier layers can revive them).
  /// None for the linear and two-layer models: their training fails on such
  /// examples through the loss, not silently.
  public func deadExamples(_ x: Matrix, pass: Pass) -> [Int] { [] }

  /// The KKT program with `K = X Xᵀ` computed here.
  public func kktProgram(_ data: Dataset, pass: Pass, band: KinkBand) -> BoundedQuadraticProgram {
    kktProgram(data, pass: pass, band: band, kernel: BLAS.rowGram(data.features))
  }

  /// `‖θ‖`.
  public var parameterNorm: Double { BLAS.norm(parameters) }

  /// Outputs `N(x_i; θ)`.
  public func outputs(_ x: Matrix) -> [Double] { forward(x).outputs }

  /// Margins `q_i(θ) = y_i N(x_i; θ)`.
  public func margins(on data: Dataset) -> [Double] {
    zip(data.labels, outputs(data.features)).map { $0 * $1 }
  }

  /// `sθ` as a model.
  public func scaled(by s: Double) -> Self {
    replacingParameters(parameters.map { $0 * s })
  }

  /// `∇_θ L = Σ_i ℓ'(q_i) y_i ∇_θ N(x_i; θ)` (MATH.md §2), the gradient of the summed loss.
  public func lossGradient(on data: Dataset, loss: Loss) -> [Double] {
    let pass = forward(data.features)
    let coefficients = (0..<data.count).map { i in
      loss.derivative(data.labels[i] * pass.outputs[i]) * data.labels[i]
    }
    return outputGradientCombination(data.features, pass: pass, coefficients: coefficients)
  }
}
