/// A witness for (ε, δ, τ)-successful unlearning (MATH.md §6): a model `θ̃`
/// that is an (ε, δ)-approximate KKT point of `P(S∖F)` with
/// `cos(θ_U, θ̃) ≥ 1 − τ`, and how it was obtained.
public struct Certificate: Sendable, Codable, Equatable {
  /// Which witness.
  public enum Kind: String, Sendable, Codable, CaseIterable {
    /// `θ̃ = θ_U` normalised on S∖F: τ = 0.
    case `self`
    /// `θ̃` = the model retrained on S∖F from the same initialisation.
    case retrained
    /// `θ̃ = w*(S∖F)`, the hard-margin SVM (linear models): a (0, 0)-KKT point.
    case exact
    /// `θ̃ = θ_U` normalised on S∖F, with the multipliers carried to it from the model it was unlearned
    /// from instead of the audit's QP (MATH.md §6.2): ε is the explicit residual of those multipliers, an
    /// upper bound on *self*'s ε at the cost of one gradient over S∖F; τ = 0.
    case carried
  }

  public var kind: Kind
  /// ε of `θ̃` on S∖F (`nil` when the certificate is unavailable).
  public var epsilon: Double?
  /// `ε / ‖θ̃‖` (θ̃ normalised to minimum margin 1).
  public var epsilonRelative: Double?
  /// δ of `θ̃` on S∖F.
  public var delta: Double?
  /// `1 − cos(θ_U, θ̃)`.
  public var tau: Double?
  /// The kink tolerance κ of the audit behind ε and δ.
  public var kappa: Double
  /// How the witness was obtained, or why it is unavailable.
  public var method: String

  public init(kind: Kind, epsilon: Double?, epsilonRelative: Double?, delta: Double?, tau: Double?,
              kappa: Double, method: String) {
    self.kind = kind
    self.epsilon = epsilon
    self.epsilonRelative = epsilonRelative
    self.delta = delta
    self.tau = tau
    self.kappa = kappa
    self.method = method
  }

  /// Whether the certificate carries numbers.
  public var isAvailable: Bool { epsilon != nil }

  enum CodingKeys: String, CodingKey { case kind, epsilon, epsilonRelative, delta, tau, kappa, method }

  /// Encodes every field, unavailable numbers as explicit `null`s (a stable schema).
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(kind, forKey: .kind)
    try c.encode(epsilon, forKey: .epsilon)
    try c.encode(epsilonRelative, forKey: .epsilonRelative)
    try c.encode(delta, forKey: .delta)
    try c.encode(tau, forKey: .tau)
    try c.encode(kappa, forKey: .kappa)
    try c.encode(method, forKey: .method)
  }
}
