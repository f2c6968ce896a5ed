import Foundation
import LinearAlgebra
import Testing
import Unlearning

/// σ(⟨w, x⟩ + b) = σ(⟨[w, b/c], [x, c]⟩) (MATH.md §8.6).
@Suite("Bias folding")
struct BiasFoldingTests {
  static func tensor(_ shape: [Int], seed: Int) -> SafetensorsTensor { TensorLayoutTests.tensor(shape, seed: seed) }

  /// A biased PyTorch network's outputs (first-layer bias only), with the scale of its terms.
  static func biasedOutputs(_ file: SafetensorsFile, weights: [String], bias: String, _ x: Matrix) -> [(Double, Double)] {
    (0..<x.rows).map { i in
      var activations = Array(x.elements[(i * x.columns)..<((i + 1) * x.columns)])
      var scale = activations.map(abs)
      for (l, name) in weights.enumerated() {
        let w = file.tensors[name]!
        let rows = w.shape.count == 2 ? w.shape[0] : 1, columns = activations.count
        var next = [Double](repeating: 0, count: rows), nextScale = next
        for r in 0..<rows {
          for k in 0..<columns {
            next[r] += w.values[r * columns + k] * activations[k]
            nextScale[r] += abs(w.values[r * columns + k]) * scale[k]
          }
          if l == 0 { next[r] += file.tensors[bias]!.values[r]; nextScale[r] += abs(file.tensors[bias]!.values[r]) }
          if l < weights.count - 1 { next[r] = max(0, next[r]) }
        }
        activations = next
        scale = nextScale
      }
      return (activations[0], scale[0])
    }
  }

  @Test("Folded outputs on [x, c] equal the biased network's on x to 1e-12; unfold restores the file bit for bit",
        arguments: [1, 2, 3])
  func foldAndBack(layers: Int) throws {
    let d = 5
    let x = Matrix(rows: 7, columns: d, elements: (0..<35).map { cos(Double($0) * 1.3) * 0.8 })
    var tensors: [String: SafetensorsTensor] = [:]
    var names: [String] = [], widths = [d] + Array(repeating: 6, count: layers - 1) + [1]
    if layers == 1 { widths = [d, 1] }
    for l in 0..<layers {
      names.append("\(2 * l).weight")
      tensors["\(2 * l).weight"] = Self.tensor([widths[l + 1], widths[l]], seed: l + 1)
    }
    tensors["0.bias"] = Self.tensor([widths[1]], seed: 9)
    let file = SafetensorsFile(tensors: tensors)
    let folded = try BiasFolding.fold(file, features: x)
    #expect(folded.constant == BiasFolding.defaultConstant(for: x))
    #expect(folded.constant.significand == 1)
    #expect(folded.file.tensors["0.bias"] == nil)
    #expect(folded.file.tensors["0.weight"]?.shape == [widths[1], d + 1])
    let (model, _) = try ModelFile.decode(folded.file)
    let outputs = model.outputs(folded.features)
    for ((expected, scale), got) in zip(Self.biasedOutputs(file, weights: names, bias: "0.bias", x), outputs) {
      #expect(abs(got - expected) <= 1e-12 * scale)
    }
    // Exact: c is a power of two, so b/c and c·(b/c) are exact.
    let back = try BiasFolding.unfold(try SafetensorsFile.parse(try folded.file.encode(dtype: nil), name: "f.safetensors"))
    #expect(back.tensors.mapValues(\.shape) == file.tensors.mapValues(\.shape))
    #expect(back.tensors.mapValues(\.dtype) == file.tensors.mapValues(\.dtype))
    for (name, t) in file.tensors { #expect(back.tensors[name]!.values.map(\.bitPattern) == t.values.map(\.bitPattern), "\(name)") }
  }

  @Test("A c that is not a power of two folds back to 1e-15 relative (two roundings of one product)")
  func nonPowerOfTwo() throws {
    let file = SafetensorsFile(tensors: ["0.weight": Self.tensor([4, 3], seed: 1), "0.bias": Self.tensor([4], seed: 2),
                                         "2.weight": Self.tensor([1, 4], seed: 3)])
    let x = Matrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
    let folded = try BiasFolding.fold(file, features: x, constant: 3)
    #expect(folded.features.elements[3] == 3)
    let back = try BiasFolding.unfold(folded.file)
    for (a, b) in zip(back.tensors["0.bias"]!.values, file.tensors["0.bias"]!.values) { #expect(abs(a - b) <= 1e-15 * abs(b)) }
    #expect(IOTestSupport.message { _ = try BiasFolding.unfold(folded.file, constant: 2) }
            == "the file was folded with c = 3.0 (metadata folded_bias_constant), not 2.0: folding back with another c changes the network")
  }

  @Test("Hidden-layer and output biases are refused with the reason; a file without a bias has nothing to fold")
  func refusals() throws {
    let x = Matrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
    let hidden = SafetensorsFile(tensors: ["0.weight": Self.tensor([4, 3], seed: 1), "2.weight": Self.tensor([4, 4], seed: 2),
                                           "2.bias": Self.tensor([4], seed: 3), "4.weight": Self.tensor([1, 4], seed: 4)])
    #expect(IOTestSupport.message { _ = try BiasFolding.fold(hidden, features: x) }
            .hasPrefix("tensor 2.bias is a hidden layer's bias (layer 2 of 3): it is added after a ReLU"))
    let output = SafetensorsFile(tensors: ["0.weight": Self.tensor([4, 3], seed: 1), "0.bias": Self.tensor([4], seed: 2),
                                           "2.weight": Self.tensor([1, 4], seed: 3), "2.bias": Self.tensor([1], seed: 4)])
    #expect(IOTestSupport.message { _ = try BiasFolding.fold(output, features: x) }.hasPrefix("tensor 2.bias is the output layer's bias"))
    let none = SafetensorsFile(tensors: ["0.weight": Self.tensor([4, 3], seed: 1), "2.weight": Self.tensor([1, 4], seed: 3)])
    #expect(IOTestSupport.message { _ = try BiasFolding.fold(none, features: x) }
            == "no first-layer bias to fold: the file has no tensor 0.bias (tensors: 0.weight [4, 3] F64, 2.weight [1, 4] F64)")
  }
}
