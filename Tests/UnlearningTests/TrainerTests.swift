import LinearAlgebra
import TestSupport
import Testing
import Unlearning

@Suite("Training")
struct TrainerTests {
  @Test("Loss-normalised GD trains a linear model to the KKT tolerance", arguments: Loss.allCases)
  func linearConverges(loss: Loss) throws {
    let data = Fixtures.isotropic(m: 15, d: 200, seed: 2)
    let config = TrainingConfiguration(loss: loss, learningRate: 1, tolerance: 1e-3, auditInterval: 20, maxIterations: 20_000)
    let result = try Trainer(config).train(from: LinearModel.initialized(dimension: 200, initScale: 0.01, seed: 1), on: data)
    #expect(result.stopReason == .converged)
    let audit = try #require(result.finalAudit)
    #expect(audit.epsilonRelative <= 1e-3)
    #expect(result.model.margins(on: data).allSatisfy { $0 > 0 })
    #expect(result.iterations % 20 == 0)
  }

  @Test("Kernel-space steps (m ≤ d/4, fixed output layer) follow the explicit iterates")
  func kernelSpaceMatchesExplicit() throws {
    let data = Fixtures.isotropic(m: 10, d: 80, seed: 4)
    let initial = Fixtures.twoLayer(n: 12, d: 80, trained: false, seed: 5, scale: 0.1)
    var config = TrainingConfiguration(learningRate: 0.5, tolerance: 0, maxIterations: 150)
    config.audits = false
    let fast = try Trainer(config).train(from: initial, on: data).model
    // The explicit loop of the same rule.
    var model = initial
    for _ in 0..<150 {
      let pass = model.forward(data.features)
      let q = zip(data.labels, pass.outputs).map(*)
      let (w, _) = Loss.exponential.normalizedDerivativeWeights(q)
      model.addOutputGradientCombination(data.features, pass: pass, coefficients: (0..<10).map { -w[$0] * data.labels[$0] },
                                         scaledBy: -0.5)
    }
    #expect(Fixtures.relativeError(fast.parameters, model.parameters) <= 1e-10)
    // With audits in between (W materialised and Z recomputed at each), the same again.
    config.audits = true
    config.auditInterval = 40
    let audited = try Trainer(config).train(from: initial, on: data).model
    #expect(Fixtures.relativeError(audited.parameters, model.parameters) <= 1e-10)
  }

  @Test("Training is deterministic: same inputs, identical parameters")
  func deterministic() throws {
    let data = Fixtures.isotropic(m: 8, d: 50, seed: 2)
    let initial = Fixtures.twoLayer(n: 6, d: 50, trained: true, seed: 3, scale: 0.1)
    let config = TrainingConfiguration(tolerance: 0, auditInterval: 50, maxIterations: 200)
    let a = try Trainer(config).train(from: initial, on: data).model
    let b = try Trainer(config).train(from: initial, on: data).model
    #expect(a.parameters.map(\.bitPattern) == b.parameters.map(\.bitPattern))
  }

  @Test("A learning rate that diverges stops with a clear error")
  func divergence() {
    let data = Fixtures.isotropic(m: 8, d: 50, seed: 2)
    let initial = Fixtures.twoLayer(n: 6, d: 50, trained: true, seed: 3, scale: 1)
    let config = TrainingConfiguration(algorithm: .gradientDescent, learningRate: 1e6, tolerance: 0, maxIterations: 1000)
    #expect(throws: TrainingError.self) { try Trainer(config).train(from: initial, on: data) }
  }

  @Test("Degree C = 2: loss-normalised steps stay O(η), so ‖θ‖ grows linearly, not geometrically")
  func trainedOutputLayerDoesNotOverflow() throws {
    let data = Fixtures.isotropic(m: 8, d: 60, seed: 2)
    let initial = Fixtures.twoLayer(n: 10, d: 60, trained: true, seed: 3, scale: 0.01)
    let config = TrainingConfiguration(learningRate: 1, tolerance: 0, auditInterval: 1000, maxIterations: 3000)
    let result = try Trainer(config).train(from: initial, on: data)
    let finite = result.model.parameters.allSatisfy { $0.isFinite }
    #expect(finite)
    // ‖∇N(x)‖ ≤ √2 ‖θ‖ ‖x‖ at C = 2, so each step moves θ by at most √2 η max‖x‖.
    let maxNorm = (0..<data.count).map { BLAS.norm(data.features.row($0)) }.max()!
    #expect(result.model.parameterNorm <= 3000 * 2.0.squareRoot() * maxNorm + initial.parameterNorm)
    #expect(result.model.margins(on: data).allSatisfy { $0 > 0 })
  }

  @Test("Invalid settings are rejected before any work")
  func invalidSettings() {
    let data = Fixtures.isotropic(m: 4, d: 5)
    let model = LinearModel.initialized(dimension: 5, initScale: 1, seed: 1)
    for config in [TrainingConfiguration(learningRate: -1), TrainingConfiguration(tolerance: -1e-3),
                   TrainingConfiguration(auditInterval: 0), TrainingConfiguration(learningRate: .nan)] {
      #expect(throws: TrainingError.self) { try Trainer(config).train(from: model, on: data) }
    }
    #expect(throws: TrainingError.dimensionMismatch(model: 6, data: 5)) {
      try Trainer().train(from: LinearModel.initialized(dimension: 6, initScale: 1, seed: 1), on: data)
    }
  }

  @Test("The iteration limit is reported, with the last audit")
  func iterationLimit() throws {
    let data = Fixtures.isotropic(m: 8, d: 100, seed: 2)
    let config = TrainingConfiguration(tolerance: 1e-12, auditInterval: 10, maxIterations: 30)
    let result = try Trainer(config).train(from: LinearModel.initialized(dimension: 100, initScale: 0.01, seed: 1), on: data)
    #expect(result.stopReason == .iterationLimit && result.iterations == 30)
  }
}
