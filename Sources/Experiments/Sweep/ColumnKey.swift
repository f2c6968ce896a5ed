/// A coding key named at run time: for rows whose columns depend on the options
/// (such as `depth`'s `epsilon_alpha_<α>`, one per step-size multiplier).
public struct ColumnKey: CodingKey, Hashable, Sendable {
  public var stringValue: String
  public var intValue: Int? { nil }

  public init(_ name: String) { self.stringValue = name }
  public init?(stringValue: String) { self.stringValue = stringValue }
  public init?(intValue: Int) { nil }
}
