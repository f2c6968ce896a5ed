import Foundation
import LinearAlgebra

/// Models as safetensors files (MATH.md §8): tensors `w` (linear), `W`
/// (`n × d`) and `u` (length n; stored even when fixed, so the file is the
/// whole network), or `W1` (`n_1 × d`), `W2` (`n_2 × n_1`), …, `WL` and `v`
/// (length `n_L`) for a deep network, and `__metadata__` with `architecture`
/// (`linear`, `two-layer-relu`, `deep-relu`), `train_output_layer`, `depth`
/// (deep networks; L is also the number of `W` tensors), `loss` and the provenance of
/// ``ModelMetadata``. PyTorch and NumPy users read and write the same files.
public enum ModelFile {
  /// Reads a model file.
  public static func read(_ url: URL) throws -> (any HomogeneousModel, ModelMetadata) {
    let file = try SafetensorsFile.read(url)
    do {
      return try decode(file)
    } catch let error as FileFormatError {
      throw error.file == nil ? error.about(FileFormatError.displayName(url)) : error
    }
  }

  /// The model in a parsed safetensors file. Without an `architecture` key the
  /// tensor names decide (`w` → linear; `W1`, `v` → deep; `W`, `u` → two-layer with a fixed output layer).
  public static func decode(_ file: SafetensorsFile) throws -> (any HomogeneousModel, ModelMetadata) {
    func fail(_ s: String) -> FileFormatError { FileFormatError(.invalidContents, file: nil, s) }
    let names = Set(file.tensors.keys)
    let architecture = file.metadata["architecture"]
      ?? (names.contains("w") ? "linear" : (names.contains("W1") && names.contains("v") ? "deep-relu" : "two-layer-relu"))
    let trainOutput: Bool
    switch file.metadata["train_output_layer"] ?? "false" {
    case "true", "True", "1": trainOutput = true
    case "false", "False", "0": trainOutput = false
    case let v: throw fail("metadata train_output_layer = \"\(v)\" is not true or false")
    }
    let metadata = try ModelMetadata(dictionary: file.metadata)
    switch architecture {
    case "linear":
      guard let w = file.tensors["w"] else { throw fail("missing tensor w (a linear model stores its weights as w, shape [d])") }
      if let extra = names.subtracting(["w"]).sorted().first { throw fail("unexpected tensor \(extra) in a linear model (only w; the models are bias-free)") }
      guard w.shape.count == 1 || (w.shape.count == 2 && (w.shape[0] == 1 || w.shape[1] == 1)) else {
        throw fail("tensor w has shape \(w.shape); a linear model needs [d]")
      }
      guard w.count > 0 else { throw fail("tensor w is empty") }
      try checkFinite(w, "w")
      return (LinearModel(weights: w.values), metadata)
    case "two-layer-relu":
      guard let wt = file.tensors["W"] else { throw fail("missing tensor W (a two-layer network stores W, shape [n, d], and u, shape [n])") }
      guard let ut = file.tensors["u"] else { throw fail("missing tensor u (a two-layer network stores W, shape [n, d], and u, shape [n])") }
      if let extra = names.subtracting(["W", "u"]).sorted().first { throw fail("unexpected tensor \(extra) in a two-layer network (only W and u; the models are bias-free)") }
      guard wt.shape.count == 2, let w = wt.matrix else { throw fail("tensor W has shape \(wt.shape); it must be [n, d]") }
      guard w.rows > 0, w.columns > 0 else { throw fail("tensor W has shape \(wt.shape): a width and a dimension of at least 1 are needed") }
      guard ut.shape == [w.rows] || ut.shape == [w.rows, 1] || ut.shape == [1, w.rows] else {
        throw fail("tensor u has shape \(ut.shape) but W has \(w.rows) rows; u must be [\(w.rows)]")
      }
      try checkFinite(wt, "W")
      try checkFinite(ut, "u")
      return (TwoLayerReLUNetwork(hiddenWeights: w, outputWeights: ut.values, trainsOutputLayer: trainOutput), metadata)
    case "deep-relu":
      return (try decodeDeep(file, fail), metadata)
    default:
      throw fail("metadata architecture = \"\(architecture)\" is not linear, two-layer-relu or deep-relu")
    }
  }

