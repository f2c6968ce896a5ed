import LinearAlgebra

/// The two-layer ReLU network `N(x; θ) = Σ_j u_j σ(⟨w_j, x⟩)` (MATH.md §1).
///
/// With a fixed output layer, `u_j = +1/√n` for `j < ⌊n/2⌋` and `−1/√n`
/// otherwise, `θ = W` and `C = 1`; with a trained output layer `θ = [W, u]`
/// and `C = 2`. `σ'(z) = 1[z > 0]`.
public struct TwoLayerReLUNetwork: HomogeneousModel, Equatable {
  /// `W ∈ R^{n×d}`, rows `w_j` (the hidden units).
  public var hiddenWeights: Matrix
  /// `u ∈ R^n`, the output layer (stored even when fixed).
  public var outputWeights: [Double]
  /// Whether `u` is trained (part of θ).
  public let trainsOutputLayer: Bool

  /// Creates a network from its layers.
  ///
  /// - Parameters:
  ///   - hiddenWeights: `W`, `n × d`.
  ///   - outputWeights: `u`, length n.
  ///   - trainsOutputLayer: Whether `u` is trained (part of θ, C = 2) or fixed (C = 1).
  /// - Complexity: O(1).
  public init(hiddenWeights: Matrix, outputWeights: [Double], trainsOutputLayer: Bool) {
    precondition(outputWeights.count == hiddenWeights.rows, "two-layer network: u has \(outputWeights.count) entries, W has \(hiddenWeights.rows) rows")
    self.hiddenWeights = hiddenWeights
    self.outputWeights = outputWeights
    self.trainsOutputLayer = trainsOutputLayer
  }

  /// The fixed output layer (MATH.md §1.2): `u_j = +1/√n` for `j < ⌊n/2⌋`,
  /// `−1/√n` otherwise.
  ///
  /// - Complexity: O(n).
  public static func fixedOutputLayer(width n: Int) -> [Double] {
    let a = 1 / Double(n).squareRoot()
    return (0..<n).map { $0 < n / 2 ? a : -a }
  }

  /// `W` with entries `N(0, s²/d)`, and `u` fixed at `±1/√n` or, when trained, `N(0, s²/n)`
  /// (MATH.md §1.5), drawn from stream 2 of `seed`, `W` first.
  ///
  /// - Parameters:
  ///   - n: The width (hidden units).
  ///   - d: The input dimension.
  ///   - trainsOutputLayer: Whether `u` is trained.
  ///   - s: The init scale.
  ///   - seed: The seed.
  /// - Complexity: O(nd).
  public static func initialized(width n: Int, dimension d: Int, trainsOutputLayer: Bool,
                                 initScale s: Double, seed: UInt64) -> TwoLayerReLUNetwork {
    var rng = SeededGenerator(seed: seed, stream: 2)
    let w = Matrix(rows: n, columns: d, elements: rng.gaussians(n * d, standardDeviation: s / Double(d).squareRoot()))
    let u = trainsOutputLayer ? rng.gaussians(n, standardDeviation: s / Double(n).squareRoot()) : fixedOutputLayer(width: n)
    return TwoLayerReLUNetwork(hiddenWeights: w, outputWeights: u, trainsOutputLayer: trainsOutputLayer)
  }

  /// The width `n`.
  public var width: Int { hiddenWeights.rows }
  /// `.twoLayer(width: n, trainOutputLayer:)`.
  public var architecture: ModelArchitecture { .twoLayer(width: width, trainOutputLayer: trainsOutputLayer) }
  /// `C = 2` when `u` is trained, else 1.
  public var homogeneityDegree: Int { trainsOutputLayer ? 2 : 1 }
  /// `d`, the columns of `W`.
  public var inputDimension: Int { hiddenWeights.columns }

  /// `θ = W` (row-major, p = nd), or `[W, u]` (p = nd + n) when `u` is trained.
  ///
  /// - Complexity: O(p) (a new array).
  public var parameters: [Double] {
    trainsOutputLayer ? hiddenWeights.elements + outputWeights : hiddenWeights.elements
  }

