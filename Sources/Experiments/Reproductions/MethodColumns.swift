import Foundation

/// The columns ``MethodMeasurement/row(_:data:forget:kappa:reference:test:elapsed:certify:)`` fills
/// (``MethodMeasurement/columns``): ε/‖θ‖ and δ of θ_U on S∖F, the minimum retained margin, the
/// forget margin `mean_{r∈F} q_r / min_{i∈S∖F} q_i`, τ against the retrained model, test accuracy,
/// and wall times. A value that was not measured is `nil` (an empty cell).
package struct MethodColumns: RunColumnGroup, Equatable {
  package var epsilonRelative: Double?
  package var delta: Double?
  package var minMargin: Double?
  package var forgetMargin: Double?
  package var tauRetrained: Double?
  package var testAccuracy: Double?
  /// The tuned step-size multiplier c of a step-based baseline (``BaselineTuning``); empty for the others.
  package var stepScale: Double?
  /// Why the method failed or its audit is undefined (empty when neither).
  package var note = ""
  /// Wall seconds of the method (`%.6f`).
  package var secondsMethod: Rounded?
  /// Retraining's wall time over the method's (`%.3f`).
  package var secondsSpeedup: Rounded?

  /// ``secondsMethod`` as a number (`nil` when the method failed or was not timed).
  package var secondsMethodValue: Double? { secondsMethod?.value }

  enum CodingKeys: String, CodingKey {
    case epsilonRelative = "epsilon_relative", delta, minMargin = "min_margin", forgetMargin = "forget_margin"
    case tauRetrained = "tau_retrained", testAccuracy = "test_accuracy", stepScale = "step_scale", note
    case secondsMethod = "seconds_method", secondsSpeedup = "seconds_speedup"
  }
}
