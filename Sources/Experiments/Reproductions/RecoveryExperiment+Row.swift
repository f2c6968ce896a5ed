extension RecoveryExperiment {
  /// One (seed, model, method, k) of `recovery`: a method run for k steps (`k` empty for retraining)
  /// and measured against retraining (``MethodMeasurement``).
  public struct Row: Codable, Sendable, Equatable {
    public var seed: Int
    public var model: String
    /// The method's `--method` name, or `retrain`.
    public var method: String
    /// The step count (`nil` for retraining).
    public var k: Int?
    public var measured: MethodColumns
    public var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case seed, model, method, k, measured, seconds
    }
  }
}
