/// A labelled straight line across the plot area at a fixed data value, e.g.
/// the paper's step size α = 1 or a tolerance.
package struct PlotReferenceLine: Sendable, Equatable, Codable {
  /// Which axis the value is on.
  package enum Orientation: String, Sendable, Equatable, Codable {
    /// A vertical line at an x value.
    case vertical
    /// A horizontal line at a y value.
    case horizontal
  }

  /// Vertical (at an x value) or horizontal (at a y value).
  package var orientation: Orientation
  /// The data value the line is drawn at.
  package var value: Double
  /// A short label drawn next to the line (may be empty).
  package var label: String

  /// A line at `value` on the axis given by `orientation`.
  package init(_ orientation: Orientation, at value: Double, label: String = "") {
    self.orientation = orientation
    self.value = value
    self.label = label
  }

  /// A vertical line at `x`.
  package static func vertical(x: Double, label: String = "") -> PlotReferenceLine {
    PlotReferenceLine(.vertical, at: x, label: label)
  }

  /// A horizontal line at `y`.
  package static func horizontal(y: Double, label: String = "") -> PlotReferenceLine {
    PlotReferenceLine(.horizontal, at: y, label: label)
  }
}
