/// A snapshot of a running training, passed to a progress callback at every audit.
public struct TrainingProgress: Sendable {
  public var iteration: Int
  public var maxIterations: Int
  public var logLoss: Double
  /// `ε/‖θ̂‖` at κ of the latest audit, `nil` while some margin is ≤ 0.
  public var epsilonRelative: Double?
  public var tolerance: Double
}
