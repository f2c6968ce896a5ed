import Unlearning

/// One element of a comma-separated list flag (``CommaSeparated``): how it is
/// read from its text, and how a bad one is named in the usage error.
protocol ListElement: Sendable {
  /// The element `text` (already trimmed, not empty) stands for, or `nil`.
  init?(listElement text: String)
  /// What the list holds, with an example, for the usage error: "comma-separated integers, e.g. 0 or 3,17".
  static var listSyntax: String { get }
  /// Why `text` is not an element: "\"a\" is not an integer".
  static func rejection(of text: String) -> String
  /// The element as it is written on the command line.
  var listText: String { get }
}

extension Int: ListElement {
  init?(listElement text: String) { self.init(text) }
  static var listSyntax: String { "comma-separated integers, e.g. 0 or 3,17" }
  static func rejection(of text: String) -> String { "\"\(text)\" is not an integer" }
  var listText: String { String(self) }
}

extension Double: ListElement {
  /// Finite numbers only: `inf` and `nan` are refused.
  init?(listElement text: String) {
    guard let value = Double(text), value.isFinite else { return nil }
    self = value
  }
  static var listSyntax: String { "comma-separated numbers, e.g. 0,1e-3,0.1" }
  static func rejection(of text: String) -> String { "\"\(text)\" is not a finite number" }
  var listText: String { String(self) }
}

/// A name from a fixed set (the raw values of a `CaseIterable` enumeration).
protocol NamedListElement: ListElement, RawRepresentable, CaseIterable where RawValue == String {
  /// One element in the usage error: "method", "bundled data set".
  static var elementName: String { get }
}

extension NamedListElement {
  init?(listElement text: String) { self.init(rawValue: text) }
  /// The valid names.
  static var names: [String] { allCases.map(\.rawValue) }
  static var listSyntax: String { "comma-separated \(elementName)s" }
  static func rejection(of text: String) -> String {
    "unknown \(elementName) \"\(text)\"; the \(elementName)s are \(names.joined(separator: ", "))"
  }
  var listText: String { rawValue }
}

extension UnlearningMethod: NamedListElement {
  static var elementName: String { "method" }
}

extension RealDataset: NamedListElement {
  static var elementName: String { "bundled data set" }
}

extension Certificate.Kind: NamedListElement {
  static var elementName: String { "certificate" }
}
