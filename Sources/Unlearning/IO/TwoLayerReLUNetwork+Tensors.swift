import LinearAlgebra

extension TwoLayerReLUNetwork {
  /// `W` (`[n, d]`) and `u` (`[n]`, stored even when fixed, so the file is the whole network; MATH.md §8).
  ///
  /// - Complexity: O(n d).
  public func tensors() -> [String: SafetensorsTensor] {
    ["W": SafetensorsTensor(hiddenWeights), "u": SafetensorsTensor(vector: outputWeights)]
  }

  /// The network stored as `W` (`[n, d]`) and `u` (`[n]`), with `train_output_layer`
  /// from the metadata (`false` when absent).
  ///
  /// - Complexity: O(n d).
  /// - Throws: ``FileFormatError`` when `W` or `u` is missing, another tensor is
  ///   present, the shapes do not chain, a value is not finite, or
  ///   `train_output_layer` is not a boolean.
  public init(tensors: [String: SafetensorsTensor], metadata: [String: String]) throws {
    func fail(_ s: String) -> FileFormatError { FileFormatError(.invalidContents, file: nil, s) }
    let trainOutput = try ModelFile.trainsOutputLayer(metadata)
    let names = Set(tensors.keys)
    guard let wt = tensors["W"] else { throw fail("missing tensor W (a two-layer network stores W, shape [n, d], and u, shape [n])") }
    guard let ut = tensors["u"] else { throw fail("missing tensor u (a two-layer network stores W, shape [n, d], and u, shape [n])") }
    if let extra = names.subtracting(["W", "u"]).sorted().first { throw fail("unexpected tensor \(extra) in a two-layer network (only W and u; the models are bias-free)") }
    guard wt.shape.count == 2, let w = wt.matrix else { throw fail("tensor W has shape \(wt.shape); it must be [n, d]") }
    guard w.rows > 0, w.columns > 0 else { throw fail("tensor W has shape \(wt.shape): a width and a dimension of at least 1 are needed") }
    guard ut.shape == [w.rows] || ut.shape == [w.rows, 1] || ut.shape == [1, w.rows] else {
      throw fail("tensor u has shape \(ut.shape) but W has \(w.rows) rows; u must be [\(w.rows)]")
    }
    try ModelFile.checkFinite(wt, "W")
    try ModelFile.checkFinite(ut, "u")
    self.init(hiddenWeights: w, outputWeights: ut.values, trainsOutputLayer: trainOutput)
  }
}
