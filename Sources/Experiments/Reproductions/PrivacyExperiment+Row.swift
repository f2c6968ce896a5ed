extension PrivacyExperiment {
  /// One (model, target, method) of `privacy`: the target's normalised margin `q_t / ‖θ‖^C` under
  /// the original, retrained or unlearned model; (ε, δ, τ) for the model's first held target only.
  public struct Row: Codable, Sendable, Equatable {
    /// The population model j.
    public var model: Int
    public var target: Int
    /// Whether the target is in the model's training set.
    public var member: Bool
    /// `original`, `retrained`, or a configuration's label (`ga-kkt α=1.0`, a method's name).
    public var method: String
    /// `nil` when the method failed.
    public var margin: Double?
    public var epsilonRelative: Double?
    public var delta: Double?
    public var tauRetrained: Double?
    public var note: String
    public var secondsMethod: Rounded?
    public var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case model, target, member, method, margin, epsilonRelative = "epsilon_relative", delta
      case tauRetrained = "tau_retrained", note, secondsMethod = "seconds_method", seconds
    }
  }
}
