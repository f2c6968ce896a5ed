/// How a model file names and stores the parameters of a network saved by PyTorch (MATH.md §8.5):
/// a chain of `nn.Linear` weights `[n₁, d]`, `[n₂, n₁]`, …, `[1, n_L]` (or `[n_L]`) under the
/// module names of `model.state_dict()` (`0.weight`, `2.weight`; `fc1.weight`, `fc2.weight`;
/// `layers.0.weight`, …), each with its shape and element type.
///
/// One weight tensor is a linear model (`[1, d]` or `[d]`), two a two-layer ReLU network, three or
/// more a deep ReLU network. ``ModelFile`` reads such a file as the model of that architecture and
/// writes a model derived from it (`unlearn forget`, `unlearn audit --attach`) back under the same
/// names, shapes and element types, so that `load_state_dict(strict=True)` accepts it; the package's
/// own layout (`w`; `W`, `u`; `W1`…`WL`, `v`) stays the layout of the models it creates.
///
/// Bias tensors (`0.bias`, …) are recognised only for ``BiasFolding``: the models are homogeneous
/// and bias-free.
public struct TensorLayout: Sendable, Equatable {
  /// One parameter tensor as the file stores it.
  public struct Parameter: Sendable, Equatable {
    /// The tensor's name in the file (`0.weight`).
    public var name: String
    /// The tensor's shape in the file (`[50, 10]`; the output layer `[1, 50]` or `[50]`).
    public var shape: [Int]
    /// The tensor's element type in the file.
    public var dtype: SafetensorsTensor.DType

    /// A parameter tensor's name, shape and element type.
    public init(name: String, shape: [Int], dtype: SafetensorsTensor.DType) {
      self.name = name
      self.shape = shape
      self.dtype = dtype
    }
  }

  /// The weight tensors, the input layer first and the output layer last.
  public var weights: [Parameter]
  /// The bias tensors by layer (0 is the input layer), only when recognised with `allowBiases`.
  public var biases: [Int: Parameter]

  /// The metadata key that records the layer order of a PyTorch-layout file written by this package
  /// (comma-separated tensor names, the input layer first), so that reading it again needs no `--layers`.
  public static let layersKey = "pytorch_layers"

  /// A layout of the given weights (input layer first) and biases.
  public init(weights: [Parameter], biases: [Int: Parameter] = [:]) {
    self.weights = weights
    self.biases = biases
  }

  /// The package's own names for the weights, in the same order: `w`; `W`, `u`; `W1`…`WL`, `v`.
  public var canonicalNames: [String] {
    switch weights.count {
    case 1: return ["w"]
    case 2: return ["W", "u"]
    default: return (1..<weights.count).map { "W\($0)" } + ["v"]
    }
  }

  /// The ``ModelArchitecture`` metadata name of the chain: `linear`, `two-layer-relu` or `deep-relu`.
  public var architectureName: String {
    switch weights.count {
    case 1: return "linear"
    case 2: return "two-layer-relu"
    default: return "deep-relu"
    }
  }

  /// The input dimension d (the columns of the first weight; its length for a 1-D linear weight).
  public var inputDimension: Int { weights[0].shape.last ?? 0 }

  /// Whether a file is in a foreign (PyTorch) layout rather than this package's own: it records
  /// ``layersKey``, or it records no `architecture` and none of its parameter tensors has one of
  /// the package's names (`w`, `W`, `u`, `v`, `W1`, `W2`, …).
  ///
  /// - Complexity: O(t) for t tensors.
  public static func isForeign(names: Set<String>, metadata: [String: String]) -> Bool {
    if metadata[layersKey] != nil { return true }
    if metadata["architecture"] != nil { return false }
    return !names.contains { n in
      ["w", "W", "u", "v"].contains(n) || (n.hasPrefix("W") && n.count > 1 && n.dropFirst().allSatisfy(\.isNumber))
    }
  }

  /// Whether `name` is a bias tensor's (its last dot-separated component is `bias`).
  public static func isBias(_ name: String) -> Bool {
    name == "bias" || name.hasSuffix(".bias")
  }

  /// The weight tensor name a bias belongs to (`0.bias` → `0.weight`, `bias` → `weight`).
  static func weightName(ofBias name: String) -> String {
    String(name.dropLast(4)) + "weight"
  }

  /// The bias tensor name of a weight (`0.weight` → `0.bias`, `fc1` → `fc1.bias`).
  static func biasName(ofWeight name: String) -> String {
    name.hasSuffix("weight") ? String(name.dropLast(6)) + "bias" : name + ".bias"
  }

