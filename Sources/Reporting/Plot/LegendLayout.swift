/// The legend of a set of series, laid out either as a column (right of a plot)
/// or as centred rows (under a plot or a grid), measured before it is drawn.
struct LegendLayout {
  /// One legend entry: the series' look and its (wrapped) name.
  struct Entry {
    var series: PlotSeries
    var color: PlotColor
    var marker: PlotMarker
    var lines: [String]
    var width: Double
  }

  static let fontSize = 12.0
  static let lineHeight = 15.0
  static let sampleWidth = 28.0
  static let sampleGap = 6.0
  static let entryGap = 18.0
  static let rowGap = 5.0

  /// The entries; rows (one entry per row for a column layout).
  private(set) var rows: [[Entry]] = []
  /// Whether the entries are centred in rows (else stacked in a column).
  let isRows: Bool
  /// The width available for rows (the layout centres each row in it).
  let availableWidth: Double

  /// The legend of `series` as a column whose names wrap at `maxTextWidth`.
  init(column series: [PlotSeries], maxTextWidth: Double) {
    isRows = false
    availableWidth = 0
    rows = Self.entries(series, maxTextWidth: maxTextWidth).map { [$0] }
  }

  /// The legend of `series` as rows filling `availableWidth`.
  init(rows series: [PlotSeries], availableWidth: Double) {
    isRows = true
    self.availableWidth = availableWidth
    let maxText = max(40, availableWidth - Self.sampleWidth - Self.sampleGap)
    var current: [Entry] = []
    var used = 0.0
    for entry in Self.entries(series, maxTextWidth: maxText) {
      let needed = (current.isEmpty ? 0 : Self.entryGap) + entry.width
      if !current.isEmpty, used + needed > availableWidth {
        rows.append(current)
        current = []
        used = 0
      }
      used += current.isEmpty ? entry.width : needed
      current.append(entry)
    }
    if !current.isEmpty { rows.append(current) }
  }

  static func entries(_ series: [PlotSeries], maxTextWidth: Double) -> [Entry] {
    series.enumerated().map { index, s in
      let lines = TextMetrics.wrap(s.name.isEmpty ? "series \(index + 1)" : s.name, fontSize: fontSize,
                                   maxWidth: maxTextWidth)
      let textWidth = lines.map { TextMetrics.width($0, fontSize: fontSize) }.max() ?? 0
      return Entry(series: s, color: s.color ?? PlotColor.palette(index), marker: s.marker ?? PlotMarker.cycle(index),
                   lines: lines, width: sampleWidth + sampleGap + textWidth)
    }
  }

  /// Whether there is nothing to show.
  var isEmpty: Bool { rows.isEmpty }

  /// The height of one row: its tallest entry.
  static func height(of row: [Entry]) -> Double {
    Double(row.map { max(1, $0.lines.count) }.max() ?? 1) * lineHeight
  }

  /// The width the legend occupies.
  var width: Double {
    isRows ? availableWidth : rows.flatMap { $0 }.map(\.width).max() ?? 0
  }

  /// The height the legend occupies.
  var height: Double {
    guard !rows.isEmpty else { return 0 }
    return rows.map(Self.height(of:)).reduce(0, +) + Double(rows.count - 1) * Self.rowGap
  }

  /// Draws the legend with its top-left corner at `(x, y)`.
  func draw(_ writer: inout SVGWriter, x: Double, y: Double) {
    var top = y
    for row in rows {
      let rowWidth = row.map(\.width).reduce(0, +) + Double(max(0, row.count - 1)) * Self.entryGap
      var left = isRows ? x + max(0, (availableWidth - rowWidth) / 2) : x
      for entry in row {
        Self.drawEntry(entry, &writer, x: left, y: top)
        left += entry.width + Self.entryGap
      }
      top += Self.height(of: row) + Self.rowGap
    }
  }

  /// Draws one entry: a line/marker sample, then the name.
  static func drawEntry(_ entry: Entry, _ writer: inout SVGWriter, x: Double, y: Double) {
    let mid = y + lineHeight / 2
    let color = entry.color.hex
    if entry.series.hasLines {
      writer.line(x + 1, mid, x + sampleWidth - 1, mid, stroke: color, width: SVGRenderer.lineWidth,
                  dash: entry.series.dashed ? SVGRenderer.dashPattern : nil)
    }
    if entry.series.hasMarkers {
      writer.raw(SVGRenderer.markerElement(entry.marker, x: x + sampleWidth / 2, y: mid, color: color))
    }
    for (i, line) in entry.lines.enumerated() {
      writer.text(line, x: x + sampleWidth + sampleGap, y: mid + fontSize * 0.36 + Double(i) * lineHeight,
                  size: fontSize)
    }
  }
}
