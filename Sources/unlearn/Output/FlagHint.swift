import Cluster
import Experiments
import Unlearning

/// The command line's words for a library error: the flag it is about, or the
/// flag that gets past it. The libraries describe each failure in their own terms
/// ("raise the L2 regularisation ρ", "already exists"); this is the one place that
/// translates them to `unlearn`'s flags, and ``CLIError/message(for:)`` joins the
/// two into the one line the user sees ("--time: a time limit takes …",
/// "… already exists; pass --force to overwrite").
enum FlagHint {
  /// The flag `error` is about, shown before the library's message, or `nil`.
  static func flag(for error: Error) -> String? {
    switch error {
    case let error as ClusterError:
      guard case .invalidSetting(let setting, _) = error else { return nil }
      switch setting {
      case .shards: return "--shards"
      case .cpusPerTask: return "--cpus-per-task"
      case .partition: return "--partition"
      case .timeLimit: return "--time"
      case .folder: return "--out"
      }
    case SweepError.invalidShard:
      return "--shard"
    case UnlearningError.negativeStepCount:
      return "--steps"
    case UnlearningError.nonFiniteStepSize:
      return "--alpha"
    case UnlearningError.invalidRegularization, UnlearningError.unfittableRegularization:
      return "--l2"
    default:
      return nil
    }
  }

  /// What to pass (or do) on the command line to get past `error`, shown after
  /// the library's message (after "; ", or after a space when it is a
  /// parenthesis naming the flag of the setting the message mentions), or `nil`.
  static func remedy(for error: Error) -> String? {
    switch error {
    case let error as FileFormatError:
      if error.kind == .fileExists { return "pass --force to overwrite" }
      if error.remedy == .zeroOneLabels { return "pass --zero-one-labels to map 0 → −1 and 1 → +1" }
      return nil
    case KKTAuditError.notInterpolating:
      return "`unlearn train` reports the minimum margin, and a smaller --subset of a bundled data set is more often separable"
    case UnlearningError.hessianNotPositiveDefinite, UnlearningError.solverDidNotConverge:
      return "(--l2)"
    case UnlearningError.missingInitialization:
      return "models written by `unlearn train` record them"
    case SweepError.outputExists:
      return "pass --resume to continue that sweep or --force to start over"
    case SweepError.incompatibleJournal:
      return "pass --force to start over"
    case ClusterError.schedulerMissing:
      return "(--dry-run)"
    default:
      return nil
    }
  }
}
