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

  /// A run forgetting example 2 of the setup's data.
  static func run(retraining: Bool = false) throws -> UnlearningRun<TwoLayerReLUNetwork> {
    let (model, initial, data, config) = Self.setup
    return try UnlearningRun(model: model, data: data, forgetSet: [2], initial: retraining ? initial : nil,
                             training: retraining ? config : nil)
  }

  /// `kind` at its defaults, with k = `steps` for the step methods.
  static func method(_ kind: UnlearningMethod.Kind, steps k: Int, rate: Double = 0.1) -> UnlearningMethod {
    switch kind {
    case .gaKKT: .gaKKT()
    case .gaKKTRecover: .gaKKTRecover(steps: k)
    case .retrain: .retrain
    case .fineTune: .fineTune(steps: k)
    case .negGrad: .negGrad(steps: k, rate: rate)
    case .negGradPlus: .negGradPlus(steps: k, rate: rate)
    case .randomLabel: .randomLabel(steps: k)
    case .newton: .newton()
    case .minNormOG: .minNormOG(steps: k)
    }
  }

  @Test("ga-kkt+recover with k = 0 is the paper's step; every method returns finite parameters", arguments: UnlearningMethod.Kind.allCases)
  func everyMethodRuns(kind: UnlearningMethod.Kind) throws {
    let result = try Self.run(retraining: true).apply(Self.method(kind, steps: 5))
    #expect(result.parameters.allSatisfy { $0.isFinite })
    if kind == .gaKKTRecover {
      let paper = try Self.run().apply(.gaKKT())
      let noRecovery = try Self.run().apply(.gaKKTRecover(steps: 0))
      #expect(noRecovery.parameters == paper.parameters)
    }
  }

  @Test("Every kind's name parses back, its default method has that kind, and the names are the output formats'")
  func names() {
    for kind in UnlearningMethod.Kind.allCases {
      #expect(UnlearningMethod.Kind(rawValue: kind.rawValue) == kind)
      #expect(UnlearningMethod(kind).kind == kind)
      #expect(UnlearningMethod(kind).name == kind.rawValue)
    }
    #expect(UnlearningMethod.Kind.allCases.map(\.rawValue) == [
      "ga-kkt", "ga-kkt+recover", "retrain", "fine-tune", "neggrad", "neggrad-plus", "random-label", "newton", "minnorm-og"])
    #expect(UnlearningMethod(.negGradPlus) == .negGradPlus(steps: 10, rate: 0.1, forgetWeight: 1))
    #expect(UnlearningMethod(.gaKKTRecover) == .gaKKTRecover(alpha: 1, step: .gradient, steps: 10, learningRate: 1))
  }

  @Test("Ascent and relabelling lower the forgotten example's normalised margin; fine-tune and retrain leave S∖F interpolated")
  func directions() throws {
    let (model, _, data, _) = Self.setup
    func normalizedMargin(_ m: TwoLayerReLUNetwork) -> Double {
      let q = m.margins(on: data)
      return q[2] / (q.enumerated().filter { $0.offset != 2 }.map(\.element).min()!)
    }
    let before = normalizedMargin(model)
    for kind in [UnlearningMethod.Kind.negGrad, .negGradPlus, .randomLabel] {
      let after = try Self.run().apply(Self.method(kind, steps: 5, rate: 10))
      #expect(normalizedMargin(after) < before, "\(kind)")
    }
    let (retained, _) = try data.removing([2])
    for kind in [UnlearningMethod.Kind.fineTune, .retrain] {
      let after = try Self.run(retraining: true).apply(Self.method(kind, steps: 20))
      #expect(after.margins(on: retained).allSatisfy { $0 > 0 }, "\(kind)")
    }
  }

  @Test("retrain without the recorded initialisation is a clear error")
  func retrainNeedsInitialisation() {
    let (model, _, data, _) = Self.setup
    #expect(throws: UnlearningError.missingInitialization) { try UnlearningRun(model: model, data: data, forgetSet: [1]).apply(.retrain) }
  }
}
