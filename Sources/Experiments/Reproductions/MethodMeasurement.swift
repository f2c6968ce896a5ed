import Foundation
import LinearAlgebra
import Unlearning

/// One unlearning method run on a trained model and measured the way the
/// "beyond the paper" experiments compare methods: the κ-audit of θ_U on S∖F
/// (MATH.md §4), τ against the model retrained on S∖F (MATH.md §6), test
/// accuracy, how far the forgotten examples' margins fell, and wall time with
/// the speed-up over retraining. The run itself is an ``UnlearningRun``.
struct MethodMeasurement {
  /// The columns ``row`` fills; timing-derived ones start with `seconds`.
  static let columns = ["epsilon_relative", "delta", "min_margin", "forget_margin", "tau_retrained", "test_accuracy", "step_scale", "note",
                        "seconds_method", "seconds_speedup"]

  /// `mean_{r∈F} q_r / min_{i∈S∖F} q_i`: the forgotten examples' margins in units of
  /// the retained minimum margin (≥ 1 while F is still fitted like S∖F; a retrained model
  /// typically leaves them lower, often negative).
  static func forgetMargin<M: HomogeneousModel>(_ model: M, data: Dataset, forget: [Int]) -> Double {
    let q = model.margins(on: data)
    let f = Set(forget)
    let retainedMin = q.indices.filter { !f.contains($0) }.map { q[$0] }.min() ?? .nan
    guard retainedMin > 0 else { return .nan }
    return forget.map { q[$0] }.reduce(0, +) / Double(forget.count) / retainedMin
  }

  /// The method as the experiments run it, every one with the same k steps (matched compute): the
  /// paper's step at α, ga-kkt+recover's k steps at the training learning rate, and the step-based
  /// baselines with their step size from the multiplier `c` that ``BaselineTuning`` chose on a held-out
  /// seed (MATH.md §10.2; 1 when `nil`).
  static func configured<M: HomogeneousModel>(_ kind: UnlearningMethod.Kind, alpha: Double = 1, steps k: Int,
                                              run: UnlearningRun<M>, training: TrainingConfiguration,
                                              multiplier c: Double? = nil) -> UnlearningMethod {
    switch kind {
    case .gaKKT: return .gaKKT(alpha: alpha)
    case .gaKKTRecover: return .gaKKTRecover(alpha: alpha, steps: k, learningRate: training.learningRate)
    case .retrain: return .retrain
    case .newton: return .newton()
    case .fineTune, .negGrad, .negGradPlus, .randomLabel, .minNormOG:
      return BaselineTuning.method(kind, multiplier: c ?? 1, steps: k, run: run, training: training)
    }
  }

  /// The measured row of an outcome (its audit on S∖F when the run certified, τ when it compared),
  /// and the speed-up over the run's retraining when there is one.
  static func row<M: HomogeneousModel>(_ outcome: UnlearningRun<M>.Outcome, run: UnlearningRun<M>, test: Dataset?) -> MethodColumns {
    let unlearned = outcome.model, data = run.data, forget = run.forgetSet, retained = run.retained
    let (audit, note) = outcome.audit.map(ExperimentModels.audit) ?? (nil, "")
    var row = MethodColumns(epsilonRelative: audit?.epsilonRelative, delta: audit?.delta,
                            minMargin: unlearned.margins(on: retained).min() ?? .nan,
                            forgetMargin: forgetMargin(unlearned, data: data, forget: forget), note: note,
                            secondsMethod: Rounded(outcome.seconds, digits: 6))
    if let tau = outcome.tau, let reference = (try? run.retrained()) ?? nil {
      row.tauRetrained = tau
      row.secondsSpeedup = Rounded(reference.seconds / max(outcome.seconds, 1e-9), digits: 3)
    }
    if let test { row.testAccuracy = ExperimentModels.accuracy(unlearned, on: test) }
    return row
  }

  /// Runs `method` in `run` and measures it; a method that fails leaves its numbers empty and says why in `note`.
  static func measure<M: HomogeneousModel>(_ method: UnlearningMethod, in run: UnlearningRun<M>,
                                           test: Dataset?) -> (row: MethodColumns, unlearned: M?) {
    let outcome: UnlearningRun<M>.Outcome
    do {
      outcome = try run.run(method)
    } catch {
      return (MethodColumns(note: "\(method.name) failed: \(error)"), nil)
    }
    var r = row(outcome, run: run, test: test)
    if method == .retrain { r.secondsSpeedup = Rounded(1, digits: 3) }
    return (r, outcome.model)
  }
}
