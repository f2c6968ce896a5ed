import Foundation
import LinearAlgebra

/// Models as safetensors files (MATH.md §8): tensors `w` (linear), `W`
/// (`n × d`) and `u` (length n; stored even when fixed, so the file is the
/// whole network), or `W1` (`n_1 × d`), `W2` (`n_2 × n_1`), …, `WL` and `v`
/// (length `n_L`) for a deep network, and `__metadata__` with `architecture`
/// (`linear`, `two-layer-relu`, `deep-relu`), `train_output_layer`, `depth`
/// (deep networks; L is also the number of `W` tensors), `loss` and the provenance of
/// ``ModelMetadata``; optionally the KKT multipliers of the model's audit (``StoredMultipliers``:
/// tensors `kkt_multipliers`, `kkt_band`, `kkt_kink_shares`, keys `multipliers_*`). PyTorch and NumPy users read and write the same files.
///
/// A file in PyTorch's layout (MATH.md §8.5: `0.weight` `[n, d]`, `2.weight` `[1, n]`, … as
/// `safetensors.torch.save_file(model.state_dict(), …)` writes them) is read as it is
/// (``TensorLayout``), and a model derived from it is written back in the same names, shapes and
/// element types, with everything this package adds (provenance, the layer order, the multipliers
/// base64-encoded) in `__metadata__` only, so that `load_state_dict(strict=True)` accepts it.
public enum ModelFile {
  /// Reads a model file: ``SafetensorsFile/read(_:allowNonFinite:)`` then ``decode(_:layers:trainsOutputLayer:)``.
  ///
  /// - Returns: The model (its concrete type from the architecture) and its metadata.
  /// - Throws: ``FileFormatError`` naming the file: the read and parse errors of
  ///   ``SafetensorsFile``, and the errors of ``decode(_:layers:trainsOutputLayer:)``.
  /// - Complexity: O(file size).
  public static func read(_ url: URL, layers: [String]? = nil, trainsOutputLayer: Bool? = nil) throws -> (any HomogeneousModel, ModelMetadata) {
    let file = try SafetensorsFile.read(url)
    do {
      return try decode(file, layers: layers, trainsOutputLayer: trainsOutputLayer)
    } catch let error as FileFormatError {
      throw error.file == nil ? error.about(FileFormatError.displayName(url)) : error
    }
  }

  /// The model in a parsed safetensors file. Without an `architecture` key the
  /// tensor names decide (`w` → linear; `W1`, `v` → deep; `W`, `u` → two-layer with a fixed output layer).
  /// A file in PyTorch's layout (``TensorLayout/isForeign(names:metadata:)``) is recognised by
  /// ``TensorLayout/recognize(_:order:allowBiases:)`` (in the order `layers` or the recorded
  /// ``TensorLayout/layersKey``), and the layout is kept in ``ModelMetadata/layout``.
  /// The architecture's model type builds the model (``HomogeneousModel/init(tensors:metadata:)``).
  ///
  /// - Parameters:
  ///   - file: The parsed file.
  ///   - layers: The weight tensors' names, input layer first, for a PyTorch-layout file whose names do
  ///     not order its layers (`--layers`).
  ///   - trained: `trainsOutputLayer:`, the `train_output_layer` for a file that does not record it (a file
  ///     from elsewhere; `false` when `nil`).
  /// - Complexity: O(p).
  /// - Throws: ``FileFormatError`` (no file name) for an unknown architecture, a
  ///   malformed metadata value, tensors that do not fit the architecture, a PyTorch layout that is
  ///   ambiguous or has biases, `layers` for a file in the package's own layout, or
  ///   `trainsOutputLayer` contradicting the recorded `train_output_layer`.
  public static func decode(_ file: SafetensorsFile, layers: [String]? = nil,
                            trainsOutputLayer trained: Bool? = nil) throws -> (any HomogeneousModel, ModelMetadata) {
    func fail(_ s: String) -> FileFormatError { FileFormatError(.invalidContents, file: nil, s) }
    var tensors = file.tensors, dictionary = file.metadata
    var layout: TensorLayout?
    let parameterNames = Set(tensors.keys).subtracting(StoredMultipliers.tensorNames)
    if TensorLayout.isForeign(names: parameterNames, metadata: dictionary) {
      let order = layers ?? dictionary[TensorLayout.layersKey].map { $0.split(separator: ",").map(String.init) }
      let recognized = try TensorLayout.recognize(tensors.filter { parameterNames.contains($0.key) }, order: order)
      tensors = recognized.canonicalTensors(tensors).merging(tensors.filter { StoredMultipliers.tensorNames.contains($0.key) }) { a, _ in a }
      tensors.merge(try StoredMultipliers.tensors(base64Metadata: dictionary)) { old, _ in old }
      for key in StoredMultipliers.base64Keys.union([TensorLayout.layersKey]) { dictionary[key] = nil }
      if dictionary["architecture"] == nil { dictionary["architecture"] = recognized.architectureName }
      layout = recognized
    } else if let layers {
      throw fail("the file is in this package's own layout (w; W, u; W1…WL, v), not PyTorch's: a layer order (\(layers.joined(separator: ","))) applies only to PyTorch-layout files")
    }
    if let trained {
      if let recorded = dictionary["train_output_layer"] {
        guard try trainsOutputLayer(dictionary) == trained else {
          throw fail("the file records train_output_layer = \(recorded); the output layer's training cannot be changed for a file that records it")
        }
      } else {
        dictionary["train_output_layer"] = trained ? "true" : "false"
      }
    }
    let names = Set(tensors.keys)
    let architecture = dictionary["architecture"]
      ?? (names.contains("w") ? "linear" : (names.contains("W1") && names.contains("v") ? "deep-relu" : "two-layer-relu"))
    _ = try trainsOutputLayer(dictionary)  // checked for every architecture (every writer records it)
    var metadata = try ModelMetadata(dictionary: dictionary)
    guard let model = ModelArchitecture.modelType(named: architecture) else {
      let known = ModelArchitecture.metadataNames
      throw fail("metadata architecture = \"\(architecture)\" is not \(known.dropLast().joined(separator: ", ")) or \(known.last ?? "")")
    }
    metadata.multipliers = try StoredMultipliers(tensors: tensors, metadata: dictionary)
    metadata.layout = layout
    let parameters = tensors.filter { !StoredMultipliers.tensorNames.contains($0.key) }
    return (try model.init(tensors: parameters, metadata: dictionary), metadata)
  }

