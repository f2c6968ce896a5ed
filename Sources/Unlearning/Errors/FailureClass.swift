/// The class of a failure: what went wrong, from the user's side. Each class has
/// one exit code in the command-line tool (docs/ERRORS.md): usage 64, data 65,
/// external 69, numerical 70, I/O 74.
public enum FailureClass: Sendable, Equatable, CaseIterable {
  /// A bad option or value, or options that contradict each other.
  case usage
  /// Malformed input data or file contents: shapes, labels, forget sets, headers.
  case data
  /// An external program: the scheduler missing or refusing a job, a benchmark peer failing.
  case external
  /// The numbers: training that diverges, a model that does not interpolate, an
  /// unbounded or singular system, a solver that does not converge.
  case numerical
  /// Reading or writing files: missing, unreadable, existing without permission to overwrite.
  case io
}

/// An error that knows its ``FailureClass``. Every error type the package throws
/// conforms, so each failure reaches its documented exit code without a list of
/// types to keep in step.
public protocol ClassifiedError: Error {
  /// The class of this failure.
  var failureClass: FailureClass { get }
}
