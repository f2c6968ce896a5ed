import Foundation

extension ModelFile {
  /// Reads the initial weights of a model trained elsewhere (`unlearn forget --init`, MATH.md §8.5):
  /// a file in the same layout as the model (PyTorch's names, or the package's own), read as the
  /// model is, whose every tensor has the model's shape. Retraining on S∖F (`--certify retrained`,
  /// `--method retrain`) starts from it.
  ///
  /// - Parameters:
  ///   - url: The file of initial weights.
  ///   - model: The trained model the initialisation belongs to.
  ///   - metadata: The model's metadata (its ``ModelMetadata/layout`` gives the layer order when
  ///     `layers` is `nil`).
  ///   - layers: The weight tensors' names, input layer first, or `nil`.
  /// - Returns: The initial model, of the model's type and architecture.
  /// - Throws: ``FileFormatError`` naming the file: the errors of ``read(_:layers:trainsOutputLayer:)``,
  ///   and `.invalidContents` when its architecture, its tensors or their shapes differ from the model's.
  /// - Complexity: O(p).
  public static func readInitialization(_ url: URL, for model: any HomogeneousModel, metadata: ModelMetadata,
                                        layers: [String]? = nil) throws -> any HomogeneousModel {
    let name = FileFormatError.displayName(url)
    func fail(_ s: String) -> FileFormatError { FileFormatError(.invalidContents, file: name, s) }
    let file = try SafetensorsFile.read(url)
    let parameterNames = Set(file.tensors.keys).subtracting(StoredMultipliers.tensorNames)
    let foreign = TensorLayout.isForeign(names: parameterNames, metadata: file.metadata)
    let order = foreign ? (layers ?? metadata.layout.map { $0.weights.map(\.name) }) : nil
    var trains: Bool?
    if case .twoLayer(_, let trained) = model.architecture, file.metadata["train_output_layer"] == nil { trains = trained }
    let initial: any HomogeneousModel
    do {
      initial = try decode(file, layers: order, trainsOutputLayer: trains).0
    } catch let error as FileFormatError {
      throw error.about(name)
    }
    let expected = foreign ? (metadata.layout.map { $0.fileTensors(model.tensors()) } ?? model.tensors()) : model.tensors()
    // As stored: a PyTorch-layout file's own tensors (shapes as written), else the model's names.
    let given = foreign ? file.tensors.filter { parameterNames.contains($0.key) } : initial.tensors()
    for tensor in expected.keys.sorted(by: TensorLayout.naturallyPrecedes) {
      guard let g = given[tensor] else {
        throw fail("the initial weights have no tensor \(tensor) (the model's tensors: \(TensorLayout.describe(expected)))")
      }
      guard g.shape == expected[tensor]!.shape else {
        throw fail("the initial weights do not match the model: tensor \(tensor) is \(SafetensorsTensor.describe(shape: g.shape)) in the initialisation but \(SafetensorsTensor.describe(shape: expected[tensor]!.shape)) in the model")
      }
    }
    guard initial.architecture == model.architecture, Set(given.keys) == Set(expected.keys) else {
      throw fail("the initial weights are a \(initial.architecture.metadataName) model but the model is a \(model.architecture.metadataName) model")
    }
    return initial
  }
}