  /// The `train_output_layer` metadata key (`false` when absent).
  ///
  /// - Throws: ``FileFormatError`` when the value is not `true`/`false` (or `True`/`False`, `1`/`0`).
  static func trainsOutputLayer(_ metadata: [String: String]) throws -> Bool {
    switch metadata["train_output_layer"] ?? "false" {
    case "true", "True", "1": return true
    case "false", "False", "0": return false
    case let v: throw FileFormatError(.invalidContents, file: nil, "metadata train_output_layer = \"\(v)\" is not true or false")
    }
  }

  static func checkFinite(_ t: SafetensorsTensor, _ name: String) throws {
    if let k = t.values.firstIndex(where: { !$0.isFinite }) {
      throw FileFormatError(.invalidContents, file: nil, "tensor \(name) has a non-finite value (\(t.values[k])) at \(t.position(ofIndex: k))")
    }
  }

  /// The safetensors file of a model: its ``HomogeneousModel/tensors()`` (plus the `kkt_*` tensors of
  /// ``ModelMetadata/multipliers``) and the metadata with the keys of its ``HomogeneousModel/architecture``.
  /// With a ``ModelMetadata/layout`` (a model read from a PyTorch-layout file), the weights go under
  /// the layout's names, shapes and element types and nothing else is a tensor: the layer order
  /// (``TensorLayout/layersKey``) and the multipliers (``StoredMultipliers/base64Keys``) go in the metadata.
  ///
  /// - Complexity: O(p + m + b).
  public static func encode(_ model: any HomogeneousModel, metadata: ModelMetadata) -> SafetensorsFile {
    if let layout = metadata.layout {
      var dictionary = metadata.dictionary(for: model.architecture)
      dictionary[TensorLayout.layersKey] = layout.recordedOrder
      if let stored = metadata.multipliers { dictionary.merge(stored.base64Metadata()) { _, new in new } }
      return SafetensorsFile(tensors: layout.fileTensors(model.tensors()), metadata: dictionary)
    }
    var tensors = model.tensors()
    if let stored = metadata.multipliers { tensors.merge(stored.tensors()) { old, _ in old } }
    return SafetensorsFile(tensors: tensors, metadata: metadata.dictionary(for: model.architecture))
  }

  /// Writes a model file atomically (temp file, fsync, rename): ``encode(_:metadata:)``
  /// then ``SafetensorsFile/write(to:dtype:overwrite:)``; a model with a ``ModelMetadata/layout``
  /// is written in the layout's element types whatever `dtype`.
  ///
  /// - Throws: ``FileFormatError``: `.fileExists` when `url` exists and
  ///   `overwrite` is false, `.io` when the write fails, `.invalidContents` for
  ///   a value too large for F32.
  /// - Complexity: O(p).
  public static func write(_ model: any HomogeneousModel, metadata: ModelMetadata, to url: URL, overwrite: Bool,
                           dtype: SafetensorsTensor.DType = .f64) throws {
    try encode(model, metadata: metadata).write(to: url, dtype: metadata.layout == nil ? dtype : nil, overwrite: overwrite)
  }

  /// The bytes of a model file (``encode(_:metadata:)``), in `dtype` or, with a
  /// ``ModelMetadata/layout``, in the layout's element types.
  ///
  /// - Throws: ``FileFormatError`` for a value too large for the element type.
  /// - Complexity: O(p + m + b).
  public static func bytes(_ model: any HomogeneousModel, metadata: ModelMetadata,
                           dtype: SafetensorsTensor.DType = .f64) throws -> [UInt8] {
    try encode(model, metadata: metadata).encode(dtype: metadata.layout == nil ? dtype : nil)
  }
}
