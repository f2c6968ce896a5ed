/// A snapshot of a running training, passed to a progress callback at every audit.
public struct TrainingProgress: Sendable {
  /// The iteration of the audit, from 0.
  public var iteration: Int
  /// The run's iteration limit.
  public var maxIterations: Int
  /// `log L` at this iteration (MATH.md §2.1).
  public var logLoss: Double
  /// `ε/‖θ̂‖` at κ of the latest audit, `nil` while some margin is ≤ 0.
  public var epsilonRelative: Double?
  /// The run's tolerance on `ε/‖θ̂‖`.
  public var tolerance: Double
}
