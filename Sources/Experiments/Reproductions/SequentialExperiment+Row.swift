extension SequentialExperiment {
  /// One (setting, seed, model, T, method) of `sequential`: the model a method holds after T
  /// deletions, measured on S∖F_T. A value that was not measured is `nil` (an empty cell):
  /// τ off the retraining grid, the attack AUC before the last deletion, the training columns
  /// except for `retrain` (the retraining) and `original` (θ₀'s training).
  package struct Row: Codable, Sendable, Equatable {
    /// `isotropic` or `mixture`.
    package var setting: String
    package var seed: Int
    /// `linear` or `two-layer`.
    package var model: String
    /// Deletions so far (F_T = the first T examples of the seeded order).
    package var t: Int
    /// `carried`, `fresh`, `batch`, `recover10`, `retrain` or `original` (θ₀, not unlearned).
    package var method: String
    /// The index in S of the example deleted at step T (the T-th of the seeded order).
    package var forgotten: Int
    /// ε/‖θ̂‖ of the κ-audit of the model on S∖F_T (the self certificate).
    package var epsilonRelative: Double?
    /// δ of the same audit.
    package var delta: Double?
    /// 1 − cos(θ, θ_retrained(T)) (on the retraining grid only).
    package var tauRetrained: Double?
    /// Accuracy on the held-out test split.
    package var testAccuracy: Double?
    /// At T = T_max: AUC of the margin attack, the deleted examples against as many fresh non-members.
    package var attackAUC: Double?
    /// Gradient steps of the (re)training (`retrain`, `original` only).
    package var trainIterations: Int?
    /// Whether that training stopped on the κ-audit.
    package var trainConverged: Bool?
    /// Why a value is missing (empty when none is).
    package var note: String
    /// Wall seconds of this step alone (the method's work for deletion T; `retrain`: the retraining on S∖F_T).
    package var secondsStep: Rounded?
    /// Wall seconds of the method from θ₀ to T (MATH.md §10.5; `retrain`: every retraining up to T,
    /// interpolated between the grid's points).
    package var secondsCumulative: Rounded?
    /// Wall seconds of the whole grid point.
    package var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case setting, seed, model, t, method, forgotten
      case epsilonRelative = "epsilon_relative", delta, tauRetrained = "tau_retrained", testAccuracy = "test_accuracy"
      case attackAUC = "attack_auc", trainIterations = "train_iterations", trainConverged = "train_converged", note
      case secondsStep = "seconds_step", secondsCumulative = "seconds_cumulative", seconds
    }
  }
}
