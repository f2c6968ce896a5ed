import ArgumentParser
import Foundation
import LinearAlgebra
import Unlearning

/// Failures reported as one line on stderr and a non-zero exit code per class
/// (docs/ERRORS.md): 64 usage (bad flags, from ArgumentParser, or a library
/// error of class ``FailureClass/usage``), 65 input data or file contents,
/// 69 an external program (the scheduler, a benchmark peer), 70 numerical,
/// 74 I/O. Library errors carry their class (``ClassifiedError``); an error that
/// does not is an I/O error when it comes from the system (Foundation's file
/// errors, POSIX errors), and otherwise an internal error, 70.
enum CLIError {
  /// The exit code of a failure class.
  static func exitCode(for failureClass: FailureClass) -> Int32 {
    switch failureClass {
    case .usage: return 64
    case .data: return 65
    case .external: return 69
    case .numerical: return 70
    case .io: return 74
    }
  }

  /// The exit code of an error's class.
  static func exitCode(for error: Error) -> Int32 {
    if let classified = error as? ClassifiedError { return exitCode(for: classified.failureClass) }
    if error is CocoaError || error is POSIXError { return exitCode(for: .io) }
    return 70
  }

  /// The one line that reports `error`: the library's message, with the flag it is
  /// about before it and the flag that gets past it after it (``FlagHint``), e.g.
  /// `good.safetensors: already exists; pass --force to overwrite`.
  static func message(for error: Error) -> String {
    var line = "\(error)".split(separator: "\n").joined(separator: " ")
    if let flag = FlagHint.flag(for: error) { line = "\(flag): \(line)" }
    if let remedy = FlagHint.remedy(for: error) { line += (remedy.hasPrefix("(") ? " " : "; ") + remedy }
    return line
  }

  /// Runs `body`; a library error becomes `error: <one line>` (``message(for:)``) on
  /// stderr and its class's exit code.
  ///
  /// - Throws: `ExitCode` with the code of the error's class; ArgumentParser's
  ///   `ExitCode` and `ValidationError` pass through unchanged.
  static func reporting(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch let error as ExitCode {
      throw error
    } catch let error as ValidationError {
      throw error
    } catch {
      Progress.clear()
      Terminal.error("error: \(message(for: error))")
      throw ExitCode(exitCode(for: error))
    }
  }
}
