import Foundation

/// One axis of a ``Plot``: its label, linear or logarithmic scale, and range.
package struct PlotAxis: Sendable, Equatable, Codable {
  /// How data values map to positions along the axis.
  package enum Scale: String, Sendable, Equatable, Codable {
    /// Equal distances for equal differences; "nice" 1-2-5 ticks.
    case linear
    /// Equal distances for equal ratios; ticks at the decades 10^k. Values ≤ 0
    /// cannot be shown and are skipped.
    case log10
  }

  /// The axis title, e.g. "step size α" (may be empty).
  package var label: String
  /// Linear or base-10 logarithmic.
  package var scale: Scale
  /// The shown range; `nil` fits the data: on a linear axis the data range plus
  /// 5 % on each side, on a log axis the enclosing whole decades. A range that
  /// cannot be shown (bounds not finite, lower ≥ upper, or lower ≤ 0 on a log
  /// axis) is ignored as if `nil`.
  package var range: ClosedRange<Double>?

  /// An axis titled `label`.
  package init(label: String, scale: Scale = .linear, range: ClosedRange<Double>? = nil) {
    self.label = label
    self.scale = scale
    self.range = range
  }

  /// Whether `value` can be placed on this axis (finite, and positive on a log axis).
  package func canShow(_ value: Double) -> Bool {
    value.isFinite && (scale == .linear || value > 0)
  }

  /// The range the axis shows for data with the given values: ``range`` when it
  /// is usable, otherwise a range fitted to the values this axis can show
  /// (others are ignored), or a default (0…1, or 1…10 on a log axis) when there
  /// are none.
  package func resolvedRange(for values: [Double]) -> ClosedRange<Double> {
    if let range, range.lowerBound.isFinite, range.upperBound.isFinite, range.lowerBound < range.upperBound,
      scale == .linear || range.lowerBound > 0
    {
      return range
    }
    let shown = values.filter(canShow)
    guard let low = shown.min(), let high = shown.max() else {
      return scale == .linear ? 0...1 : 1...10
    }
    switch scale {
    case .linear:
      let span = high - low
      let pad = span > 0 ? 0.05 * span : (low != 0 ? 0.1 * abs(low) : 1)
      let lower = low - pad
      let upper = high + pad
      // Data spanning the whole double range cannot be padded; show it as is.
      guard lower.isFinite, upper.isFinite, lower < upper else { return low < high ? low...high : 0...1 }
      return lower...upper
    case .log10:
      var lower = Foundation.floor(Foundation.log10(low) + 1e-9)
      var upper = Foundation.ceil(Foundation.log10(high) - 1e-9)
      if lower >= upper {
        lower -= 1
        upper += 1
      }
      let result = Foundation.pow(10, lower)...Foundation.pow(10, upper)
      guard result.lowerBound > 0, result.upperBound.isFinite else { return low < high ? low...high : 1...10 }
      return result
    }
  }
}