  /// The network with `θ` split into `W` (and `u` when trained); a fixed `u` is kept.
  ///
  /// - Complexity: O(p).
  public func replacingParameters(_ theta: [Double]) -> TwoLayerReLUNetwork {
    let nd = hiddenWeights.elements.count
    precondition(theta.count == nd + (trainsOutputLayer ? width : 0), "two-layer network: θ has \(theta.count) entries")
    let w = Matrix(rows: width, columns: inputDimension, elements: Array(theta[0..<nd]))
    let u = trainsOutputLayer ? Array(theta[nd...]) : outputWeights
    return TwoLayerReLUNetwork(hiddenWeights: w, outputWeights: u, trainsOutputLayer: trainsOutputLayer)
  }

  /// `θ ← θ + s·v` for the trained parts.
  ///
  /// - Complexity: O(p).
  public mutating func addToParameters(_ v: [Double], scaledBy s: Double) {
    let nd = hiddenWeights.elements.count
    precondition(v.count == nd + (trainsOutputLayer ? width : 0), "two-layer network: update has \(v.count) entries")
    hiddenWeights.elements.withUnsafeMutableBufferPointer { w in
      v.withUnsafeBufferPointer { v in for k in 0..<nd { w[k] += s * v[k] } }
    }
    if trainsOutputLayer { for j in 0..<width { outputWeights[j] += s * v[nd + j] } }
  }

  /// `W ← s W` (and `u ← s u` when trained).
  ///
  /// - Complexity: O(p).
  public mutating func scaleParameters(by s: Double) {
    // Written into a new buffer in one pass: when W is shared (the step scales a copy of θ) this is one
    // pass instead of copy-on-write's copy and a second pass; the products are the same bits.
    let w = hiddenWeights.elements
    hiddenWeights.elements = [Double](unsafeUninitializedCapacity: w.count) { out, count in
      w.withUnsafeBufferPointer { w in for k in w.indices { out[k] = w[k] * s } }
      count = w.count
    }
    if trainsOutputLayer { for j in 0..<width { outputWeights[j] *= s } }
  }

  /// `Z = X Wᵀ` and `N(x_i) = Σ_j u_j σ(Z_ij)`.
  ///
  /// - Complexity: O(mnd).
  public func forward(_ x: Matrix) -> Pass {
    let z = BLAS.product(x, .none, hiddenWeights, .transposed)
    return Pass(outputs: Self.outputs(preactivations: z, outputWeights: outputWeights), preactivations: z)
  }

  /// `N(x_i) = Σ_j u_j σ(Z_ij)` from the pre-activations.
  static func outputs(preactivations z: Matrix, outputWeights u: [Double]) -> [Double] {
    let n = z.columns
    var out = [Double](repeating: 0, count: z.rows)
    z.elements.withUnsafeBufferPointer { zp in
      for i in 0..<z.rows {
        var s = 0.0
        for j in 0..<n { let v = zp[i * n + j]; if v > 0 { s += u[j] * v } }
        out[i] = s
      }
    }
    return out
  }

  /// `B_ij = v_i 1[Z_ij > 0] u_j`: a training step is `W += s Bᵀ X`.
  static func stepCoefficients(preactivations z: Matrix, coefficients v: [Double], outputWeights u: [Double]) -> Matrix {
    let m = z.rows, n = z.columns
    var b = Matrix(rows: m, columns: n)
    z.elements.withUnsafeBufferPointer { zp in
      b.elements.withUnsafeMutableBufferPointer { bp in
        for i in 0..<m where v[i] != 0 {
          for j in 0..<n where zp[i * n + j] > 0 { bp[i * n + j] = v[i] * u[j] }
        }
      }
    }
    return b
  }

  /// `θ`-shaped `[diag(u) Bᵀ X, Hᵀ a]`: row j of the W part is `u_j Σ_i B_ij x_i`,
  /// the u part (trained output layer only) `Σ_i a_i σ(Z_ij)`.
  private func combine(_ x: Matrix, _ b: Matrix, outputCoefficients a: [Double], z: Matrix) -> [Double] {
    var scaled = b  // B diag(u): m × n, cheaper to scale than the n × d product
    for i in 0..<b.rows { for j in 0..<width { scaled[i, j] *= outputWeights[j] } }
    let gw = BLAS.product(scaled, .transposed, x, .none)  // n × d
    guard trainsOutputLayer else { return gw.elements }
    var gu = [Double](repeating: 0, count: width)
    for i in 0..<x.rows where a[i] != 0 {
      for j in 0..<width { let v = z[i, j]; if v > 0 { gu[j] += a[i] * v } }
    }
    return gw.elements + gu
  }

