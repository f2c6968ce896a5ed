import Unlearning

/// Why a sweep cannot start, resume or merge.
package enum SweepError: Error, Equatable, CustomStringConvertible {
  case invalidShard(String)
  case outputExists(String)
  case incompatibleJournal(String)
  case unknownExperiment(String)
  case invalidOption(String)
  case mergeConflict(String)

  package var description: String {
    switch self {
    case .invalidShard(let s), .outputExists(let s), .incompatibleJournal(let s), .unknownExperiment(let s),
         .invalidOption(let s), .mergeConflict(let s):
      return s
    }
  }
}

extension SweepError: ClassifiedError {
  package var failureClass: FailureClass {
    if case .outputExists = self { return .io }
    return .usage
  }
}
