extension TwoLayerDimensionExperiment {
  /// One (seed, d) of `two-layer-dimension`: the geometry of S and the measurements of forgetting
  /// example 0 from the two-layer network (``UnlearningMeasurement``).
  public struct Row: Codable, Sendable, Equatable {
    public var seed: Int
    public var d: Int
    public var m: Int
    public var n: Int
    public var psi: Double
    public var phi: Double
    public var measured: UnlearningColumns
    public var training: TrainingColumns
    public var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case seed, d, m, n, psi, phi, measured, training, seconds
    }
  }
}
