import Foundation

/// The map from data values on one axis to pixel positions: linear in the value
/// (or in its logarithm on a log axis), sending the lower bound of `domain` to
/// `start` and the upper bound to `end` (for a y axis `start` is the bottom of
/// the plot area, so `start > end` in SVG coordinates).
package struct AxisMapping: Sendable, Equatable {
  /// Linear or logarithmic.
  package let scale: PlotAxis.Scale
  /// The data range shown.
  package let domain: ClosedRange<Double>
  /// The pixel position of `domain.lowerBound`.
  package let start: Double
  /// The pixel position of `domain.upperBound`.
  package let end: Double

  /// How far outside the axis a pixel position may go: far enough that a
  /// clipped segment towards it keeps its visible direction, near enough that
  /// its number stays short.
  static let overshoot = 1e5

  /// A map of `domain` onto `start…end`. On a log axis `domain` must be positive.
  package init(scale: PlotAxis.Scale, domain: ClosedRange<Double>, start: Double, end: Double) {
    self.scale = scale
    self.domain = domain
    self.start = start
    self.end = end
  }

  /// The pixel position of `value`, or `nil` when it cannot be shown (not
  /// finite, or ≤ 0 on a log axis). Values outside the domain map outside
  /// `start…end` (limited to ``overshoot`` pixels beyond it).
  package func pixel(_ value: Double) -> Double? {
    guard value.isFinite else { return nil }
    let t: Double
    switch scale {
    case .linear:
      t = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
    case .log10:
      guard value > 0 else { return nil }
      let low = Foundation.log10(domain.lowerBound)
      t = (Foundation.log10(value) - low) / (Foundation.log10(domain.upperBound) - low)
    }
    guard t.isFinite else { return nil }
    let p = start + t * (end - start)
    let low = min(start, end) - Self.overshoot
    let high = max(start, end) + Self.overshoot
    return min(max(p, low), high)
  }

  /// Whether `value` lies in the domain (with a relative tolerance of 1e-9 of its span).
  package func contains(_ value: Double) -> Bool {
    guard let p = pixel(value) else { return false }
    let tolerance = 1e-9 * abs(end - start) + 1e-9
    return p >= min(start, end) - tolerance && p <= max(start, end) + tolerance
  }
}
