/// The `__metadata__` of a model file (MATH.md §8): the architecture keys
/// every reader needs, plus the provenance that lets `retrained` certificates
/// reproduce the training run (initialisation seed and scale, training settings)
/// and that records an unlearning step.
public struct ModelMetadata: Sendable, Equatable {
  /// `loss`: the training loss.
  public var loss: Loss
  /// `init_seed`: the initialisation's seed (MATH.md §1.5), when known.
  public var initSeed: UInt64?
  /// `init_scale`: the initialisation's scale `s`, when known.
  public var initScale: Double?
  /// The training settings (`algorithm`, `learning_rate`, `tolerance`, `kappa`,
  /// `max_iterations`, `audit_interval`), when known.
  public var training: TrainingConfiguration?
  /// Any other keys, kept as they are (e.g. `unlearned_forget`, `unlearned_alpha`).
  public var extra: [String: String]
  /// The KKT multipliers stored with the model (tensors `kkt_*`, keys `multipliers_*`; MATH.md §8.2), when any.
  public var multipliers: StoredMultipliers?
  /// The tensor names, shapes and element types of a model read from a PyTorch-layout file
  /// (``TensorLayout``, MATH.md §8.5): ``ModelFile`` writes a model with this metadata back in that
  /// layout. `nil` for the package's own layout.
  public var layout: TensorLayout?

  /// Metadata with the given provenance; every field is optional but the loss.
  public init(loss: Loss = .exponential, initSeed: UInt64? = nil, initScale: Double? = nil,
              training: TrainingConfiguration? = nil, extra: [String: String] = [:],
              multipliers: StoredMultipliers? = nil, layout: TensorLayout? = nil) {
    self.multipliers = multipliers
    self.layout = layout
    self.loss = loss
    self.initSeed = initSeed
    self.initScale = initScale
    self.training = training
    self.extra = extra
  }

  /// The string map stored in the file, with the architecture keys of `architecture`
  /// (MATH.md §8.2); ``extra`` keys are kept.
  ///
  /// - Complexity: O(number of keys).
  public func dictionary(for architecture: ModelArchitecture) -> [String: String] {
    var d = extra
    d["architecture"] = architecture.metadataName
    switch architecture {
    case .twoLayer(_, let trained): d["train_output_layer"] = trained ? "true" : "false"
    case .deep(let depth, _):
      d["train_output_layer"] = "true"  // every layer of a deep network is trained
      d["depth"] = String(depth)
    case .linear: d["train_output_layer"] = "false"
    }
    d["loss"] = loss.rawValue
    if let initSeed { d["init_seed"] = String(initSeed) }
    if let initScale { d["init_scale"] = String(initScale) }
    if let t = training {
      d["algorithm"] = t.algorithm.rawValue
      d["learning_rate"] = String(t.learningRate)
      d["tolerance"] = String(t.tolerance)
      d["kappa"] = String(t.kappa)
      d["max_iterations"] = String(t.maxIterations)
      d["audit_interval"] = String(t.auditInterval)
      if let w = t.warmUpLearningRate { d["warm_up_learning_rate"] = String(w) }
    }
    if let multipliers { d.merge(multipliers.metadata()) { _, new in new } }
    return d
  }

  static let knownKeys: Set<String> = Set<String>(["architecture", "train_output_layer", "depth", "loss", "init_seed", "init_scale", "algorithm",
                                       "learning_rate", "tolerance", "kappa", "max_iterations", "audit_interval",
                                       "warm_up_learning_rate"]).union(StoredMultipliers.metadataKeys)

  /// Parses the metadata keys other than the architecture; unknown keys go to ``extra``.
  /// ``multipliers`` stays `nil` (they need the tensors: ``ModelFile/decode(_:layers:trainsOutputLayer:)`` reads them).
  ///
  /// - Throws: ``FileFormatError`` (`.invalidContents`, no file name) with a
  ///   one-line reason for a malformed value or invalid training settings.
  /// - Complexity: O(number of keys).
  public init(dictionary d: [String: String]) throws {
    func fail(_ key: String, _ value: String, _ expected: String) -> Error {
      FileFormatError(.invalidContents, file: nil, "metadata \(key) = \"\(value)\" is not \(expected)")
    }
    if let v = d["loss"] {
      guard let loss = Loss(rawValue: v) else { throw fail("loss", v, "exponential or logistic") }
      self.loss = loss
    } else {
      self.loss = .exponential
    }
    self.initSeed = try d["init_seed"].map { v in try UInt64(v).orThrow(fail("init_seed", v, "a non-negative integer")) }
    self.initScale = try d["init_scale"].map { v in
      try Double(v).flatMap { $0.isFinite && $0 > 0 ? $0 : nil }.orThrow(fail("init_scale", v, "a positive number"))
    }
    if let a = d["algorithm"] {
      guard let algorithm = TrainingConfiguration.Algorithm(rawValue: a) else { throw fail("algorithm", a, "gd or normalized-gd") }
      var t = TrainingConfiguration(algorithm: algorithm, loss: loss)
      if let v = d["learning_rate"] { t.learningRate = try Double(v).orThrow(fail("learning_rate", v, "a number")) }
      if let v = d["tolerance"] { t.tolerance = try Double(v).orThrow(fail("tolerance", v, "a number")) }
      if let v = d["kappa"] { t.kappa = try Double(v).orThrow(fail("kappa", v, "a number")) }
      if let v = d["max_iterations"] { t.maxIterations = try Int(v).orThrow(fail("max_iterations", v, "an integer")) }
      if let v = d["audit_interval"] { t.auditInterval = try Int(v).orThrow(fail("audit_interval", v, "an integer")) }
      if let v = d["warm_up_learning_rate"] { t.warmUpLearningRate = try Double(v).orThrow(fail("warm_up_learning_rate", v, "a number")) }
      do { try t.validate() } catch { throw FileFormatError(.invalidContents, file: nil, "metadata training settings: \(error)") }
      self.training = t
    } else {
      self.training = nil
    }
    self.extra = d.filter { !Self.knownKeys.contains($0.key) }
    self.multipliers = nil
    self.layout = nil
  }
}

extension Optional {
  /// The wrapped value, or `error` thrown.
  func orThrow(_ error: @autoclosure () -> Error) throws -> Wrapped {
    guard let self else { throw error() }
    return self
  }
}
