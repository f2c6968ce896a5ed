import Foundation
import LinearAlgebra
import Unlearning

/// The measurements most reproductions share: unlearn a forget set from a
/// trained model with the paper's step (α = 1) in an ``UnlearningRun`` (θ_U audited
/// on S∖F at κ, τ against the retrained model) and compare it with (linear) the SVM of S∖F.
enum UnlearningMeasurement {
  /// The columns ``measure`` fills.
  static let columns = ["epsilon_relative", "epsilon_strict_relative", "delta", "min_margin", "tau_retrained", "tau_exact",
                        "cos_original_retrained", "retrain_iterations", "retrain_converged",
                        "test_accuracy_original", "test_accuracy_unlearned", "test_accuracy_retrained",
                        "witness_epsilon_relative", "witness_tau", "note"]

  /// `audit`, when given, is the κ-audit of `trained.model` on `data` at `kappa`, taken once by a caller that
  /// measures several forget sets of one model.
  static func measure<M: HomogeneousModel>(_ trained: TrainingResult<M>, data: Dataset, forget: [Int], kappa: Double,
                                           retrain config: TrainingConfiguration?, exact: Bool,
                                           test: Dataset? = nil, audit: KKTAuditReport<M>? = nil) throws -> UnlearningColumns {
    let run = try UnlearningRun(model: trained.model, data: data, forgetSet: forget, auditor: KKTAuditor(kappa: kappa),
                                initial: trained.initialModel, training: config, audit: audit, comparesToRetrained: config != nil)
    let retained = run.retained
    do {
      _ = try run.audit()
    } catch KKTAuditError.notInterpolating(_, let k, _) {
      // No multipliers without interpolation: the run is recorded, its numbers left empty.
      return UnlearningColumns(note: "trained model: \(k) margins <= 0 on S")
    }
    let retrained = try run.retrained()
    let outcome = try run.run(.gaKKT())
    let unlearned = outcome.model
    let (a, note) = outcome.audit.map(ExperimentModels.audit) ?? (nil, "")
    var row = UnlearningColumns(epsilonRelative: a?.epsilonRelative, epsilonStrictRelative: a?.epsilonStrictRelative, delta: a?.delta,
                                minMargin: unlearned.margins(on: retained).min() ?? .nan, note: note)
    if let witness = try? run.witness(for: unlearned).certificate, witness.isAvailable || witness.tau != nil {
      row.witnessEpsilonRelative = witness.epsilonRelative
      row.witnessTau = witness.tau
    }
    if let retrained, let tau = outcome.tau {
      row.tauRetrained = tau
      row.cosOriginalRetrained = Vector.cosine(trained.model.parameters, retrained.model.parameters)
      row.retrainIterations = retrained.iterations
      row.retrainConverged = retrained.stopReason == .converged
    }
    if exact, let solvable = unlearned as? any MaxMarginSolvable {
      do {
        let svm = try type(of: solvable).maxMarginSolution(of: retained, svm: MaxMarginSVM())
        row.tauExact = Vector.tau(solvable.parameters, svm.weights)
      } catch {
        row.note = "\(note) \(error)"
      }
    }
    if let test {
      row.testAccuracyOriginal = ExperimentModels.accuracy(trained.model, on: test)
      row.testAccuracyUnlearned = ExperimentModels.accuracy(unlearned, on: test)
      if let retrained { row.testAccuracyRetrained = ExperimentModels.accuracy(retrained.model, on: test) }
    }
    return row
  }

  /// A linear model and a two-layer network (fixed output layer, width `n`)
  /// trained on `data` from `seed`, each measured for forgetting example 0:
  /// the model's name (`linear`, `two-layer`), its training and its measurement, in that order.
  static func bothModels(data: Dataset, seed: UInt64, width n: Int, kappa: Double, tolerance: Double, maxIterations: Int,
                         test: Dataset? = nil) throws -> [(model: String, training: TrainingColumns, measured: UnlearningColumns)] {
    let linearConfig = ExperimentModels.linearConfiguration(kappa: kappa)
    let linear = try Trainer(linearConfig).train(from: ExperimentModels.linear(dimension: data.dimension, seed: seed), on: data)
    let linearRow = try measure(linear, data: data, forget: [0], kappa: kappa, retrain: linearConfig, exact: true, test: test)
    let netConfig = ExperimentModels.twoLayerConfiguration(tolerance: tolerance, maxIterations: maxIterations, kappa: kappa)
    let initial = ExperimentModels.twoLayer(width: n, dimension: data.dimension, trainOutputLayer: false, seed: seed)
    let net = try Trainer(netConfig).train(from: initial, on: data)
    let netRow = try measure(net, data: data, forget: [0], kappa: kappa, retrain: netConfig, exact: false, test: test)
    return [("linear", TrainingColumns(linear), linearRow), ("two-layer", TrainingColumns(net), netRow)]
  }
}
