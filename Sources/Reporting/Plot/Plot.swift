/// The description of one figure panel: axes, series, title and caption.
/// ``SVGRenderer`` draws it; ``PlotGrid`` puts several side by side.
///
/// ```swift
/// let plot = Plot(
///   title: "Stationarity after unlearning",
///   caption: "ε/‖θ̂‖ of the unlearned model on S∖F against the step size α; mean ± std over 10 seeds.",
///   xAxis: PlotAxis(label: "step size α"),
///   yAxis: PlotAxis(label: "ε/‖θ̂‖", scale: .log10),
///   series: [PlotSeries(name: "κ = 0", points: points)],
///   referenceLines: [.vertical(x: 1, label: "α = 1")])
/// let svg = SVGRenderer.render(plot)
/// ```
package struct Plot: Sendable, Equatable, Codable {
  /// Where the legend goes. It is always outside the plot area, so that it
  /// never hides data.
  package enum LegendPlacement: String, Sendable, Equatable, Codable {
    /// ``right`` when the legend's column fits beside the plot area and is
    /// narrow (at most 30 % of the width) or leaves a larger plot area than
    /// rows underneath would; else ``bottom``.
    case automatic
    /// A column to the right of the plot area.
    case right
    /// Rows under the x axis.
    case bottom
    /// No legend.
    case hidden
  }

  /// The title above the plot (may be empty).
  package var title: String
  /// A sentence under the plot saying what is plotted (may be empty; wrapped
  /// to the figure width).
  package var caption: String
  /// The horizontal axis.
  package var xAxis: PlotAxis
  /// The vertical axis.
  package var yAxis: PlotAxis
  /// The series, drawn in order (later ones on top); colours and markers
  /// default to the series' position.
  package var series: [PlotSeries]
  /// Labelled lines at fixed values, e.g. α = 1.
  package var referenceLines: [PlotReferenceLine]
  /// Where the legend goes.
  package var legend: LegendPlacement
  /// The width of the figure in pixels (at least 200).
  package var width: Int
  /// The height of the figure in pixels (at least 150).
  package var height: Int

  /// A figure of `width` × `height` pixels.
  package init(title: String = "", caption: String = "", xAxis: PlotAxis, yAxis: PlotAxis, series: [PlotSeries],
              referenceLines: [PlotReferenceLine] = [], legend: LegendPlacement = .automatic,
              width: Int = 720, height: Int = 440) {
    self.title = title
    self.caption = caption
    self.xAxis = xAxis
    self.yAxis = yAxis
    self.series = series
    self.referenceLines = referenceLines
    self.legend = legend
    self.width = width
    self.height = height
  }
}
