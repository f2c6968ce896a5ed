import Foundation
import LinearAlgebra
import TestSupport
import Testing
import Unlearning

/// The `newton` (Guo et al. 2020) and `minnorm-og` (Block, Mokhtari & Shakkottai 2025)
/// baselines against explicitly formed Hessians, Jacobians and projections.
@Suite("Newton removal and minimum-norm projection")
struct NewtonAndProjectionTests {
  /// Rows are non-separable Gaussian points labelled by a noisy linear rule.
  static func noisyLinearData(m: Int, d: Int, seed: UInt64) -> Dataset {
    var rng = TestRandom(seed)
    let x = Matrix(rows: m, columns: d, elements: (0..<(m * d)).map { _ in rng.normal() })
    let labels = (0..<m).map { i -> Double in (x[i, 0] + 0.8 * rng.normal()) >= 0 ? 1 : -1 }
    return try! Dataset(features: x, labels: labels)
  }

  /// The dense regularised logistic Hessian `Σ_i ℓ''(q_i) g_i g_iᵀ + ρI` from explicit output gradients
  /// (valid when `∇²N = 0`: the linear model and a two-layer network with a fixed output layer).
  static func explicitHessian<M: HomogeneousModel>(_ model: M, _ data: Dataset, rho: Double) -> Matrix {
    let j = Fixtures.outputJacobian(model, data.features)
    let q = model.margins(on: data)
    let p = j.columns
    var h = Matrix(rows: p, columns: p)
    for i in 0..<data.count {
      let w = Loss.logistic.secondDerivative(q[i])
      for a in 0..<p where j[i, a] != 0 { for b in 0..<p { h[a, b] += w * j[i, a] * j[i, b] } }
    }
    for a in 0..<p { h[a, a] += rho }
    return h
  }

  @Test("ℓ'' against central differences of ℓ' (relative 1e-6: the O(h²) error at h = 1e-4), and its tails", arguments: Loss.allCases)
  func secondDerivative(loss: Loss) {
    for q in [-2.0, 0, 0.5, 3] {
      let h = 1e-4
      let fd = (loss.derivative(q + h) - loss.derivative(q - h)) / (2 * h)
      #expect(abs(fd - loss.secondDerivative(q)) <= 1e-6 * loss.secondDerivative(q), "\(loss) at q = \(q)")
    }
    // Where ℓ' is flat to rounding, differences are useless; the tails are known:
    // logistic ℓ''(q) = e^{−|q|}(1 − 2e^{−|q|} + O(e^{−2|q|})), exponential e^{−q}.
    for q in [-30.0, 40] {
      let expected = loss == .exponential ? Foundation.exp(-q) : Foundation.exp(-abs(q)) * (1 - 2 * Foundation.exp(-abs(q)))
      #expect(abs(loss.secondDerivative(q) - expected) <= 1e-12 * expected, "\(loss) at q = \(q)")
    }
  }

  @Test("J v and Σ c_i ∇²N_i v of the two-layer network against the explicit Jacobian and differenced gradients",
        arguments: [false, true])
  func hessianVectorPieces(trained: Bool) {
    let model = Fixtures.twoLayer(n: 5, d: 7, trained: trained, seed: 4)
    let data = Fixtures.interpolated(by: model, m: 9, d: 7, seed: 5)
    var rng = TestRandom(6)
    let v = (0..<model.parameters.count).map { _ in rng.normal() }
    let c = (0..<data.count).map { _ in rng.normal() }
    let pass = model.forward(data.features)
    // J v: exact products, so only rounding separates them.
    let explicit = BLAS.product(Fixtures.outputJacobian(model, data.features), .none, v)
    #expect(Fixtures.relativeError(model.outputDirectionalDerivatives(data.features, pass: pass, direction: v), explicit) < 1e-12)
    // Inside a linear region Σ c_i ∇N_i is affine in θ along v, so the central difference is exact up to
    // rounding (h = 1e-6 crosses no kink: every |Z_ij| here exceeds 1e-3).
    let h = 1e-6
    var plus = model, minus = model
    plus.addToParameters(v, scaledBy: h)
    minus.addToParameters(v, scaledBy: -h)
    let gp = plus.outputGradientCombination(data.features, pass: plus.forward(data.features), coefficients: c)
    let gm = minus.outputGradientCombination(data.features, pass: minus.forward(data.features), coefficients: c)
    let differenced = zip(gp, gm).map { ($0 - $1) / (2 * h) }
    let exact = model.outputCurvatureCombination(data.features, pass: pass, direction: v, coefficients: c)
    if trained {
      #expect(Fixtures.relativeError(exact, differenced) < 1e-7)
    } else {
      #expect(exact.allSatisfy { $0 == 0 })
      #expect(BLAS.norm(differenced) < 1e-7 * BLAS.norm(gp))
    }
  }

