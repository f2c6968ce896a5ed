extension ForgetSetSizeExperiment {
  /// One (seed, k, model) of `forget-set-size`: the measurements of forgetting examples 0..<k with one
  /// step (``UnlearningMeasurement``).
  package struct Row: Codable, Sendable, Equatable {
    package var seed: Int
    package var k: Int
    package var model: String
    package var measured: UnlearningColumns
    package var training: TrainingColumns
    package var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case seed, k, model, measured, training, seconds
    }
  }
}
