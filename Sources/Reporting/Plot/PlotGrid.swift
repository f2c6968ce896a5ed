/// Several ``Plot`` panels side by side in one figure, in rows of `columns`,
/// with a figure title, a shared legend and a caption.
///
/// Each panel keeps its own axes, title (shown as the panel's heading) and
/// caption (under the panel). When every panel has the same series (names,
/// styles, colours and markers), their legends are replaced by one legend under
/// the grid.
package struct PlotGrid: Sendable, Equatable, Codable {
  /// The panels, filled in row by row.
  package var panels: [Plot]
  /// Panels per row (at least 1).
  package var columns: Int
  /// The figure title above all panels (may be empty).
  package var title: String
  /// A sentence under the figure saying what is plotted (may be empty).
  package var caption: String
  /// Whether panels with identical series share one legend under the grid.
  package var sharesLegend: Bool

  /// A grid of `panels`; the figure is `columns` panel widths wide.
  package init(panels: [Plot], columns: Int, title: String = "", caption: String = "", sharesLegend: Bool = true) {
    self.panels = panels
    self.columns = columns
    self.title = title
    self.caption = caption
    self.sharesLegend = sharesLegend
  }

  /// The series every panel shares (for the shared legend), or `nil` when the
  /// panels differ in their series or sharing is off.
  var sharedSeries: [PlotSeries]? {
    guard sharesLegend, let first = panels.first else { return nil }
    func key(_ plot: Plot) -> [String] {
      plot.series.enumerated().map { index, s in
        [s.name, s.style.rawValue, "\(s.dashed)", (s.color ?? PlotColor.palette(index)).hex,
         (s.marker ?? PlotMarker.cycle(index)).rawValue].joined(separator: "\u{1F}")
      }
    }
    let reference = key(first)
    guard !reference.isEmpty, panels.allSatisfy({ key($0) == reference }) else { return nil }
    return first.series
  }
}