  @Test("Linear newton: Woodbury, conjugate gradients and a dense solve of the explicit Hessian agree to 1e-9")
  func linearSolversAgree() throws {
    let data = Self.noisyLinearData(m: 14, d: 6, seed: 21)
    var rng = TestRandom(22)
    let model = LinearModel(weights: (0..<6).map { _ in rng.normal() })
    let forget = [3, 9]
    let rho = 0.05
    let (retained, _) = try data.removing(forget)
    let g = model.lossGradient(on: data.subset(forget), loss: .logistic)
    let dense = BruteForceQP.gaussianSolve(Self.explicitHessian(model, retained, rho: rho), g)!
    let expected = zip(model.weights, dense).map { $0 + $1 }
    for solver in [NewtonRemoval.Solver.woodbury, .conjugateGradients, .automatic] {
      let report = try NewtonRemoval(regularization: rho, normalizesScale: false, solver: solver).unlearn(model, data: data, forgetSet: forget)
      #expect(Fixtures.relativeError(report.model.weights, expected) < 1e-9, "\(solver)")
      #expect(report.relativeResidual < 1e-9, "\(solver)")
    }
  }

  @Test("Two-layer newton by conjugate gradients equals a dense solve of the explicit Hessian (fixed output layer)")
  func twoLayerConjugateGradients() throws {
    let model = Fixtures.twoLayer(n: 4, d: 5, trained: false, seed: 31)
    let data = Fixtures.interpolated(by: model, m: 10, d: 5, seed: 32)
    let (retained, _) = try data.removing([0])
    let rho = 1e-2
    let g = model.lossGradient(on: data.subset([0]), loss: .logistic)
    let dense = BruteForceQP.gaussianSolve(Self.explicitHessian(model, retained, rho: rho), g)!
    let report = try NewtonRemoval(regularization: rho, normalizesScale: false).unlearn(model, data: data, forgetSet: [0])
    #expect(report.iterations > 0)
    #expect(Fixtures.relativeError(Vector.difference(report.model.parameters, model.parameters), dense) < 1e-8)
    #expect(throws: UnlearningError.invalidRegularization(0)) { try NewtonRemoval(regularization: 0).unlearn(model, data: data, forgetSet: [0]) }
    #expect(throws: UnlearningError.woodburyNeedsLinearModel) { try NewtonRemoval(solver: .woodbury).unlearn(model, data: data, forgetSet: [0]) }
  }

