import Foundation
import Testing

import Experiments
@testable import Reporting

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite("SVG plots")
struct PlotTests {
  // MARK: Ticks

  @Test("1-2-5 steps cut a span into about the target number of intervals")
  func niceSteps() {
    #expect(NiceTicks.step(span: 1, targetCount: 5) == 0.2)
    #expect(NiceTicks.step(span: 10, targetCount: 5) == 2)
    #expect(NiceTicks.step(span: 7, targetCount: 5) == 1)
    #expect(NiceTicks.step(span: 30, targetCount: 6) == 5)
    #expect(abs(NiceTicks.step(span: 0.03, targetCount: 6) - 0.005) < 1e-15)
    #expect(NiceTicks.step(span: 4000, targetCount: 4) == 1000)
    #expect(NiceTicks.step(span: 0, targetCount: 5) == 1)
    #expect(NiceTicks.step(span: .nan, targetCount: 5) == 1)
    for span in [0.0013, 0.7, 3.3, 42.0, 9e7] {
      let step = NiceTicks.step(span: span, targetCount: 5)
      let mantissa = step / pow(10, floor(log10(step)))
      #expect([1.0, 2.0, 5.0].contains { abs(mantissa - $0) < 1e-9 }, "step \(step) for span \(span)")
      #expect(span / step >= 2 && span / step <= 12)
    }
  }

  @Test("Linear ticks are the step's multiples in the range, with short labels")
  func linearTicks() {
    let ticks = NiceTicks.linear(-0.05...1.05, targetCount: 5)
    #expect(ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    #expect(ticks.first?.value == 0)
    #expect(NiceTicks.linear(-3...3, targetCount: 6).map(\.label) == ["-3", "-2", "-1", "0", "1", "2", "3"])
    #expect(NiceTicks.label(0.05, step: 0.05) == "0.05")
    #expect(NiceTicks.label(1.5, step: 0.5) == "1.5")
    #expect(NiceTicks.label(-0.0, step: 0.1) == "0.0")
    #expect(NiceTicks.label(-1e-17, step: 0.1) == "0.0")
    #expect(NiceTicks.label(0, step: 1e-6) == "0")
    #expect(NiceTicks.label(2e-5, step: 1e-5) == "2e-5")
    #expect(NiceTicks.label(1.5e-5, step: 5e-6) == "1.5e-5")
    #expect(NiceTicks.label(250_000, step: 50_000) == "2.5e5")
    #expect(NiceTicks.label(1e6, step: 200_000) == "1.0e6")
    #expect(NiceTicks.linear(0...1e-6, targetCount: 5).allSatisfy { !$0.label.contains("0.0000") })
  }

