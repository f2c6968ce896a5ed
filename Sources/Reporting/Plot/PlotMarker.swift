/// The shape drawn at each point of a series with markers.
package enum PlotMarker: String, Sendable, Equatable, CaseIterable, Codable {
  case circle
  case square
  case triangleUp
  case diamond
  case triangleDown
  case cross
  case plus
  case star

  /// The marker for the series at `index` (cycling through all shapes), so that
  /// series differ in shape as well as in colour.
  /// Past the palette's length the colours repeat, so the markers advance by one
  /// more per round: no two of the first 64 series share both colour and marker.
  package static func cycle(_ index: Int) -> PlotMarker {
    let all = allCases
    let i = max(index, 0)
    return all[(i + i / PlotColor.okabeIto.count) % all.count]
  }

  /// Whether the shape is drawn as strokes only (no fill).
  var isStrokeOnly: Bool { self == .cross || self == .plus }
}
