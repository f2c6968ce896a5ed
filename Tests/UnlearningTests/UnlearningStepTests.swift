import LinearAlgebra
import TestSupport
import Testing
import Unlearning

@Suite("Gradient-ascent unlearning")
struct UnlearningStepTests {
  /// Exactly orthogonal (rotated, unequal norms) data: the max-margin predictor
  /// of any subset T is `Σ_{i∈T} y_i x_i / ‖x_i‖²`.
  func orthogonalData(m: Int, d: Int) throws -> Dataset {
    var rng = SeededGenerator(seed: 5)
    var basis: [[Double]] = []
    while basis.count < m {
      var v = rng.gaussians(d)
      for b in basis { let p = BLAS.dot(v, b); for k in 0..<d { v[k] -= p * b[k] } }
      for b in basis { let p = BLAS.dot(v, b); for k in 0..<d { v[k] -= p * b[k] } }
      let n = BLAS.norm(v)
      basis.append(v.map { $0 / n })
    }
    let rows = basis.enumerated().map { i, b in b.map { $0 * (0.6 + 0.1 * Double(i)) } }
    return try Dataset(features: Matrix(rows), labels: (0..<m).map { $0 % 3 == 0 ? -1 : 1 })
  }

  func maxMargin(_ data: Dataset, _ indices: [Int]) -> [Double] {
    var w = [Double](repeating: 0, count: data.dimension)
    for i in indices {
      let x = data.features.row(i)
      BLAS.axpy(data.labels[i] / BLAS.dot(x, x), x, &w)
    }
    return w
  }

  @Test("On exactly orthogonal data the linear GA step is the max-margin predictor of S∖F", arguments: [[0], [2, 5]])
  func orthogonalLinear(forget: [Int]) throws {
    let data = try orthogonalData(m: 8, d: 12)
    let model = LinearModel(weights: maxMargin(data, Array(0..<8))).scaled(by: 4.2)
    let audit = try KKTAuditor().audit(model, on: data)
    #expect(audit.epsilonRelative <= 1e-13)
    let unlearned = try GradientAscentUnlearning().unlearn(audit, data: data, forgetSet: forget)
    let retainedIndices = (0..<8).filter { !forget.contains($0) }
    let target = maxMargin(data, retainedIndices)
    #expect(1 - Vector.cosine(unlearned.parameters, target) <= 1e-12)
    #expect(Fixtures.relativeError(unlearned.parameters, target) <= 1e-12)
    // It is an exact KKT point of P(S∖F).
    let retained = data.subset(retainedIndices)
    let onRetained = try KKTAuditor().audit(unlearned, on: retained)
    #expect(onRetained.epsilonRelative <= 1e-12 && abs(onRetained.delta) <= 1e-12)
  }

  @Test("The λ form and the β·∇ℓ form of the step agree", arguments: Loss.allCases)
  func twoFormsAgree(loss: Loss) throws {
    let data = Fixtures.isotropic(m: 10, d: 60, seed: 3)
    let initial = Fixtures.twoLayer(n: 12, d: 60, trained: true, seed: 4, scale: 0.1)
    let config = TrainingConfiguration(loss: loss, learningRate: 0.2, tolerance: 0, auditInterval: 400, maxIterations: 400)
    let model = try Trainer(config).train(from: initial, on: data).model
    let audit = try KKTAuditor(kappa: 0.03).audit(model, on: data)
    let forget = [1, 6]
    let viaLambda = try GradientAscentUnlearning(alpha: 0.8).unlearn(audit, data: data, forgetSet: forget)
    let viaLoss = try GradientAscentUnlearning(alpha: 0.8).unlearnByLossAscent(audit, data: data, forgetSet: forget, loss: loss)
    #expect(Fixtures.relativeError(viaLoss.parameters, viaLambda.parameters) <= 1e-12)
    let beta = GradientAscentUnlearning.stepSizes(audit, forgetSet: forget, loss: loss)
    #expect(beta.allSatisfy { $0 >= 0 && $0.isFinite })
  }

  @Test("The two variants coincide at κ = 0 and for linear models; α = 0 returns θ̂")
  func variantsCoincide() throws {
    let data = Fixtures.isotropic(m: 10, d: 60, seed: 3)
    let initial = Fixtures.twoLayer(n: 12, d: 60, trained: false, seed: 4, scale: 0.1)
    let model = try Trainer(TrainingConfiguration(tolerance: 0, auditInterval: 300, maxIterations: 300)).train(from: initial, on: data).model
    let strict = try KKTAuditor(kappa: 0).audit(model, on: data)
    let g = try GradientAscentUnlearning(step: .gradient).unlearn(strict, data: data, forgetSet: [3])
    let d = try GradientAscentUnlearning(step: .decomposition).unlearn(strict, data: data, forgetSet: [3])
    #expect(Fixtures.relativeError(g.parameters, d.parameters) <= 1e-14)
    let zero = try GradientAscentUnlearning(alpha: 0).unlearn(strict, data: data, forgetSet: [3])
    #expect(zero.parameters == strict.normalizedModel.parameters)
  }

  @Test("Bad forget sets are rejected", arguments: [[Int](), [10], [-1], [2, 2], Array(0..<10)])
  func badForgetSets(forget: [Int]) throws {
    let data = Fixtures.isotropic(m: 10, d: 30)
    let model = LinearModel(weights: BLAS.product(data.features, .transposed, data.labels))
    let audit = try KKTAuditor().audit(model, on: data)
    #expect(throws: DatasetError.self) { try GradientAscentUnlearning().unlearn(audit, data: data, forgetSet: forget) }
  }
}