  @Test("Log axes tick the decades, labelled 10^k, with 2…9 × 10^k minor ticks")
  func logTicks() {
    #expect(NiceTicks.decades(1e-3...1) == [-3, -2, -1, 0])
    #expect(NiceTicks.decades(0.002...0.5) == [-2, -1])
    #expect(NiceTicks.decadeLabel(-3) == "10⁻³")
    #expect(NiceTicks.decadeLabel(0) == "10⁰")
    #expect(NiceTicks.decadeLabel(12) == "10¹²")
    let ticks = NiceTicks.logarithmic(1e-3...1)
    #expect(ticks.filter(\.isMajor).map(\.label) == ["10⁻³", "10⁻²", "10⁻¹", "10⁰"])
    let minor = ticks.filter { !$0.isMajor }
    #expect(minor.count == 24)
    #expect(minor.allSatisfy { $0.label.isEmpty })
    #expect(minor.contains { abs($0.value - 2e-3) < 1e-15 })
    // Many decades: every n-th labelled, no minor ticks.
    let wide = NiceTicks.logarithmic(1e-12...1, maxLabels: 5)
    let labelled = wide.filter { !$0.label.isEmpty }
    #expect(labelled.count <= 5 && labelled.count >= 3)
    #expect(labelled.contains { $0.label == "10⁰" })
    #expect(wide.count == 13)
    // About two decades or less: 1, 2, 5 × 10^k in plain numbers.
    let short = NiceTicks.logarithmic(1...20)
    #expect(short.filter(\.isMajor).map(\.label) == ["1", "2", "5", "10", "20"])
    #expect(short.count == 11)
    #expect(NiceTicks.logarithmic(1e-3...0.1).filter(\.isMajor).map(\.label)
              == ["0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1"])
    #expect(NiceTicks.logarithmic(1e-3...0.1, maxLabels: 4).filter(\.isMajor).map(\.label) == ["10⁻³", "10⁻²", "10⁻¹"])
    #expect(NiceTicks.logarithmic(1e-6...1e-4).filter(\.isMajor).map(\.label) == ["10⁻⁶", "10⁻⁵", "10⁻⁴"])
    // Less than two decades and too few 1-2-5 labels: linear ticks instead.
    let narrow = NiceTicks.logarithmic(0.2...0.9)
    #expect(narrow.count >= 2)
    #expect(narrow.allSatisfy { $0.value > 0 && !$0.label.isEmpty })
  }

  // MARK: Ranges and mapping

  @Test("Automatic ranges: 5 % padding on linear axes, whole decades on log axes")
  func autoRanges() {
    let linear = PlotAxis(label: "x")
    #expect(linear.resolvedRange(for: [0, 10]) == -0.5...10.5)
    let single = linear.resolvedRange(for: [3, .nan, .infinity])
    #expect(abs(single.lowerBound - 2.7) < 1e-12 && abs(single.upperBound - 3.3) < 1e-12)
    #expect(linear.resolvedRange(for: []) == 0...1)
    let log = PlotAxis(label: "y", scale: .log10)
    let r = log.resolvedRange(for: [0.003, 0.4, -1, 0, .nan])
    #expect(abs(r.lowerBound - 1e-3) < 1e-18 && abs(r.upperBound - 1) < 1e-15)
    let exact = log.resolvedRange(for: [0.01])
    #expect(abs(exact.lowerBound - 1e-3) < 1e-18 && abs(exact.upperBound - 0.1) < 1e-16)
    #expect(log.resolvedRange(for: [-2]) == 1...10)
    // An explicit range is used when it can be shown, else ignored.
    #expect(PlotAxis(label: "", range: 0...2).resolvedRange(for: [5]) == 0...2)
    #expect(PlotAxis(label: "", scale: .log10, range: 0...2).resolvedRange(for: [5]) == 1...10)
    #expect(PlotAxis(label: "", range: 1...1).resolvedRange(for: [5]) == 4.5...5.5)
  }

  @Test("Data map monotonically into the plot area; unshowable values map to nil")
  func mapping() throws {
    let x = AxisMapping(scale: .linear, domain: 0...2, start: 50, end: 650)
    #expect(x.pixel(0) == 50)
    #expect(x.pixel(2) == 650)
    #expect(x.pixel(1) == 350)
    #expect(x.pixel(.nan) == nil)
    #expect(x.pixel(.infinity) == nil)
    let y = AxisMapping(scale: .log10, domain: 1e-4...1, start: 400, end: 40)
    var previous = Double.infinity
    for k in stride(from: -4.0, through: 0, by: 0.25) {
      let p = try #require(y.pixel(pow(10, k)))
      #expect(p < previous)
      #expect(p >= 40 - 1e-9 && p <= 400 + 1e-9)
      previous = p
    }
    #expect(abs((y.pixel(1e-2) ?? 0) - 220) < 1e-9)
    #expect(y.pixel(0) == nil)
    #expect(y.pixel(-1) == nil)
    #expect(y.contains(1e-3) && !y.contains(10))
    // Far outside the domain the position is limited, never huge.
    let far = try #require(x.pixel(1e300))
    #expect(far <= 650 + AxisMapping.overshoot)
  }

  // MARK: Rendering

  static func markerCount(_ svg: String) -> Int {
    svg.components(separatedBy: "stroke=\"#FFFFFF\" stroke-width=\"0.8\"").count - 1
  }

  static func samplePlot() -> Plot {
    let points = (0..<9).map { i -> PlotPoint in
      let a = Double(i) * 0.25
      return PlotPoint(x: a, y: 1e-3 * pow(3, Double(i)), yError: 4e-4 * pow(3, Double(i)))
    }
    return Plot(
      title: "ε/‖θ̂‖ after unlearning", caption: "Mean ± std over 10 seeds.",
      xAxis: PlotAxis(label: "step size α"), yAxis: PlotAxis(label: "ε/‖θ̂‖", scale: .log10),
      series: [
        PlotSeries(name: "κ = 0", points: points),
        PlotSeries(name: "κ = 0.03", points: points.map { PlotPoint(x: $0.x, y: $0.y / 2, yError: $0.y) }, dashed: true),
      ],
      referenceLines: [.vertical(x: 1, label: "α = 1")])
  }

  @Test("Non-finite and non-positive-on-log points are skipped, never written")
  func skipsUnshowablePoints() {
    let plot = Plot(
      xAxis: PlotAxis(label: "x"), yAxis: PlotAxis(label: "y", scale: .log10),
      series: [
        PlotSeries(name: "s", points: [
          PlotPoint(x: 0, y: 1), PlotPoint(x: 1, y: .nan), PlotPoint(x: .infinity, y: 2), PlotPoint(x: 2, y: -3),
          PlotPoint(x: 3, y: 0), PlotPoint(x: 4, y: 10, yError: .nan), PlotPoint(x: 5, y: 100, yError: .infinity),
          PlotPoint(x: .nan, y: .nan), PlotPoint(x: 6, y: -.infinity),
        ], style: .lineAndMarkers)
      ])
    let svg = SVGRenderer.render(plot)
    let lower = svg.lowercased()
    #expect(!lower.contains("nan"))
    #expect(!lower.contains("inf"))
    #expect(Self.markerCount(svg) == 3 + 1)  // three drawable points and the legend sample
    #expect(XMLCheck.error(svg) == nil)
    // A plot with nothing drawable still renders, with a note.
    let empty = SVGRenderer.render(Plot(xAxis: PlotAxis(label: "x"), yAxis: PlotAxis(label: "y", scale: .log10),
                                        series: [PlotSeries(name: "none", points: [PlotPoint(x: .nan, y: -1)])]))
    #expect(empty.contains("no data to show"))
    #expect(!empty.lowercased().contains("nan") && !empty.lowercased().contains("inf"))
  }

  @Test("Error bars are drawn with caps; on a log axis a non-positive lower end runs to the axis minimum")
  func errorBars() throws {
    let linear = SVGRenderer.render(Plot(
      xAxis: PlotAxis(label: "x"), yAxis: PlotAxis(label: "y"),
      series: [PlotSeries(name: "s", points: [PlotPoint(x: 0, y: 1, yError: 0.5), PlotPoint(x: 1, y: 2, yError: 0.5)])]))
    let bars = try #require(linear.components(separatedBy: "class=\"error-bars\" d=\"").dropFirst().first)
    let d = try #require(bars.components(separatedBy: "\"").first)
    #expect(d.components(separatedBy: "M").count - 1 == 6)  // 2 bars + 4 caps

    let log = SVGRenderer.render(Plot(
      xAxis: PlotAxis(label: "x"), yAxis: PlotAxis(label: "y", scale: .log10, range: 0.01...10),
      series: [PlotSeries(name: "s", points: [PlotPoint(x: 0, y: 1, yError: 2)])]))
    let logBars = try #require(log.components(separatedBy: "class=\"error-bars\" d=\"").dropFirst().first)
    let logD = try #require(logBars.components(separatedBy: "\"").first)
    #expect(logD.components(separatedBy: "M").count - 1 == 2)  // the bar and its upper cap only
    #expect(!log.lowercased().contains("nan"))
    // The bar reaches the bottom of the plot area (the frame rectangle's bottom).
    let frame = try #require(log.components(separatedBy: "\n").first { $0.contains("fill=\"none\" stroke=\"#444444\"") })
    func attribute(_ name: String, _ element: String) -> Double? {
      guard let range = element.range(of: " \(name)=\"") else { return nil }
      return Double(element[range.upperBound...].prefix { $0 != "\"" })
    }
    let bottom = try #require(attribute("y", frame)) + (try #require(attribute("height", frame)))
    let first = try #require(logD.components(separatedBy: " L").first)
    let y = try #require(Double(first.components(separatedBy: ",").last ?? ""))
    #expect(abs(y - bottom) < 0.01)
  }

  @Test("Text is escaped")
  func escaping() {
    var plot = Self.samplePlot()
    plot.title = "a < b & \"c\" > 'd'"
    plot.series[0].name = "<script>alert(1)</script>"
    let svg = SVGRenderer.render(plot)
    #expect(svg.contains("a &lt; b &amp; &quot;c&quot; &gt; &#39;d&#39;"))
    #expect(!svg.contains("<script>"))
    #expect(svg.contains("&lt;script&gt;"))
    #expect(XMLCheck.error(svg) == nil)
    #expect(MarkupEscaping.escape("x\u{01}y\u{FFFE}z\n") == "xyz\n")
  }

  @Test("The same plot gives the same bytes; the document is well-formed with real axes")
  func determinismAndStructure() {
    let plot = Self.samplePlot()
    let svg = SVGRenderer.render(plot)
    #expect(svg == SVGRenderer.render(plot))
    #expect(svg.hasPrefix("<?xml"))
    #expect(XMLCheck.error(svg) == nil)
    #expect(svg.contains("width=\"720\" height=\"440\""))
    #expect(svg.contains("font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\""))
    for label in ["10⁻³", "10⁻²", "step size α", "ε/‖θ̂‖ after unlearning", "Mean ± std over 10 seeds.", "α = 1",
                  "κ = 0.03", "#0072B2", "#D55E00", "stroke-dasharray=\"7 4\""] {
      #expect(svg.contains(label), "missing \(label)")
    }
    #expect(Self.markerCount(svg) == 18 + 2)
    // Numbers have at most two decimals.
    let numbers = svg.matches(of: /\d+\.(\d+)/).map { $0.output.1.count }
    #expect(numbers.allSatisfy { $0 <= 2 })
  }

  @Test("Grids: panels side by side, one shared legend when the series agree")
  func grids() {
    let plot = Self.samplePlot()
    var second = plot
    second.title = "second panel"
    second.yAxis = PlotAxis(label: "δ")
    let svg = SVGRenderer.render(panels: [plot, second, plot], columns: 2, title: "A grid", caption: "What it shows.")
    #expect(XMLCheck.error(svg) == nil)
    #expect(svg.contains("width=\"1440\""))
    #expect(svg.components(separatedBy: ">κ = 0.03<").count - 1 == 1)  // one shared legend entry
    #expect(svg.contains("panel0-area") && svg.contains("panel2-area"))
    #expect(svg.contains(">A grid<") && svg.contains(">What it shows.<"))
    var different = second
    different.series[1].name = "other"
    let separate = SVGRenderer.render(PlotGrid(panels: [plot, different], columns: 2))
    #expect(separate.components(separatedBy: ">κ = 0.03<").count - 1 == 1)
    #expect(separate.contains(">other<"))
    #expect(separate.components(separatedBy: ">κ = 0<").count - 1 == 2)
    #expect(XMLCheck.error(SVGRenderer.render(PlotGrid(panels: [], columns: 3, title: "empty"))) == nil)
  }

  /// The plot area (the frame rectangle) of a one-panel SVG.
  static func frame(_ svg: String) throws -> (left: Double, top: Double, right: Double, bottom: Double) {
    let line = try #require(svg.components(separatedBy: "\n").first { $0.contains("fill=\"none\" stroke=\"#444444\"") })
    func attribute(_ name: String) throws -> Double {
      let range = try #require(line.range(of: " \(name)=\""))
      return try #require(Double(line[range.upperBound...].prefix { $0 != "\"" }))
    }
    let x = try attribute("x")
    let y = try attribute("y")
    return (x, y, x + (try attribute("width")), y + (try attribute("height")))
  }

  /// The `(x, y)` of every text element whose content is `content`.
  static func textPositions(_ svg: String, _ content: String) -> [(Double, Double)] {
    svg.matches(of: /<text x="([-\d.]+)" y="([-\d.]+)"[^>]*>([^<]*)<\/text>/).compactMap { match in
      guard match.output.3 == content, let x = Double(match.output.1), let y = Double(match.output.2) else { return nil }
      return (x, y)
    }
  }

  @Test("Every data marker lies in the plot area when the range fits the data")
  func markersInsidePlotArea() throws {
    let svg = SVGRenderer.render(Self.samplePlot())
    let frame = try Self.frame(svg)
    // Circles (the first series) are drawn as "M x−r,y A r,r …".
    let centres = svg.matches(of: /<path d="M([-\d.]+),([-\d.]+) A3.8,3.8/).compactMap { m -> (Double, Double)? in
      guard let x = Double(m.output.1), let y = Double(m.output.2) else { return nil }
      return (x + 3.8, y)
    }
    #expect(centres.count == 9 + 1)
    let data = centres.filter { $0.0 <= frame.right }  // the legend sample is right of the plot area
    #expect(data.count == 9)
    for (x, y) in data {
      #expect(x >= frame.left && x <= frame.right && y >= frame.top && y <= frame.bottom, "(\(x), \(y)) outside")
    }
    let xs = data.map(\.0)
    #expect(xs == xs.sorted())
    let ys = data.map(\.1)
    #expect(ys == ys.sorted(by: >))  // y grows with the data: pixels go up
  }

  @Test("Legends and reference labels sit outside the plot area")
  func legendPlacement() throws {
    var plot = Self.samplePlot()
    var svg = SVGRenderer.render(plot)
    var frame = try Self.frame(svg)
    for name in ["κ = 0", "κ = 0.03"] {
      let position = try #require(Self.textPositions(svg, name).first)
      #expect(position.0 > frame.right)
    }
    let reference = try #require(Self.textPositions(svg, "α = 1").first)
    #expect(reference.1 < frame.top)
    plot.series[1].name = "a very long series name that would take half of the figure's width beside the plot"
    svg = SVGRenderer.render(plot)
    frame = try Self.frame(svg)
    let below = try #require(Self.textPositions(svg, "κ = 0").first)
    #expect(below.1 > frame.bottom)
    plot.legend = .hidden
    #expect(Self.textPositions(SVGRenderer.render(plot), "κ = 0").isEmpty)
  }

  @Test("Styles: scatter has no lines, line has no markers, lines break at skipped points")
  func styles() {
    let points = [PlotPoint(x: 0, y: 1), PlotPoint(x: 1, y: 2), PlotPoint(x: 2, y: .nan), PlotPoint(x: 3, y: 1),
                  PlotPoint(x: 4, y: 3)]
    let line = SVGRenderer.render(Plot(xAxis: PlotAxis(label: "x"), yAxis: PlotAxis(label: "y"),
                                       series: [PlotSeries(name: "l", points: points, style: .line)]))
    #expect(Self.markerCount(line) == 0)
    let path = line.components(separatedBy: "\n").first { $0.contains("stroke-linejoin=\"round\" stroke-linecap") }
    #expect(path?.components(separatedBy: "M").count == 3)  // two segments
    let scatter = SVGRenderer.render(Plot(xAxis: PlotAxis(label: "x"), yAxis: PlotAxis(label: "y"),
                                          series: [PlotSeries(name: "s", points: points, style: .scatter)]))
    #expect(Self.markerCount(scatter) == 4 + 1)
    #expect(!scatter.contains("stroke-linecap"))
    #expect(PlotColor(hex: "#12ab34")?.hex == "#12AB34")
    #expect(PlotColor(hex: "\"/><script") == nil)
  }
}

/// Well-formedness checks with Foundation's XML parser (FoundationXML on Linux).
enum XMLCheck {
  /// `nil` when `text` is well-formed XML, else the parser's error.
  static func error(_ text: String) -> String? {
    let parser = XMLParser(data: Data(text.utf8))
    if parser.parse() { return nil }
    return parser.parserError.map { "\($0) at line \(parser.lineNumber)" } ?? "unknown XML error"
  }
}

@Suite("Series styles")
struct SeriesStyleTests {
  @Test("The first 64 series differ in colour or marker; the first 8 keep the palette order with one marker each")
  func distinctStyles() {
    let styles = (0..<64).map { "\(PlotColor.palette($0).hex)/\(PlotMarker.cycle($0))" }
    #expect(Set(styles).count == 64)
    #expect((0..<8).map { PlotMarker.cycle($0) } == PlotMarker.allCases)
  }
}
