import LinearAlgebra

extension UnlearningRun {
  /// What one method gave in a run: θ_U and how it was measured.
  public struct Outcome: Sendable {
    /// θ_U.
    public var model: M
    /// The κ-audit of θ_U on S∖F, or why it is undefined (`nil` when the run does not certify).
    public var audit: Result<KKTAuditReport<M>, any Error>?
    /// `τ = 1 − cos(θ_U, θ_retrained)` (`Vector.tau`); `nil` without a reference.
    public var tau: Double?
    /// Wall seconds of the method (see ``UnlearningRun/run(_:)``).
    public var seconds: Double
    /// The multipliers of S∖F carried to θ_U (the paper's step with ``UnlearningRun/carriesMultipliers``;
    /// `nil` otherwise, or when θ_U does not interpolate S∖F).
    public var carried: StoredMultipliers?
    /// Wall seconds of the stored multipliers' SHA-256 fingerprints: checking the input's and binding the
    /// carried ones to θ_U (0 without stored multipliers; not part of ``seconds``, see ``UnlearningRun/run(_:)``).
    public var fingerprintSeconds: Double = 0
    /// With ``UnlearningRun/measuresWarm`` and stored multipliers: the wall seconds of the step's first
    /// (cold) run in this process, against ``seconds``, the median of the ``UnlearningRun/warmRuns`` after it;
    /// `nil` otherwise.
    public var coldSeconds: Double?

    public init(model: M, audit: Result<KKTAuditReport<M>, any Error>?, tau: Double?, seconds: Double,
                carried: StoredMultipliers? = nil) {
      self.model = model
      self.audit = audit
      self.tau = tau
      self.seconds = seconds
      self.carried = carried
    }
  }
}
