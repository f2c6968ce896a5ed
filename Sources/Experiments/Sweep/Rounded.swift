import Foundation

/// A number written with a fixed count of decimals (`%.<digits>f`): the wall
/// times of `runs.csv` (`seconds`, `seconds_method`, `seconds_speedup`), which
/// need no more precision than that and are exempt from determinism checks.
/// Reads back as the written decimal, so a row read and written again is unchanged.
package struct Rounded: Codable, Sendable, Equatable {
  /// The value (as written: rounded to `digits` decimals once read back).
  package var value: Double
  /// The decimals written.
  package var digits: Int

  package init(_ value: Double, digits: Int) {
    self.value = value
    self.digits = digits
  }

  /// The cell: `String(format: "%.<digits>f", value)`.
  package var text: String { String(format: "%.\(digits)f", value) }

  package init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let value = Double(text) else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a number")
    }
    self.value = value
    self.digits = text.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
  }

  package func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(text)
  }
}
