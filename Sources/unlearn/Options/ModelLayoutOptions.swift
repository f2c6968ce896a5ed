import ArgumentParser
import Foundation
import Unlearning

/// `--layers` and `--train-output-layer`: how to read a model file from elsewhere (PyTorch's layout,
/// MATH.md §8.5), shared by `audit` and `forget` (`fold-bias` has its own `--layers`, parsed and checked alike).
struct ModelLayoutOptions: ParsableArguments {
  @Option(help: ArgumentHelp("""
    A PyTorch-layout file only: its weight tensors, input layer first (e.g. hidden.weight,out.weight), \
    when their names do not order them.
    """, valueName: "list"))
  var layers: String?
  @Flag(help: """
    A two-layer file that does not record train_output_layer (one from PyTorch): its output layer is trained \
    too (default: fixed, as a file without the key is read).
    """)
  var trainOutputLayer = false

  /// The `--layers` names, or `nil`.
  var layerOrder: [String]? { Self.layerOrder(layers) }

  func validate() throws { try Self.validateLayers(layers) }

  /// The names of a `--layers` value, trimmed, empty elements kept (``validateLayers(_:)`` refuses them).
  static func layerOrder(_ layers: String?) -> [String]? {
    layers.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
  }

  /// Refuses a `--layers` value with an empty element (usage error).
  static func validateLayers(_ layers: String?) throws {
    if let order = layerOrder(layers), order.contains(where: \.isEmpty) {
      throw ValidationError("--layers must be a comma-separated list of tensor names (got \"\(layers ?? "")\")")
    }
  }

  /// Reads the model at `path` with these options.
  func read(_ path: String) throws -> (any HomogeneousModel, ModelMetadata) {
    try ModelFile.read(URL(fileURLWithPath: path), layers: layerOrder, trainsOutputLayer: trainOutputLayer ? true : nil)
  }
}
