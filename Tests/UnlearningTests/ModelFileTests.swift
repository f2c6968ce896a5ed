import Foundation
import LinearAlgebra
import TestSupport
import Testing
import Unlearning

@Suite("Model files (safetensors)")
struct ModelFileTests {
  func roundTrip(_ model: any HomogeneousModel, _ metadata: ModelMetadata) throws -> (any HomogeneousModel, ModelMetadata) {
    let file = ModelFile.encode(model, metadata: metadata)
    let bytes = try file.encode()
    return try ModelFile.decode(SafetensorsFile.parse(bytes, name: "model.safetensors"))
  }

  @Test("Linear and two-layer models round-trip bit-exactly with their metadata", arguments: [0, 1, 2])
  func roundTrips(kind: Int) throws {
    let model: any HomogeneousModel = switch kind {
    case 0: LinearModel.initialized(dimension: 9, initScale: 1, seed: 1)
    case 1: Fixtures.twoLayer(n: 4, d: 9, trained: false)
    default: Fixtures.twoLayer(n: 4, d: 9, trained: true)
    }
    let metadata = ModelMetadata(loss: .logistic, initSeed: 7, initScale: 0.01,
                                 training: TrainingConfiguration(loss: .logistic, learningRate: 0.5, tolerance: 1e-3),
                                 extra: ["unlearned_forget": "1,2"])
    let (back, meta) = try roundTrip(model, metadata)
    #expect(back.parameters.map(\.bitPattern) == model.parameters.map(\.bitPattern))
    #expect(back.homogeneityDegree == model.homogeneityDegree)
    #expect(meta == metadata)
    if let net = model as? TwoLayerReLUNetwork {
      let netBack = try #require(back as? TwoLayerReLUNetwork)
      #expect(netBack.outputWeights == net.outputWeights && netBack.trainsOutputLayer == net.trainsOutputLayer)
    }
    let x = Fixtures.isotropic(m: 5, d: 9).features
    #expect(back.outputs(x) == model.outputs(x))
  }

  func decode(_ tensors: [String: SafetensorsTensor], _ metadata: [String: String]) throws {
    _ = try ModelFile.decode(SafetensorsFile(tensors: tensors, metadata: metadata))
  }

  @Test("Malformed models are rejected with the reason", arguments: [
    (0, "missing tensor W"), (1, "missing tensor u"), (2, "tensor u has shape [3] but W has 2 rows"),
    (3, "is not linear or two-layer-relu"), (4, "unexpected tensor b"), (5, "tensor W has shape [6]"),
    (6, "train_output_layer = \"maybe\""), (7, "loss = \"hinge\""), (8, "non-finite value"), (9, "missing tensor w"),
  ])
  func malformed(index: Int, message: String) throws {
    let w = SafetensorsTensor(Matrix(rows: 2, columns: 3, repeating: 0.5))
    let u = SafetensorsTensor(vector: [1, -1])
    let two = ["architecture": "two-layer-relu"]
    let cases: [([String: SafetensorsTensor], [String: String])] = [
      (["u": u], two),
      (["W": w], two),
      (["W": w, "u": SafetensorsTensor(vector: [1, 2, 3])], two),
      (["W": w, "u": u], ["architecture": "transformer"]),
      (["W": w, "u": u, "b": u], two),
      (["W": SafetensorsTensor(vector: [1, 2, 3, 4, 5, 6]), "u": u], two),
      (["W": w, "u": u], ["architecture": "two-layer-relu", "train_output_layer": "maybe"]),
      (["W": w, "u": u], ["architecture": "two-layer-relu", "loss": "hinge"]),
      (["W": SafetensorsTensor(Matrix(rows: 2, columns: 3, elements: [0, 0, .nan, 0, 0, 0])), "u": u], two),
      (["u": u], ["architecture": "linear"]),
    ]
    let (tensors, metadata) = cases[index]
    do {
      try decode(tensors, metadata)
      Issue.record("expected an error containing \(message)")
    } catch let error as FileFormatError {
      #expect(error.description.contains(message), "got: \(error)")
    }
  }

  @Test("Without metadata the tensor names decide the architecture")
  func inferred() throws {
    let (linear, _) = try ModelFile.decode(SafetensorsFile(tensors: ["w": SafetensorsTensor(vector: [1, 2])]))
    #expect(linear is LinearModel)
    let (net, meta) = try ModelFile.decode(SafetensorsFile(tensors: ["W": SafetensorsTensor(Matrix.identity(2)),
                                                                      "u": SafetensorsTensor(vector: [1, -1])]))
    #expect((net as? TwoLayerReLUNetwork)?.trainsOutputLayer == false)
    #expect(meta.loss == .exponential && meta.initSeed == nil)
  }
}
