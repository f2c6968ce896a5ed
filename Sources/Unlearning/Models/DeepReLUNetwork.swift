import Foundation
import LinearAlgebra

/// The bias-free deep ReLU network with `L` hidden layers (MATH.md §1):
///
///     N(x; θ) = vᵀ σ(W_L σ(W_{L−1} … σ(W_1 x)))
///
/// `W_1 ∈ R^{n_1×d}`, `W_l ∈ R^{n_l×n_{l−1}}`, `v ∈ R^{n_L}`, every layer
/// trained: `θ = [W_1, …, W_L, v]` flattened row-major, homogeneous of degree
/// `C = L + 1`. `σ'(z) = 1[z > 0]`. With `L = 1` it is the two-layer network
/// with a trained output layer (same θ, same outputs and gradients).
///
/// Notation of the Gram form (MATH.md §4; open question 3, MATH.md §14): `A_{l−1}` (`m × n_{l−1}`)
/// holds the activations entering weight layer `l` (`A_0 = X`, `A_l = σ(Z_l)`),
/// `B_l` (`m × n_l`) the gradients of the output w.r.t. layer l's pre-activations
/// `Z_l = A_{l−1} W_lᵀ`, one row per example:
/// `B_L = 1[Z_L > 0] diag(v)`, `B_l = (B_{l+1} W_{l+1}) ∘ 1[Z_l > 0]`; the output
/// layer `v` (layer `L+1`) has `B_{L+1} = 1` (a column of ones). Then
/// `∇_{W_l} N(x_i) = B_l[i]ᵀ A_{l−1}[i]` (outer product), `∇_v N(x_i) = A_L[i]`, and
///
///     G = (y yᵀ) ∘ Σ_{l=1}^{L+1} (B_l B_lᵀ) ∘ (A_{l−1} A_{l−1}ᵀ)
///
/// without forming the `m × p` Jacobian.
///
/// The kink band is always empty: with `σ'` free per (example, unit) pair in
/// every layer the residual is multilinear across layers (a pair's subgradient
/// in layer l multiplies those of the layers above it in `B_l`), so the κ-band
/// audit is no longer a convex QP, only a relaxation. The deep network offers
/// the strict audit (κ = 0) and says so (MATH.md §1).
public struct DeepReLUNetwork: HomogeneousModel, StrictAuditOnly, Equatable {
  /// `W_1, …, W_L`; `W_l` is `n_l × n_{l−1}` (`n_0 = d`).
  public var layers: [Matrix]
  /// `v ∈ R^{n_L}`.
  public var outputWeights: [Double]

  /// Creates a network from its layers.
  ///
  /// - Parameters:
  ///   - layers: `W_1, …, W_L`, at least one; `W_{l+1}` has as many columns as `W_l` has rows.
  ///   - outputWeights: `v`, as long as `W_L` has rows.
  /// - Complexity: O(L).
  public init(layers: [Matrix], outputWeights: [Double]) {
    precondition(!layers.isEmpty, "deep network: at least one hidden layer")
    for l in 1..<layers.count {
      precondition(layers[l].columns == layers[l - 1].rows,
                   "deep network: W\(l + 1) has \(layers[l].columns) columns, W\(l) has \(layers[l - 1].rows) rows")
    }
    precondition(outputWeights.count == layers.last!.rows,
                 "deep network: v has \(outputWeights.count) entries, W\(layers.count) has \(layers.last!.rows) rows")
    self.layers = layers
    self.outputWeights = outputWeights
  }

  /// `L` hidden layers of width `n`: layer l's weights `N(0, s²/fan_in)` (fan-in `d`
  /// for `W_1`, `n` for `W_2…W_L` and for `v`), drawn in the order `W_1, …, W_L, v`
  /// from one stream of `seed`. At `L = 1` this draws exactly what
  /// ``TwoLayerReLUNetwork/initialized(width:dimension:trainsOutputLayer:initScale:seed:)`` draws with a trained output layer
  /// (MATH.md §1.5).
  ///
  /// - Parameters:
  ///   - depth: L ≥ 1.
  ///   - n: The width of every hidden layer.
  ///   - d: The input dimension.
  ///   - s: The init scale (1 in the deep recipe, MATH.md §13).
  ///   - seed: The seed (stream 2).
  /// - Complexity: O(p) = O(nd + (L − 1)n² + n).
  public static func initialized(depth: Int, width n: Int, dimension d: Int, initScale s: Double, seed: UInt64) -> DeepReLUNetwork {
    precondition(depth >= 1 && n >= 1 && d >= 1, "deep network: depth, width and dimension must be at least 1")
    var rng = SeededGenerator(seed: seed, stream: 2)
    var layers: [Matrix] = []
    for l in 0..<depth {
      let fanIn = l == 0 ? d : n
      layers.append(Matrix(rows: n, columns: fanIn,
                           elements: rng.gaussians(n * fanIn, standardDeviation: s / Double(fanIn).squareRoot())))
    }
    let v = rng.gaussians(n, standardDeviation: s / Double(n).squareRoot())
    return DeepReLUNetwork(layers: layers, outputWeights: v)
  }

