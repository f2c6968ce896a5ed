/// What `unlearn demo` measured, one ``ModelSection`` per model.
package struct DemoReport: Sendable, Codable {
  /// One audited model on one data set.
  package struct Row: Sendable, Codable {
    /// Which model on which set, e.g. "unlearned (α=1) on S∖F".
    package var label: String
    /// Strict ε/‖θ̂‖ (κ = 0).
    package var epsilonStrictRelative: Double?
    /// ε/‖θ̂‖ at the demo's κ.
    package var epsilonRelative: Double?
    /// δ at the demo's κ.
    package var delta: Double?
    /// Band pairs at κ.
    package var bandPairs: Int?
    /// Minimum margin of the model as given.
    package var minMargin: Double
    /// Set when the audit was undefined (some margin ≤ 0).
    package var note: String?
  }

  /// The results for one model.
  package struct ModelSection: Sendable, Codable {
    package var model: String
    package var parameterCount: Int
    package var homogeneityDegree: Int
    package var trainingIterations: Int
    package var trainingConverged: Bool
    package var trainingSeconds: Double
    package var retrainingIterations: Int
    package var retrainingConverged: Bool
    package var rows: [Row]
    /// cos(θ_U, θ_retrained) for the paper's (gradient) step at α = 1.
    package var cosUnlearnedRetrained: Double
    /// cos(θ_U, θ_retrained) for the decomposition step at α = 1.
    package var cosDecompositionRetrained: Double
    /// cos(θ_original, θ_retrained).
    package var cosOriginalRetrained: Double
    /// Seconds to unlearn: the audit on S plus the step.
    package var unlearningSeconds: Double
    /// Seconds to retrain on S∖F to the same tolerance.
    package var retrainingSeconds: Double
  }

  package var settings: DemoSettings
  package var blas: String
  package var psi: Double
  package var phi: Double
  package var models: [ModelSection]
}
