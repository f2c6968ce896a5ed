extension TwoLayerDimensionExperiment {
  /// One (seed, d) of `two-layer-dimension`: the geometry of S and the measurements of forgetting
  /// example 0 from the two-layer network (``UnlearningMeasurement``).
  package struct Row: Codable, Sendable, Equatable {
    package var seed: Int
    package var d: Int
    package var m: Int
    package var n: Int
    package var psi: Double
    package var phi: Double
    package var measured: UnlearningColumns
    package var training: TrainingColumns
    package var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case seed, d, m, n, psi, phi, measured, training, seconds
    }
  }
}
