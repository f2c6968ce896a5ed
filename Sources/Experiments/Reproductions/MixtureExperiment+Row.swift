extension MixtureExperiment {
  /// One (seed, model) of `mixture`: the geometry of S and the measurements of forgetting example 0,
  /// test accuracies included (``UnlearningMeasurement``).
  public struct Row: Codable, Sendable, Equatable {
    public var seed: Int
    public var model: String
    public var psi: Double
    public var phi: Double
    public var measured: UnlearningColumns
    public var training: TrainingColumns
    public var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case seed, model, psi, phi, measured, training, seconds
    }
  }
}
