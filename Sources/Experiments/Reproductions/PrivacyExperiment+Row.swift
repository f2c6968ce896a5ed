extension PrivacyExperiment {
  /// One (model, target, method) of `privacy`: the target's normalised margin `q_t / ‖θ‖^C` under
  /// the original, retrained or unlearned model; (ε, δ, τ) for the model's first held target only.
  package struct Row: Codable, Sendable, Equatable {
    /// The population model j.
    package var model: Int
    package var target: Int
    /// Whether the target is in the model's training set.
    package var member: Bool
    /// `original`, `retrained`, or a configuration's label (`ga-kkt α=1.0`, a method's name).
    package var method: String
    /// `nil` when the method failed.
    package var margin: Double?
    package var epsilonRelative: Double?
    package var delta: Double?
    package var tauRetrained: Double?
    /// The tuned step-size multiplier c of a step-based baseline (``BaselineTuning``); `nil` for the others.
    package var stepScale: Double? = nil
    package var note: String
    package var secondsMethod: Rounded?
    package var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case model, target, member, method, margin, epsilonRelative = "epsilon_relative", delta
      case tauRetrained = "tau_retrained", stepScale = "step_scale", note, secondsMethod = "seconds_method", seconds
    }
  }
}
