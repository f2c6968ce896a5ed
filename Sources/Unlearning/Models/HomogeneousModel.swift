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
/// regularised Hessian), ``MaxMarginSolvable`` (an exact max-margin oracle),
/// ``StrictAuditOnly`` (no kink band) and ``KinkProjectable`` (a witness on the
/// exact kinks).
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

  /// The homogeneity degree `C`: 1 (linear; two-layer with fixed `u`), 2
  /// (two-layer with trained `u`), `L + 1` (deep) (MATH.md §1.2).
  var homogeneityDegree: Int { get }
  /// The input dimension `d`.
  var inputDimension: Int { get }
  /// `θ`, the trained parameters flattened row-major (MATH.md §1.3); a fixed
  /// output layer is not part of it. Its length is p.
  var parameters: [Double] { get }
  /// The same architecture with parameters `θ` (a fixed output layer kept).
  ///
  /// - Parameter theta: The new θ, length p.
  /// - Complexity: O(p).
  func replacingParameters(_ theta: [Double]) -> Self
  /// The update `θ ← θ + s·v`, in place.
  ///
  /// - Parameters:
  ///   - v: A θ-shaped direction, length p.
  ///   - s: The factor.
  /// - Complexity: O(p).
  mutating func addToParameters(_ v: [Double], scaledBy s: Double)
  /// The update `θ ← s θ` (a fixed output layer kept): no θ-sized temporary; a model copied from another
  /// pays one copy-on-write of its storage, or (the two-layer network) writes the scaled values into new
  /// storage in one pass.
  ///
  /// - Parameter s: The factor.
  /// - Complexity: O(p).
  mutating func scaleParameters(by s: Double)

  /// The forward pass over the rows of `x`: outputs `N(x_i; θ)` and what the
  /// gradients, the kink band and the Gram matrix reuse.
  ///
  /// - Parameter x: The inputs `X`, `m × d`.
  /// - Complexity: O(m p) for the linear, two-layer and deep models (one
  ///   product per weight layer).
  func forward(_ x: Matrix) -> Pass
  /// The combination of output gradients (MATH.md §1.4)
  ///
  ///     Jᵀv = Σ_i v_i ∇_θ N(x_i; θ)
  ///
  /// with `σ'(z) = 1[z > 0]`, without forming the `m × p` Jacobian `J` (here
  /// without the labels: `∇L = Jᵀ(ℓ'(q) ∘ y)`).
  ///
  /// - Parameters:
  ///   - x: The inputs `X`, `m × d`, of `pass`.
  ///   - pass: The forward pass of this model on `x`.
  ///   - v: One coefficient per example, length m.
  /// - Returns: A θ-shaped vector, length p.
  /// - Complexity: O(m p).
  func outputGradientCombination(_ x: Matrix, pass: Pass, coefficients v: [Double]) -> [Double]

  /// The (example, unit) pairs on the ReLU kink at relative tolerance `κ` (MATH.md §4.6):
  /// `|Z_ij| ≤ κ ‖w_j‖ ‖x_i‖`, in (example, unit) order; empty when κ = 0, for
  /// the linear model and for ``StrictAuditOnly`` models.
  ///
  /// - Parameters:
  ///   - x: The inputs `X`, `m × d`, of `pass`.
  ///   - pass: The forward pass of this model on `x`.
  ///   - kappa: The relative tolerance κ ≥ 0.
  /// - Complexity: O(md + nd + mn) for a two-layer network, O(1) for the others.
  func kinkBand(_ x: Matrix, pass: Pass, kappa: Double) -> KinkBand
  /// The κ-audit's quadratic program on `data` at `θ`: variables `λ_1..λ_m`
  /// then one `μ` per band pair, Gram matrix from `K = X Xᵀ` (given), `A`, `u`
  /// without forming `J`.
  ///
  /// The program is that of MATH.md §4.2–4.3 (strict) and §4.6 (κ-band):
  /// `minimise ½ zᵀGz − cᵀz` over `z = (λ, μ) ≥ 0`, `μ_ij ≤ λ_i`, with
  /// `G = J Jᵀ` (labels folded in) and `c = J θ`.
  ///
  /// - Parameters:
  ///   - data: The data set S the model is audited on.
  ///   - pass: The forward pass of this model on `data.features`.
  ///   - band: The kink band (from ``kinkBand(_:pass:kappa:)``), empty for the strict program.
  ///   - kernel: `K = X Xᵀ` of `data`, `m × m`.
  /// - Returns: A program in `m + band.count` variables.
  /// - Complexity: With `K` given: O(m²) (linear); O(m²n + (m + b)²) for a
  ///   two-layer network with b band pairs; O(m² Σ_l n_l + m Σ_{l≥2} n_l n_{l−1})
  ///   for a deep network.
  func kktProgram(_ data: Dataset, pass: Pass, band: KinkBand, kernel: Matrix) -> BoundedQuadraticProgram
  /// The update `θ ← θ + s Σ_i v_i ∇_θ N(x_i; θ)`, in place: one training step
  /// (MATH.md §2.3) without a θ-sized temporary.
  ///
  /// - Parameters:
  ///   - x: The inputs `X`, `m × d`, of `pass`.
  ///   - pass: The forward pass of this model on `x` (before the update).
  ///   - v: One coefficient per example, length m.
  ///   - s: The step factor.
  /// - Complexity: O(m p).
  mutating func addOutputGradientCombination(_ x: Matrix, pass: Pass, coefficients v: [Double], scaledBy s: Double)

  /// `Σ_{i∈E} y_i (λ_i ∇_θ N(x_i; θ)|_{A} + Σ_j μ_ij ∂_{w_j})`, the decomposition
  /// of MATH.md §4–5 restricted to the examples `E` (all when `nil`): band pairs
  /// carry `σ' = 0` in `A` and their share through `μ`.
  ///
  /// With `E = S` this is `θ̂ − R`, R the audit's residual (MATH.md §4.4); with
  /// `E = F` it is the forget set's share that the decomposition step of
  /// MATH.md §5 subtracts.
  ///
  /// - Parameters:
  ///   - data: The audited data set.
  ///   - pass: The forward pass of this model on `data.features`.
  ///   - band: The band of the audit.
  ///   - multipliers: `λ`, one per example.
  ///   - kinkShares: `μ`, one per band pair.
  ///   - examples: The examples `E` to include; `nil` for all.
  /// - Returns: A θ-shaped vector, length p.
  /// - Complexity: O(m p) (plus O(b) for b band pairs).
  func decompositionCombination(_ data: Dataset, pass: Pass, band: KinkBand,
                                multipliers: [Double], kinkShares: [Double], examples: Set<Int>?) -> [Double]

  /// Examples whose output and whole gradient vanish (default: none; see the extension).
  ///
  /// - Complexity: O(m Σ_l n_l) for a deep network, O(1) otherwise.
  func deadExamples(_ x: Matrix, pass: Pass) -> [Int]
  /// `J v`: the directional derivatives `⟨∇_θ N(x_i; θ), v⟩`, one per row of `x`
  /// (forward mode; with `σ'(z) = 1[z > 0]`). The default differentiates the
  /// outputs numerically; architectures override it with the exact product.
  ///
  /// - Parameters:
  ///   - x: The inputs `X`, `m × d`, of `pass`.
  ///   - pass: The forward pass of this model on `x`.
  ///   - v: A θ-shaped direction, length p.
  /// - Returns: `J v`, length m.
  /// - Complexity: O(m p).
  func outputDirectionalDerivatives(_ x: Matrix, pass: Pass, direction v: [Double]) -> [Double]
  /// `Σ_i c_i ∇²_θ N(x_i; θ) v`: the curvature of the outputs along `v`
  /// (`σ'' = 0` away from kinks). The default differentiates
  /// ``outputGradientCombination(_:pass:coefficients:)`` numerically;
  /// architectures override it with the exact product.
  ///
  /// Needed by the Newton baseline's Hessian-vector products (MATH.md §9.6).
  ///
  /// - Parameters:
  ///   - x: The inputs `X`, `m × d`, of `pass`.
  ///   - pass: The forward pass of this model on `x`.
  ///   - v: A θ-shaped direction, length p.
  ///   - c: One coefficient per example, length m.
  /// - Returns: A θ-shaped vector, length p.
  /// - Complexity: O(m p).
  func outputCurvatureCombination(_ x: Matrix, pass: Pass, direction v: [Double], coefficients c: [Double]) -> [Double]
}

