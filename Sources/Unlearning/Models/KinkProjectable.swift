import LinearAlgebra

/// A model whose κ-band (MATH.md §4.6) can be moved exactly onto its kinks (MATH.md §6.6): the capability
/// behind the *witness* certificate. The two-layer network projects each hidden unit onto the orthogonal
/// complement of its band rows; the linear model has no kinks and is its own witness. The deep network does
/// not adopt it (its audit is strict only, ``StrictAuditOnly``: no band to project).
public protocol KinkProjectable: HomogeneousModel {
  /// θ̃: every hidden unit `w_j` replaced by `w̃_j = w_j − X_{B_j}ᵀ (X_{B_j} X_{B_j}ᵀ)⁺ X_{B_j} w_j` for its band
  /// pairs `B_j` in `band` (``KinkProjection``), everything else kept; and the pairs outside the band whose
  /// activation changed.
  ///
  /// - Parameters:
  ///   - x: The inputs `X`, `m × d`, of `pass`.
  ///   - pass: The forward pass of this model on `x`.
  ///   - band: The band to project, from ``HomogeneousModel/kinkBand(_:pass:kappa:)`` on `x`.
  ///   - projection: The projection and its rank tolerance.
  /// - Returns: The witness θ̃ at this model's scale, with its counts.
  /// - Complexity: O(Σ_j |B_j|² d) for the projections plus O(m p) for θ̃'s forward pass (two-layer); O(1) (linear).
  func kinkWitness(_ x: Matrix, pass: Pass, band: KinkBand, projection: KinkProjection) -> KinkWitness<Self>
}

extension LinearModel: KinkProjectable {
  /// The model itself: a linear model has no kinks (its band is always empty).
  ///
  /// - Complexity: O(1).
  public func kinkWitness(_ x: Matrix, pass: Pass, band: KinkBand, projection: KinkProjection) -> KinkWitness<LinearModel> {
    KinkWitness(model: self, band: band, signChanges: 0, dependentRows: 0, largestKinkOffset: 0)
  }
}

extension TwoLayerReLUNetwork: KinkProjectable {
  /// Projects each unit with band pairs onto their kinks (``KinkProjection``), keeps `u` (trained or fixed),
  /// and counts the pairs outside the band with `1[Z̃_ij > 0] ≠ 1[Z_ij > 0]`, `Z̃ = X W̃ᵀ`.
  ///
  /// - Complexity: O(Σ_j |B_j|² d + m n d).
  public func kinkWitness(_ x: Matrix, pass: Pass, band: KinkBand, projection: KinkProjection) -> KinkWitness<TwoLayerReLUNetwork> {
    var rowsOfUnit = [[Int]](repeating: [], count: width)
    for (i, j) in zip(band.examples, band.units) { rowsOfUnit[j].append(i) }
    var w = hiddenWeights
    var dependent = 0
    for j in 0..<width where !rowsOfUnit[j].isEmpty {
      let result = projection.project(hiddenWeights.row(j), rows: x, indices: rowsOfUnit[j])
      dependent += result.dependentRows
      let d = inputDimension
      for t in 0..<d { w.elements[j * d + t] = result.projected[t] }
    }
    let witness = TwoLayerReLUNetwork(hiddenWeights: w, outputWeights: outputWeights, trainsOutputLayer: trainsOutputLayer)
    let z = pass.preactivations
    let projected = BLAS.product(x, .none, w, .transposed)
    var onBand = Set<Int>()
    for (i, j) in zip(band.examples, band.units) { onBand.insert(i * width + j) }
    var changes = 0
    for i in 0..<x.rows {
      for j in 0..<width where !onBand.contains(i * width + j) {
        if (z[i, j] > 0) != (projected[i, j] > 0) { changes += 1 }
      }
    }
    let unitNorms = (0..<width).map { BLAS.norm(w.row($0)) }
    var offset = 0.0
    for (i, j) in zip(band.examples, band.units) {
      let scale = unitNorms[j] * BLAS.norm(x.row(i))
      if scale > 0 { offset = max(offset, abs(projected[i, j]) / scale) }
    }
    return KinkWitness(model: witness, band: band, signChanges: changes, dependentRows: dependent, largestKinkOffset: offset)
  }
}
