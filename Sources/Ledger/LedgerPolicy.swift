/// What to do when a new version's certificate is too weak: `--max-epsilon E --fallback …`.
///
/// The new version's *self* certificate (the κ-audit of θ_U normalised on its retained set R) must have
/// `ε/‖θ̃‖ ≤ E`; when it does not (or is unavailable: a retained margin ≤ 0), the fallback runs instead and
/// the entry records why.
package struct LedgerPolicy: Sendable, Equatable {
  /// How a version that fails the bound is redone.
  package enum Fallback: String, Sendable, CaseIterable, Codable {
    /// `ga-kkt+recover`: the step, then k loss-normalised GD steps on R.
    case recover
    /// The step redone with fresh multipliers from a new κ-audit of the parent on its retained set
    /// (never multipliers carried forward in the model file).
    case reaudit
    /// `retrain`: training on R from the model's recorded initialisation.
    case retrain
  }

  /// E: the largest acceptable relative ε of the self certificate.
  package var maxEpsilon: Double
  package var fallback: Fallback

  package init(maxEpsilon: Double, fallback: Fallback) {
    self.maxEpsilon = maxEpsilon
    self.fallback = fallback
  }
}