  /// Recognises the chain of weights among `tensors` (parameter tensors only: no `kkt_*`).
  ///
  /// Order: `order` when given (every weight tensor once, input layer first); otherwise the tensor
  /// names when they differ only in their numbers (`0.weight`, `2.weight`; `fc1`, `fc2`, `fc10`;
  /// `layers.0.weight`, …: ordered by their numeric components naturally, and the order must chain);
  /// otherwise the shapes when exactly one order chains them (`hidden.weight` `[50, 10]`,
  /// `out.weight` `[1, 50]`). Anything else is ambiguous.
  ///
  /// - Parameters:
  ///   - tensors: The file's parameter tensors.
  ///   - order: The weight tensor names, input layer first (`--layers`), or `nil`.
  ///   - allowBiases: Whether bias tensors are accepted (``BiasFolding``); otherwise a bias is an error.
  /// - Throws: ``FileFormatError`` (`.invalidContents`, no file name), one line listing the tensors
  ///   found: no weight tensor, an ambiguous order, an order that does not chain, a name in `order`
  ///   that is not a weight tensor, a bias (unless `allowBiases`) or a bias of the wrong shape.
  /// - Complexity: O(t log t) for t tensors, plus a search of the shape chains when the names do not
  ///   order them (stopped at the second chain found).
  public static func recognize(_ tensors: [String: SafetensorsTensor], order: [String]? = nil,
                               allowBiases: Bool = false) throws -> TensorLayout {
    func fail(_ s: String) -> FileFormatError { FileFormatError(.invalidContents, file: nil, s) }
    let found = describe(tensors)
    let biasNames = tensors.keys.filter(isBias).sorted(by: naturallyPrecedes)
    let weightNames = tensors.keys.filter { !isBias($0) }
    if !allowBiases, let bias = biasNames.first {
      throw fail("tensor \(bias) is a bias, but the models are homogeneous and bias-free (tensors: \(found)); a first-layer bias folds into the weights exactly: unlearn fold-bias")
    }
    guard !weightNames.isEmpty else { throw fail("no weight tensor (tensors: \(found.isEmpty ? "none" : found))") }
    let ordered: [String]
    if let order {
      for name in order where tensors[name] == nil || isBias(name) {
        throw fail("the layer order names \(name), which is not a weight tensor of the file (tensors: \(found))")
      }
      if let twice = order.first(where: { n in order.filter { $0 == n }.count > 1 }) {
        throw fail("the layer order names \(twice) twice (tensors: \(found))")
      }
      if let left = weightNames.sorted(by: naturallyPrecedes).first(where: { !order.contains($0) }) {
        throw fail("the layer order leaves out the weight tensor \(left) (tensors: \(found))")
      }
      ordered = order
      if let problem = chainProblem(ordered.map { tensors[$0]!.shape }, names: ordered) {
        throw fail("the weight tensors in the given layer order \(ordered.joined(separator: ",")) do not chain: \(problem)")
      }
    } else if weightNames.count == 1 {
      ordered = weightNames
      if let problem = chainProblem([tensors[ordered[0]]!.shape], names: ordered) { throw fail(problem) }
    } else if Set(weightNames.map(skeleton)).count == 1 {
      ordered = weightNames.sorted(by: naturallyPrecedes)
      if let problem = chainProblem(ordered.map { tensors[$0]!.shape }, names: ordered) {
        throw fail("the weight tensors in the order of their names (\(ordered.joined(separator: ", "))) do not chain: \(problem); give the order with --layers (tensors: \(found))")
      }
    } else {
      let names = weightNames.sorted(by: naturallyPrecedes)
      let chains = shapeChains(names.map { tensors[$0]!.shape }, limit: 2)
      switch chains.count {
      case 1: ordered = chains[0].map { names[$0] }
      case 0:
        throw fail("the weight tensors do not form a chain [n1, d], [n2, n1], …, [1, nL] in any order (tensors: \(found))")
      default:
        throw fail("ambiguous layer order: the names do not order the weight tensors and more than one order chains their shapes (tensors: \(found)); give the order with --layers name1,name2,…")
      }
    }
    let weights = ordered.map { Parameter(name: $0, shape: tensors[$0]!.shape, dtype: tensors[$0]!.dtype) }
    var biases: [Int: Parameter] = [:]
    for name in biasNames {
      let owner = weightName(ofBias: name)
      guard let layer = ordered.firstIndex(of: owner) else {
        throw fail("tensor \(name) is a bias without a weight tensor \(owner) (tensors: \(found))")
      }
      let rows = weights[layer].shape.count == 2 ? weights[layer].shape[0] : 1
      let t = tensors[name]!
      guard t.shape == [rows] || (rows == 1 && t.shape == []) else {
        throw fail("tensor \(name) has shape \(SafetensorsTensor.describe(shape: t.shape)) but \(owner) has \(rows) rows; the bias must be [\(rows)]")
      }
      biases[layer] = Parameter(name: name, shape: t.shape, dtype: t.dtype)
    }
    return TensorLayout(weights: weights, biases: biases)
  }

  /// The weights under the package's names (``canonicalNames``), in the shapes its models read.
  ///
  /// - Complexity: O(1) per tensor (the storage is shared).
  public func canonicalTensors(_ tensors: [String: SafetensorsTensor]) -> [String: SafetensorsTensor] {
    var out: [String: SafetensorsTensor] = [:]
    for (parameter, canonical) in zip(weights, canonicalNames) {
      guard let t = tensors[parameter.name] else { continue }
      out[canonical] = t
    }
    return out
  }

