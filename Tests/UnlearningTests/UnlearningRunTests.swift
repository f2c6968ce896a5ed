import LinearAlgebra
import Testing
@testable import Unlearning

/// The pipeline on a small linear and two-layer case: the same bits as the pieces it composes,
/// one kernel per set and one retraining per run, τ by its definition.
@Suite("The unlearning pipeline (UnlearningRun)")
struct UnlearningRunTests {
  /// A trained model, its initialisation, its data and its training settings.
  struct Case<M: HomogeneousModel> {
    var model: M
    var initial: M
    var data: Dataset
    var training: TrainingConfiguration

    func run(certifies: Bool = true, comparesToRetrained: Bool = true) throws -> UnlearningRun<M> {
      try UnlearningRun(model: model, data: data, forgetSet: [1, 4], auditor: KKTAuditor(kappa: training.kappa),
                        initial: initial, training: training, certifies: certifies, comparesToRetrained: comparesToRetrained)
    }
  }

  static let linear: Case<LinearModel> = {
    let data = Fixtures.isotropic(m: 10, d: 60, seed: 21)
    let initial = LinearModel.initialized(dimension: 60, initScale: 0.01, seed: 22)
    let training = TrainingConfiguration(learningRate: 1, tolerance: 1e-4, auditInterval: 50, maxIterations: 4000)
    return Case(model: try! Trainer(training).train(from: initial, on: data).model, initial: initial, data: data, training: training)
  }()

  static let twoLayer: Case<TwoLayerReLUNetwork> = {
    let data = Fixtures.isotropic(m: 10, d: 80, seed: 12)
    let initial = Fixtures.twoLayer(n: 12, d: 80, trained: false, seed: 13, scale: 0.01)
    let training = TrainingConfiguration(learningRate: 1, tolerance: 2e-2, auditInterval: 100, maxIterations: 4000)
    return Case(model: try! Trainer(training).train(from: initial, on: data).model, initial: initial, data: data, training: training)
  }()

  /// The Outcome of `.gaKKT` against the pieces by hand: the same θ_U, audit on S∖F and τ, bit for bit.
  func paperStepMatchesThePieces<M: HomogeneousModel>(_ c: Case<M>) throws {
    let run = try c.run()
    for step in GradientAscentUnlearning.Step.allCases {
      let outcome = try run.run(.gaKKT(alpha: 0.75, step: step))
      let auditor = KKTAuditor(kappa: c.training.kappa)
      let onS = try auditor.audit(c.model, on: c.data)
      let expected = try GradientAscentUnlearning(alpha: 0.75, step: step).unlearn(onS, data: c.data, forgetSet: [1, 4])
      #expect(outcome.model.parameters == expected.parameters)
      let (retained, _) = try c.data.removing([1, 4])
      let onRetained = try auditor.audit(expected, on: retained)
      let audited = try #require(try outcome.audit?.get())
      #expect(audited.epsilon == onRetained.epsilon)
      #expect(audited.delta == onRetained.delta)
      #expect(audited.multipliers == onRetained.multipliers)
      let retrained = try Trainer(c.training).train(from: c.initial, on: retained).model
      #expect(outcome.tau == 1 - Vector.cosine(expected.parameters, retrained.parameters))
    }
  }

  @Test("ga-kkt through the run is GradientAscentUnlearning on the audit, bit for bit (linear)")
  func paperStepLinear() throws { try paperStepMatchesThePieces(Self.linear) }

  @Test("ga-kkt through the run is GradientAscentUnlearning on the audit, bit for bit (two-layer)")
  func paperStepTwoLayer() throws { try paperStepMatchesThePieces(Self.twoLayer) }

  /// Many methods, one kernel of S, one of S∖F, one audit on S, one retraining.
  func sharesItsWork<M: HomogeneousModel>(_ c: Case<M>) throws {
    let run = try c.run()
    #expect(run.kernelsFormed == 0 && run.retrainings == 0)
    let methods: [UnlearningMethod] = [.gaKKT(), .gaKKT(step: .decomposition), .gaKKTRecover(steps: 2), .fineTune(steps: 2),
                                       .negGradPlus(steps: 2), .retrain, .minNormOG(steps: 1)]
    for method in methods { _ = try run.run(method) }
    _ = try run.certificate(.retrained, for: c.model)
    _ = try run.certificate(.self, for: c.model)
    #expect(run.kernelsFormed == 2)  // K of S (the audit on S) and K of S∖F (every audit on S∖F)
    #expect(run.retrainings == 1)
    #expect(run.kernel.elements == BLAS.rowGram(c.data.features).elements)
    #expect(run.retainedKernel.elements == BLAS.rowGram(run.retained.features).elements)
  }

