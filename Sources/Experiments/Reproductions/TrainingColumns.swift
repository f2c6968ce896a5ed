import Unlearning

/// The `train_iterations` and `train_converged` columns: how the model a row
/// measures was trained (empty when no model was trained).
package struct TrainingColumns: RunColumnGroup, Equatable {
  /// Gradient steps of the training run.
  package var trainIterations: Int?
  /// Whether it stopped on the κ-audit (`1`) rather than the iteration limit (`0`).
  package var trainConverged: Bool?

  enum CodingKeys: String, CodingKey {
    case trainIterations = "train_iterations", trainConverged = "train_converged"
  }

  package init(trainIterations: Int? = nil, trainConverged: Bool? = nil) {
    self.trainIterations = trainIterations
    self.trainConverged = trainConverged
  }

  /// The columns of a finished training run.
  init<M>(_ result: TrainingResult<M>) {
    self.init(trainIterations: result.iterations, trainConverged: result.stopReason == .converged)
  }
}