  /// `Σ_i v_i ∇_θ N(x_i)` (MATH.md §1.4): `∇_{w_j} N = u_j σ'(⟨w_j,x⟩) x`,
  /// `∇_{u_j} N = σ(⟨w_j,x⟩)` (the `u` part only when trained).
  ///
  /// - Complexity: O(mnd).
  public func outputGradientCombination(_ x: Matrix, pass: Pass, coefficients v: [Double]) -> [Double] {
    let z = pass.preactivations
    var b = Matrix(rows: x.rows, columns: width)
    for i in 0..<x.rows where v[i] != 0 {
      for j in 0..<width where z[i, j] > 0 { b[i, j] = v[i] }
    }
    return combine(x, b, outputCoefficients: v, z: z)
  }

  /// `W ← W + s diag(u) Bᵀ X` with `B_ij = v_i 1[Z_ij > 0]` by one `dgemm` with β = 1
  /// (and `u ← u + s Hᵀ v` when `u` is trained): a training step without temporaries of size n·d.
  ///
  /// - Complexity: O(mnd).
  public mutating func addOutputGradientCombination(_ x: Matrix, pass: Pass, coefficients v: [Double], scaledBy s: Double) {
    addStep(x, pass: pass, coefficients: v, scaledBy: s)
  }

  /// ``addOutputGradientCombination(_:pass:coefficients:scaledBy:)``, returning its `B_ij = v_i 1[Z_ij > 0] u_j`.
  @discardableResult
  mutating func addStep(_ x: Matrix, pass: Pass, coefficients v: [Double], scaledBy s: Double) -> Matrix {
    let z = pass.preactivations
    let n = width
    let b = Self.stepCoefficients(preactivations: z, coefficients: v, outputWeights: outputWeights)
    BLAS.gemm(b, .transposed, x, .none, alpha: s, beta: 1, into: &hiddenWeights)
    if trainsOutputLayer {
      var gu = [Double](repeating: 0, count: n)
      for i in 0..<x.rows where v[i] != 0 {
        for j in 0..<n { let t = z[i, j]; if t > 0 { gu[j] += v[i] * t } }
      }
      BLAS.axpy(s, gu, &outputWeights)
    }
    return b
  }

  /// Splits a θ-shaped direction into its `W` part (n × d) and `u` part (n; zeros when u is fixed).
  private func splitDirection(_ v: [Double]) -> (Matrix, [Double]) {
    let nd = hiddenWeights.elements.count
    precondition(v.count == parameters.count, "two-layer network: direction has \(v.count) entries, expected \(parameters.count)")
    let dw = Matrix(rows: width, columns: inputDimension, elements: Array(v[0..<nd]))
    return (dw, trainsOutputLayer ? Array(v[nd...]) : [Double](repeating: 0, count: width))
  }

  /// `(J v)_i = Σ_j u_j σ'(Z_ij) ⟨V_j, x_i⟩ + Σ_j a_j σ(Z_ij)` for `v = [V, a]`
  /// (the `a` part only when u is trained), with `P = X Vᵀ` by one `dgemm`. Exact.
  ///
  /// - Complexity: O(mnd).
  public func outputDirectionalDerivatives(_ x: Matrix, pass: Pass, direction v: [Double]) -> [Double] {
    let z = pass.preactivations
    let (dw, a) = splitDirection(v)
    let p = BLAS.product(x, .none, dw, .transposed)  // m × n
    return (0..<x.rows).map { i in
      var s = 0.0
      for j in 0..<width where z[i, j] > 0 { s += outputWeights[j] * p[i, j] + a[j] * z[i, j] }
      return s
    }
  }

