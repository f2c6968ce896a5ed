extension RecoveryExperiment {
  /// One (seed, model, method, k) of `recovery`: a method run for k steps (`k` empty for retraining)
  /// and measured against retraining (``MethodMeasurement``).
  package struct Row: Codable, Sendable, Equatable {
    package var seed: Int
    package var model: String
    /// The method's `--method` name, or `retrain`.
    package var method: String
    /// The step count (`nil` for retraining).
    package var k: Int?
    package var measured: MethodColumns
    package var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case seed, model, method, k, measured, seconds
    }
  }
}
