import Foundation
import LinearAlgebra
import TestSupport
import Testing
import Unlearning

/// The deep ReLU network (open question 3, MATH.md §14): Euler's identity, the
/// gradient, the Gram form without J, the L = 1 case against the two-layer
/// network, training, the GA step and the model file.
@Suite("Deep ReLU networks")
struct DeepNetworkTests {
  static func net(depth: Int, n: Int = 5, d: Int = 4, seed: UInt64 = 3) -> DeepReLUNetwork {
    DeepReLUNetwork.initialized(depth: depth, width: n, dimension: d, initScale: 1, seed: seed)
  }

  /// The explicit Jacobian, one `∇_θ N(x_i)` per row, by the chain rule written out
  /// per example with plain loops (no BLAS, no B matrices): an independent reference.
  static func explicitJacobian(_ model: DeepReLUNetwork, _ x: Matrix) -> Matrix {
    var rows: [[Double]] = []
    for i in 0..<x.rows {
      var acts: [[Double]] = [x.row(i)]
      var pre: [[Double]] = []
      for w in model.layers {
        let a = acts.last!
        let z = (0..<w.rows).map { j in (0..<w.columns).reduce(0.0) { $0 + w[j, $1] * a[$1] } }
        pre.append(z)
        acts.append(z.map { max($0, 0) })
      }
      // g = ∂N/∂z_l, from the top.
      var grads = [[Double]](repeating: [], count: model.depth)
      var g = zip(model.outputWeights, pre.last!).map { $1 > 0 ? $0 : 0 }
      grads[model.depth - 1] = g
      for l in stride(from: model.depth - 1, to: 0, by: -1) {
        let w = model.layers[l]
        g = (0..<w.columns).map { k in pre[l - 1][k] > 0 ? (0..<w.rows).reduce(0.0) { $0 + g[$1] * w[$1, k] } : 0 }
        grads[l - 1] = g
      }
      var row: [Double] = []
      for l in 0..<model.depth {
        for j in 0..<model.layers[l].rows { for k in 0..<model.layers[l].columns { row.append(grads[l][j] * acts[l][k]) } }
      }
      row += acts[model.depth]
      rows.append(row)
    }
    return Matrix(rows)
  }