  /// `L`, the number of hidden layers.
  public var depth: Int { layers.count }
  /// `n_1, …, n_L`.
  ///
  /// - Complexity: O(L).
  public var widths: [Int] { layers.map(\.rows) }
  /// `.deep(depth: L, width: n_1)` (a file records every layer's width in its tensors).
  public var architecture: ModelArchitecture { .deep(depth: depth, width: widths[0]) }
  /// `C = L + 1`.
  public var homogeneityDegree: Int { depth + 1 }
  /// `d`, the columns of `W_1`.
  public var inputDimension: Int { layers[0].columns }

  /// `θ = [W_1, …, W_L, v]`, each flattened row-major.
  ///
  /// - Complexity: O(p) (a new array).
  public var parameters: [Double] {
    var theta: [Double] = []
    theta.reserveCapacity(layers.reduce(outputWeights.count) { $0 + $1.elements.count })
    for w in layers { theta += w.elements }
    return theta + outputWeights
  }

  /// The network with `θ` split into `W_1, …, W_L, v`.
  ///
  /// - Complexity: O(p).
  public func replacingParameters(_ theta: [Double]) -> DeepReLUNetwork {
    precondition(theta.count == parameters.count, "deep network: θ has \(theta.count) entries, expected \(parameters.count)")
    var offset = 0
    var result = self
    for l in 0..<depth {
      let c = layers[l].elements.count
      result.layers[l].elements = Array(theta[offset..<(offset + c)])
      offset += c
    }
    result.outputWeights = Array(theta[offset...])
    return result
  }

  /// `θ ← θ + s·v`, layer by layer.
  ///
  /// - Complexity: O(p).
  public mutating func addToParameters(_ v: [Double], scaledBy s: Double) {
    var offset = 0
    for l in 0..<depth {
      let c = layers[l].elements.count
      layers[l].elements.withUnsafeMutableBufferPointer { w in
        v.withUnsafeBufferPointer { v in for k in 0..<c { w[k] += s * v[offset + k] } }
      }
      offset += c
    }
    precondition(v.count == offset + outputWeights.count, "deep network: update has \(v.count) entries")
    for j in 0..<outputWeights.count { outputWeights[j] += s * v[offset + j] }
  }

  /// `θ ← s θ`, layer by layer.
  ///
  /// - Complexity: O(p).
  public mutating func scaleParameters(by s: Double) {
    for l in 0..<depth {
      layers[l].elements.withUnsafeMutableBufferPointer { w in for k in w.indices { w[k] *= s } }
    }
    for j in 0..<outputWeights.count { outputWeights[j] *= s }
  }

  // MARK: Forward and backward

  /// `Z_l = A_{l−1} W_lᵀ` for every layer (`A_0 = X`, `A_l = σ(Z_l)`), `N = A_L v`.
  /// The pass keeps every `Z_l`.
  ///
  /// - Complexity: O(m Σ_l n_l n_{l−1}) = O(m p) (`n_0 = d`).
  public func forward(_ x: Matrix) -> Pass {
    var zs: [Matrix] = []
    var a = x
    for w in layers {
      let z = BLAS.product(a, .none, w, .transposed)
      zs.append(z)
      a = Self.relu(z)
    }
    let out = BLAS.product(a, .none, outputWeights)
    return Pass(outputs: out, layerPreactivations: zs)
  }

  static func relu(_ z: Matrix) -> Matrix {
    var a = z
    a.elements.withUnsafeMutableBufferPointer { p in for k in 0..<p.count where !(p[k] > 0) { p[k] = 0 } }
    return a
  }

