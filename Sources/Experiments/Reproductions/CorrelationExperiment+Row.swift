extension CorrelationExperiment {
  /// One (seed, ρ, model) of `correlation`: the geometry of the correlated S and the measurements of
  /// forgetting example 0 (``UnlearningMeasurement``).
  package struct Row: Codable, Sendable, Equatable {
    package var seed: Int
    package var rho: Double
    package var model: String
    package var psi: Double
    package var phi: Double
    package var measured: UnlearningColumns
    package var training: TrainingColumns
    package var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case seed, rho, model, psi, phi, measured, training, seconds
    }
  }
}
