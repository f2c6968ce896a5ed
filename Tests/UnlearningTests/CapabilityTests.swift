import LinearAlgebra
import Testing
import Unlearning

/// The capabilities a model declares instead of being recognised by downcasts.
@Suite("Model capabilities and file layout")
struct CapabilityTests {
  static let models: [any HomogeneousModel] = [
    LinearModel.initialized(dimension: 9, initScale: 1, seed: 1),
    Fixtures.twoLayer(n: 4, d: 9, trained: false),
    Fixtures.twoLayer(n: 4, d: 9, trained: true),
    DeepReLUNetwork.initialized(depth: 3, width: 4, dimension: 9, initScale: 1, seed: 3),
  ]

  @Test("Each model's architecture names the type that reads its tensors back, bit-exactly")
  func tensorsRoundTrip() throws {
    for model in Self.models {
      let architecture = model.architecture
      #expect(ModelArchitecture.of(model) == architecture)
      let type = try #require(ModelArchitecture.modelType(named: architecture.metadataName))
      let back = try type.init(tensors: model.tensors(), metadata: ModelMetadata().dictionary(for: architecture))
      #expect(back.architecture == architecture)
      #expect(back.parameters.map(\.bitPattern) == model.parameters.map(\.bitPattern))
    }
    #expect(ModelArchitecture.modelType(named: "conv") == nil)
  }

  @Test("The fast paths are the adopted protocols: kernel space, Woodbury, max-margin oracle, strict-only audit")
  func adoptedCapabilities() {
    let kinds = Self.models.map { m in
      [m is any KernelSpaceTrainable, m is any WoodburyInvertible, m is any MaxMarginSolvable, m is any StrictAuditOnly]
    }
    #expect(kinds == [[false, true, true, false], [true, false, false, false], [true, false, false, false],
                      [false, false, false, true]])
    // Kernel-space steps only for the fixed output layer with 4m ≤ d.
    #expect(KernelSpaceSteps.applies(to: Self.models[1], examples: 2, dimension: 9))
    #expect(!KernelSpaceSteps.applies(to: Self.models[1], examples: 3, dimension: 9))
    #expect(!KernelSpaceSteps.applies(to: Self.models[2], examples: 2, dimension: 9))
    #expect(!KernelSpaceSteps.applies(to: Self.models[0], examples: 2, dimension: 9))
  }

  @Test("A typed pass scales like the model: outputs by s^C, layer l's pre-activations by s^l")
  func passesScale() {
    let x = Fixtures.isotropic(m: 5, d: 9).features
    let s = 1.7
    func check<M: HomogeneousModel>(_ model: M) {
      let fresh = model.scaled(by: s).forward(x).outputs
      let scaled = model.forward(x).scaled(by: s, degree: model.homogeneityDegree).outputs
      #expect(Fixtures.relativeError(fresh, scaled) < 1e-12)
    }
    for model in Self.models { check(model) }
    let net = Fixtures.twoLayer(n: 4, d: 9, trained: true)
    let z = net.forward(x).scaled(by: s, degree: 2).preactivations
    #expect(Fixtures.relativeError(z.elements, net.scaled(by: s).forward(x).preactivations.elements) < 1e-12)
  }
}
