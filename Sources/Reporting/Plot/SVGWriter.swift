import Foundation

/// Accumulates SVG elements with fixed-precision numbers and escaped text.
///
/// Every coordinate goes through ``number(_:)``: two decimals, trailing zeros
/// dropped, never "NaN", "inf" or "-0", so the same figure always gives the
/// same bytes.
struct SVGWriter {
  /// The font stack of every text element.
  static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"

  /// The elements so far, one per line.
  private(set) var lines: [String] = []

  /// `value` with two decimals and no trailing zeros; a non-finite value
  /// (which callers never pass) becomes "0".
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    var text = String(format: "%.2f", value)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
  }

  /// Appends raw markup (already escaped).
  mutating func raw(_ markup: String) {
    lines.append(markup)
  }

  /// Appends a line segment.
  mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
                     dash: String? = nil, extra: String = "") {
    let n = Self.number
    var element = "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\""
    element += " stroke-width=\"\(n(width))\""
    if let dash { element += " stroke-dasharray=\"\(dash)\"" }
    if !extra.isEmpty { element += " " + extra }
    lines.append(element + "/>")
  }

  /// Appends a rectangle.
  mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
                     strokeWidth: Double = 1) {
    let n = Self.number
    var element = "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"\(fill)\""
    if let stroke { element += " stroke=\"\(stroke)\" stroke-width=\"\(n(strokeWidth))\"" }
    lines.append(element + "/>")
  }

  /// Appends a text element; `content` is escaped here. `rotate` turns it
  /// about its anchor point (degrees, clockwise).
  mutating func text(_ content: String, x: Double, y: Double, size: Double, anchor: String = "start",
                     weight: String? = nil, fill: String = "#222222", italic: Bool = false, rotate: Double? = nil,
                     halo: Bool = false) {
    guard !content.isEmpty else { return }
    let n = Self.number
    var element = "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\""
    if anchor != "start" { element += " text-anchor=\"\(anchor)\"" }
    if let weight { element += " font-weight=\"\(weight)\"" }
    if italic { element += " font-style=\"italic\"" }
    element += " fill=\"\(fill)\""
    if halo { element += " stroke=\"#FFFFFF\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"" }
    if let rotate { element += " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\"" }
    lines.append(element + ">" + MarkupEscaping.escape(content) + "</text>")
  }

  /// The path data "M x,y L x,y …" through `points`.
  static func polyline(_ points: [(Double, Double)]) -> String {
    points.enumerated().map { i, p in (i == 0 ? "M" : "L") + number(p.0) + "," + number(p.1) }.joined(separator: " ")
  }

  /// The path data of `marker` centred at `(x, y)` with radius `r`
  /// (circles are drawn as two arcs so every marker is one `<path>`).
  static func markerPath(_ marker: PlotMarker, x: Double, y: Double, r: Double) -> String {
    let n = number
    func poly(_ points: [(Double, Double)]) -> String {
      polyline(points.map { (x + $0.0 * r, y + $0.1 * r) }) + " Z"
    }
    switch marker {
    case .circle:
      return "M\(n(x - r)),\(n(y)) A\(n(r)),\(n(r)) 0 1,0 \(n(x + r)),\(n(y)) A\(n(r)),\(n(r)) 0 1,0 \(n(x - r)),\(n(y)) Z"
    case .square:
      return poly([(-0.88, -0.88), (0.88, -0.88), (0.88, 0.88), (-0.88, 0.88)])
    case .triangleUp:
      return poly([(0, -1.2), (1.1, 0.8), (-1.1, 0.8)])
    case .triangleDown:
      return poly([(0, 1.2), (1.1, -0.8), (-1.1, -0.8)])
    case .diamond:
      return poly([(0, -1.3), (1, 0), (0, 1.3), (-1, 0)])
    case .cross:
      return "M\(n(x - r)),\(n(y - r)) L\(n(x + r)),\(n(y + r)) M\(n(x - r)),\(n(y + r)) L\(n(x + r)),\(n(y - r))"
    case .plus:
      let a = 1.2 * r
      return "M\(n(x - a)),\(n(y)) L\(n(x + a)),\(n(y)) M\(n(x)),\(n(y - a)) L\(n(x)),\(n(y + a))"
    case .star:
      var points: [(Double, Double)] = []
      for k in 0..<10 {
        let angle = Double.pi * (Double(k) / 5 - 0.5)
        let radius = k % 2 == 0 ? 1.35 : 0.6
        points.append((radius * cos(angle), radius * sin(angle)))
      }
      return poly(points)
    }
  }
}
