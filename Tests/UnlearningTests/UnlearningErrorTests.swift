import LinearAlgebra
import TestSupport
import Testing
import Unlearning

/// The errors of the unlearning methods' settings and results: each thrown as an
/// ``UnlearningError`` of its class (not as a data-set or training error).
@Suite("Unlearning errors: type and class")
struct UnlearningErrorTests {
  /// A linear model and data on which it has every margin negative: its fitted ρ is negative.
  static func misfit() throws -> (LinearModel, Dataset) {
    let data = Fixtures.isotropic(m: 6, d: 5, seed: 4)
    let model = LinearModel(weights: [1, 0, 0, 0, 0])
    let labels = (0..<data.count).map { data.features[$0, 0] > 0 ? -1.0 : 1.0 }
    return (model, try Dataset(features: data.features, labels: labels))
  }

  @Test("retrain without the recorded initialisation: missingInitialization, usage")
  func missingInitialization() throws {
    let data = Fixtures.isotropic(m: 8, d: 20, seed: 1)
    let model = Fixtures.twoLayer(n: 4, d: 20, trained: false, seed: 2)
    #expect(throws: UnlearningError.missingInitialization) {
      try UnlearningRun(model: model, data: data, forgetSet: [1]).apply(.retrain)
    }
    #expect(UnlearningError.missingInitialization.failureClass == .usage)
  }

  @Test("A negative step count: negativeStepCount, usage")
  func negativeSteps() throws {
    let data = Fixtures.isotropic(m: 8, d: 20, seed: 1)
    let model = Fixtures.twoLayer(n: 4, d: 20, trained: false, seed: 2)
    #expect(throws: UnlearningError.negativeStepCount(-1)) {
      try UnlearningRun(model: model, data: data, forgetSet: [1]).apply(.fineTune(steps: -1))
    }
    #expect(UnlearningError.negativeStepCount(-1).failureClass == .usage)
  }

  @Test("Newton's settings: a ρ ≤ 0, an unfittable ρ, Woodbury for a network — all usage")
  func newtonSettings() throws {
    let (model, data) = try Self.misfit()
    #expect(throws: UnlearningError.invalidRegularization(0)) {
      try NewtonRemoval(regularization: 0).unlearn(model, data: data, forgetSet: [0])
    }
    let fitted = NewtonRemoval.fittedRegularization(model, data: data)
    #expect(fitted < 0)
    #expect(throws: UnlearningError.unfittableRegularization(fitted: fitted)) {
      try NewtonRemoval().unlearn(model, data: data, forgetSet: [0])
    }
    let network = Fixtures.twoLayer(n: 4, d: 5, trained: false, seed: 2)
    #expect(throws: UnlearningError.woodburyNeedsLinearModel) {
      try NewtonRemoval(regularization: 1, solver: .woodbury).unlearn(network, data: data, forgetSet: [0])
    }
    for error in [UnlearningError.invalidRegularization(0), .unfittableRegularization(fitted: -1), .woodburyNeedsLinearModel,
                  .nonFiniteStepSize(.nan)] {
      #expect(error.failureClass == .usage, "\(error)")
    }
  }

  @Test("neggrad steps that overflow: nonFiniteResult, numerical (not TrainingError)")
  func nonFiniteResult() throws {
    let data = Fixtures.isotropic(m: 8, d: 20, seed: 1)
    let model = Fixtures.twoLayer(n: 4, d: 20, trained: false, seed: 2)
    let run = try UnlearningRun(model: model, data: data, forgetSet: [1])
    #expect(throws: UnlearningError.nonFiniteResult(method: "neggrad")) {
      try run.apply(.negGrad(steps: 20, rate: .greatestFiniteMagnitude))
    }
    #expect(UnlearningError.nonFiniteResult(method: "neggrad").failureClass == .numerical)
  }

  @Test("The solvers' failures stay numerical, and no message names a command-line flag")
  func numericalAndFlagFree() {
    let all: [UnlearningError] = [
      .hessianNotPositiveDefinite(iteration: 1, curvature: -1), .solverDidNotConverge(iterations: 5, relativeResidual: 0.1),
      .singularGram(size: 3), .nonFiniteResult(method: "newton"), .negativeStepCount(-1), .nonFiniteStepSize(.infinity),
      .invalidRegularization(0), .unfittableRegularization(fitted: -1), .missingInitialization, .woodburyNeedsLinearModel,
    ]
    for error in all.prefix(4) { #expect(error.failureClass == .numerical, "\(error)") }
    for error in all { #expect(!"\(error)".contains("--") && !"\(error)".contains("unlearn "), "\(error)") }
    let audit = KKTAuditError.notInterpolating(minMargin: -1, nonPositiveMargins: 1, examples: 4)
    #expect(!"\(audit)".contains("--") && !"\(audit)".contains("unlearn "))
  }
}
