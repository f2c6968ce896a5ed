import Foundation
import LinearAlgebra

/// Folding a first-layer bias into the weights, and back (MATH.md §8.6): for every unit,
/// `σ(⟨w, x⟩ + b) = σ(⟨[w, b/c], [x, c]⟩)`, so a PyTorch network with a bias on its first
/// `nn.Linear` (and none after it) is exactly the bias-free network `[W | b/c]` on the inputs
/// `[x, c]`, which is homogeneous and which this package audits and unlearns. Folding back,
/// `b = c · (last column)`, `W = the other columns`, gives the biased layout again.
///
/// A bias of a later layer does not fold: it is added after a ReLU (hidden layers) or to the output,
/// so the network is no longer homogeneous in its parameters, and no constant input feature carries it.
///
/// With `c` a power of two (the default) both `b/c` and `c · (b/c)` are exact in every binary format,
/// so folding back restores the bias bit for bit (unless `b/c` leaves the format's normal range).
public enum BiasFolding {
  /// The metadata key of a folded file that names the bias tensor folded (`0.bias`).
  public static let biasKey = "folded_bias"
  /// The metadata key of a folded file that records the constant feature `c`.
  public static let constantKey = "folded_bias_constant"
  /// The metadata key of a folded file that records the bias tensor's element type.
  public static let dtypeKey = "folded_bias_dtype"

  /// The result of ``fold(_:features:constant:layers:)``.
  public struct Folded: Sendable {
    /// The bias-free file: the weights with the first layer `[W | b/c]`, the metadata with ``biasKey``,
    /// ``constantKey``, ``dtypeKey`` and the layer order (``TensorLayout/layersKey``).
    public var file: SafetensorsFile
    /// The inputs `[X | c]`, `m × (d + 1)`.
    public var features: Matrix
    /// The constant feature `c`.
    public var constant: Double
    /// The folded bias tensor's name.
    public var bias: String
  }

  /// The default constant feature: the power of two nearest (in log scale) to the root-mean-square
  /// entry of `x`, so that the new feature is the size of a typical feature (one more coordinate, not a
  /// dominant one: φ and ψ move by about one coordinate's share, MATH.md §8.6) and folding back is exact;
  /// 1 for an all-zero `x`.
  ///
  /// - Complexity: O(m d).
  public static func defaultConstant(for x: Matrix) -> Double {
    let count = x.elements.count
    guard count > 0 else { return 1 }
    let rms = (x.elements.reduce(0) { $0 + $1 * $1 } / Double(count)).squareRoot()
    guard rms.isFinite, rms > 0 else { return 1 }
    return Double(sign: .plus, exponent: Int(log2(rms).rounded()), significand: 1)
  }

  /// Folds the first-layer bias of a PyTorch-layout file into its weights and appends the constant
  /// feature `c` to the inputs.
  ///
  /// - Parameters:
  ///   - file: The biased model file (PyTorch's layout: `0.weight`, `0.bias`, `2.weight`, …).
  ///   - x: The inputs, `m × d`.
  ///   - constant: `c` (> 0), or `nil` for ``defaultConstant(for:)``.
  ///   - layers: The weight tensors' names, input layer first, when their names do not order them.
  /// - Throws: ``FileFormatError`` (`.invalidContents`, no file name): a layout that is not a chain
  ///   (``TensorLayout/recognize(_:order:allowBiases:)``), no first-layer bias, a bias on a later layer
  ///   (with the reason), inputs whose dimension is not the model's, or a `c` that is not a positive number.
  /// - Complexity: O(m d + p).
  public static func fold(_ file: SafetensorsFile, features x: Matrix, constant: Double? = nil,
                          layers: [String]? = nil) throws -> Folded {
    func fail(_ s: String) -> FileFormatError { FileFormatError(.invalidContents, file: nil, s) }
    let parameters = file.tensors.filter { !StoredMultipliers.tensorNames.contains($0.key) }
    let order = layers ?? file.metadata[TensorLayout.layersKey].map { $0.split(separator: ",").map(String.init) }
    let layout = try TensorLayout.recognize(parameters, order: order, allowBiases: true)
    let count = layout.weights.count
    for (layer, bias) in layout.biases.sorted(by: { $0.key < $1.key }) where layer > 0 {
      if layer == count - 1 {
        throw fail("tensor \(bias.name) is the output layer's bias: N(x) = ⟨u, σ(Wx)⟩ + b is not homogeneous in its parameters and no input feature can carry b past the ReLU, so it cannot fold; train the output layer with bias=False")
      }
      throw fail("tensor \(bias.name) is a hidden layer's bias (layer \(layer + 1) of \(count)): it is added after a ReLU, so the network is not homogeneous and no input feature can carry it; only the first layer's bias folds (train the later layers with bias=False)")
    }
    guard let bias = layout.biases[0] else {
      throw fail("no first-layer bias to fold: the file has no tensor \(TensorLayout.biasName(ofWeight: layout.weights[0].name)) (tensors: \(TensorLayout.describe(parameters)))")
    }
    let c = constant ?? defaultConstant(for: x)
    guard c.isFinite, c > 0 else { throw fail("the constant feature c = \(c) is not a positive number") }
    let first = layout.weights[0]
    let d = layout.inputDimension
    guard x.columns == d else {
      throw fail("the inputs have \(x.columns) features but \(first.name) takes \(d) (shape \(SafetensorsTensor.describe(shape: first.shape)))")
    }
    let w = parameters[first.name]!, b = parameters[bias.name]!
    let rows = first.shape.count == 2 ? first.shape[0] : 1
    var folded: [Double] = []
    folded.reserveCapacity(rows * (d + 1))
    for i in 0..<rows {
      folded += w.values[(i * d)..<((i + 1) * d)]
      folded.append(b.values[i] / c)
    }
    var tensors = parameters.filter { $0.key != bias.name }
    let shape = first.shape.count == 2 ? [rows, d + 1] : [d + 1]
    tensors[first.name] = SafetensorsTensor(validatedShape: shape, values: folded, dtype: first.dtype)
    var metadata = file.metadata.filter { !StoredMultipliers.metadataKeys.contains($0.key) && !StoredMultipliers.base64Keys.contains($0.key) }
    metadata[TensorLayout.layersKey] = layout.recordedOrder
    metadata[biasKey] = bias.name
    metadata[constantKey] = String(c)
    metadata[dtypeKey] = bias.dtype.rawValue
    var xc: [Double] = []
    xc.reserveCapacity(x.rows * (d + 1))
    for i in 0..<x.rows {
      xc += x.elements[(i * d)..<((i + 1) * d)]
      xc.append(c)
    }
    return Folded(file: SafetensorsFile(tensors: tensors, metadata: metadata),
                  features: Matrix(rows: x.rows, columns: d + 1, elements: xc), constant: c, bias: bias.name)
  }

