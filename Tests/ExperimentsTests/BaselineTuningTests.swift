import Experiments
import Foundation
import LinearAlgebra
import Testing
import Unlearning

/// The baselines' step sizes tuned on a held-out run (MATH.md §10.2): the chosen multiplier is the grid's
/// argmin of τ, computed once per key, and the ascent rate has the stated relative length.
@Suite("BaselineTuning: the step-size multiplier c chosen on a held-out seed")
struct BaselineTuningTests {
  let training = TrainingConfiguration(learningRate: 1, tolerance: 1e-2, kappa: KKTAuditor.defaultKappa, auditInterval: 100,
                                       maxIterations: 3000)

  /// A linear model trained on small isotropic data, as a run that can retrain.
  func heldOutRun(seed: UInt64) throws -> UnlearningRun<LinearModel> {
    let (data, _) = try SyntheticData.generate(.isotropic, count: 12, dimension: 80, seed: seed)
    let initial = LinearModel.initialized(dimension: 80, initScale: 0.01, seed: seed)
    let trained = try Trainer(training).train(from: initial, on: data).model
    return try UnlearningRun(model: trained, data: data, forgetSet: [0], initial: initial, training: training,
                             certifies: false, comparesToRetrained: true)
  }

  @Test("c is the first grid value of smallest τ on the held-out run, for every tuned baseline; computed once per key")
  func choosesTheArgmin() throws {
    let run = try heldOutRun(seed: 7)
    let tuner = BaselineTuning()
    for kind in [UnlearningMethod.Kind.fineTune, .negGrad, .negGradPlus, .randomLabel, .minNormOG] {
      #expect(BaselineTuning.tunes(kind))
      let taus = BaselineTuning.grid.map { c in
        (try? run.run(BaselineTuning.method(kind, multiplier: c, steps: 3, run: run, training: training)).tau ?? nil) ?? .nan
      }
      let finite = taus.enumerated().filter { $0.element.isFinite }
      let expected = finite.min { $0.element < $1.element }.map { BaselineTuning.grid[$0.offset] } ?? 1
      let c = tuner.multiplier(kind, steps: 3, key: "test", training: training, heldOut: { run })
      #expect(c == expected, "\(kind.rawValue): τ over the grid \(taus)")
      // Cached: a second call does not build the held-out run again and returns the same c.
      var built = false
      let again = tuner.multiplier(kind, steps: 3, key: "test", training: training, heldOut: { () -> UnlearningRun<LinearModel>? in
        built = true
        return nil
      })
      #expect(again == c && !built)
    }
    for kind in [UnlearningMethod.Kind.gaKKT, .gaKKTRecover, .retrain, .newton] { #expect(!BaselineTuning.tunes(kind)) }
  }

  @Test("Without a held-out run (its training failed) c = 1")
  func fallsBackToOne() {
    let c = BaselineTuning().multiplier(.fineTune, steps: 3, key: "none", training: training,
                                        heldOut: { () -> UnlearningRun<LinearModel>? in nil })
    #expect(c == 1)
  }

  @Test("The ascent rate makes the k steps together c‖θ‖ long at θ: η k ‖d(θ)‖ = c ‖θ‖")
  func ascentRateLength() throws {
    let run = try heldOutRun(seed: 8)
    for retained in [false, true] {
      var d = run.model.lossGradient(on: run.data.subset(run.forgetSet), loss: run.loss)
      if retained { BLAS.axpy(-1, run.model.lossGradient(on: run.retained, loss: run.loss), &d) }
      for (c, k) in [(0.01, 1), (0.3, 10)] {
        let eta = BaselineTuning.ascentRate(run, multiplier: c, steps: k, retained: retained)
        let length = eta * Double(k) * BLAS.norm(d)
        #expect(abs(length - c * run.model.parameterNorm) <= 1e-12 * c * run.model.parameterNorm)
      }
    }
  }
}
