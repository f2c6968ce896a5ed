import Foundation

/// Draws one ``Plot`` into a rectangle of an SVG document: title, axes with
/// ticks and grid, reference lines, the series (clipped to the plot area),
/// legend and caption.
struct PanelRenderer {
  /// A point of a series in pixels, with its error bar ends (`nil` when
  /// absent; `low` is `nil` with `lowClipped` when a log axis cannot show it).
  struct PixelPoint {
    var x: Double
    var y: Double
    var low: Double?
    var high: Double?
    var lowClipped: Bool
  }

  static let tickFontSize = 12.0
  static let labelFontSize = 13.0
  static let captionFontSize = 12.0
  static let captionLineHeight = 16.0
  static let majorTick = 5.0
  static let minorTick = 3.0
  static let padding = 10.0
  static let capHalfWidth = 3.5
  static let referenceFontSize = 11.0

  let plot: Plot
  /// A prefix that makes the panel's element ids unique in the document.
  let idPrefix: String
  /// Whether to draw the panel's own legend.
  let showsLegend: Bool
  /// The title's font size (smaller for grid panels).
  let titleFontSize: Double

  /// The values of the points that can be drawn, for fitting the axes: x of
  /// each drawable point; y and the error bar ends that can be shown (on a
  /// log axis a lower end more than one decade below its point is left to be
  /// clipped instead of stretching the axis).
  func dataValues() -> (x: [Double], y: [Double]) {
    var xs: [Double] = []
    var ys: [Double] = []
    for series in plot.series {
      for p in series.points where plot.xAxis.canShow(p.x) && plot.yAxis.canShow(p.y) {
        xs.append(p.x)
        ys.append(p.y)
        if let bar = p.errorBar {
          if plot.yAxis.canShow(bar.high) { ys.append(bar.high) }
          if plot.yAxis.canShow(bar.low), plot.yAxis.scale == .linear || bar.low >= p.y / 10 { ys.append(bar.low) }
        }
      }
    }
    return (xs, ys)
  }

  /// Ticks for an axis with about `maxLabels` labels, reduced until labels
  /// `minGap` apart (plus their extent along the axis) do not overlap.
  static func fittedTicks(axis: PlotAxis, mapping: AxisMapping, maxLabels: Int, horizontal: Bool) -> [AxisTick] {
    var count = max(2, maxLabels)
    while true {
      let ticks = NiceTicks.ticks(scale: axis.scale, range: mapping.domain, maxLabels: count)
        .filter { mapping.contains($0.value) }
      let labelled = ticks.filter { !$0.label.isEmpty }.compactMap { t in mapping.pixel(t.value).map { (t, $0) } }
        .sorted { $0.1 < $1.1 }
      var fits = true
      for (a, b) in zip(labelled, labelled.dropFirst()) {
        let needed = horizontal
          ? (TextMetrics.width(a.0.label, fontSize: tickFontSize) + TextMetrics.width(b.0.label, fontSize: tickFontSize)) / 2 + 8
          : tickFontSize + 4
        if b.1 - a.1 < needed { fits = false; break }
      }
      if fits || count <= 2 { return ticks }
      count -= 1
    }
  }