  @Test("One kernel per set and one retraining however many methods run (linear)")
  func sharedWorkLinear() throws { try sharesItsWork(Self.linear) }

  @Test("One kernel per set and one retraining however many methods run (two-layer)")
  func sharedWorkTwoLayer() throws { try sharesItsWork(Self.twoLayer) }

  @Test("τ is 1 − cos(θ_U, θ_retrained) by its definition, 0 for the retrained model itself, and absent when not compared")
  func tauByDefinition() throws {
    let c = Self.twoLayer
    let run = try c.run()
    let retrained = try #require(try run.retrained())
    for method in [UnlearningMethod.gaKKT(), .fineTune(steps: 3), .negGrad(steps: 2, rate: 0.01)] {
      let outcome = try run.run(method)
      let cosine = Vector.cosine(outcome.model.parameters, retrained.model.parameters)
      #expect(outcome.tau == 1 - cosine)
      #expect(Vector.tau(outcome.model.parameters, retrained.model.parameters) == 1 - cosine)
    }
    #expect(try run.run(.retrain).tau == 1 - Vector.cosine(retrained.model.parameters, retrained.model.parameters))
    #expect(Vector.tau([1, 0], [0, 1]) == 1 && Vector.tau([3, 0], [-2, 0]) == 2 && Vector.tau([0, 0], [1, 1]) == 1)
    // A vector against itself is exactly 0 under every BLAS kernel (not 1 − a rounded cosine), and zero stays 1.
    let v = Fixtures.isotropic(m: 1, d: 1001, seed: 3).features.elements
    #expect(Vector.tau(v, v) == 0 && Vector.tau([0, 0], [0, 0]) == 1)
    let plain = try c.run(certifies: false, comparesToRetrained: false)
    let outcome = try plain.run(.gaKKT())
    #expect(outcome.tau == nil && outcome.audit == nil)
    #expect(plain.retrainings == 0)
  }

  @Test("The baselines through the run are their own loops, bit for bit (fine-tune = k normalised steps on S∖F)")
  func baselineMatchesItsLoop() throws {
    let c = Self.linear
    let run = try c.run(certifies: false, comparesToRetrained: false)
    var config = TrainingConfiguration(loss: c.training.loss, learningRate: 0.5, tolerance: 0, maxIterations: 7)
    config.audits = false
    let expected = try Trainer(config).train(from: c.model, on: run.retained).model
    #expect(try run.apply(.fineTune(steps: 7, learningRate: 0.5)).parameters == expected.parameters)
    #expect(try run.apply(.retrain).parameters == Trainer(c.training).train(from: c.initial, on: run.retained).model.parameters)
  }

  @Test("A supplied audit on S is used as is; a failed one is rethrown on every call")
  func suppliedAudit() throws {
    let c = Self.linear
    let audit = try KKTAuditor(kappa: c.training.kappa).audit(c.model, on: c.data)
    let run = try UnlearningRun(model: c.model, data: c.data, forgetSet: [1, 4], auditor: KKTAuditor(kappa: c.training.kappa),
                                audit: audit, certifies: false)
    #expect(try run.apply(.gaKKT()).parameters == GradientAscentUnlearning().unlearn(audit, data: c.data, forgetSet: [1, 4]).parameters)
    #expect(run.kernelsFormed == 0)
    let flipped = try Dataset(features: c.data.features, labels: c.data.labels.map { -$0 })
    let bad = try UnlearningRun(model: c.model, data: flipped, forgetSet: [0])
    for _ in 0..<2 {
      #expect(throws: KKTAuditError.self) { try bad.run(.gaKKT()) }
    }
    #expect(bad.kernelsFormed == 1)
  }
}