  /// The activations `A_0 = X, A_1, …, A_L` of a pass.
  func activations(_ x: Matrix, pass: Pass) -> [Matrix] {
    let zs = pass.layerPreactivations
    return [x] + zs.map(Self.relu)
  }

  /// `B_1, …, B_L` of a pass (row i: `∂N(x_i)/∂Z_l[i]`), each row scaled by `rowScale[i]` when given.
  func backward(pass: Pass, rowScale c: [Double]? = nil) -> [Matrix] {
    let zs = pass.layerPreactivations
    let m = zs[0].rows
    var bs = [Matrix](repeating: Matrix(rows: 0, columns: 0), count: depth)
    // B_L = 1[Z_L > 0] diag(v), rows scaled by c.
    var b = Matrix(rows: m, columns: layers[depth - 1].rows)
    let nL = b.columns
    zs[depth - 1].elements.withUnsafeBufferPointer { zp in
      b.elements.withUnsafeMutableBufferPointer { bp in
        for i in 0..<m {
          let ci = c?[i] ?? 1
          if ci == 0 { continue }
          for j in 0..<nL where zp[i * nL + j] > 0 { bp[i * nL + j] = ci * outputWeights[j] }
        }
      }
    }
    bs[depth - 1] = b
    var l = depth - 1
    while l > 0 {
      // B_l = (B_{l+1} W_{l+1}) ∘ 1[Z_l > 0]   (0-based: bs[l-1] from bs[l] and layers[l])
      var next = BLAS.product(bs[l], .none, layers[l], .none)
      let z = zs[l - 1]
      next.elements.withUnsafeMutableBufferPointer { np in
        z.elements.withUnsafeBufferPointer { zp in for k in 0..<np.count where !(zp[k] > 0) { np[k] = 0 } }
      }
      bs[l - 1] = next
      l -= 1
    }
    return bs
  }

  /// `Σ_i c_i ∇_θ N(x_i)` by back-propagation (MATH.md §1.4): `∇_{W_l} = B_lᵀ diag(c) A_{l−1}`, `∇_v = A_Lᵀ c`.
  ///
  /// - Complexity: O(m p).
  public func outputGradientCombination(_ x: Matrix, pass: Pass, coefficients c: [Double]) -> [Double] {
    let a = activations(x, pass: pass)
    let bs = backward(pass: pass, rowScale: c)
    var theta: [Double] = []
    for l in 0..<depth { theta += BLAS.product(bs[l], .transposed, a[l], .none).elements }
    return theta + BLAS.product(a[depth], .transposed, c)
  }

  /// `θ ← θ + s Σ_i c_i ∇_θ N(x_i)`: every `B_l` from the current weights first, then one `dgemm` (β = 1) per layer.
  ///
  /// - Complexity: O(m p).
  public mutating func addOutputGradientCombination(_ x: Matrix, pass: Pass, coefficients c: [Double], scaledBy s: Double) {
    let a = activations(x, pass: pass)
    let bs = backward(pass: pass, rowScale: c)
    for l in 0..<depth { BLAS.gemm(bs[l], .transposed, a[l], .none, alpha: s, beta: 1, into: &layers[l]) }
    BLAS.gemv(a[depth], .transposed, c, alpha: s, beta: 1, into: &outputWeights)
  }

  /// Examples whose output and whole gradient vanish: some layer has every unit
  /// inactive (`A_l[i] = 0`). Their own loss cannot move them; only the other
  /// examples' updates of earlier layers can revive them (MATH.md §2.4).
  ///
  /// - Complexity: O(m Σ_l n_l).
  public func deadExamples(_ x: Matrix, pass: Pass) -> [Int] {
    let zs = pass.layerPreactivations
    return (0..<x.rows).filter { i in
      zs.contains { z in (0..<z.columns).allSatisfy { j in !(z[i, j] > 0) } }
    }
  }

