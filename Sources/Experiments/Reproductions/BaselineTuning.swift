import Foundation
import LinearAlgebra
import Unlearning

/// The step sizes of the step-based baselines, tuned once per setting on a held-out seed
/// (MATH.md §10.2). Every baseline takes the same k steps as the others (matched compute); what is
/// tuned is a multiplier c from ``grid``, read through the method's own scale:
///
///     fine-tune, random-label, minnorm-og (loss-normalised steps):  η   = c · η_train
///     neggrad, neggrad-plus (plain gradient steps):                  η_a = c · ‖θ‖ / (k ‖d(θ)‖)
///
/// with `d(θ)` the ascent direction at the trained θ (`∇L(F)`, or `∇L(F) − ∇L(S∖F)`), so that c is the
/// length of the k ascent steps together relative to ‖θ‖. The chosen c minimises τ = 1 − cos(θ_U,
/// θ_retrained) on a model trained on the experiment's data drawn with ``heldOutSeed``, a seed no
/// reported run uses; candidates that fail (an overflow, a non-finite τ) are out, ties go to the smaller
/// c, and when every candidate fails c = 1. Nothing here looks at the paper's step.
///
/// One instance serves a whole sweep: the held-out model and the multipliers are computed once per
/// setting key and kept (under a lock, so parallel grid points wait for the first computation instead
/// of repeating it). The result depends only on the key's setting, never on the order of the points.
package final class BaselineTuning: @unchecked Sendable {
  /// The seed of the held-out draw (data, initialisation): outside every experiment's seed range.
  package static let heldOutSeed: UInt64 = 1_000_003
  /// The candidate multipliers c, log-spaced over five decades (10⁻³ … 100).
  package static let grid: [Double] = [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3, 10, 30, 100]

  /// Whether `c` is the grid's largest value: a tuned c there may be better still beyond the grid
  /// (the summaries flag it). The smallest value is no such limit: it means "barely move".
  package static func atUpperEdge(_ c: Double) -> Bool { c == grid.last }
  /// The grid as the summaries state it.
  package static let gridDescription = "c ∈ {10⁻³, 3·10⁻³, …, 30, 100}"

  /// A summary cell for the multipliers of one row group: the common c (`*` when at the grid's upper
  /// edge), or `—` when none was tuned or they differ.
  ///
  /// - Complexity: O(1).
  package static func cell(_ scales: Set<Double>) -> String {
    guard scales.count == 1, let c = scales.first else { return "—" }
    return String(format: "%g", c) + (atUpperEdge(c) ? "*" : "")
  }

  /// The tuner the experiments share within one process.
  package static let shared = BaselineTuning()

  /// The baselines whose step size is tuned.
  package static func tunes(_ kind: UnlearningMethod.Kind) -> Bool {
    switch kind {
    case .fineTune, .negGrad, .negGradPlus, .randomLabel, .minNormOG: return true
    case .gaKKT, .gaKKTRecover, .retrain, .newton: return false
    }
  }

  /// An empty tuner (the experiments share ``shared``; tests make their own).
  package init() {}

  private let lock = NSLock()
  private var runs: [String: Any] = [:]
  private var multipliers: [String: Double] = [:]

  /// The method `kind` with k steps and its step size from the multiplier `c` on `run`'s trained model.
  ///
  /// - Complexity: one loss gradient on S (neggrad, neggrad-plus); O(1) otherwise.
  package static func method<M: HomogeneousModel>(_ kind: UnlearningMethod.Kind, multiplier c: Double, steps k: Int,
                                                  run: UnlearningRun<M>, training: TrainingConfiguration) -> UnlearningMethod {
    let eta = c * training.learningRate
    switch kind {
    case .fineTune: return .fineTune(steps: k, learningRate: eta)
    case .randomLabel: return .randomLabel(steps: k, learningRate: eta)
    case .minNormOG: return .minNormOG(steps: k, learningRate: eta)
    case .negGrad: return .negGrad(steps: k, rate: ascentRate(run, multiplier: c, steps: k, retained: false))
    case .negGradPlus: return .negGradPlus(steps: k, rate: ascentRate(run, multiplier: c, steps: k, retained: true), forgetWeight: 1)
    case .gaKKT: return .gaKKT()
    case .gaKKTRecover: return .gaKKTRecover(steps: k, learningRate: training.learningRate)
    case .retrain: return .retrain
    case .newton: return .newton()
    }
  }

  /// `η_a = c ‖θ‖ / (k ‖d(θ)‖)` at the trained θ of `run`; `c` when the direction vanishes.
  ///
  /// - Complexity: one or two loss gradients, O(m p).
  package static func ascentRate<M: HomogeneousModel>(_ run: UnlearningRun<M>, multiplier c: Double, steps k: Int, retained: Bool) -> Double {
    let theta = run.model
    var direction = theta.lossGradient(on: run.data.subset(run.forgetSet), loss: run.loss)
    if retained { BLAS.axpy(-1, theta.lossGradient(on: run.retained, loss: run.loss), &direction) }
    let eta = c * theta.parameterNorm / (Double(max(k, 1)) * BLAS.norm(direction))
    return eta.isFinite && eta > 0 ? eta : c
  }

  /// The tuned multiplier c of `kind` at k steps in the setting named `key` (every option that changes
  /// the data or the models, and the model's label); `nil` for a method that is not tuned (``tunes(_:)``).
  ///
  /// - Parameters:
  ///   - heldOut: builds the run on the held-out draw (trained model, forget set, `initial` and
  ///     `training` so that it can retrain); called at most once per key. `nil` (its training failed)
  ///     leaves c = 1.
  /// - Complexity: the first call per key trains and retrains once (inside `heldOut`); the first per
  ///   (key, kind, k) runs the method once per grid value; later calls are O(1).
  package func multiplier<M: HomogeneousModel>(_ kind: UnlearningMethod.Kind, steps k: Int, key: String,
                                               training: TrainingConfiguration,
                                               heldOut: () throws -> UnlearningRun<M>?) -> Double? {
    guard Self.tunes(kind) else { return nil }
    lock.lock()
    defer { lock.unlock() }
    let slot = "\(key)|\(kind.rawValue)|\(k)"
    if let c = multipliers[slot] { return c }
    let run: UnlearningRun<M>?
    if let cached = runs[key] {
      run = cached as? UnlearningRun<M>
    } else {
      let built = try? heldOut()
      built?.certifies = false
      built?.comparesToRetrained = true
      if let built, (try? built.retrained()) ?? nil == nil { run = nil } else { run = built }
      runs[key] = run as Any
    }
    var best: (c: Double, tau: Double)? = nil
    if let run {
      for c in Self.grid {
        guard let tau = try? run.run(Self.method(kind, multiplier: c, steps: k, run: run, training: training)).tau,
              tau.isFinite else { continue }
        if best == nil || tau < best!.tau { best = (c, tau) }
      }
    }
    let c = best?.c ?? 1
    multipliers[slot] = c
    return c
  }
}
