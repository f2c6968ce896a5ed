extension ForgetSetSizeExperiment {
  /// One (seed, k, model) of `forget-set-size`: the measurements of forgetting examples 0..<k with one
  /// step (``UnlearningMeasurement``).
  public struct Row: Codable, Sendable, Equatable {
    public var seed: Int
    public var k: Int
    public var model: String
    public var measured: UnlearningColumns
    public var training: TrainingColumns
    public var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case seed, k, model, measured, training, seconds
    }
  }
}