  /// `Σ_i c_i ∇²N(x_i) v`. With u fixed the outputs are piecewise linear in W, so
  /// this is 0; with u trained the only second derivatives are
  /// `∂²N/∂w_j∂u_j = σ'(Z_ij) x_i`, giving the W part `Σ_i c_i a_j σ'(Z_ij) x_i`
  /// and the u part `Σ_i c_i σ'(Z_ij) ⟨V_j, x_i⟩`. Exact (`σ'' = 0` away from kinks).
  ///
  /// - Complexity: O(mnd) with `u` trained; O(p) (a zero vector) otherwise.
  public func outputCurvatureCombination(_ x: Matrix, pass: Pass, direction v: [Double], coefficients c: [Double]) -> [Double] {
    guard trainsOutputLayer else { return [Double](repeating: 0, count: parameters.count) }
    let z = pass.preactivations
    let (dw, a) = splitDirection(v)
    let p = BLAS.product(x, .none, dw, .transposed)  // m × n
    var b = Matrix(rows: x.rows, columns: width)
    var gu = [Double](repeating: 0, count: width)
    for i in 0..<x.rows where c[i] != 0 {
      for j in 0..<width where z[i, j] > 0 {
        b[i, j] = c[i] * a[j]
        gu[j] += c[i] * p[i, j]
      }
    }
    return BLAS.product(b, .transposed, x, .none).elements + gu
  }

  /// Pairs with `|Z_ij| ≤ κ ‖w_j‖ ‖x_i‖` (MATH.md §4.6), in (example, unit) order; none when κ = 0.
  ///
  /// - Complexity: O(md + nd + mn).
  public func kinkBand(_ x: Matrix, pass: Pass, kappa: Double) -> KinkBand {
    guard kappa > 0 else { return .empty(kappa: kappa) }
    let z = pass.preactivations
    let unitNorms = (0..<width).map { BLAS.norm(hiddenWeights.row($0)) }
    var band = KinkBand(kappa: kappa)
    for i in 0..<x.rows {
      let xi = BLAS.norm(x.row(i))
      for j in 0..<width where abs(z[i, j]) <= kappa * unitNorms[j] * xi {
        band.examples.append(i)
        band.units.append(j)
      }
    }
    return band
  }

  /// The activation pattern `A` with band pairs set to 0.
  private func activations(_ z: Matrix, band: KinkBand) -> Matrix {
    var a = Matrix(rows: z.rows, columns: z.columns)
    for k in 0..<z.elements.count where z.elements[k] > 0 { a.elements[k] = 1 }
    for (i, j) in zip(band.examples, band.units) { a[i, j] = 0 }
    return a
  }