  /// Draws the panel into the rectangle at `(x, y)` of size `width` × `height`.
  func draw(_ writer: inout SVGWriter, x originX: Double, y originY: Double, width: Double, height: Double) {
    let pad = Self.padding
    let data = dataValues()
    let xDomain = plot.xAxis.resolvedRange(for: data.x)
    let yDomain = plot.yAxis.resolvedRange(for: data.y)

    // Vertical layout: title, plot area, x ticks and label, legend, caption.
    let titleLines = TextMetrics.wrap(plot.title, fontSize: titleFontSize, maxWidth: width - 2 * pad)
    let titleLineHeight = titleFontSize * 1.3
    // Labels of vertical reference lines go in a band above the plot area.
    let referenceLabels = plot.referenceLines.contains { $0.orientation == .vertical && !$0.label.isEmpty }
    let referenceBand = referenceLabels ? Self.referenceFontSize + 6 : 0
    let top = pad + Double(titleLines.count) * titleLineHeight + (titleLines.isEmpty ? 0 : 6) + referenceBand
    let captionLines = TextMetrics.wrap(plot.caption, fontSize: Self.captionFontSize, maxWidth: width - 2 * pad)
    let captionHeight = captionLines.isEmpty ? 0 : Double(captionLines.count) * Self.captionLineHeight + 6
    let hasLegend = showsLegend && plot.legend != .hidden && !plot.series.isEmpty
    let xTickBand = Self.majorTick + 4 + Self.tickFontSize
    let xLabelBand = plot.xAxis.label.isEmpty ? 0 : 10 + Self.labelFontSize
    let column = LegendLayout(column: plot.series, maxTextWidth: min(220, max(60, width * 0.28)))
    let rows = LegendLayout(rows: plot.series, availableWidth: width - 2 * pad)
    var placement = plot.legend
    if placement == .automatic {
      // A column on the right when it is narrow, else wherever the plot area stays larger.
      let fixedHeight = top + xTickBand + xLabelBand + captionHeight + pad + 4
      let fixedWidth = 2 * pad + 70
      let natural = LegendLayout(column: plot.series, maxTextWidth: .infinity).width
      let fitsBeside = column.height <= height - fixedHeight
      let areaBeside = (width - fixedWidth - column.width - 20) * (height - fixedHeight)
      let areaBelow = (width - fixedWidth) * (height - fixedHeight - rows.height - 12)
      placement = fitsBeside && (natural <= 0.3 * width || areaBeside >= areaBelow) ? .right : .bottom
    }
    let rightLegend = hasLegend && placement == .right ? column : nil
    let bottomLegend = hasLegend && placement == .bottom ? rows : nil
    let legendBand = bottomLegend.map { $0.height + 12 } ?? 0
    let bottom = xTickBand + xLabelBand + legendBand + captionHeight + pad + 4
    let plotTop = originY + top
    let plotHeight = max(40, height - top - bottom)
    let plotBottom = plotTop + plotHeight

    // y ticks first: their labels set the left margin.
    let yProvisional = AxisMapping(scale: plot.yAxis.scale, domain: yDomain, start: plotBottom, end: plotTop)
    let yTicks = Self.fittedTicks(axis: plot.yAxis, mapping: yProvisional, maxLabels: Int(plotHeight / 30) + 1,
                                  horizontal: false)
    let yTickWidth = yTicks.map { TextMetrics.width($0.label, fontSize: Self.tickFontSize) }.max() ?? 0
    let yLabelBand = plot.yAxis.label.isEmpty ? 0 : Self.labelFontSize + 10
    let left = pad + yLabelBand + yTickWidth + Self.majorTick + 4
    let right = rightLegend.map { $0.width + 16 + pad + 4 } ?? (pad + 14)
    let plotLeft = originX + left
    let plotWidth = max(40, width - left - right)
    let plotRight = plotLeft + plotWidth

    let xMap = AxisMapping(scale: plot.xAxis.scale, domain: xDomain, start: plotLeft, end: plotRight)
    let yMap = yProvisional
    let xTicks = Self.fittedTicks(axis: plot.xAxis, mapping: xMap, maxLabels: Int(plotWidth / 60) + 1, horizontal: true)

    // Grid.
    for tick in xTicks {
      guard let px = xMap.pixel(tick.value) else { continue }
      writer.line(px, plotTop, px, plotBottom, stroke: tick.isMajor ? "#E3E3E3" : "#F1F1F1", width: 1)
    }
    for tick in yTicks {
      guard let py = yMap.pixel(tick.value) else { continue }
      writer.line(plotLeft, py, plotRight, py, stroke: tick.isMajor ? "#E3E3E3" : "#F1F1F1", width: 1)
    }

    // Reference lines (behind the data).
    for reference in plot.referenceLines {
      switch reference.orientation {
      case .vertical:
        guard xMap.contains(reference.value), let px = xMap.pixel(reference.value) else { continue }
        writer.line(px, plotTop, px, plotBottom, stroke: "#555555", width: 1.2, dash: "5 4")
        // Centred above the line, outside the data, kept inside the panel.
        let half = TextMetrics.width(reference.label, fontSize: Self.referenceFontSize) / 2
        let centre = min(max(px, originX + pad + half), originX + width - pad - half)
        writer.text(reference.label, x: centre, y: plotTop - 5, size: Self.referenceFontSize, anchor: "middle",
                    fill: "#333333")
      case .horizontal:
        guard yMap.contains(reference.value), let py = yMap.pixel(reference.value) else { continue }
        writer.line(plotLeft, py, plotRight, py, stroke: "#555555", width: 1.2, dash: "5 4")
        let below = py - 16 < plotTop
        writer.text(reference.label, x: plotRight - 4, y: below ? py + 13 : py - 4, size: Self.referenceFontSize,
                    anchor: "end",
                    fill: "#333333", halo: true)
      }
    }

    // Series, clipped to the plot area (plus room for markers on its edges).
    let clipID = idPrefix + "-area"
    let n = SVGWriter.number
    let margin = 5.0
    writer.raw("<defs><clipPath id=\"\(clipID)\"><rect x=\"\(n(plotLeft - margin))\" y=\"\(n(plotTop - margin))\""
                 + " width=\"\(n(plotWidth + 2 * margin))\" height=\"\(n(plotHeight + 2 * margin))\"/></clipPath></defs>")
    writer.raw("<g clip-path=\"url(#\(clipID))\">")
    var drawn = 0
    for (index, series) in plot.series.enumerated() {
      let color = (series.color ?? PlotColor.palette(index)).hex
      let marker = series.marker ?? PlotMarker.cycle(index)
      let points = series.points.map { pixelPoint($0, xMap: xMap, yMap: yMap) }
      drawn += points.compactMap { $0 }.count
      drawSeries(series, points: points, color: color, marker: marker, yMap: yMap, into: &writer)
    }
    writer.raw("</g>")
    if drawn == 0 {
      writer.text("no data to show", x: (plotLeft + plotRight) / 2, y: (plotTop + plotBottom) / 2, size: 13,
                  anchor: "middle", fill: "#777777", italic: true)
    }

    // Frame, ticks and tick labels.
    writer.rect(x: plotLeft, y: plotTop, width: plotWidth, height: plotHeight, fill: "none", stroke: "#444444")
    for tick in xTicks {
      guard let px = xMap.pixel(tick.value) else { continue }
      let length = tick.isMajor ? Self.majorTick : Self.minorTick
      writer.line(px, plotBottom, px, plotBottom + length, stroke: "#444444")
      writer.text(tick.label, x: px, y: plotBottom + Self.majorTick + 3 + Self.tickFontSize, size: Self.tickFontSize,
                  anchor: "middle", fill: "#333333")
    }
    for tick in yTicks {
      guard let py = yMap.pixel(tick.value) else { continue }
      let length = tick.isMajor ? Self.majorTick : Self.minorTick
      writer.line(plotLeft - length, py, plotLeft, py, stroke: "#444444")
      writer.text(tick.label, x: plotLeft - Self.majorTick - 3, y: py + Self.tickFontSize * 0.36,
                  size: Self.tickFontSize, anchor: "end", fill: "#333333")
    }

    // Axis labels.
    let xLabelY = plotBottom + xTickBand + 6 + Self.labelFontSize
    writer.text(plot.xAxis.label, x: (plotLeft + plotRight) / 2, y: xLabelY, size: Self.labelFontSize, anchor: "middle")
    let yLabelX = originX + pad + Self.labelFontSize * 0.85
    writer.text(plot.yAxis.label, x: yLabelX, y: (plotTop + plotBottom) / 2, size: Self.labelFontSize,
                anchor: "middle", rotate: -90)

    // Title, centred on the plot area but kept inside the panel.
    for (i, line) in titleLines.enumerated() {
      let half = TextMetrics.width(line, fontSize: titleFontSize) / 2
      let centre = min(max((plotLeft + plotRight) / 2, originX + pad + half), originX + width - pad - half)
      writer.text(line, x: centre, y: originY + pad + titleFontSize + Double(i) * titleLineHeight,
                  size: titleFontSize, anchor: "middle", weight: "bold", fill: "#111111")
    }

    // Legend and caption.
    if let rightLegend {
      rightLegend.draw(&writer, x: plotRight + 16, y: plotTop)
    }
    if let bottomLegend {
      bottomLegend.draw(&writer, x: originX + pad, y: plotBottom + xTickBand + xLabelBand + 12)
    }
    let captionTop = originY + height - pad - Double(captionLines.count) * Self.captionLineHeight
    for (i, line) in captionLines.enumerated() {
      writer.text(line, x: originX + pad, y: captionTop + Self.captionFontSize + Double(i) * Self.captionLineHeight,
                  size: Self.captionFontSize, fill: "#444444")
    }
  }