  /// `W1, …, WL` and `v` with chained shapes (`W1` `[n_1, d]`, `Wl` `[n_l, n_{l−1}]`, `v` `[n_L]`).
  static func decodeDeep(_ file: SafetensorsFile, _ fail: (String) -> FileFormatError) throws -> DeepReLUNetwork {
    let names = Set(file.tensors.keys)
    let layout = "a deep network stores W1 [n1, d], W2 [n2, n1], …, WL [nL, nL-1] and v [nL]"
    var depth = 0
    while names.contains("W\(depth + 1)") { depth += 1 }
    guard depth >= 1 else { throw fail("missing tensor W1 (\(layout))") }
    guard let vt = file.tensors["v"] else { throw fail("missing tensor v (\(layout))") }
    let expected = Set((1...depth).map { "W\($0)" } + ["v"])
    if let extra = names.subtracting(expected).sorted().first {
      throw fail("unexpected tensor \(extra) in a deep network with \(depth) hidden layers (only W1…W\(depth) and v; the models are bias-free)")
    }
    if let v = file.metadata["depth"], Int(v) != depth {
      throw fail("metadata depth = \"\(v)\" but the file holds \(depth) weight matrices W1…W\(depth)")
    }
    var layers: [Matrix] = []
    for l in 1...depth {
      let t = file.tensors["W\(l)"]!
      guard t.shape.count == 2, let w = t.matrix, w.rows > 0, w.columns > 0 else {
        throw fail("tensor W\(l) has shape \(t.shape); it must be a non-empty matrix (\(layout))")
      }
      if let previous = layers.last, w.columns != previous.rows {
        throw fail("tensor W\(l) has shape \(t.shape) but W\(l - 1) has \(previous.rows) rows; W\(l) must be [n\(l), \(previous.rows)]")
      }
      try checkFinite(t, "W\(l)")
      layers.append(w)
    }
    let n = layers.last!.rows
    guard vt.shape == [n] || vt.shape == [n, 1] || vt.shape == [1, n] else {
      throw fail("tensor v has shape \(vt.shape) but W\(depth) has \(n) rows; v must be [\(n)]")
    }
    try checkFinite(vt, "v")
    return DeepReLUNetwork(layers: layers, outputWeights: vt.values)
  }

  static func checkFinite(_ t: SafetensorsTensor, _ name: String) throws {
    if let k = t.values.firstIndex(where: { !$0.isFinite }) {
      throw FileFormatError(.invalidContents, file: nil, "tensor \(name) has a non-finite value (\(t.values[k])) at \(t.position(ofIndex: k))")
    }
  }

  /// The safetensors file of a model.
  public static func encode(_ model: any HomogeneousModel, metadata: ModelMetadata) -> SafetensorsFile {
    let architecture = ModelArchitecture.of(model)
    var tensors: [String: SafetensorsTensor] = [:]
    if let net = model as? TwoLayerReLUNetwork {
      tensors["W"] = SafetensorsTensor(net.hiddenWeights)
      tensors["u"] = SafetensorsTensor(vector: net.outputWeights)
    } else if let net = model as? DeepReLUNetwork {
      for (l, w) in net.layers.enumerated() { tensors["W\(l + 1)"] = SafetensorsTensor(w) }
      tensors["v"] = SafetensorsTensor(vector: net.outputWeights)
    } else {
      tensors["w"] = SafetensorsTensor(vector: model.parameters)
    }
    return SafetensorsFile(tensors: tensors, metadata: metadata.dictionary(for: architecture))
  }

  /// Writes a model file atomically (temp file, fsync, rename).
  public static func write(_ model: any HomogeneousModel, metadata: ModelMetadata, to url: URL, overwrite: Bool,
                           dtype: SafetensorsTensor.DType = .f64) throws {
    try encode(model, metadata: metadata).write(to: url, dtype: dtype, overwrite: overwrite)
  }
}
