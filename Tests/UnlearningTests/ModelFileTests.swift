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
    (3, "is not linear, two-layer-relu or deep-relu"), (4, "unexpected tensor b"), (5, "tensor W has shape [6]"),
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

@Suite("Model files read by NumPy")
struct ModelFileInteropTests {
  @Test(
    "A NumPy user loads a written model and gets the same outputs",
    .enabled(if: IOTestSupport.hasSafetensors, "python3 with numpy and safetensors is not available"),
    arguments: [0, 1, 2])
  func numpyOutputs(kind: Int) throws {
    let model: any HomogeneousModel = switch kind {
    case 0: LinearModel.initialized(dimension: 30, initScale: 1, seed: 1)
    case 1: Fixtures.twoLayer(n: 12, d: 30, trained: false)
    default: Fixtures.twoLayer(n: 12, d: 30, trained: true)
    }
    let dir = try IOTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let modelURL = dir.appendingPathComponent("model.safetensors"), xURL = dir.appendingPathComponent("x.npy")
    let x = Fixtures.isotropic(m: 7, d: 30, seed: 4).features
    try ModelFile.write(model, metadata: ModelMetadata(), to: modelURL, overwrite: false)
    try NpyFormat.write(NumPyArray(x), to: xURL, overwrite: false)
    let script = """
      import sys, numpy as np
      from safetensors.numpy import load_file
      from safetensors import safe_open
      t = load_file(sys.argv[1]); X = np.load(sys.argv[2])
      with safe_open(sys.argv[1], framework="np") as f: arch = f.metadata()["architecture"]
      out = X @ t["w"] if arch == "linear" else np.maximum(X @ t["W"].T, 0.0) @ t["u"]
      print(' '.join(repr(float(v)) for v in out))
      """
    let result = try #require(IOTestSupport.python(script, [modelURL.path, xURL.path]))
    #expect(result.status == 0)
    let theirs = result.output.split(whereSeparator: \.isWhitespace).map { Double(String($0)) ?? .nan }
    let ours = model.outputs(x)
    #expect(theirs.count == ours.count)
    // Same numbers up to the summation order of the two BLAS libraries.
    for (a, b) in zip(theirs, ours) { #expect(abs(a - b) <= 1e-13 * max(1, abs(b))) }
  }
}
