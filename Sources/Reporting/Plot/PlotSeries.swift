/// One named set of points drawn in one colour, with a legend entry.
package struct PlotSeries: Sendable, Equatable, Codable {
  /// How the points are drawn.
  package enum Style: String, Sendable, Equatable, Codable {
    /// Points joined by straight segments, without markers.
    case line
    /// Markers only.
    case scatter
    /// Points joined by segments, with a marker at each point.
    case lineAndMarkers
  }

  /// The legend label.
  package var name: String
  /// The points, drawn in the given order (lines join consecutive drawable
  /// points; a skipped point breaks the line).
  package var points: [PlotPoint]
  /// Lines, markers or both.
  package var style: Style
  /// Whether lines are dashed.
  package var dashed: Bool
  /// The colour; `nil` takes the series' position in the Okabe–Ito palette.
  package var color: PlotColor?
  /// The marker shape; `nil` takes the series' position in ``PlotMarker/allCases``.
  package var marker: PlotMarker?

  /// A series named `name`.
  package init(name: String, points: [PlotPoint], style: Style = .lineAndMarkers, dashed: Bool = false,
              color: PlotColor? = nil, marker: PlotMarker? = nil) {
    self.name = name
    self.points = points
    self.style = style
    self.dashed = dashed
    self.color = color
    self.marker = marker
  }

  /// Whether markers are drawn at the points.
  package var hasMarkers: Bool { style != .line }
  /// Whether consecutive points are joined by lines.
  package var hasLines: Bool { style != .scatter }
}
