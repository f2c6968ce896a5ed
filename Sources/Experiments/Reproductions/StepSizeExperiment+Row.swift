extension StepSizeExperiment {
  /// One (seed, α, κ, variant) of `step-size`: the κ-audit of θ_U(α) on S∖F and its distance to the
  /// retrained and the original model. The audit's numbers are `nil` (empty) when it is undefined;
  /// every number but the point's is `nil` when the trained model does not interpolate S at κ.
  public struct Row: Codable, Sendable, Equatable {
    public var seed: Int
    public var alpha: Double
    public var kappa: Double
    /// The GA step: `gradient` or `decomposition`.
    public var variant: String
    public var epsilon: Double?
    public var epsilonRelative: Double?
    public var epsilonStrictRelative: Double?
    public var delta: Double?
    public var bandPairs: Int?
    public var minMargin: Double?
    public var cosRetrained: Double?
    public var cosOriginal: Double?
    public var forgetIndex: Int?
    public var lambdaForget: Double?
    public var training: TrainingColumns
    public var retrainIterations: Int?
    public var retrainConverged: Bool?
    public var note: String
    public var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case seed, alpha, kappa, variant, epsilon, epsilonRelative = "epsilon_relative"
      case epsilonStrictRelative = "epsilon_strict_relative", delta, bandPairs = "band_pairs", minMargin = "min_margin"
      case cosRetrained = "cos_retrained", cosOriginal = "cos_original", forgetIndex = "forget_index"
      case lambdaForget = "lambda_forget", training, retrainIterations = "retrain_iterations"
      case retrainConverged = "retrain_converged", note, seconds
    }
  }
}