  /// Folds a bias back: the first layer's last column times `c` becomes the bias tensor recorded by
  /// ``fold(_:features:constant:layers:)`` (``biasKey``, ``dtypeKey``), the other columns the weight. The
  /// metadata keeps the provenance (e.g. `unlearned_*`) and drops the folding keys and the stored
  /// multipliers (they belong to the folded model and inputs).
  ///
  /// - Parameters:
  ///   - file: A folded model file (bias-free PyTorch layout, first layer `[n, d + 1]`).
  ///   - constant: `c`, or `nil` for the recorded ``constantKey``; when both are present they must agree.
  /// - Throws: ``FileFormatError`` (`.invalidContents`, no file name): no recorded or given `c`, a given
  ///   `c` that differs from the recorded one, a layout that is not a chain, or a first layer with no
  ///   column to unfold.
  /// - Complexity: O(p).
  public static func unfold(_ file: SafetensorsFile, constant: Double? = nil) throws -> SafetensorsFile {
    func fail(_ s: String) -> FileFormatError { FileFormatError(.invalidContents, file: nil, s) }
    let recorded = file.metadata[constantKey]
    if let recorded, Double(recorded).map({ $0.isFinite && $0 > 0 }) != true {
      throw fail("metadata \(constantKey) = \"\(recorded)\" is not a positive number")
    }
    if let recorded = recorded.flatMap(Double.init), let constant, constant != recorded {
      throw fail("the file was folded with c = \(recorded) (metadata \(constantKey)), not \(constant): folding back with another c changes the network")
    }
    guard let c = constant ?? recorded.flatMap(Double.init) else {
      throw fail("the file records no \(constantKey) (it was not written by fold-bias): give the constant feature c it was folded with")
    }
    guard c.isFinite, c > 0 else { throw fail("the constant feature c = \(c) is not a positive number") }
    let parameters = file.tensors.filter { !StoredMultipliers.tensorNames.contains($0.key) }
    let order = file.metadata[TensorLayout.layersKey].map { $0.split(separator: ",").map(String.init) }
    let layout = try TensorLayout.recognize(parameters, order: order)
    let first = layout.weights[0]
    let columns = layout.inputDimension
    guard columns >= 2 else {
      throw fail("tensor \(first.name) has shape \(SafetensorsTensor.describe(shape: first.shape)): no input feature besides the constant one")
    }
    let biasName = file.metadata[biasKey] ?? TensorLayout.biasName(ofWeight: first.name)
    guard parameters[biasName] == nil else { throw fail("the file already has a tensor \(biasName)") }
    let biasType = file.metadata[dtypeKey].flatMap(SafetensorsTensor.DType.init(rawValue:)) ?? first.dtype
    let w = parameters[first.name]!
    let rows = first.shape.count == 2 ? first.shape[0] : 1
    var weights: [Double] = [], bias: [Double] = []
    weights.reserveCapacity(rows * (columns - 1))
    for i in 0..<rows {
      weights += w.values[(i * columns)..<((i + 1) * columns - 1)]
      bias.append(c * w.values[(i + 1) * columns - 1])
    }
    var tensors = parameters
    tensors[first.name] = SafetensorsTensor(
      validatedShape: first.shape.count == 2 ? [rows, columns - 1] : [columns - 1], values: weights, dtype: first.dtype)
    tensors[biasName] = SafetensorsTensor(validatedShape: [rows], values: bias, dtype: biasType)
    let dropped = StoredMultipliers.metadataKeys.union(StoredMultipliers.base64Keys).union([biasKey, constantKey, dtypeKey])
    return SafetensorsFile(tensors: tensors, metadata: file.metadata.filter { !dropped.contains($0.key) })
  }
}
