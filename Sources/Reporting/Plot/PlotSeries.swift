/// One named set of points drawn in one colour, with a legend entry.
public struct PlotSeries: Sendable, Equatable, Codable {
  /// How the points are drawn.
  public enum Style: String, Sendable, Equatable, Codable {
    /// Points joined by straight segments, without markers.
    case line
    /// Markers only.
    case scatter
    /// Points joined by segments, with a marker at each point.
    case lineAndMarkers
  }

  /// The legend label.
  public var name: String
  /// The points, drawn in the given order (lines join consecutive drawable
  /// points; a skipped point breaks the line).
  public var points: [PlotPoint]
  /// Lines, markers or both.
  public var style: Style
  /// Whether lines are dashed.
  public var dashed: Bool
  /// The colour; `nil` takes the series' position in the Okabe–Ito palette.
  public var color: PlotColor?
  /// The marker shape; `nil` takes the series' position in ``PlotMarker/allCases``.
  public var marker: PlotMarker?

  /// A series named `name`.
  public init(name: String, points: [PlotPoint], style: Style = .lineAndMarkers, dashed: Bool = false,
              color: PlotColor? = nil, marker: PlotMarker? = nil) {
    self.name = name
    self.points = points
    self.style = style
    self.dashed = dashed
    self.color = color
    self.marker = marker
  }

  /// Whether markers are drawn at the points.
  public var hasMarkers: Bool { style != .line }
  /// Whether consecutive points are joined by lines.
  public var hasLines: Bool { style != .scatter }
}
