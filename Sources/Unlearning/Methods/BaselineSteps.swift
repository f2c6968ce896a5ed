import Foundation
import LinearAlgebra

/// The step loops the baselines of MATH.md §9 share (internal to ``UnlearningRun``):
/// k loss-normalised GD steps, and k plain gradient steps on the forget loss.
enum BaselineSteps {
  /// `steps` loss-normalised GD steps `θ ← θ − η ∇L/L` on `data` from `model`, without audits
  /// (the ``Trainer`` with tolerance 0 and `maxIterations = steps`).
  ///
  /// - Complexity: O(steps · m p) for m examples and p parameters.
  /// - Throws: ``TrainingError`` when a step overflows or diverges.
  static func normalized<M: HomogeneousModel>(_ model: M, on data: Dataset, steps: Int, learningRate: Double,
                                              loss: Loss) throws -> M {
    guard steps > 0 else { return model }
    var config = TrainingConfiguration(loss: loss, learningRate: learningRate, tolerance: 0, maxIterations: steps)
    config.audits = false
    return try Trainer(config).train(from: model, on: data).model
  }

  /// `steps` plain gradient steps with the fixed η = `rate`: neggrad `θ ← θ + η ∇L(F)` when
  /// `retained` is `nil`, neggrad-plus `θ ← θ + η (γ ∇L(F) − ∇L(S∖F))` with γ = `forgetWeight` otherwise.
  ///
  /// - Complexity: O(steps · m p).
  /// - Throws: ``UnlearningError/nonFiniteResult(method:)`` (numerical) when a step overflows.
  static func ascent<M: HomogeneousModel>(_ model: M, forget: Dataset, retained: Dataset?, steps: Int, rate: Double,
                                          forgetWeight gamma: Double, loss: Loss, method: UnlearningMethod.Kind) throws -> M {
    var theta = model
    for _ in 0..<steps {
      var direction = theta.lossGradient(on: forget, loss: loss)  // ascend L(F)
      if let retained {
        let keep = theta.lossGradient(on: retained, loss: loss)
        direction = zip(direction, keep).map { gamma * $0 - $1 }  // descend L(S∖F) − γ L(F)
      }
      theta.addToParameters(direction, scaledBy: rate)
      guard theta.parameters.allSatisfy(\.isFinite) else { throw UnlearningError.nonFiniteResult(method: method.rawValue) }
    }
    return theta
  }
}