  /// Per hidden layer, the number of (example, unit) pairs with `|Z_l[i,j]| ≤ κ ‖W_l[j]‖ ‖A_{l−1}[i]‖`:
  /// the pairs a κ-band would treat as on the kink (diagnostic only: the audit itself is strict).
  ///
  /// - Parameters:
  ///   - x: The inputs `X`, `m × d`, of `pass`.
  ///   - pass: The forward pass of this network on `x`.
  ///   - kappa: The relative tolerance κ.
  /// - Returns: L counts, one per hidden layer.
  /// - Complexity: O(m (d + Σ_l n_l) + p): the row norms of every `A_{l−1}`
  ///   and the unit norms of every `W_l`.
  public func nearKinkPairs(_ x: Matrix, pass: Pass, kappa: Double) -> [Int] {
    let a = activations(x, pass: pass)
    let zs = pass.layerPreactivations
    return (0..<depth).map { l in
      let unitNorms = (0..<layers[l].rows).map { BLAS.norm(layers[l].row($0)) }
      var count = 0
      for i in 0..<x.rows {
        let ai = BLAS.norm(a[l].row(i))
        for j in 0..<unitNorms.count where abs(zs[l][i, j]) <= kappa * unitNorms[j] * ai { count += 1 }
      }
      return count
    }
  }

  /// The number of (example, unit) pairs, over all hidden layers, whose activation `1[Z > 0]` differs between two passes
  /// (the `flip_fraction` numerator of MATH.md §13).
  ///
  /// - Parameters:
  ///   - p: A pass.
  ///   - q: A pass of a network of the same widths on the same inputs.
  /// - Complexity: O(m Σ_l n_l).
  public static func activationFlips(_ p: Pass, _ q: Pass) -> Int {
    zip(p.layerPreactivations, q.layerPreactivations).reduce(0) { total, layers in
      total + zip(layers.0.elements, layers.1.elements).filter { ($0 > 0) != ($1 > 0) }.count
    }
  }

  // MARK: KKT program

  /// No band: the deep network's κ-audit would not be a QP (see the type's documentation); strict audit only.
  ///
  /// - Complexity: O(1).
  public func kinkBand(_ x: Matrix, pass: Pass, kappa: Double) -> KinkBand { .empty(kappa: kappa) }

  /// The strict KKT program: `G = (y yᵀ) ∘ Σ_{l=1}^{L+1} (B_l B_lᵀ) ∘ (A_{l−1} A_{l−1}ᵀ)`
  /// (`A_0 A_0ᵀ = K`, `B_{L+1} B_{L+1}ᵀ = 1 1ᵀ`), `c = J θ = (L + 1) q` by Euler's identity.
  /// J (`m × p`) is never formed (MATH.md §4.3).
  ///
  /// - Complexity: O(m² Σ_l n_l + m Σ_{l≥2} n_l n_{l−1}) with `K` given, i.e.
  ///   O(m² L n + L m n²) at equal widths; computing `K` adds O(m²d).
  public func kktProgram(_ data: Dataset, pass: Pass, band: KinkBand, kernel k: Matrix) -> BoundedQuadraticProgram {
    precondition(band.count == 0, "deep network: the audit is strict (no kink band)")
    let y = data.labels, m = data.count
    let a = activations(data.features, pass: pass)
    let bs = backward(pass: pass)
    var core = BLAS.rowGram(a[depth])  // l = L + 1: (1 1ᵀ) ∘ A_L A_Lᵀ
    for l in 0..<depth {
      let bb = BLAS.rowGram(bs[l])
      let aa = l == 0 ? k : BLAS.rowGram(a[l])
      core.elements.withUnsafeMutableBufferPointer { cp in
        bb.elements.withUnsafeBufferPointer { bp in
          aa.elements.withUnsafeBufferPointer { ap in for t in 0..<cp.count { cp[t] += bp[t] * ap[t] } }
        }
      }
    }
    for i in 0..<m { for l in 0..<m { core[i, l] *= y[i] * y[l] } }
    let degree = Double(homogeneityDegree)
    let c = (0..<m).map { degree * y[$0] * pass.outputs[$0] }
    return BoundedQuadraticProgram(hessian: core, linearTerm: c)
  }

  /// `Σ_{i∈E} λ_i y_i ∇_θ N(x_i)` (no band, so no `μ`): the strict decomposition.
  ///
  /// - Complexity: O(m p).
  public func decompositionCombination(_ data: Dataset, pass: Pass, band: KinkBand,
                                       multipliers: [Double], kinkShares: [Double], examples: Set<Int>?) -> [Double] {
    precondition(band.count == 0, "deep network: the audit is strict (no kink band)")
    let v = (0..<data.count).map { i in (examples?.contains(i) ?? true) ? multipliers[i] * data.labels[i] : 0 }
    return outputGradientCombination(data.features, pass: pass, coefficients: v)
  }
}
