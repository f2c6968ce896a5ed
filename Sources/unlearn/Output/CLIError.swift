import ArgumentParser
import Foundation
import LinearAlgebra
import Unlearning
import Experiments

/// Failures reported as one line on stderr and a non-zero exit code per class:
/// 64 usage (bad flags, from ArgumentParser), 65 input data or file contents,
/// 69 the scheduler (sbatch missing, refusing the job, or the sweep still queued),
/// 70 numerical (training diverged, audit undefined, SVM unbounded), 74 I/O.
enum CLIError: Error, CustomStringConvertible {
  case failed(String)

  var description: String {
    switch self {
    case .failed(let why): return why
    }
  }

  /// The exit code of an error's class.
  static func exitCode(for error: Error) -> Int32 {
    switch error {
    case let e as FileFormatError: return e.kind == .io || e.kind == .fileExists ? 74 : 65
    case is DatasetError: return 65
    case let e as ReportError:
      if case .notADirectory = e { return 74 }
      return 65
    case let e as SweepError:
      if case .outputExists = e { return 74 }
      return 64
    case let e as ClusterError:
      switch e {
      case .invalidPlan, .sweepMismatch: return 64
      case .schedulerMissing, .submissionRefused, .stillRunning: return 69
      case .notASweep: return 74
      }
    case is KKTAuditError, is TrainingError, is SVMError: return 70
    default: return 1
    }
  }

  /// Runs `body`; a library error becomes `error: <one line>` on stderr and its class's exit code.
  static func reporting(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch let error as ExitCode {
      throw error
    } catch let error as ValidationError {
      throw error
    } catch {
      Progress.clear()
      let line = "\(error)".split(separator: "\n").joined(separator: " ")
      Terminal.error("error: \(line)")
      throw ExitCode(exitCode(for: error))
    }
  }
}
