/// A tick on an axis: its data value and, for a labelled tick, its text.
package struct AxisTick: Sendable, Equatable {
  /// The position in data units.
  package var value: Double
  /// The tick label; empty for an unlabelled (minor) tick.
  package var label: String
  /// Whether the tick is a major tick (longer mark, grid line, normally labelled).
  package var isMajor: Bool

  /// A tick at `value`.
  package init(value: Double, label: String, isMajor: Bool = true) {
    self.value = value
    self.label = label
    self.isMajor = isMajor
  }
}
