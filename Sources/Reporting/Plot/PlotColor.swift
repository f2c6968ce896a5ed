/// A colour for a series, as an sRGB hex string `#RRGGBB`.
package struct PlotColor: Sendable, Equatable, Hashable, Codable {
  /// The colour as `#RRGGBB` (upper-case hex digits).
  package let hex: String

  /// The colour `#RRGGBB` (or `RRGGBB`); `nil` unless six hex digits.
  package init?(hex: String) {
    let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
    guard digits.count == 6, digits.allSatisfy(\.isHexDigit) else { return nil }
    self.hex = "#" + digits.uppercased()
  }

  private init(known hex: String) { self.hex = hex }

  /// The Okabe–Ito palette (Okabe & Ito 2008), distinguishable with the
  /// common colour-vision deficiencies, ordered so that the first colours
  /// contrast most on white: blue, vermillion, bluish green, reddish purple,
  /// orange, sky blue, black, yellow.
  package static let okabeIto: [PlotColor] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
  ].map(PlotColor.init(known:))

  /// The palette colour for the series at `index` (cycling through ``okabeIto``).
  package static func palette(_ index: Int) -> PlotColor {
    okabeIto[((index % okabeIto.count) + okabeIto.count) % okabeIto.count]
  }
}
