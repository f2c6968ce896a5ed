import Unlearning

/// Why a cluster sweep cannot be planned, submitted or read.
package enum ClusterError: Error, Equatable, CustomStringConvertible {
  /// A plan that cannot be carried out as given (e.g. paths that are not absolute).
  case invalidPlan(String)
  /// A setting of the plan out of its range or malformed (shards, CPUs, partition, time limit, folder).
  case invalidSetting(SweepSetting, String)
  /// The output folder holds a sweep with another experiment, other options or another shard count.
  case sweepMismatch(String)
  /// The previous submission of this sweep is still queued or running.
  case stillRunning(String)
  /// `sbatch` (or another scheduler command) is not on `PATH`.
  case schedulerMissing(String)
  /// The scheduler refused the job; carries its own message.
  case submissionRefused(String)
  /// The folder is not the output folder of a sweep (or of shards of one).
  case notASweep(String)

  package var description: String {
    switch self {
    case .invalidPlan(let s), .invalidSetting(_, let s), .sweepMismatch(let s), .stillRunning(let s), .schedulerMissing(let s),
         .submissionRefused(let s), .notASweep(let s):
      return s
    }
  }
}

extension ClusterError: ClassifiedError {
  package var failureClass: FailureClass {
    switch self {
    case .invalidPlan, .invalidSetting, .sweepMismatch: return .usage
    case .schedulerMissing, .submissionRefused, .stillRunning: return .external
    case .notASweep: return .io
    }
  }
}
