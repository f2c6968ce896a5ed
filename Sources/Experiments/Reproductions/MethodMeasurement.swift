import Foundation
import LinearAlgebra
import Unlearning

/// One unlearning method run on a trained model and measured the way the
/// "beyond the paper" experiments compare methods: the κ-audit of θ_U on S∖F
/// (MATH.md §4), τ against the model retrained on S∖F (MATH.md §6), test
/// accuracy, how far the forgotten examples' margins fell, and wall time with
/// the speed-up over retraining.
struct MethodMeasurement {
  /// The columns ``row`` fills; timing-derived ones start with `seconds`.
  static let columns = ["epsilon_relative", "delta", "min_margin", "forget_margin", "tau_retrained", "test_accuracy", "note",
                        "seconds_method", "seconds_speedup"]

  /// The model retrained on S∖F from the recorded initialisation, and its wall time.
  struct Reference<M: HomogeneousModel> {
    var retrained: M
    var seconds: Double
  }

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

  /// The plain-gradient η of neggrad and neggrad-plus that makes their k steps
  /// together as long as the paper's step: `‖Δ_GA‖ / (k ‖∇(γL(F) − L(S∖F))‖)` at θ̂
  /// (neggrad: `‖Δ_GA‖ / (k ‖∇L(F)‖)`); 0.1 when the paper's step is unavailable.
  static func matchedAscentRate<M: HomogeneousModel>(_ trained: M, data: Dataset, forget: [Int], kappa: Double, loss: Loss,
                                                     steps k: Int, retained: Bool, gamma: Double = 1,
                                                     audit: KKTAuditReport<M>? = nil) -> Double {
    guard let paper = try? BaselineUnlearning(method: .gaKKT, kappa: kappa).unlearn(trained, data: data, forgetSet: forget, audit: audit),
          let (kept, _) = try? data.removing(forget) else { return 0.1 }
    var direction = trained.lossGradient(on: data.subset(forget), loss: loss).map { gamma * $0 }
    if retained { BLAS.axpy(-1, trained.lossGradient(on: kept, loss: loss), &direction) }
    let eta = BLAS.norm(Vector.difference(paper.parameters, trained.parameters)) / (Double(max(k, 1)) * BLAS.norm(direction))
    return eta.isFinite && eta > 0 ? eta : 0.1
  }

  /// The method as the experiments run it: k steps at the training learning rate,
  /// neggrad and neggrad-plus with ``matchedAscentRate`` (their k steps together as
  /// long as the paper's step), the paper's step reusing `audit` when given.
  static func configured<M: HomogeneousModel>(_ method: UnlearningMethod, alpha: Double = 1, steps k: Int, kappa: Double,
                                              trained: M, data: Dataset, forget: [Int], training: TrainingConfiguration,
                                              audit: KKTAuditReport<M>? = nil) -> BaselineUnlearning {
    let eta = method == .negGrad || method == .negGradPlus
      ? matchedAscentRate(trained, data: data, forget: forget, kappa: kappa, loss: training.loss, steps: k,
                          retained: method == .negGradPlus, audit: audit)
      : 0.1
    return BaselineUnlearning(method: method, alpha: alpha, kappa: kappa, steps: k, learningRate: training.learningRate,
                              ascentLearningRate: eta, loss: training.loss)
  }

  /// Retrains on S∖F and times it.
  static func reference<M: HomogeneousModel>(initial: M, retained: Dataset, training: TrainingConfiguration) throws -> Reference<M> {
    let clock = ContinuousClock()
    var model: M! = nil
    let took = try clock.measure { model = try Trainer(training).train(from: initial, on: retained).model }
    return Reference(retrained: model, seconds: took.inSeconds)
  }

  /// The measured row of `unlearned` (reached in `elapsed` seconds), and the row for a failed method.
  /// Without `certify` the audit is skipped (ε, δ left empty).
  static func row<M: HomogeneousModel>(_ unlearned: M, data: Dataset, forget: [Int], kappa: Double,
                                       reference: Reference<M>?, test: Dataset?, elapsed: Double, certify: Bool = true) -> MethodColumns {
    let (retained, _) = try! data.removing(forget)
    let (audit, note) = certify ? ExperimentModels.audit(unlearned, on: retained, kappa: kappa) : (nil, "")
    var row = MethodColumns(epsilonRelative: audit?.epsilonRelative, delta: audit?.delta,
                     minMargin: unlearned.margins(on: retained).min() ?? .nan,
                     forgetMargin: forgetMargin(unlearned, data: data, forget: forget), note: note,
                     secondsMethod: Rounded(elapsed, digits: 6))
    if let reference {
      row.tauRetrained = 1 - Vector.cosine(unlearned.parameters, reference.retrained.parameters)
      row.secondsSpeedup = Rounded(reference.seconds / max(elapsed, 1e-9), digits: 3)
    }
    if let test { row.testAccuracy = ExperimentModels.accuracy(unlearned, on: test) }
    return row
  }

  /// Runs `method` on `model` and measures it; a method that fails leaves its numbers empty and says why in `note`.
  /// `audit` (the κ-audit of `model` on `data`) is passed to the method; `certify` as in ``row``.
  static func measure<M: HomogeneousModel>(_ method: BaselineUnlearning, model: M, data: Dataset, forget: [Int], kappa: Double,
                                           initial: M, training: TrainingConfiguration, reference: Reference<M>?,
                                           test: Dataset?, audit: KKTAuditReport<M>? = nil,
                                           certify: Bool = true) -> (row: MethodColumns, unlearned: M?) {
    if method.method == .retrain, let reference {
      var r = row(reference.retrained, data: data, forget: forget, kappa: kappa, reference: reference, test: test, elapsed: reference.seconds)
      r.secondsSpeedup = Rounded(1, digits: 3)
      return (r, reference.retrained)
    }
    let clock = ContinuousClock()
    var unlearned: M? = nil
    var failure = ""
    let took = clock.measure {
      do {
        unlearned = try method.unlearn(model, data: data, forgetSet: forget, initial: initial, training: training, audit: audit)
      } catch {
        failure = "\(method.method.rawValue) failed: \(error)"
      }
    }
    guard let unlearned else { return (MethodColumns(note: failure), nil) }
    return (row(unlearned, data: data, forget: forget, kappa: kappa, reference: reference, test: test, elapsed: took.inSeconds,
                certify: certify), unlearned)
  }
}
