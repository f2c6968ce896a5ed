import ArgumentParser
import Foundation
import Unlearning

/// The value of `unlearn forget --certify`: `none`, or certificate kinds,
/// comma-separated (`self,retrained,exact`).
struct CertificateList: ExpressibleByArgument, CustomStringConvertible, Sendable {
  /// The certificates to issue (empty for `none`).
  var kinds: [Certificate.Kind]

  /// A list of `kinds` (for defaults).
  init(_ kinds: [Certificate.Kind]) {
    self.kinds = kinds
  }

  /// Parses `none` or a ``CommaSeparated`` list of kinds.
  ///
  /// - Throws: ``ListArgumentError`` naming the bad element.
  init(parsing text: String) throws {
    if text.trimmingCharacters(in: .whitespaces) == "none" {
      kinds = []
      return
    }
    do {
      kinds = try CommaSeparated<Certificate.Kind>(parsing: text).values
    } catch let error as ListArgumentError {
      throw ListArgumentError(problem: error.problem, syntax: error.syntax + ", or none")
    }
  }

  init?(argument: String) {
    try? self.init(parsing: argument)
  }

  /// The transform of the `--certify` option: ``init(parsing:)``.
  static var parser: @Sendable (String) throws -> Self {
    { try Self(parsing: $0) }
  }

  /// `none`, or the kinds comma-separated.
  var description: String { kinds.isEmpty ? "none" : kinds.map(\.rawValue).joined(separator: ",") }
}
