import LinearAlgebra

extension LinearModel {
  /// `w`, shape `[d]` (MATH.md §8).
  ///
  /// - Complexity: O(d).
  public func tensors() -> [String: SafetensorsTensor] {
    ["w": SafetensorsTensor(vector: weights)]
  }

  /// The linear model stored as `w` (shape `[d]`, or `[1, d]` / `[d, 1]`); no other tensor.
  ///
  /// - Complexity: O(d).
  /// - Throws: ``FileFormatError`` when `w` is missing, empty, not a vector or
  ///   not finite, or when another tensor is present.
  public init(tensors: [String: SafetensorsTensor], metadata: [String: String]) throws {
    func fail(_ s: String) -> FileFormatError { FileFormatError(.invalidContents, file: nil, s) }
    let names = Set(tensors.keys)
    guard let w = tensors["w"] else { throw fail("missing tensor w (a linear model stores its weights as w, shape [d])") }
    if let extra = names.subtracting(["w"]).sorted().first { throw fail("unexpected tensor \(extra) in a linear model (only w; the models are bias-free)") }
    guard w.shape.count == 1 || (w.shape.count == 2 && (w.shape[0] == 1 || w.shape[1] == 1)) else {
      throw fail("tensor w has shape \(w.shape); a linear model needs [d]")
    }
    guard w.count > 0 else { throw fail("tensor w is empty") }
    try ModelFile.checkFinite(w, "w")
    self.init(weights: w.values)
  }
}
