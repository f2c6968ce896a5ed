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
public enum ModelFile {
  /// Reads a model file: ``SafetensorsFile/read(_:allowNonFinite:)`` then ``decode(_:)``.
  ///
  /// - Returns: The model (its concrete type from the architecture) and its metadata.
  /// - Throws: ``FileFormatError`` naming the file: the read and parse errors of
  ///   ``SafetensorsFile``, and the errors of ``decode(_:)``.
  /// - Complexity: O(file size).
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
  /// The architecture's model type builds the model (``HomogeneousModel/init(tensors:metadata:)``).
  ///
  /// - Complexity: O(p).
  /// - Throws: ``FileFormatError`` (no file name) for an unknown architecture, a
  ///   malformed metadata value, or tensors that do not fit the architecture.
  public static func decode(_ file: SafetensorsFile) throws -> (any HomogeneousModel, ModelMetadata) {
    func fail(_ s: String) -> FileFormatError { FileFormatError(.invalidContents, file: nil, s) }
    let names = Set(file.tensors.keys)
    let architecture = file.metadata["architecture"]
      ?? (names.contains("w") ? "linear" : (names.contains("W1") && names.contains("v") ? "deep-relu" : "two-layer-relu"))
    _ = try trainsOutputLayer(file.metadata)  // checked for every architecture (every writer records it)
    var metadata = try ModelMetadata(dictionary: file.metadata)
    guard let model = ModelArchitecture.modelType(named: architecture) else {
      let known = ModelArchitecture.metadataNames
      throw fail("metadata architecture = \"\(architecture)\" is not \(known.dropLast().joined(separator: ", ")) or \(known.last ?? "")")
    }
    metadata.multipliers = try StoredMultipliers(tensors: file.tensors, metadata: file.metadata)
    let parameters = file.tensors.filter { !StoredMultipliers.tensorNames.contains($0.key) }
    return (try model.init(tensors: parameters, metadata: file.metadata), metadata)
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
  ///
  /// - Complexity: O(p + m + b).
  public static func encode(_ model: any HomogeneousModel, metadata: ModelMetadata) -> SafetensorsFile {
    var tensors = model.tensors()
    if let stored = metadata.multipliers { tensors.merge(stored.tensors()) { old, _ in old } }
    return SafetensorsFile(tensors: tensors, metadata: metadata.dictionary(for: model.architecture))
  }

  /// Writes a model file atomically (temp file, fsync, rename): ``encode(_:metadata:)``
  /// then ``SafetensorsFile/write(to:dtype:overwrite:)``.
  ///
  /// - Throws: ``FileFormatError``: `.fileExists` when `url` exists and
  ///   `overwrite` is false, `.io` when the write fails, `.invalidContents` for
  ///   a value too large for F32.
  /// - Complexity: O(p).
  public static func write(_ model: any HomogeneousModel, metadata: ModelMetadata, to url: URL, overwrite: Bool,
                           dtype: SafetensorsTensor.DType = .f64) throws {
    try encode(model, metadata: metadata).write(to: url, dtype: dtype, overwrite: overwrite)
  }
}