  /// The pixel position of `point` and its error bar, or `nil` when it cannot
  /// be drawn (a coordinate not finite, or not positive on a log axis).
  func pixelPoint(_ point: PlotPoint, xMap: AxisMapping, yMap: AxisMapping) -> PixelPoint? {
    guard plot.xAxis.canShow(point.x), plot.yAxis.canShow(point.y),
      let px = xMap.pixel(point.x), let py = yMap.pixel(point.y)
    else { return nil }
    var result = PixelPoint(x: px, y: py, low: nil, high: nil, lowClipped: false)
    if let bar = point.errorBar {
      if bar.high.isFinite { result.high = yMap.pixel(bar.high) }
      if bar.low.isFinite {
        if plot.yAxis.canShow(bar.low) {
          result.low = yMap.pixel(bar.low)
        } else {
          // A log axis cannot show y − err ≤ 0: the bar runs to the axis minimum.
          result.low = yMap.start
          result.lowClipped = true
        }
      }
    }
    return result
  }

  /// Draws one series: error bars, then lines (broken at skipped points), then markers.
  func drawSeries(_ series: PlotSeries, points: [PixelPoint?], color: String, marker: PlotMarker, yMap: AxisMapping,
                  into writer: inout SVGWriter) {
    let n = SVGWriter.number
    let bars = points.compactMap { $0 }.filter { $0.low != nil || $0.high != nil }
    if !bars.isEmpty {
      var d: [String] = []
      for p in bars {
        let low = p.low ?? p.y
        let high = p.high ?? p.y
        d.append("M\(n(p.x)),\(n(low)) L\(n(p.x)),\(n(high))")
        let c = Self.capHalfWidth
        if p.high != nil, high != p.y { d.append("M\(n(p.x - c)),\(n(high)) L\(n(p.x + c)),\(n(high))") }
        if p.low != nil, !p.lowClipped, low != p.y { d.append("M\(n(p.x - c)),\(n(low)) L\(n(p.x + c)),\(n(low))") }
      }
      writer.raw("<path class=\"error-bars\" d=\"\(d.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\""
                   + " stroke-width=\"1.2\"/>")
    }
    if series.hasLines {
      var segments: [[(Double, Double)]] = [[]]
      for p in points {
        if let p {
          segments[segments.count - 1].append((p.x, p.y))
        } else if !(segments.last?.isEmpty ?? true) {
          segments.append([])
        }
      }
      let paths = segments.filter { $0.count >= 2 }.map(SVGWriter.polyline)
      if !paths.isEmpty {
        var element = "<path d=\"\(paths.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\""
          + " stroke-width=\"\(n(SVGRenderer.lineWidth))\" stroke-linejoin=\"round\" stroke-linecap=\"round\""
        if series.dashed { element += " stroke-dasharray=\"\(SVGRenderer.dashPattern)\"" }
        writer.raw(element + "/>")
      }
      if !series.hasMarkers {
        // An isolated point of a line-only series would be invisible: give it a dot.
        for segment in segments where segment.count == 1 {
          writer.raw("<path d=\"\(SVGWriter.markerPath(.circle, x: segment[0].0, y: segment[0].1, r: 2))\""
                       + " fill=\"\(color)\"/>")
        }
      }
    }
    if series.hasMarkers {
      for p in points.compactMap({ $0 }) {
        writer.raw(SVGRenderer.markerElement(marker, x: p.x, y: p.y, color: color))
      }
    }
  }
}
