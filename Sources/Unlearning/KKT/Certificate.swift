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
    /// `θ̃` = θ_U with every hidden unit projected onto the kinks of its κ-band on S∖F (the least change,
    /// ``KinkProjection``; the output layer kept), audited under the exact Clarke conditions (MATH.md §6.6):
    /// no relaxation, τ = `1 − cos(θ_U, θ̃)`. Linear models are their own witness (τ = 0); deep networks
    /// have no band to project (unavailable).
    case witness
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
  /// The kink tolerance κ of the audit behind ε and δ; for *witness*, the κ of the band that was projected
  /// onto its kinks (its own audit is exact, ``Certifier/exactKinkTolerance``).
  public var kappa: Double
  /// How the witness was obtained, or why it is unavailable.
  public var method: String
  /// `γ = min_i q_i(θ̃)` on S∖F of the witness at the scale it was built (before normalisation; ≤ 0 when
  /// it does not interpolate S∖F); `nil` when no witness was built or not reported.
  public var minMargin: Double?
  /// *witness*: the band pairs put exactly on their kinks; `nil` for the other kinds.
  public var projectedPairs: Int?
  /// *witness*: pairs outside the band whose activation `1[⟨w_j, x_i⟩ > 0]` the projection changed (the audit
  /// takes θ̃'s own pattern); `nil` for the other kinds.
  public var signChanges: Int?

  /// A certificate from its numbers.
  ///
  /// - Complexity: O(1).
  public init(kind: Kind, epsilon: Double?, epsilonRelative: Double?, delta: Double?, tau: Double?,
              kappa: Double, method: String, minMargin: Double? = nil, projectedPairs: Int? = nil, signChanges: Int? = nil) {
    self.kind = kind
    self.epsilon = epsilon
    self.epsilonRelative = epsilonRelative
    self.delta = delta
    self.tau = tau
    self.kappa = kappa
    self.method = method
    self.minMargin = minMargin
    self.projectedPairs = projectedPairs
    self.signChanges = signChanges
  }

  /// Whether the certificate carries numbers.
  public var isAvailable: Bool { epsilon != nil }

  enum CodingKeys: String, CodingKey {
    case kind, epsilon, epsilonRelative, delta, tau, kappa, method, minMargin, projectedPairs, signChanges
  }

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
    try c.encode(minMargin, forKey: .minMargin)
    try c.encode(projectedPairs, forKey: .projectedPairs)
    try c.encode(signChanges, forKey: .signChanges)
  }
}