  @Test("From the regularised minimiser on S, one newton step lands ≥ 10× closer to the minimiser on S∖F than θ̂ is")
  func influenceApproximatesRetraining() throws {
    let data = Self.noisyLinearData(m: 60, d: 5, seed: 41)
    let rho = 1.0
    /// The minimiser of Σ ℓ(q_i) + (ρ/2)‖w‖² by full Newton iterations (strongly convex).
    func minimiser(_ s: Dataset) -> [Double] {
      var w = [Double](repeating: 0, count: 5)
      for _ in 0..<30 {
        let model = LinearModel(weights: w)
        var grad = model.lossGradient(on: s, loss: .logistic)
        BLAS.axpy(rho, w, &grad)
        let step = BruteForceQP.gaussianSolve(Self.explicitHessian(model, s, rho: rho), grad)!
        BLAS.axpy(-1, step, &w)
      }
      return w
    }
    let forget = [7]
    let theta = minimiser(data)
    let (retained, _) = try data.removing(forget)
    let target = minimiser(retained)
    let newton = try NewtonRemoval(regularization: rho, normalizesScale: false).unlearn(LinearModel(weights: theta), data: data, forgetSet: forget)
    // At a regularised minimiser ρθ = −∇L exactly, so the fitted ρ is the true one (to the minimiser's accuracy).
    #expect(abs(NewtonRemoval.fittedRegularization(LinearModel(weights: theta), data: data) - rho) < 1e-10)
    let fitted = try NewtonRemoval(normalizesScale: false).unlearn(LinearModel(weights: theta), data: data, forgetSet: forget)
    #expect(abs(fitted.regularization - rho) < 1e-10)
    let before = BLAS.norm(Vector.difference(theta, target))
    let after = BLAS.norm(Vector.difference(newton.model.weights, target))
    #expect(before > 0)
    #expect(after < 0.1 * before, "‖θ̂ − θ*_R‖ = \(before), ‖θ_N − θ*_R‖ = \(after)")
  }

  @Test("minnorm-og projects θ̂ onto the span of the retained output gradients (linear: same retained outputs, smaller norm)")
  func linearProjection() throws {
    let data = Fixtures.isotropic(m: 12, d: 40, seed: 51)
    var rng = TestRandom(52)
    let model = LinearModel(weights: (0..<40).map { _ in rng.normal() })
    let (retained, _) = try data.removing([1, 5])
    let projected = try MinimumNormProjection().project(model, retained: retained)
    #expect(Fixtures.relativeError(projected.outputs(retained.features), model.outputs(retained.features)) < 1e-10)
    // θ̂ − θ_P is orthogonal to every retained x_i, hence to θ_P ∈ span{x_i}.
    let residual = Vector.difference(model.weights, projected.weights)
    let leak = BLAS.product(retained.features, .none, residual)
    #expect(BLAS.norm(leak) < 1e-10 * BLAS.norm(model.weights))
    #expect(abs(BLAS.dot(residual, projected.weights)) < 1e-10 * BLAS.dot(model.weights, model.weights))
    #expect(projected.parameterNorm < model.parameterNorm)
  }

  @Test("minnorm-og on a two-layer network: J_R(θ_P − θ̂) = 0 with the explicit Jacobian, θ̂ − θ_P ⟂ θ_P",
        arguments: [false, true])
  func networkProjection(trained: Bool) throws {
    let model = Fixtures.twoLayer(n: 6, d: 30, trained: trained, seed: 61)
    let data = Fixtures.interpolated(by: model, m: 10, d: 30, seed: 62)
    let (retained, _) = try data.removing([4])
    let projected = try MinimumNormProjection().project(model, retained: retained)
    let j = Fixtures.outputJacobian(model, retained.features)
    let change = Vector.difference(projected.parameters, model.parameters)
    let scale = BLAS.norm(BLAS.product(j, .none, model.parameters))
    #expect(BLAS.norm(BLAS.product(j, .none, change)) < 1e-9 * scale)
    #expect(abs(BLAS.dot(change, projected.parameters)) < 1e-9 * BLAS.dot(model.parameters, model.parameters))
    #expect(projected.parameterNorm <= model.parameterNorm * (1 + 1e-12))
  }

