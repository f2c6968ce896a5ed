/// Why training stopped without a model.
///
/// Every case is ``FailureClass/numerical`` (MATH.md §2.4 lists the failures).
public enum TrainingError: Error, Equatable, CustomStringConvertible {
  /// A setting of ``TrainingConfiguration`` is out of range (the reason, one line).
  case invalidConfiguration(String)
  /// A margin, `log L` or the plain-GD step factor became NaN or infinite.
  case nonFinite(iteration: Int)
  /// `log L` exceeded its best value by more than 1 at ``TrainingConfiguration/divergencePatience``
  /// iterations since the last new best.
  case diverging(iteration: Int, logLoss: Double, bestLogLoss: Double)
  /// The model's input dimension differs from the data's.
  case dimensionMismatch(model: Int, data: Int)
  /// Some examples have output and gradient exactly zero (every unit of some
  /// layer of a deep network inactive for them) while some margin is ≤ 0, for
  /// ``TrainingConfiguration/divergencePatience`` consecutive iterations.
  case deadUnits(iteration: Int, examples: [Int])

  /// One line: what happened, at which iteration, and what to try.
  public var description: String {
    switch self {
    case .invalidConfiguration(let why): return "invalid training settings: \(why)"
    case .nonFinite(let t):
      return "training diverged at iteration \(t): the parameters or the loss became NaN or infinite; lower the learning rate"
    case .diverging(let t, let l, let best):
      return "training is diverging at iteration \(t): log L = \(l) against a best of \(best); lower the learning rate"
    case .dimensionMismatch(let p, let d):
      return "the model takes inputs of dimension \(p) but the data have \(d) features"
    case .deadUnits(let t, let examples):
      let shown = examples.prefix(5).map(String.init).joined(separator: ", ") + (examples.count > 5 ? ", …" : "")
      return "training failed at iteration \(t): every unit of some layer has stayed inactive for \(examples.count) example(s) (\(shown)) "
        + "through the divergence patience, so their output and gradient are zero and the other examples' updates did not revive them; "
        + "lower the learning rate or use a larger init scale"
    }
  }
}

extension TrainingError: ClassifiedError {
  /// ``FailureClass/numerical`` for every case.
  public var failureClass: FailureClass { .numerical }
}
