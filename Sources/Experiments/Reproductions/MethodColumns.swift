import Foundation

/// The columns ``MethodMeasurement/row(_:data:forget:kappa:reference:test:elapsed:certify:)`` fills
/// (``MethodMeasurement/columns``): ε/‖θ‖ and δ of θ_U on S∖F, the minimum retained margin, the
/// forget margin `mean_{r∈F} q_r / min_{i∈S∖F} q_i`, τ against the retrained model, test accuracy,
/// and wall times. A value that was not measured is `nil` (an empty cell).
public struct MethodColumns: RunColumnGroup, Equatable {
  public var epsilonRelative: Double?
  public var delta: Double?
  public var minMargin: Double?
  public var forgetMargin: Double?
  public var tauRetrained: Double?
  public var testAccuracy: Double?
  /// Why the method failed or its audit is undefined (empty when neither).
  public var note = ""
  /// Wall seconds of the method (`%.6f`).
  public var secondsMethod: Rounded?
  /// Retraining's wall time over the method's (`%.3f`).
  public var secondsSpeedup: Rounded?

  /// ``secondsMethod`` as a number (`nil` when the method failed or was not timed).
  public var secondsMethodValue: Double? { secondsMethod?.value }

  enum CodingKeys: String, CodingKey {
    case epsilonRelative = "epsilon_relative", delta, minMargin = "min_margin", forgetMargin = "forget_margin"
    case tauRetrained = "tau_retrained", testAccuracy = "test_accuracy", note
    case secondsMethod = "seconds_method", secondsSpeedup = "seconds_speedup"
  }
}
