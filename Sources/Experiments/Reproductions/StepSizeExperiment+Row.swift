extension StepSizeExperiment {
  /// One (seed, α, κ, variant) of `step-size`: the κ-audit of θ_U(α) on S∖F and its distance to the
  /// retrained and the original model. The audit's numbers are `nil` (empty) when it is undefined;
  /// every number but the point's is `nil` when the trained model does not interpolate S at κ.
  package struct Row: Codable, Sendable, Equatable {
    package var seed: Int
    package var alpha: Double
    package var kappa: Double
    /// The GA step: `gradient` or `decomposition`.
    package var variant: String
    package var epsilon: Double?
    package var epsilonRelative: Double?
    package var epsilonStrictRelative: Double?
    package var delta: Double?
    package var bandPairs: Int?
    package var minMargin: Double?
    package var cosRetrained: Double?
    package var cosOriginal: Double?
    package var forgetIndex: Int?
    package var lambdaForget: Double?
    package var training: TrainingColumns
    package var retrainIterations: Int?
    package var retrainConverged: Bool?
    package var note: String
    package var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case seed, alpha, kappa, variant, epsilon, epsilonRelative = "epsilon_relative"
      case epsilonStrictRelative = "epsilon_strict_relative", delta, bandPairs = "band_pairs", minMargin = "min_margin"
      case cosRetrained = "cos_retrained", cosOriginal = "cos_original", forgetIndex = "forget_index"
      case lambdaForget = "lambda_forget", training, retrainIterations = "retrain_iterations"
      case retrainConverged = "retrain_converged", note, seconds
    }
  }
}
