import LinearAlgebra
import TestSupport
import Testing
import Unlearning

@Suite("SVM oracle, certificates and the ε–δ frontier")
struct CertificateTests {
  @Test("On exactly orthogonal data the SVM is Σ y_i x_i/‖x_i‖² with α_i = 1/‖x_i‖²")
  func svmOrthogonal() throws {
    let rows: [[Double]] = [[2, 0, 0, 0], [0, 0.5, 0, 0], [0, 0, 1, 0]]
    let data = try Dataset(features: Matrix(rows), labels: [1, -1, 1])
    let svm = try MaxMarginSVM().solve(data)
    let expected: [Double] = [0.5, -2, 1, 0]
    for k in 0..<4 { #expect(abs(svm.weights[k] - expected[k]) <= 1e-14) }
    let alpha: [Double] = [0.25, 4, 1]
    for i in 0..<3 { #expect(abs(svm.dualCoefficients[i] - alpha[i]) <= 1e-13 * alpha[i]) }
    #expect(svm.kktError <= 1e-12 && svm.supportVectors == 3)
  }

  @Test("The SVM of isotropic data is a KKT point to 1e-10", arguments: [(20, 1000), (40, 100)])
  func svmIsotropic(m: Int, d: Int) throws {
    let data = Fixtures.isotropic(m: m, d: d, seed: 0)
    let svm = try MaxMarginSVM().solve(data)
    #expect(svm.kktError <= 1e-10)
    let audit = try KKTAuditor().audit(svm.model, on: data)
    #expect(audit.epsilonRelative <= 1e-10 && abs(audit.delta) <= 1e-9)
  }

  @Test("m > d: separable (teacher labels) is solved; non-separable is reported")
  func svmRankDeficient() throws {
    let x = Fixtures.isotropic(m: 40, d: 6, seed: 2).features
    let teacher = LinearModel.initialized(dimension: 6, initScale: 1, seed: 9)
    let separable = Fixtures.labelled(by: teacher, try Dataset(features: x, labels: [Double](repeating: 1, count: 40)))
    let svm = try MaxMarginSVM().solve(separable)
    #expect(svm.kktError <= 1e-9)
    #expect(svm.supportVectors <= 6 + 1)
    let noisy = Fixtures.isotropic(m: 40, d: 6, seed: 2)  // random labels: not separable through 0
    #expect(throws: SVMError.self) { try MaxMarginSVM().solve(noisy) }
    // Two copies of a point with opposite labels: the dual is unbounded.
    let clash = try Dataset(features: Matrix([[1, 0], [1, 0], [0, 1]]), labels: [1, -1, 1])
    do {
      _ = try MaxMarginSVM().solve(clash)
      Issue.record("expected notSeparable")
    } catch let error as SVMError {
      #expect("\(error)".contains("not linearly separable"))
    }
  }

  /// The demo's linear pipeline: train on S to tolerance, forget, certify.
  func linearPipeline(forget: [Int]) throws -> (LinearModel, Dataset, LinearModel, TrainingConfiguration) {
    let (data, _) = try SyntheticData.generate(.isotropic, count: 20, dimension: 1000, seed: 0)
    let initial = LinearModel.initialized(dimension: 1000, initScale: 0.01, seed: 0)
    let config = TrainingConfiguration(learningRate: 1, tolerance: 1e-4, auditInterval: 50, maxIterations: 20_000)
    let trained = try Trainer(config).train(from: initial, on: data)
    let audit = try KKTAuditor().audit(trained.model, on: data)
    let unlearned = try GradientAscentUnlearning().unlearn(audit, data: data, forgetSet: forget)
    return (unlearned, try data.removing(forget).retained, initial, config)
  }

  @Test("Linear, isotropic d = 1000, m = 20, default seed: the exact certificate has τ < 2e-3")
  func exactCertificateTau() throws {
    let (unlearned, retained, initial, config) = try linearPipeline(forget: [0])
    let certifier = Certifier()
    let (exact, svm) = try certifier.exactCertificate(unlearned, retained: retained)
    #expect(exact.kind == .exact)
    let tau = try #require(exact.tau)
    #expect(tau < 2e-3, "τ = \(tau)")
    #expect(try #require(exact.epsilonRelative) <= 1e-10)
    #expect(svm.kktError <= 1e-10)
    let selfCert = try certifier.selfCertificate(unlearned, retained: retained)
    #expect(selfCert.tau == 0 && (selfCert.epsilonRelative ?? 1) < 1e-3)
    let (retrained, result) = try certifier.retrainedCertificate(unlearned, retained: retained, initial: initial, training: config)
    #expect(result.stopReason == .converged)
    #expect((retrained.tau ?? 1) < 2e-3 && (retrained.epsilonRelative ?? 1) <= 1e-4)
  }

  @Test("The self certificate is unavailable, with the reason, when a retained margin is ≤ 0")
  func selfUnavailable() throws {
    let data = try Dataset(features: Matrix([[1, 0], [0, 1], [1, 1]]), labels: [1, 1, -1])
    let model = LinearModel(weights: [1, 1])  // margin of example 2 is −2
    let cert = try Certifier().selfCertificate(model, retained: data)
    #expect(!cert.isAvailable && cert.method.contains("1 of 3 retained margins are ≤ 0"))
  }

  @Test("The ε–δ frontier is non-increasing, respects the budgets and ends at the audit's ε",
        arguments: [false, true])
  func frontier(twoLayer: Bool) throws {
    let data = Fixtures.isotropic(m: 12, d: 150, seed: 4)
    let budgets = [0, 1e-4, 1e-3, 1e-2, 0.1, 1, 1e6]
    let points: [FrontierPoint]
    let audit: Double
    if twoLayer {
      let initial = Fixtures.twoLayer(n: 16, d: 150, trained: false, seed: 5, scale: 0.01)
      let model = try Trainer(TrainingConfiguration(learningRate: 1, tolerance: 0, auditInterval: 500, maxIterations: 500))
        .train(from: initial, on: data).model
      let report = try KKTAuditor().audit(model, on: data)
      points = try KKTAuditor().frontier(report, on: data, budgets: budgets)
      audit = report.epsilon
    } else {
      let model = try Trainer(TrainingConfiguration(learningRate: 1, tolerance: 0, auditInterval: 60, maxIterations: 60))
        .train(from: LinearModel.initialized(dimension: 150, initScale: 0.01, seed: 5), on: data).model
      let report = try KKTAuditor().audit(model, on: data)
      points = try KKTAuditor().frontier(report, on: data, budgets: budgets)
      audit = report.epsilon
    }
    for (a, b) in zip(points, points.dropFirst()) { #expect(b.epsilon <= a.epsilon * (1 + 1e-9) + 1e-14) }
    for p in points { #expect(p.delta <= p.deltaBudget * (1 + 1e-9) + 1e-15) }
    #expect(abs(points.last!.epsilon - audit) <= 1e-8 * max(audit, 1e-12) + 1e-13)
    #expect(points.first!.epsilon >= points.last!.epsilon)
    #expect(throws: KKTAuditError.invalidDeltaBudget(-1)) {
      try KKTAuditor().frontier(KKTAuditor().audit(LinearModel(weights: BLAS.product(data.features, .transposed, data.labels)), on: data), on: data, budgets: [-1])
    }
  }
}
