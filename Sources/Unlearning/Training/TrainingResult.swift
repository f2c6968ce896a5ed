/// The outcome of a training run.
public struct TrainingResult<Model: HomogeneousModel>: Sendable {
  /// Why the run stopped.
  public enum StopReason: String, Sendable {
    /// The κ-audit reached the tolerance with every margin positive.
    case converged
    /// The iteration limit came first.
    case iterationLimit = "iteration-limit"
  }

  /// The trained model `θ` (not normalised).
  public var model: Model
  /// The initialisation it started from (for retraining from the same point).
  public var initialModel: Model
  /// Iterations taken (the iteration of the converging audit, or `maxIterations`).
  public var iterations: Int
  /// Why the run stopped.
  public var stopReason: StopReason
  /// The last audit on the training set (`nil` if no audit was possible: some margin ≤ 0).
  public var finalAudit: KKTAuditReport<Model>?
  /// `log L` at the last iteration.
  public var logLoss: Double
  /// Wall-clock seconds of the whole run, periodic audits included.
  public var seconds: Double
}
