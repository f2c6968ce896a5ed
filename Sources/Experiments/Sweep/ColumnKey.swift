/// A coding key named at run time: for rows whose columns depend on the options
/// (such as `depth`'s `epsilon_alpha_<α>`, one per step-size multiplier).
package struct ColumnKey: CodingKey, Hashable, Sendable {
  package var stringValue: String
  package var intValue: Int? { nil }

  package init(_ name: String) { self.stringValue = name }
  package init?(stringValue: String) { self.stringValue = stringValue }
  package init?(intValue: Int) { nil }
}