  /// A model's tensors (under the package's names, ``HomogeneousModel/tensors()``) under this layout's
  /// names, shapes and element types. A tensor whose element count no longer fits the recorded shape
  /// keeps the model's own shape.
  ///
  /// - Complexity: O(1) per tensor (the storage is shared).
  public func fileTensors(_ canonical: [String: SafetensorsTensor]) -> [String: SafetensorsTensor] {
    var out: [String: SafetensorsTensor] = [:]
    for (parameter, name) in zip(weights, canonicalNames) {
      guard let t = canonical[name] else { continue }
      let shape = SafetensorsTensor.elementCount(parameter.shape) == t.values.count ? parameter.shape : t.shape
      out[parameter.name] = SafetensorsTensor(validatedShape: shape, values: t.values, dtype: parameter.dtype)
    }
    return out
  }

  /// The layer order as recorded under ``layersKey``: the weight names, comma-separated.
  public var recordedOrder: String { weights.map(\.name).joined(separator: ",") }

  // MARK: Ordering

  /// `name` with every run of digits replaced by `#` (`layers.0.weight` → `layers.#.weight`).
  static func skeleton(_ name: String) -> String {
    var out = "", inDigits = false
    for c in name {
      if c.isASCII && c.isNumber {
        if !inDigits { out.append("#") }
        inDigits = true
      } else {
        out.append(c)
        inDigits = false
      }
    }
    return out
  }

  /// Natural order: digit runs compare as numbers, the rest as text (`fc2` before `fc10`).
  static func naturallyPrecedes(_ a: String, _ b: String) -> Bool {
    let ka = components(a), kb = components(b)
    for (x, y) in zip(ka, kb) where x != y {
      switch (x, y) {
      case (.number(let p), .number(let q)): return p.count != q.count ? p.count < q.count : p < q
      case (.text(let p), .text(let q)): return p < q
      case (.number, .text): return true
      case (.text, .number): return false
      }
    }
    return ka.count != kb.count ? ka.count < kb.count : a < b
  }

  private enum Component: Equatable {
    case text(String)
    case number(String)  // leading zeros stripped, compared by length then digits
  }

  private static func components(_ s: String) -> [Component] {
    var out: [Component] = [], current = "", digits = false
    func flush() {
      guard !current.isEmpty else { return }
      if digits {
        let stripped = String(current.drop { $0 == "0" })
        out.append(.number(stripped.isEmpty ? "0" : stripped))
      } else {
        out.append(.text(current))
      }
      current = ""
    }
    for c in s {
      let d = c.isASCII && c.isNumber
      if d != digits { flush(); digits = d }
      current.append(c)
    }
    flush()
    return out
  }

  /// Why the shapes, in this order, are not a chain `[n₁, d]`, `[n₂, n₁]`, …, `[1, n_L]` (or `[n_L]`),
  /// or `nil` when they are.
  static func chainProblem(_ shapes: [[Int]], names: [String]) -> String? {
    for (k, (shape, name)) in zip(shapes, names).enumerated() {
      let last = k == shapes.count - 1
      let describe = SafetensorsTensor.describe(shape: shape)
      if last && shape.count == 1 {
        guard shape[0] > 0 else { return "tensor \(name) is empty" }
      } else {
        guard shape.count == 2, shape[0] > 0, shape[1] > 0 else {
          return "tensor \(name) has shape \(describe); a layer's weight must be a non-empty matrix [out, in]"
        }
      }
      if last, shape.count == 2, shape[0] != 1 {
        return "the last tensor \(name) has shape \(describe); the output layer must be [1, n]"
      }
      if k > 0 {
        let previous = shapes[k - 1][0]
        guard shape.last == previous else {
          return "tensor \(name) has shape \(describe) but \(names[k - 1]) has \(previous) rows"
        }
      }
    }
    return nil
  }

  /// The orders (indices into `shapes`) that chain, at most `limit` of them.
  static func shapeChains(_ shapes: [[Int]], limit: Int) -> [[Int]] {
    var found: [[Int]] = [], path: [Int] = [], used = [Bool](repeating: false, count: shapes.count)
    let names = shapes.indices.map(String.init)
    func extend() {
      guard found.count < limit else { return }
      if path.count == shapes.count {
        if chainProblem(path.map { shapes[$0] }, names: path.map { names[$0] }) == nil { found.append(path) }
        return
      }
      for k in shapes.indices where !used[k] {
        let s = shapes[k]
        if let previous = path.last, s.last != shapes[previous].first { continue }
        if path.count < shapes.count - 1, s.count != 2 { continue }
        used[k] = true
        path.append(k)
        extend()
        path.removeLast()
        used[k] = false
      }
    }
    extend()
    return found
  }

  /// `0.weight [50, 10] F32, 2.weight [1, 50] F32` for messages.
  static func describe(_ tensors: [String: SafetensorsTensor]) -> String {
    tensors.keys.sorted(by: naturallyPrecedes).map { name in
      "\(name) \(SafetensorsTensor.describe(shape: tensors[name]!.shape)) \(tensors[name]!.dtype.rawValue)"
    }.joined(separator: ", ")
  }
}
