import LinearAlgebra
import TestSupport
import Testing
import Unlearning

@Suite("Baseline unlearning methods")
struct BaselineUnlearningTests {
  /// A two-layer network trained on isotropic data, and the data.
  static let setup: (TwoLayerReLUNetwork, TwoLayerReLUNetwork, Dataset, TrainingConfiguration) = {
    let data = Fixtures.isotropic(m: 10, d: 80, seed: 12)
    let initial = Fixtures.twoLayer(n: 12, d: 80, trained: false, seed: 13, scale: 0.01)
    let config = TrainingConfiguration(learningRate: 1, tolerance: 2e-2, auditInterval: 100, maxIterations: 4000)
    let model = try! Trainer(config).train(from: initial, on: data).model
    return (model, initial, data, config)
  }()

  @Test("ga-kkt+recover with k = 0 is the paper's step; every method returns finite parameters", arguments: UnlearningMethod.allCases)
  func everyMethodRuns(method: UnlearningMethod) throws {
    let (model, initial, data, config) = Self.setup
    let result = try BaselineUnlearning(method: method, steps: 5).unlearn(model, data: data, forgetSet: [2], initial: initial, training: config)
    #expect(result.parameters.allSatisfy { $0.isFinite })
    if method == .gaKKTRecover {
      let paper = try BaselineUnlearning(method: .gaKKT).unlearn(model, data: data, forgetSet: [2])
      let noRecovery = try BaselineUnlearning(method: .gaKKTRecover, steps: 0).unlearn(model, data: data, forgetSet: [2])
      #expect(noRecovery.parameters == paper.parameters)
    }
  }

  @Test("Ascent and relabelling lower the forgotten example's normalised margin; fine-tune and retrain leave S∖F interpolated")
  func directions() throws {
    let (model, initial, data, config) = Self.setup
    func normalizedMargin(_ m: TwoLayerReLUNetwork) -> Double {
      let q = m.margins(on: data)
      return q[2] / (q.enumerated().filter { $0.offset != 2 }.map(\.element).min()!)
    }
    let before = normalizedMargin(model)
    for method in [UnlearningMethod.negGrad, .negGradPlus, .randomLabel] {
      let after = try BaselineUnlearning(method: method, steps: 5, ascentLearningRate: 10).unlearn(model, data: data, forgetSet: [2])
      #expect(normalizedMargin(after) < before, "\(method)")
    }
    let (retained, _) = try data.removing([2])
    for method in [UnlearningMethod.fineTune, .retrain] {
      let after = try BaselineUnlearning(method: method, steps: 20).unlearn(model, data: data, forgetSet: [2], initial: initial, training: config)
      #expect(after.margins(on: retained).allSatisfy { $0 > 0 }, "\(method)")
    }
  }

  @Test("retrain without the recorded initialisation is a clear error")
  func retrainNeedsInitialisation() {
    let (model, _, data, _) = Self.setup
    #expect(throws: UnlearningError.missingInitialization) { try BaselineUnlearning(method: .retrain).unlearn(model, data: data, forgetSet: [1]) }
  }
}