  /// The κ-audit QP (MATH.md §4):
  /// `G_λλ = (y yᵀ) ∘ (K ∘ (A D Aᵀ) + H Hᵀ)`, `G_{λ_i, μ_kj} = y_i y_k K_ik u_j² A_ij`,
  /// `G_{μ_ij, μ_kj'} = [j = j'] y_i y_k K_ik u_j²`, `c = J θ`, and `μ_ij ≤ λ_i`
  /// (MATH.md §4.6; with an empty band, the strict program of §4.3). With a band, the program carries
  /// its μ-blocks (one per unit with band pairs, `BoundedQuadraticProgram.dominatedBlocks`).
  ///
  /// - Complexity: O(m²n + (m + b)²) with `K` given, for b band pairs (the dense
  ///   `(m + b) × (m + b)` matrix dominates when the band is large).
  public func kktProgram(_ data: Dataset, pass: Pass, band: KinkBand, kernel k: Matrix) -> BoundedQuadraticProgram {
    let y = data.labels, m = data.count, n = width, p = band.count
    let z = pass.preactivations
    let a = activations(z, band: band)
    var ad = a
    for i in 0..<m { for j in 0..<n { ad[i, j] *= outputWeights[j] * outputWeights[j] } }
    var core = BLAS.product(ad, .none, a, .transposed)  // A D Aᵀ
    core = core.hadamard(k)
    if trainsOutputLayer {
      var h = z
      for t in 0..<h.elements.count { h.elements[t] = max(h.elements[t], 0) }
      BLAS.gemm(h, .none, h, .transposed, alpha: 1, beta: 1, into: &core)
    }
    let size = m + p
    var g = Matrix(rows: size, columns: size)
    for i in 0..<m { for l in 0..<m { g[i, l] = y[i] * y[l] * core[i, l] } }
    for (b, (kb, j)) in zip(band.examples, band.units).enumerated() {
      let uj2 = outputWeights[j] * outputWeights[j]
      for i in 0..<m where a[i, j] != 0 {
        let v = y[i] * y[kb] * k[i, kb] * uj2
        g[i, m + b] = v
        g[m + b, i] = v
      }
    }
    var pairsOfUnit = [[Int]](repeating: [], count: n)
    for (b, j) in band.units.enumerated() { pairsOfUnit[j].append(b) }
    for j in 0..<n where !pairsOfUnit[j].isEmpty {
      let uj2 = outputWeights[j] * outputWeights[j]
      for b1 in pairsOfUnit[j] {
        let i1 = band.examples[b1]
        for b2 in pairsOfUnit[j] {
          let i2 = band.examples[b2]
          g[m + b1, m + b2] = y[i1] * y[i2] * k[i1, i2] * uj2
        }
      }
    }
    var c = [Double](repeating: 0, count: size)
    for i in 0..<m {
      var s = 0.0
      for j in 0..<n {
        let v = z[i, j]
        if a[i, j] != 0 { s += outputWeights[j] * v }
        if trainsOutputLayer, v > 0 { s += outputWeights[j] * v }
      }
      c[i] = y[i] * s
    }
    for (b, (i, j)) in zip(band.examples, band.units).enumerated() {
      c[m + b] = y[i] * outputWeights[j] * z[i, j]
    }
    let parents: [Int?] = (0..<size).map { $0 < m ? nil : band.examples[$0 - m] }
    // The μ of different units do not interact: one block per unit with band pairs.
    let blocks = pairsOfUnit.filter { !$0.isEmpty }.map { $0.map { m + $0 } }
    return BoundedQuadraticProgram(hessian: g, linearTerm: c, parents: parents, dominatedBlocks: p > 0 ? blocks : nil)
  }

  /// `B_ij = y_i (λ_i A_ij + μ_ij)` for `i ∈ E`; row j of the W part `u_j Σ_i B_ij x_i`,
  /// u part `Σ_{i∈E} λ_i y_i σ(Z_ij)` (MATH.md §5, decomposition step).
  ///
  /// - Complexity: O(mnd + b) for b band pairs.
  public func decompositionCombination(_ data: Dataset, pass: Pass, band: KinkBand,
                                       multipliers: [Double], kinkShares: [Double], examples: Set<Int>?) -> [Double] {
    let z = pass.preactivations
    let a = activations(z, band: band)
    let y = data.labels
    var b = Matrix(rows: data.count, columns: width)
    var outputCoefficients = [Double](repeating: 0, count: data.count)
    for i in 0..<data.count where examples?.contains(i) ?? true {
      outputCoefficients[i] = multipliers[i] * y[i]
      for j in 0..<width where a[i, j] != 0 { b[i, j] = y[i] * multipliers[i] }
    }
    for (t, (i, j)) in zip(band.examples, band.units).enumerated() where examples?.contains(i) ?? true {
      b[i, j] += y[i] * kinkShares[t]
    }
    return combine(data.features, b, outputCoefficients: outputCoefficients, z: z)
  }
}

extension TwoLayerReLUNetwork: KernelSpaceTrainable {
  /// With a fixed output layer and `4m ≤ d`: `W − W₀` stays in the row space of X
  /// (``KernelSpaceSteps``), and `O(m² n)` per step beats `O(m n d)`.
  ///
  /// - Complexity: O(1).
  public func trainsInKernelSpace(examples m: Int, dimension d: Int) -> Bool {
    !trainsOutputLayer && 4 * m <= d
  }

  /// ``KernelSpaceSteps`` from this network on `x`.
  ///
  /// - Complexity: O(m n d + m² d) (the first `Z = X Wᵀ` and `K = X Xᵀ`).
  public func kernelSpaceSteps(on x: Matrix) -> KernelSpaceSteps {
    precondition(!trainsOutputLayer, "kernel-space steps need a fixed output layer")
    return KernelSpaceSteps(self, x: x)
  }
}
