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
