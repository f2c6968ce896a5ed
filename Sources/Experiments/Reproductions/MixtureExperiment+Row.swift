extension MixtureExperiment {
  /// One (seed, model) of `mixture`: the geometry of S and the measurements of forgetting example 0,
  /// test accuracies included (``UnlearningMeasurement``).
  package struct Row: Codable, Sendable, Equatable {
    package var seed: Int
    package var model: String
    package var psi: Double
    package var phi: Double
    package var measured: UnlearningColumns
    package var training: TrainingColumns
    package var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case seed, model, psi, phi, measured, training, seconds
    }
  }
}
