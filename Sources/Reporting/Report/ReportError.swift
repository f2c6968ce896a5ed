import Unlearning

/// Why no report could be built. Its ``description`` is one line.
package enum ReportError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No folder with a `summary.md` under the given folders (their paths).
  case noExperiments([String])
  /// A given folder does not exist or is not a folder (its path).
  case notADirectory(String)
  /// A file of an experiment folder exists but cannot be read as UTF-8 text (its path).
  case unreadable(String)

  package var description: String {
    switch self {
    case .noExperiments(let paths):
      let list = paths.isEmpty ? "the given folders" : paths.joined(separator: ", ")
      return "no experiment found under \(list) (an experiment is a folder with a summary.md)"
    case .notADirectory(let path):
      return "\(path): no such folder"
    case .unreadable(let path):
      return "\(path): cannot be read as UTF-8 text"
    }
  }
}

extension ReportError: ClassifiedError {
  package var failureClass: FailureClass {
    switch self {
    case .notADirectory, .unreadable: return .io
    case .noExperiments: return .data
    }
  }
}
