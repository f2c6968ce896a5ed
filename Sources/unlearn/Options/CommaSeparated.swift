import ArgumentParser
import Foundation

/// The value of a comma-separated list flag (`--forget 3,17`, `--alphas 0.5,1`,
/// `--methods ga-kkt,newton`): at least one element, each one non-empty after
/// trimming spaces and valid for its type (``ListElement``). Duplicates are kept:
/// whether they matter is the command's business (a repeated forget index is
/// refused by the data set, as a data error).
///
/// Declare the option with ``parser`` as its transform, so that a bad value gets
/// ArgumentParser's usage error (exit 64) naming the flag and the bad element:
///
///     @Option(help: "…", transform: CommaSeparated<Int>.parser)
///     var forget: CommaSeparated<Int>
///
/// (As a plain `ExpressibleByArgument` it parses the same, but ArgumentParser then
/// reports a bad value without saying which element is wrong. With the transform,
/// ArgumentParser shows no default in the help: say it in the help text.)
struct CommaSeparated<Element: ListElement>: ExpressibleByArgument, CustomStringConvertible, Sendable {
  /// The elements, in the order given.
  var values: [Element]

  /// A list of `values` (for defaults).
  init(_ values: [Element]) {
    self.values = values
  }

  /// Parses `text`.
  ///
  /// - Throws: ``ListArgumentError`` for an empty list, an empty element, or an
  ///   element its type refuses, naming that element.
  init(parsing text: String) throws {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    guard parts.contains(where: { !$0.isEmpty }) else {
      throw ListArgumentError(problem: "the list is empty", syntax: Element.listSyntax)
    }
    values = try parts.enumerated().map { position, part in
      guard !part.isEmpty else {
        throw ListArgumentError(problem: "element \(position + 1) is empty", syntax: Element.listSyntax)
      }
      guard let value = Element(listElement: part) else {
        throw ListArgumentError(problem: Element.rejection(of: part), syntax: Element.listSyntax)
      }
      return value
    }
  }

  init?(argument: String) {
    try? self.init(parsing: argument)
  }

  /// The transform of an `@Option` of this type: ``init(parsing:)``.
  static var parser: @Sendable (String) throws -> Self {
    { try Self(parsing: $0) }
  }

  /// The list as it is written on the command line: `3,17`.
  var description: String { values.map(\.listText).joined(separator: ",") }
}
