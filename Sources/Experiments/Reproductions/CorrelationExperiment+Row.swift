extension CorrelationExperiment {
  /// One (seed, ρ, model) of `correlation`: the geometry of the correlated S and the measurements of
  /// forgetting example 0 (``UnlearningMeasurement``).
  public struct Row: Codable, Sendable, Equatable {
    public var seed: Int
    public var rho: Double
    public var model: String
    public var psi: Double
    public var phi: Double
    public var measured: UnlearningColumns
    public var training: TrainingColumns
    public var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case seed, rho, model, psi, phi, measured, training, seconds
    }
  }
}
