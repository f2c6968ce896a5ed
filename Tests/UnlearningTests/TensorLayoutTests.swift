import Foundation
import LinearAlgebra
import Testing
import Unlearning

/// PyTorch's layout (MATH.md §8.5): `state_dict()` names and shapes read as they are and written back.
@Suite("PyTorch tensor layouts")
struct TensorLayoutTests {
  /// A tensor of `shape` with seeded values, in `dtype` (values rounded to it, as torch would store them).
  static func tensor(_ shape: [Int], _ dtype: SafetensorsTensor.DType = .f64, seed: Int = 1) -> SafetensorsTensor {
    let count = shape.reduce(1, *)
    let values = (0..<count).map { k -> Double in
      let x = sin(Double(k * 7 + seed * 13) + 0.5) * 0.7
      return dtype == .f32 ? Double(Float(x)) : x
    }
    return try! SafetensorsTensor(shape: shape, values: values, dtype: dtype)
  }

  func layout(_ tensors: [String: SafetensorsTensor], order: [String]? = nil) throws -> [String] {
    try TensorLayout.recognize(tensors, order: order).weights.map(\.name)
  }

  @Test("nn.Sequential names 0.weight, 2.weight: a two-layer network, W = 0.weight, u = 2.weight")
  func sequential() throws {
    let file = SafetensorsFile(tensors: ["0.weight": Self.tensor([4, 3]), "2.weight": Self.tensor([1, 4], seed: 2)])
    let (model, metadata) = try ModelFile.decode(file)
    let net = try #require(model as? TwoLayerReLUNetwork)
    #expect(net.hiddenWeights.elements == file.tensors["0.weight"]!.values)
    #expect(net.outputWeights == file.tensors["2.weight"]!.values)
    #expect(!net.trainsOutputLayer)
    #expect(metadata.layout?.weights.map(\.name) == ["0.weight", "2.weight"])
    let trained = try #require(try ModelFile.decode(file, trainsOutputLayer: true).0 as? TwoLayerReLUNetwork)
    #expect(trained.trainsOutputLayer)
  }

