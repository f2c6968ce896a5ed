import Unlearning

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

extension UnlearningMethod.Kind: NamedListElement {
  static var elementName: String { "method" }
}

extension RealDataset: NamedListElement {
  static var elementName: String { "bundled data set" }
}

extension Certificate.Kind: NamedListElement {
  static var elementName: String { "certificate" }
}
