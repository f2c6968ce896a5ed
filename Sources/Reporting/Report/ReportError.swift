import Unlearning

/// Why no report could be built. Its ``description`` is one line.
package enum ReportError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No folder with a `summary.md` under the given folders (their paths).
  case noExperiments([String])
  /// A given folder does not exist or is not a folder (its path).
  case notADirectory(String)

  package var description: String {
    switch self {
    case .noExperiments(let paths):
      let list = paths.isEmpty ? "the given folders" : paths.joined(separator: ", ")
      return "no experiment found under \(list) (an experiment is a folder with a summary.md)"
    case .notADirectory(let path):
      return "\(path): no such folder"
    }
  }
}

extension ReportError: ClassifiedError {
  package var failureClass: FailureClass {
    if case .notADirectory = self { return .io }
    return .data
  }
}