extension HomogeneousModel {
  /// The step `h` of the central differences below: `10⁻⁵ max(‖θ‖, 1) / ‖v‖`, so the
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

  /// `J v` by central differences of the outputs, `(N(θ + hv) − N(θ − hv)) / 2h`
  /// with `h = 10⁻⁵ max(‖θ‖, 1)/‖v‖` (MATH.md §1.4; exact for C ≤ 2 inside a
  /// linear region). Zero for `v = 0`.
  ///
  /// - Complexity: Two forward passes, O(m p).
  public func outputDirectionalDerivatives(_ x: Matrix, pass: Pass, direction v: [Double]) -> [Double] {
    let h = differenceStep(v)
    guard h > 0 else { return [Double](repeating: 0, count: x.rows) }
    var plus = self, minus = self
    plus.addToParameters(v, scaledBy: h)
    minus.addToParameters(v, scaledBy: -h)
    return zip(plus.outputs(x), minus.outputs(x)).map { ($0 - $1) / (2 * h) }
  }

  /// `Σ_i c_i ∇²N(x_i) v` by central differences of `Σ_i c_i ∇N(x_i)`, with the
  /// step of ``outputDirectionalDerivatives(_:pass:direction:)`` (exact for C ≤ 2
  /// inside a linear region). Zero for `v = 0`.
  ///
  /// - Complexity: Two forward passes and two gradient combinations, O(m p).
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
  ///
  /// - Complexity: O(1).
  public func deadExamples(_ x: Matrix, pass: Pass) -> [Int] { [] }

