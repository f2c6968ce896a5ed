import Foundation

/// The columns ``UnlearningMeasurement/measure(_:data:forget:kappa:retrain:exact:test:)`` fills
/// (``UnlearningMeasurement/columns``): ε/‖θ̂‖ (at κ and strict) and δ of θ_U on S∖F, the minimum
/// margin on S∖F, τ = 1 − cos against the retrained model and (linear) the SVM of S∖F, the *witness*
/// certificate (MATH.md §6.6: ε/‖θ̃‖ and τ of θ_U projected onto its kinks, audited exactly), and test
/// accuracies. A value that was not measured is `nil` (an empty cell).
package struct UnlearningColumns: RunColumnGroup, Equatable {
  package var epsilonRelative: Double?
  package var epsilonStrictRelative: Double?
  package var delta: Double?
  package var minMargin: Double?
  package var tauRetrained: Double?
  package var tauExact: Double?
  package var cosOriginalRetrained: Double?
  package var retrainIterations: Int?
  package var retrainConverged: Bool?
  package var testAccuracyOriginal: Double?
  package var testAccuracyUnlearned: Double?
  package var testAccuracyRetrained: Double?
  /// ε/‖θ̃‖ of the witness (exact Clarke audit; no relaxation).
  package var witnessEpsilonRelative: Double?
  /// `1 − cos(θ_U, θ̃)` of the witness.
  package var witnessTau: Double?
  /// Why an audit is undefined (empty when it is not).
  package var note = ""

  enum CodingKeys: String, CodingKey {
    case epsilonRelative = "epsilon_relative", epsilonStrictRelative = "epsilon_strict_relative", delta
    case minMargin = "min_margin", tauRetrained = "tau_retrained", tauExact = "tau_exact"
    case cosOriginalRetrained = "cos_original_retrained", retrainIterations = "retrain_iterations"
    case retrainConverged = "retrain_converged", testAccuracyOriginal = "test_accuracy_original"
    case testAccuracyUnlearned = "test_accuracy_unlearned", testAccuracyRetrained = "test_accuracy_retrained"
    case witnessEpsilonRelative = "witness_epsilon_relative", witnessTau = "witness_tau", note
  }
}
