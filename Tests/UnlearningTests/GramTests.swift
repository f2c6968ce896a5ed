import LinearAlgebra
import TestSupport
import Testing
import Unlearning

/// The Gram form of MATH.md §4 against an explicitly formed Jacobian.
@Suite("Gram matrix of the KKT program")
struct GramTests {
  /// Explicit columns: λ_i ↦ y_i ∇N(x_i) with band pairs' σ' set to 0, μ_ij ↦ y_i u_j x_i in block j.
  func explicitColumns(_ model: TwoLayerReLUNetwork, _ data: Dataset, band: KinkBand) -> Matrix {
    let m = data.count, n = model.width, d = model.inputDimension
    let p = model.parameters.count
    let z = BLAS.product(data.features, .none, model.hiddenWeights, .transposed)
    var onBand = Set<Int>()
    for (i, j) in zip(band.examples, band.units) { onBand.insert(i * n + j) }
    var rows: [[Double]] = []
    for i in 0..<m {
      var r = [Double](repeating: 0, count: p)
      for j in 0..<n where z[i, j] > 0 && !onBand.contains(i * n + j) {
        for k in 0..<d { r[j * d + k] = data.labels[i] * model.outputWeights[j] * data.features[i, k] }
      }
      if model.trainsOutputLayer { for j in 0..<n { r[n * d + j] = data.labels[i] * max(z[i, j], 0) } }
      rows.append(r)
    }
    for (i, j) in zip(band.examples, band.units) {
      var r = [Double](repeating: 0, count: p)
      for k in 0..<d { r[j * d + k] = data.labels[i] * model.outputWeights[j] * data.features[i, k] }
      rows.append(r)
    }
    return Matrix(rows)
  }

  @Test("G = J Jᵀ and c = J θ to 1e-10, strict and with a kink band, both output modes",
        arguments: [(false, 0.0), (true, 0.0), (false, 0.35), (true, 0.35)])
  func gramAgainstExplicitJacobian(trained: Bool, kappa: Double) {
    let model = Fixtures.twoLayer(n: 5, d: 4, trained: trained, seed: 4)
    let data = Fixtures.labelled(by: model, Fixtures.isotropic(m: 7, d: 4, seed: 3))
    let pass = model.forward(data.features)
    let band = model.kinkBand(data.features, pass: pass, kappa: kappa)
    if kappa > 0 { #expect(band.count > 0, "the fixture should have band pairs") }
    let program = model.kktProgram(data, pass: pass, band: band)
    let j = explicitColumns(model, data, band: band)
    let g = BLAS.product(j, .none, j, .transposed)
    let c = BLAS.product(j, .none, model.parameters)
    let scale = g.elements.map(abs).max()!
    for k in 0..<g.elements.count { #expect(abs(program.hessian.elements[k] - g.elements[k]) <= 1e-10 * scale) }
    for k in 0..<c.count { #expect(isClose(program.linearTerm[k], c[k], tolerance: 1e-10)) }
    // Strict: c = C · q (Euler).
    if kappa == 0 {
      let q = model.margins(on: data)
      for i in 0..<data.count { #expect(abs(program.linearTerm[i] - Double(model.homogeneityDegree) * q[i]) <= 1e-12 * max(1, abs(q[i]))) }
    }
    // Parents: every μ is dominated by its example's λ.
    for (b, i) in band.examples.enumerated() { #expect(program.parents[data.count + b] == i) }
  }

  @Test("Linear model: G = (y yᵀ) ∘ K and c = q")
  func linearGram() {
    let model = LinearModel.initialized(dimension: 6, initScale: 1, seed: 1)
    let data = Fixtures.labelled(by: model, Fixtures.isotropic(m: 5, d: 6))
    let program = model.kktProgram(data, pass: model.forward(data.features), band: .empty())
    let j = Fixtures.outputJacobian(model, data.features)
    let q = model.margins(on: data)
    for i in 0..<5 {
      for k in 0..<5 {
        let expected = data.labels[i] * data.labels[k] * BLAS.dot(j.row(i), j.row(k))
        #expect(isClose(program.hessian[i, k], expected, absolute: 1e-14))
      }
      #expect(isClose(program.linearTerm[i], q[i], absolute: 1e-14))
    }
  }

  @Test("The decomposition combination is Jᵀz with the explicit columns")
  func decompositionIsJTz() {
    let model = Fixtures.twoLayer(n: 5, d: 4, trained: true, seed: 4)
    let data = Fixtures.labelled(by: model, Fixtures.isotropic(m: 7, d: 4, seed: 3))
    let pass = model.forward(data.features)
    let band = model.kinkBand(data.features, pass: pass, kappa: 0.35)
    let lambda = (0..<7).map { 0.3 + Double($0) * 0.1 }
    let mu = (0..<band.count).map { 0.05 * Double($0 % 3) }
    let combined = model.decompositionCombination(data, pass: pass, band: band, multipliers: lambda, kinkShares: mu, examples: nil)
    let j = explicitColumns(model, data, band: band)
    let expected = BLAS.product(j, .transposed, lambda + mu)
    #expect(Fixtures.relativeError(combined, expected) <= 1e-13)
  }
}