  @Test("Deep networks use the differenced J v and curvature: newton's CG converges or reports negative curvature, and minnorm-og keeps J_R(θ_P − θ̂) = 0")
  func deepNetwork() throws {
    let model = DeepReLUNetwork.initialized(depth: 2, width: 6, dimension: 12, initScale: 1, seed: 71)
    let data = Fixtures.interpolated(by: model, m: 8, d: 12, seed: 72)
    // The differenced products agree with the explicit Jacobian to the O(h²) of a central difference (h = 1e-5‖θ‖/‖v‖).
    var rng = TestRandom(73)
    let v = (0..<model.parameters.count).map { _ in rng.normal() }
    let jv = model.outputDirectionalDerivatives(data.features, pass: model.forward(data.features), direction: v)
    #expect(Fixtures.relativeError(jv, BLAS.product(Fixtures.outputJacobian(model, data.features), .none, v)) < 1e-7)
    // At an untrained deep net the second-order term ℓ'(q) y ∇²N is indefinite and not small: a small ρ meets
    // negative curvature, reported as such; a ρ above its scale makes H positive definite and CG converge.
    #expect(throws: UnlearningError.self) {
      try NewtonRemoval(regularization: 0.1, normalizesScale: false).unlearn(model, data: data, forgetSet: [1])
    }
    let report = try NewtonRemoval(regularization: 1e3, normalizesScale: false).unlearn(model, data: data, forgetSet: [1])
    #expect(report.relativeResidual < 1e-6 && report.model.parameters.allSatisfy(\.isFinite))
    // The curvature product against a mixed second difference of the outputs: uᵀ(Σ c_i ∇²N_i)v =
    // Σ c_i [N_i(θ+hu+hv) − N_i(θ+hu−hv) − N_i(θ−hu+hv) + N_i(θ−hu−hv)] / 4h² (O(h²) error, h = 1e-4 relative).
    let u = (0..<model.parameters.count).map { _ in rng.normal() }
    let c = (0..<data.count).map { _ in rng.normal() }
    let curvature = model.outputCurvatureCombination(data.features, pass: model.forward(data.features), direction: v, coefficients: c)
    let h = 1e-4 * model.parameterNorm / BLAS.norm(u)
    func shifted(_ a: Double, _ b: Double) -> [Double] {
      var m = model
      m.addToParameters(u, scaledBy: a * h)
      m.addToParameters(v, scaledBy: b * h)
      return m.outputs(data.features)
    }
    let (pp, pm, mp, mm) = (shifted(1, 1), shifted(1, -1), shifted(-1, 1), shifted(-1, -1))
    var mixed = 0.0
    for i in 0..<data.count {
      let second: Double = pp[i] - pm[i] - mp[i] + mm[i]
      mixed += c[i] * second
    }
    mixed /= 4 * h * h
    #expect(abs(BLAS.dot(u, curvature) - mixed) < 1e-5 * max(abs(mixed), 1e-300), "uᵀHv = \(BLAS.dot(u, curvature)), differenced \(mixed)")
    let (retained, _) = try data.removing([1])
    let projected = try MinimumNormProjection().project(model, retained: retained)
    let j = Fixtures.outputJacobian(model, retained.features)
    let change = Vector.difference(projected.parameters, model.parameters)
    #expect(BLAS.norm(BLAS.product(j, .none, change)) < 1e-9 * BLAS.norm(BLAS.product(j, .none, model.parameters)))
  }

  @Test("newton is scale-free by default: θ̂ and 10⁴θ̂ give the same direction, and a trained model's step is not 0")
  func scaleFree() throws {
    let data = Fixtures.isotropic(m: 10, d: 60, seed: 81)
    let trained = try Trainer(TrainingConfiguration(tolerance: 1e-4, maxIterations: 20_000))
      .train(from: LinearModel.initialized(dimension: 60, initScale: 0.01, seed: 82), on: data).model
    let a = try NewtonRemoval(regularization: 1e-2).unlearn(trained, data: data, forgetSet: [3])
    let b = try NewtonRemoval(regularization: 1e-2).unlearn(trained.scaled(by: 1e4), data: data, forgetSet: [3])
    #expect(1 - Vector.cosine(a.model.weights, b.model.weights) < 1e-12)
    #expect(a.stepNorm > 1e-3 * trained.parameterNorm, "step \(a.stepNorm) against ‖θ̂‖ = \(trained.parameterNorm)")
    // At its own (large-margin) scale the logistic gradient has underflowed: the step is nothing.
    let raw = try NewtonRemoval(regularization: 1e-2, normalizesScale: false).unlearn(trained.scaled(by: 1e4), data: data, forgetSet: [3])
    #expect(raw.stepNorm < 1e-12 * raw.model.parameterNorm)
  }
}
