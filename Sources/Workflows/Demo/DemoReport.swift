/// What `unlearn demo` measured, one ``ModelSection`` per model.
public struct DemoReport: Sendable, Codable {
  /// One audited model on one data set.
  public struct Row: Sendable, Codable {
    /// Which model on which set, e.g. "unlearned (α=1) on S∖F".
    public var label: String
    /// Strict ε/‖θ̂‖ (κ = 0).
    public var epsilonStrictRelative: Double?
    /// ε/‖θ̂‖ at the demo's κ.
    public var epsilonRelative: Double?
    /// δ at the demo's κ.
    public var delta: Double?
    /// Band pairs at κ.
    public var bandPairs: Int?
    /// Minimum margin of the model as given.
    public var minMargin: Double
    /// Set when the audit was undefined (some margin ≤ 0).
    public var note: String?
  }

  /// The results for one model.
  public struct ModelSection: Sendable, Codable {
    public var model: String
    public var parameterCount: Int
    public var homogeneityDegree: Int
    public var trainingIterations: Int
    public var trainingConverged: Bool
    public var trainingSeconds: Double
    public var retrainingIterations: Int
    public var retrainingConverged: Bool
    public var rows: [Row]
    /// cos(θ_U, θ_retrained) for the paper's (gradient) step at α = 1.
    public var cosUnlearnedRetrained: Double
    /// cos(θ_U, θ_retrained) for the decomposition step at α = 1.
    public var cosDecompositionRetrained: Double
    /// cos(θ_original, θ_retrained).
    public var cosOriginalRetrained: Double
    /// Seconds to unlearn: the audit on S plus the step.
    public var unlearningSeconds: Double
    /// Seconds to retrain on S∖F to the same tolerance.
    public var retrainingSeconds: Double
  }

  public var settings: DemoSettings
  public var blas: String
  public var psi: Double
  public var phi: Double
  public var models: [ModelSection]
}