  @Test("Euler's identity ⟨θ, ∇_θ N⟩ = (L + 1) N for L = 1…4", arguments: 1...4)
  func euler(depth: Int) {
    let model = Self.net(depth: depth, n: 6, d: 7)
    let x = Fixtures.isotropic(m: 9, d: 7, seed: 5).features
    let j = Fixtures.outputJacobian(model, x)
    let out = model.outputs(x)
    let inner = BLAS.product(j, .none, model.parameters)
    #expect(model.homogeneityDegree == depth + 1)
    // A sum of p ≈ 200 products of O(1) numbers, each exact to an ulp: 1e-12 leaves a wide margin.
    for i in 0..<x.rows { #expect(abs(inner[i] - Double(depth + 1) * out[i]) <= 1e-12 * max(1, abs(out[i]))) }
  }

  @Test("Homogeneity N(x; sθ) = s^(L+1) N(x; θ), and the scaled pass equals a fresh one", arguments: 1...4)
  func homogeneity(depth: Int) {
    let model = Self.net(depth: depth)
    let x = Fixtures.isotropic(m: 5, d: 4, seed: 6).features
    let s = 1.7
    let fresh = model.scaled(by: s).forward(x)
    let scaled = model.forward(x).scaled(by: s, degree: model.homogeneityDegree)
    for i in 0..<5 { #expect(isClose(fresh.outputs[i], scaled.outputs[i], tolerance: 1e-12)) }
    for (a, b) in zip(fresh.layerPreactivations, scaled.layerPreactivations) {
      #expect(Fixtures.relativeError(a.elements, b.elements) <= 1e-14)
    }
  }

  @Test("The gradient matches central finite differences (L = 3, away from kinks) and the explicit chain rule")
  func finiteDifferences() {
    let model = Self.net(depth: 3, n: 4, d: 3, seed: 11)
    let x = Fixtures.isotropic(m: 3, d: 3, seed: 8).features
    let j = Fixtures.outputJacobian(model, x)
    #expect(Fixtures.relativeError(j.elements, Self.explicitJacobian(model, x).elements) <= 1e-13)
    let h = 1e-6
    // Away from kinks: every pre-activation at least 100 h·(max |Δz| per unit h) from 0,
    // so no σ' flips within ±h and the difference quotient is exact up to O(h²) + rounding.
    let minAbsZ = model.forward(x).layerPreactivations.flatMap(\.elements).map(abs).min()!
    #expect(minAbsZ > 1e-3, "fixture too close to a kink")
    let theta = model.parameters
    for k in 0..<theta.count {
      var plus = theta, minus = theta
      plus[k] += h
      minus[k] -= h
      let fp = model.replacingParameters(plus).outputs(x), fm = model.replacingParameters(minus).outputs(x)
      // N is a polynomial of degree 4 in θ between kinks: the O(h²) error is ~1e-12, rounding ~ε_mach/h ~ 1e-10.
      for i in 0..<3 { #expect(isClose((fp[i] - fm[i]) / (2 * h), j[i, k], absolute: 1e-7)) }
    }
  }

  @Test("G = (y yᵀ) ∘ Σ_l (B_l B_lᵀ) ∘ (A_{l−1} A_{l−1}ᵀ) equals J Jᵀ with labels, c = J θ = (L+1) q", arguments: [2, 3])
  func gramAgainstExplicitJacobian(depth: Int) {
    let model = Self.net(depth: depth, n: 5, d: 4, seed: 4)
    let data = Fixtures.labelled(by: model, Fixtures.isotropic(m: 7, d: 4, seed: 3))
    let pass = model.forward(data.features)
    let program = model.kktProgram(data, pass: pass, band: model.kinkBand(data.features, pass: pass, kappa: 0.3))
    var j = Self.explicitJacobian(model, data.features)
    for i in 0..<j.rows { for k in 0..<j.columns { j[i, k] *= data.labels[i] } }
    let g = BLAS.product(j, .none, j, .transposed)
    let c = BLAS.product(j, .none, model.parameters)
    // Same sums in a different order: agreement to ~1e-15 relative; 1e-10 of the largest entry is generous.
    let scale = g.elements.map(abs).max()!
    #expect(program.hessian.rows == data.count, "no band variables: the deep audit is strict")
    for k in 0..<g.elements.count { #expect(abs(program.hessian.elements[k] - g.elements[k]) <= 1e-10 * scale) }
    for i in 0..<c.count { #expect(isClose(program.linearTerm[i], c[i], tolerance: 1e-10)) }
  }

  @Test("L = 1 is the two-layer network with a trained output layer: outputs, gradient, strict audit")
  func depthOneIsTwoLayer() throws {
    let deep = DeepReLUNetwork.initialized(depth: 1, width: 8, dimension: 20, initScale: 0.5, seed: 9)
    let two = TwoLayerReLUNetwork.initialized(width: 8, dimension: 20, trainsOutputLayer: true, initScale: 0.5, seed: 9)
    #expect(deep.parameters == two.parameters, "the same draws, the same θ = [W, u] = [W1, v]")
    let data = Fixtures.interpolated(by: two, m: 6, d: 20, seed: 2)
    #expect(Fixtures.relativeError(deep.outputs(data.features), two.outputs(data.features)) <= 1e-15)
    let v = (0..<data.count).map { 0.3 + 0.1 * Double($0) }
    let gDeep = deep.outputGradientCombination(data.features, pass: deep.forward(data.features), coefficients: v)
    let gTwo = two.outputGradientCombination(data.features, pass: two.forward(data.features), coefficients: v)
    #expect(Fixtures.relativeError(gDeep, gTwo) <= 1e-14)
    let a = try KKTAuditor(kappa: 0).audit(deep, on: data)
    let b = try KKTAuditor(kappa: 0).audit(two, on: data)
    // Same QP up to rounding (the Gram matrices agree to ~1e-15); ε itself may be small, so compare against ‖θ̂‖.
    #expect(abs(a.epsilonStrict - b.epsilonStrict) <= 1e-9 * a.normalizedNorm)
    #expect(abs(a.delta - b.delta) <= 1e-8 * max(1, b.delta))
  }

  @Test("Training L = 2 on separable data reaches its KKT tolerance without NaN; the GA step and certificates run")
  func trainsAndUnlearns() throws {
    let (data, _) = try SyntheticData.generate(.mixture(xor: false, meanNorm: 0.5), count: 12, dimension: 40, seed: 1)
    let initial = DeepReLUNetwork.initialized(depth: 2, width: 16, dimension: 40, initScale: 1, seed: 2)
    var config = TrainingConfiguration(learningRate: 1, tolerance: 5e-2, kappa: 0, auditInterval: 100, maxIterations: 30_000)
    config.warmUpLearningRate = 0.01
    let result = try Trainer(config).train(from: initial, on: data)
    #expect(result.stopReason == .converged)
    #expect(result.model.parameters.allSatisfy { $0.isFinite })
    let audit = try #require(result.finalAudit)
    #expect(audit.epsilonRelative <= 5e-2)
    #expect(audit.bandPairs == 0, "the deep audit is strict")
    let unlearned = try GradientAscentUnlearning().unlearn(audit, data: data, forgetSet: [0])
    #expect(unlearned.parameters.allSatisfy { $0.isFinite })
    // The step removes example 0's share: θ_U = θ̂ − λ_0 y_0 ∇N(x_0; θ̂).
    let expected = audit.normalizedModel.parameters.enumerated().map { k, t in
      t - audit.multipliers[0] * data.labels[0] * Fixtures.outputJacobian(audit.normalizedModel, data.features)[0, k]
    }
    #expect(Fixtures.relativeError(unlearned.parameters, expected) <= 1e-12)
    let (retained, _) = try data.removing([0])
    let (certificate, _) = try Certifier(auditor: KKTAuditor(kappa: 0))
      .retrainedCertificate(unlearned, retained: retained, initial: initial, training: config)
    #expect(try #require(certificate.tau) < 1)
  }

  @Test("A network whose every unit stays dead for an example fails with deadUnits after the patience, not NaN")
  func deadUnitsAreReported() throws {
    var model = Self.net(depth: 2, n: 3, d: 4)
    model.layers[1] = Matrix(rows: 3, columns: 3, repeating: -1)  // σ(Z_1) ≥ 0, so Z_2 ≤ 0 for every example
    let data = Fixtures.labelled(by: Self.net(depth: 1, n: 3, d: 4), Fixtures.isotropic(m: 5, d: 4))
    // Nothing can revive them here (every example is dead), so training stops once the patience (5) runs out.
    let config = TrainingConfiguration(maxIterations: 50, divergencePatience: 5)
    #expect(throws: TrainingError.self) { try Trainer(config).train(from: model, on: data) }
    do {
      _ = try Trainer(config).train(from: model, on: data)
    } catch TrainingError.deadUnits(let t, let examples) {
      #expect(t == 4)
      #expect(examples.count == 5)
    }
  }

  @Test("Model file round trip: tensors W1…WL and v, architecture deep-relu", arguments: [1, 3])
  func fileRoundTrip(depth: Int) throws {
    let model = Self.net(depth: depth, n: 4, d: 6)
    var config = TrainingConfiguration(learningRate: 0.5)
    config.warmUpLearningRate = 0.02
    let metadata = ModelMetadata(initSeed: 3, initScale: 1, training: config)
    let file = ModelFile.encode(model, metadata: metadata)
    #expect(Set(file.tensors.keys) == Set((1...depth).map { "W\($0)" } + ["v"]))
    #expect(file.metadata["architecture"] == "deep-relu")
    #expect(file.metadata["depth"] == String(depth))
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("deep-\(depth)-\(UUID().uuidString).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try ModelFile.write(model, metadata: metadata, to: url, overwrite: false)
    let (back, meta) = try ModelFile.read(url)
    #expect(back as? DeepReLUNetwork == model)
    #expect(meta == metadata)
    #expect(ModelArchitecture.of(back) == .deep(depth: depth, width: 4))
  }

  @Test("A deep file with a broken shape chain or a wrong depth is rejected with a reason")
  func fileErrors() throws {
    let model = Self.net(depth: 2, n: 4, d: 6)
    var file = ModelFile.encode(model, metadata: ModelMetadata())
    file.tensors["W2"] = SafetensorsTensor(Matrix(rows: 4, columns: 5))
    #expect(throws: FileFormatError.self) { try ModelFile.decode(file) }
    file = ModelFile.encode(model, metadata: ModelMetadata())
    file.metadata["depth"] = "3"
    #expect(throws: FileFormatError.self) { try ModelFile.decode(file) }
    file = ModelFile.encode(model, metadata: ModelMetadata())
    file.metadata["architecture"] = nil
    #expect(try ModelFile.decode(file).0 as? DeepReLUNetwork == model, "W1 and v name a deep network")
  }
}
