import LinearAlgebra
import TestSupport
import Testing
import Unlearning

@Suite("Models")
struct ModelTests {
  static let models: [(String, any HomogeneousModel)] = [
    ("linear", LinearModel.initialized(dimension: 7, initScale: 1, seed: 3)),
    ("two-layer fixed", Fixtures.twoLayer(n: 6, d: 7, trained: false)),
    ("two-layer trained", Fixtures.twoLayer(n: 6, d: 7, trained: true)),
  ]

  @Test("Euler's identity ⟨θ, ∇_θ N(x; θ)⟩ = C · N(x; θ) on random models", arguments: 0..<3)
  func euler(index: Int) {
    let model = Self.models[index].1
    check(model)
    func check<M: HomogeneousModel>(_ model: M) {
      let x = Fixtures.isotropic(m: 9, d: 7, seed: 5).features
      let j = Fixtures.outputJacobian(model, x)
      let out = model.outputs(x)
      let inner = BLAS.product(j, .none, model.parameters)
      for i in 0..<x.rows {
        #expect(abs(inner[i] - Double(model.homogeneityDegree) * out[i]) <= 1e-13 * max(1, abs(out[i])))
      }
    }
  }

  @Test("Homogeneity: N(x; sθ) = s^C N(x; θ)", arguments: 0..<3)
  func homogeneity(index: Int) {
    let model = Self.models[index].1
    check(model)
    func check<M: HomogeneousModel>(_ model: M) {
      let x = Fixtures.isotropic(m: 5, d: 7, seed: 6).features
      let s = 2.5
      let scaled = model.scaled(by: s).outputs(x)
      let base = model.outputs(x)
      let factor = Foundation.pow(s, Double(model.homogeneityDegree))
      for i in 0..<5 { #expect(isClose(scaled[i], factor * base[i], tolerance: 1e-13)) }
    }
  }

  @Test("The two-layer gradient matches central finite differences")
  func finiteDifferences() {
    let model = Fixtures.twoLayer(n: 4, d: 3, trained: true)
    let x = Fixtures.isotropic(m: 2, d: 3, seed: 8).features
    let j = Fixtures.outputJacobian(model, x)
    let theta = model.parameters
    let h = 1e-6
    for k in 0..<theta.count {
      var plus = theta, minus = theta
      plus[k] += h
      minus[k] -= h
      let fp = model.replacingParameters(plus).outputs(x), fm = model.replacingParameters(minus).outputs(x)
      for i in 0..<2 { #expect(isClose((fp[i] - fm[i]) / (2 * h), j[i, k], absolute: 1e-6)) }
    }
  }

  @Test("The in-place training update equals combination + add", arguments: 0..<3)
  func inPlaceUpdate(index: Int) {
    let model = Self.models[index].1
    check(model)
    func check<M: HomogeneousModel>(_ model: M) {
      let x = Fixtures.isotropic(m: 6, d: 7, seed: 9).features
      let pass = model.forward(x)
      let v = (0..<6).map { Double($0) - 2.5 }
      var a = model, b = model
      a.addOutputGradientCombination(x, pass: pass, coefficients: v, scaledBy: -0.3)
      b.addToParameters(model.outputGradientCombination(x, pass: pass, coefficients: v), scaledBy: -0.3)
      #expect(Fixtures.relativeError(a.parameters, b.parameters) <= 1e-14)
    }
  }

  @Test("Scaling in place multiplies every trained parameter, and only those, exactly", arguments: 0..<3)
  func scaleInPlace(index: Int) {
    let model = Self.models[index].1
    check(model)
    func check<M: HomogeneousModel>(_ model: M) {
      for s in [0.37, 2.5, -1.0, 1e-300] {
        var scaled = model
        scaled.scaleParameters(by: s)
        // One rounded product per entry either way, so the bits agree.
        #expect(scaled.parameters == model.parameters.map { $0 * s })
        #expect(model.scaled(by: s).parameters == scaled.parameters)
        // A fixed output layer is not a parameter and is kept.
        #expect(scaled.replacingParameters(model.parameters).parameters == model.parameters)
      }
    }
  }

  @Test("The fixed output layer is +1/√n for j < ⌊n/2⌋ and −1/√n after")
  func fixedOutputLayer() {
    let u = TwoLayerReLUNetwork.fixedOutputLayer(width: 5)
    #expect(u[0] == 1 / 5.0.squareRoot() && u[1] == u[0] && u[2] == -u[0] && u[4] == -u[0])
    let model = Fixtures.twoLayer(n: 5, d: 3, trained: false)
    #expect(model.parameters.count == 15 && model.homogeneityDegree == 1)
    #expect(Fixtures.twoLayer(n: 5, d: 3, trained: true).parameters.count == 20)
  }
}

import Foundation
