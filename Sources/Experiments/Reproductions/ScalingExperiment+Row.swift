extension ScalingExperiment {
  /// One (seed, m, model, forgotten example) of `scaling`: the data's geometry, which example was forgotten
  /// (the one with the largest or the smallest positive KKT multiplier on S) and the measurements of forgetting
  /// it with the paper's step (``UnlearningMeasurement``).
  package struct Row: Codable, Sendable, Equatable {
    package var seed: Int
    package var m: Int
    package var model: String
    /// `max-lambda` or `min-lambda`.
    package var forgotten: String
    package var forgetIndex: Int?
    package var lambdaForget: Double?
    package var phi: Double
    /// m · φ, the quantity Assumption 2.3 asks to be small.
    package var mPhi: Double
    package var measured: UnlearningColumns
    package var training: TrainingColumns
    package var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case seed, m, model, forgotten, forgetIndex = "forget_index", lambdaForget = "lambda_forget", phi, mPhi = "m_phi"
      case measured, training, seconds
    }
  }
}
