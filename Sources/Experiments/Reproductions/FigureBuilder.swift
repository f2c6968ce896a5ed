import Foundation
import Reporting

/// One series of an experiment figure: (x, mean, standard deviation) points.
struct FigureSeries {
  var name: String
  var points: [(x: Double, mean: Double, std: Double)]
  var dashed = false
}

/// One panel of an experiment figure.
struct FigurePanel {
  var title: String
  var x: String
  var y: String
  var logX = false
  var logY: Bool
  var series: [FigureSeries]
  var referenceX: Double? = nil

  init(title: String, x: String, y: String, logX: Bool = false, logY: Bool, series: [FigureSeries], referenceX: Double? = nil) {
    self.title = title
    self.x = x
    self.y = y
    self.logX = logX
    self.logY = logY
    self.series = series
    self.referenceX = referenceX
  }
}

/// Turns experiment panels into one SVG with the plotting module.
enum FigureBuilder {
  static func render(title: String, panels: [FigurePanel], caption: String) -> String {
    let plots = panels.map { panel in
      Plot(
        title: panel.title, caption: "",
        xAxis: PlotAxis(label: panel.x, scale: panel.logX ? .log10 : .linear),
        yAxis: PlotAxis(label: panel.y, scale: panel.logY ? .log10 : .linear),
        series: panel.series.map { s in
          PlotSeries(name: s.name, points: s.points.map { PlotPoint(x: $0.x, y: $0.mean, yError: $0.std) }, dashed: s.dashed)
        },
        referenceLines: panel.referenceX.map { [PlotReferenceLine.vertical(x: $0)] } ?? [])
    }
    return SVGRenderer.render(panels: plots, columns: plots.count > 1 ? 2 : 1, title: title, caption: caption)
  }
}
