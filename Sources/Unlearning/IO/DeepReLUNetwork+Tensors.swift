import LinearAlgebra

extension DeepReLUNetwork {
  /// `W1` (`[n_1, d]`), `W2` (`[n_2, n_1]`), …, `WL` and `v` (`[n_L]`) (MATH.md §8).
  ///
  /// - Complexity: O(p).
  public func tensors() -> [String: SafetensorsTensor] {
    var tensors: [String: SafetensorsTensor] = [:]
    for (l, w) in layers.enumerated() { tensors["W\(l + 1)"] = SafetensorsTensor(w) }
    tensors["v"] = SafetensorsTensor(vector: outputWeights)
    return tensors
  }

  /// The network stored as `W1, …, WL` and `v` with chained shapes (`W1` `[n_1, d]`,
  /// `Wl` `[n_l, n_{l−1}]`, `v` `[n_L]`); `L` is the number of `W` tensors, and
  /// the `depth` metadata key, when present, must agree.
  ///
  /// - Complexity: O(p).
  /// - Throws: ``FileFormatError`` when `W1` or `v` is missing, another tensor is
  ///   present, `depth` disagrees, the shapes do not chain or a value is not finite.
  public init(tensors: [String: SafetensorsTensor], metadata: [String: String]) throws {
    func fail(_ s: String) -> FileFormatError { FileFormatError(.invalidContents, file: nil, s) }
    let names = Set(tensors.keys)
    let layout = "a deep network stores W1 [n1, d], W2 [n2, n1], …, WL [nL, nL-1] and v [nL]"
    var depth = 0
    while names.contains("W\(depth + 1)") { depth += 1 }
    guard depth >= 1 else { throw fail("missing tensor W1 (\(layout))") }
    guard let vt = tensors["v"] else { throw fail("missing tensor v (\(layout))") }
    let expected = Set((1...depth).map { "W\($0)" } + ["v"])
    if let extra = names.subtracting(expected).sorted().first {
      throw fail("unexpected tensor \(extra) in a deep network with \(depth) hidden layers (only W1…W\(depth) and v; the models are bias-free)")
    }
    if let v = metadata["depth"], Int(v) != depth {
      throw fail("metadata depth = \"\(v)\" but the file holds \(depth) weight matrices W1…W\(depth)")
    }
    var layers: [Matrix] = []
    for l in 1...depth {
      guard let t = tensors["W\(l)"], t.shape.count == 2, let w = t.matrix, w.rows > 0, w.columns > 0 else {
        throw fail("tensor W\(l) has shape \(tensors["W\(l)"]?.shape ?? []); it must be a non-empty matrix (\(layout))")
      }
      if let previous = layers.last, w.columns != previous.rows {
        throw fail("tensor W\(l) has shape \(t.shape) but W\(l - 1) has \(previous.rows) rows; W\(l) must be [n\(l), \(previous.rows)]")
      }
      try ModelFile.checkFinite(t, "W\(l)")
      layers.append(w)
    }
    let n = layers[layers.count - 1].rows
    guard vt.shape == [n] || vt.shape == [n, 1] || vt.shape == [1, n] else {
      throw fail("tensor v has shape \(vt.shape) but W\(depth) has \(n) rows; v must be [\(n)]")
    }
    try ModelFile.checkFinite(vt, "v")
    self.init(layers: layers, outputWeights: vt.values)
  }
}
