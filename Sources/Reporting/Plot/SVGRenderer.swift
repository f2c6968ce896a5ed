/// Renders a ``Plot`` or a ``PlotGrid`` as a standalone SVG document.
///
/// The output is deterministic (same figure, same bytes), uses only finite
/// numbers (points that cannot be drawn are skipped), escapes all text, and is
/// well-formed XML, so it can be inlined into XHTML.
package enum SVGRenderer {
  /// The stroke width of series lines.
  static let lineWidth = 1.8
  /// The dash pattern of dashed series.
  static let dashPattern = "7 4"
  /// The marker radius.
  static let markerRadius = 3.8

  /// The SVG document of one plot, `plot.width` × `plot.height` pixels.
  package static func render(_ plot: Plot) -> String {
    let width = Double(max(200, plot.width))
    let height = Double(max(150, plot.height))
    var writer = SVGWriter()
    PanelRenderer(plot: plot, idPrefix: "plot", showsLegend: true, titleFontSize: 16)
      .draw(&writer, x: 0, y: 0, width: width, height: height)
    return document(width: width, height: height, title: plot.title, body: writer)
  }

  /// The SVG document of a grid of panels (see ``PlotGrid``): `columns` panels
  /// per row, each as wide and tall as the largest panel.
  package static func render(_ grid: PlotGrid) -> String {
    let pad = PanelRenderer.padding
    let columns = max(1, min(grid.columns, max(1, grid.panels.count)))
    let rows = (grid.panels.count + columns - 1) / columns
    let cellWidth = Double(max(200, grid.panels.map(\.width).max() ?? 400))
    let cellHeight = Double(max(150, grid.panels.map(\.height).max() ?? 300))
    let width = Double(columns) * cellWidth
    let titleSize = 17.0
    let titleLines = TextMetrics.wrap(grid.title, fontSize: titleSize, maxWidth: width - 2 * pad)
    let top = titleLines.isEmpty ? 0 : pad + Double(titleLines.count) * titleSize * 1.3 + 4
    let shared = grid.sharedSeries
    let legend = shared.map { LegendLayout(rows: $0, availableWidth: width - 2 * pad) }
    let legendHeight = legend.map { $0.height + 8 } ?? 0
    let captionLines = TextMetrics.wrap(grid.caption, fontSize: PanelRenderer.captionFontSize,
                                        maxWidth: width - 2 * pad)
    let captionHeight = captionLines.isEmpty ? 0 : Double(captionLines.count) * PanelRenderer.captionLineHeight + 4
    let height = (top + Double(rows) * cellHeight + legendHeight + captionHeight
      + (legend == nil && captionLines.isEmpty ? 0 : pad)).rounded(.up)

    var writer = SVGWriter()
    for (i, line) in titleLines.enumerated() {
      writer.text(line, x: width / 2, y: pad + titleSize + Double(i) * titleSize * 1.3, size: titleSize,
                  anchor: "middle", weight: "bold", fill: "#111111")
    }
    for (index, panel) in grid.panels.enumerated() {
      let x = Double(index % columns) * cellWidth
      let y = top + Double(index / columns) * cellHeight
      PanelRenderer(plot: panel, idPrefix: "panel\(index)", showsLegend: shared == nil, titleFontSize: 14)
        .draw(&writer, x: x, y: y, width: cellWidth, height: cellHeight)
    }
    var y = top + Double(rows) * cellHeight
    if let legend {
      legend.draw(&writer, x: pad, y: y)
      y += legendHeight
    }
    for (i, line) in captionLines.enumerated() {
      writer.text(line, x: pad, y: y + PanelRenderer.captionFontSize + Double(i) * PanelRenderer.captionLineHeight,
                  size: PanelRenderer.captionFontSize, fill: "#444444")
    }
    if grid.panels.isEmpty {
      writer.text("no panels to show", x: width / 2, y: top + cellHeight / 2, size: 13, anchor: "middle",
                  fill: "#777777", italic: true)
    }
    return document(width: width, height: height, title: grid.title, body: writer)
  }

  /// The SVG document of `panels` side by side, `columns` per row; see ``PlotGrid``.
  package static func render(panels: [Plot], columns: Int, title: String = "", caption: String = "") -> String {
    render(PlotGrid(panels: panels, columns: columns, title: title, caption: caption))
  }

  /// A filled marker (or a stroked one for crosses) at `(x, y)` in `color`.
  static func markerElement(_ marker: PlotMarker, x: Double, y: Double, color: String) -> String {
    let d = SVGWriter.markerPath(marker, x: x, y: y, r: markerRadius)
    if marker.isStrokeOnly {
      return "<path d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"/>"
    }
    return "<path d=\"\(d)\" fill=\"\(color)\" stroke=\"#FFFFFF\" stroke-width=\"0.8\"/>"
  }

  /// The document around the drawn elements: XML prolog, `<svg>` with size
  /// and font stack, an accessible `<title>`, a white background.
  static func document(width: Double, height: Double, title: String, body: SVGWriter) -> String {
    let w = SVGWriter.number(width)
    let h = SVGWriter.number(height)
    var lines = [
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\""
        + " font-family=\"\(SVGWriter.fontFamily)\" role=\"img\">",
    ]
    if !title.isEmpty { lines.append("<title>\(MarkupEscaping.escape(title))</title>") }
    lines.append("<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#FFFFFF\"/>")
    lines += body.lines
    lines.append("</svg>")
    return lines.joined(separator: "\n") + "\n"
  }
}