  @Test("Numbers in names order naturally: fc1, fc2, fc10; layers.0 … layers.2; net.0, net.2, net.4")
  func naturalOrder() throws {
    #expect(try layout(["fc10.weight": Self.tensor([1, 4]), "fc2.weight": Self.tensor([4, 4]), "fc1.weight": Self.tensor([4, 3])])
            == ["fc1.weight", "fc2.weight", "fc10.weight"])
    #expect(try layout(["layers.2.weight": Self.tensor([1, 5]), "layers.0.weight": Self.tensor([5, 3]), "layers.1.weight": Self.tensor([5, 5])])
            == ["layers.0.weight", "layers.1.weight", "layers.2.weight"])
    let deep = SafetensorsFile(tensors: ["net.0.weight": Self.tensor([5, 3]), "net.2.weight": Self.tensor([6, 5]),
                                         "net.4.weight": Self.tensor([1, 6])])
    let model = try ModelFile.decode(deep).0
    #expect(model is DeepReLUNetwork)
    #expect(model.architecture.metadataName == "deep-relu")
  }

  @Test("A single weight [1, d] or [d] is a linear model")
  func linear() throws {
    for shape in [[1, 6], [6]] {
      let file = SafetensorsFile(tensors: ["weight": Self.tensor(shape)])
      let model = try #require(try ModelFile.decode(file).0 as? LinearModel)
      #expect(model.weights == file.tensors["weight"]!.values)
    }
  }

  @Test("Names that do not order the layers: the unique chain of shapes, else an error naming --layers")
  func ambiguous() throws {
    #expect(try layout(["out.weight": Self.tensor([1, 5]), "hidden.weight": Self.tensor([5, 3])]) == ["hidden.weight", "out.weight"])
    let square = ["a.weight": Self.tensor([3, 3]), "b.weight": Self.tensor([3, 3]), "head.weight": Self.tensor([1, 3])]
    let message = IOTestSupport.message { _ = try TensorLayout.recognize(square) }
    #expect(message == "ambiguous layer order: the names do not order the weight tensors and more than one order chains their shapes (tensors: a.weight [3, 3] F64, b.weight [3, 3] F64, head.weight [1, 3] F64); give the order with --layers name1,name2,…")
    #expect(try layout(square, order: ["b.weight", "a.weight", "head.weight"]) == ["b.weight", "a.weight", "head.weight"])
    #expect(IOTestSupport.message { _ = try TensorLayout.recognize(square, order: ["a.weight", "head.weight"]) }
            == "the layer order leaves out the weight tensor b.weight (tensors: a.weight [3, 3] F64, b.weight [3, 3] F64, head.weight [1, 3] F64)")
    #expect(IOTestSupport.message { _ = try TensorLayout.recognize(square, order: ["a.weight", "c.weight", "head.weight"]) }
            == "the layer order names c.weight, which is not a weight tensor of the file (tensors: a.weight [3, 3] F64, b.weight [3, 3] F64, head.weight [1, 3] F64)")
    let broken = ["0.weight": Self.tensor([5, 3]), "2.weight": Self.tensor([1, 4])]
    #expect(IOTestSupport.message { _ = try TensorLayout.recognize(broken) }
            == "the weight tensors in the order of their names (0.weight, 2.weight) do not chain: tensor 2.weight has shape [1, 4] but 0.weight has 5 rows; give the order with --layers (tensors: 0.weight [5, 3] F64, 2.weight [1, 4] F64)")
    let wide = ["0.weight": Self.tensor([5, 3]), "2.weight": Self.tensor([2, 5])]
    #expect(IOTestSupport.message { _ = try TensorLayout.recognize(wide) }.contains("the output layer must be [1, n]"))
  }

  @Test("A bias is refused with the way out (fold-bias); --layers on the package's own layout is refused")
  func refusals() throws {
    let biased = SafetensorsFile(tensors: ["0.weight": Self.tensor([4, 3]), "0.bias": Self.tensor([4]), "2.weight": Self.tensor([1, 4])])
    #expect(IOTestSupport.message { _ = try ModelFile.decode(biased) }
            == "tensor 0.bias is a bias, but the models are homogeneous and bias-free (tensors: 0.bias [4] F64, 0.weight [4, 3] F64, 2.weight [1, 4] F64); a first-layer bias folds into the weights exactly: unlearn fold-bias")
    let ours = ModelFile.encode(LinearModel(weights: [1, 2]), metadata: ModelMetadata())
    #expect(IOTestSupport.message { _ = try ModelFile.decode(ours, layers: ["w"]) }.hasPrefix("the file is in this package's own layout"))
  }

  @Test("Written back in the input's names, shapes and dtypes (F32, F64, BF16), nothing but the weights as tensors; read again identically",
        arguments: [SafetensorsTensor.DType.f32, .f64, .bf16])
  func roundTrip(dtype: SafetensorsTensor.DType) throws {
    let written = SafetensorsFile(tensors: ["0.weight": Self.tensor([6, 4], dtype), "2.weight": Self.tensor([1, 6], dtype, seed: 3)])
    let input = try SafetensorsFile.parse(try written.encode(dtype: dtype), name: "torch.safetensors")
    var (model, metadata) = try ModelFile.decode(input)
    // Multipliers (as audit --attach stores them) go in __metadata__, not in tensors.
    let data = try Dataset(features: Matrix(rows: 2, columns: 4, elements: [1, 0, 0, 0, 0, 1, 0, 0]), labels: [1, -1])
    metadata.multipliers = StoredMultipliers(values: [0.5, 0.25], bandExamples: [1], bandUnits: [3], kinkShares: [0.5],
                                             kappa: 0.03, minMargin: 1, dataFingerprint: ContentHash.fingerprint(data),
                                             parameterFingerprint: ContentHash.fingerprint(parameters: model.parameters),
                                             origin: .audit, carriedSteps: 0, auditEpsilonRelative: nil)
    let out = try SafetensorsFile.parse(try ModelFile.bytes(model, metadata: metadata), name: "out.safetensors")
    #expect(Set(out.tensors.keys) == Set(input.tensors.keys))
    for (name, t) in input.tensors {
      #expect(out.tensors[name]?.shape == t.shape)
      #expect(out.tensors[name]?.dtype == t.dtype)
      #expect(out.tensors[name]?.values == t.values)
    }
    #expect(out.metadata[TensorLayout.layersKey] == "0.weight,2.weight")
    #expect(out.metadata["kkt_multipliers_base64"] != nil)
    let (again, againMetadata) = try ModelFile.decode(out)
    #expect(again.parameters == model.parameters)
    #expect(againMetadata.multipliers == metadata.multipliers)
    #expect(againMetadata.layout == metadata.layout)
    #expect(againMetadata.extra.keys.allSatisfy { !$0.hasSuffix("_base64") && $0 != TensorLayout.layersKey })
  }

  @Test("--init: initial weights in the model's layout; a shape mismatch names the tensor and both shapes")
  func initialization() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("layout-init-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = SafetensorsFile(tensors: ["0.weight": Self.tensor([4, 3]), "2.weight": Self.tensor([1, 4], seed: 2)])
    let (model, metadata) = try ModelFile.decode(file)
    let good = folder.appendingPathComponent("init.safetensors"), bad = folder.appendingPathComponent("bad.safetensors")
    try SafetensorsFile(tensors: ["0.weight": Self.tensor([4, 3], seed: 5), "2.weight": Self.tensor([1, 4], seed: 6)])
      .write(to: good, overwrite: false)
    try SafetensorsFile(tensors: ["0.weight": Self.tensor([2, 3], seed: 5), "2.weight": Self.tensor([1, 2], seed: 6)])
      .write(to: bad, overwrite: false)
    let initial = try ModelFile.readInitialization(good, for: model, metadata: metadata)
    #expect(initial.parameters.count == model.parameters.count)
    #expect(IOTestSupport.message { _ = try ModelFile.readInitialization(bad, for: model, metadata: metadata) }
            == "\(FileFormatError.displayName(bad)): the initial weights do not match the model: tensor 0.weight is [2, 3] in the initialisation but [4, 3] in the model")
  }
}