  /// The KKT program of ``kktProgram(_:pass:band:kernel:)`` with `K = X Xᵀ` computed here.
  ///
  /// - Complexity: O(m²d) for `K`, plus that of the model's program.
  public func kktProgram(_ data: Dataset, pass: Pass, band: KinkBand) -> BoundedQuadraticProgram {
    kktProgram(data, pass: pass, band: band, kernel: BLAS.rowGram(data.features))
  }

  /// The Euclidean norm `‖θ‖` of the trained parameters (MATH.md §1.3).
  ///
  /// - Complexity: O(p).
  public var parameterNorm: Double { BLAS.norm(parameters) }

  /// The outputs `N(x_i; θ)` of the rows of `x`.
  ///
  /// - Complexity: One forward pass, O(m p).
  public func outputs(_ x: Matrix) -> [Double] { forward(x).outputs }

  /// The margins `q_i(θ) = y_i N(x_i; θ)` (MATH.md §1.3); the model interpolates
  /// `data` when all are positive.
  ///
  /// - Complexity: One forward pass, O(m p).
  public func margins(on data: Dataset) -> [Double] {
    zip(data.labels, outputs(data.features)).map { $0 * $1 }
  }

  /// The model with parameters `sθ`; its outputs are `s^C` times this model's.
  ///
  /// - Complexity: O(p).
  public func scaled(by s: Double) -> Self {
    var scaled = self
    scaled.scaleParameters(by: s)
    return scaled
  }

  /// The gradient of the summed loss (MATH.md §2.1):
  ///
  ///     ∇_θ L = Σ_i ℓ'(q_i) y_i ∇_θ N(x_i; θ)
  ///
  /// - Parameters:
  ///   - data: The data set S (or a subset such as `S∖F`).
  ///   - loss: The margin loss ℓ.
  /// - Returns: A θ-shaped vector, length p.
  /// - Complexity: One forward pass and one gradient combination, O(m p).
  public func lossGradient(on data: Dataset, loss: Loss) -> [Double] {
    let pass = forward(data.features)
    let coefficients = (0..<data.count).map { i in
      loss.derivative(data.labels[i] * pass.outputs[i]) * data.labels[i]
    }
    return outputGradientCombination(data.features, pass: pass, coefficients: coefficients)
  }
}
