import Foundation
import LinearAlgebra
import Unlearning

/// The main job on an embedded default (the paper's small setting): seeded
/// isotropic data, a linear model and a two-layer ReLU network trained to a KKT
/// tolerance, one example forgotten by the paper's gradient-ascent step, and
/// every model audited against the retained set and compared with retraining.
package enum Demo {
  /// Runs the demo. `log` receives one line per stage (for a progress display).
  package static func run(_ settings: DemoSettings, log: @escaping @Sendable (String) -> Void = { _ in }) throws -> DemoReport {
    let (data, _) = try SyntheticData.generate(.isotropic, count: settings.examples, dimension: settings.dimension,
                                               seed: settings.seed)
    let (retained, _) = try data.removing(settings.forget)
    let geometry = DataGeometry(of: data)

    let linear = try section(
      name: "linear", initial: LinearModel.initialized(dimension: settings.dimension, initScale: settings.initScale, seed: settings.seed),
      data: data, retained: retained, settings: settings, training: settings.linearTraining, log: log)
    let twoLayer = try section(
      name: "two-layer ReLU (n = \(settings.width), \(settings.trainOutputLayer ? "trained" : "fixed") output layer)",
      initial: TwoLayerReLUNetwork.initialized(width: settings.width, dimension: settings.dimension,
                                               trainsOutputLayer: settings.trainOutputLayer,
                                               initScale: settings.initScale, seed: settings.seed),
      data: data, retained: retained, settings: settings, training: settings.twoLayerTraining, log: log)
    return DemoReport(settings: settings, blas: BLASKernelSelection.summary, psi: geometry.psi, phi: geometry.phi,
                      models: [linear, twoLayer])
  }

  static func section<M: HomogeneousModel>(name: String, initial: M, data: Dataset, retained: Dataset,
                                           settings: DemoSettings, training: TrainingConfiguration,
                                           log: @escaping @Sendable (String) -> Void) throws -> DemoReport.ModelSection {
    var training = training
    training.kappa = settings.kappa
    let trainer = Trainer(training)
    let auditor = KKTAuditor(kappa: settings.kappa)

    log("\(name): training on S (m = \(data.count)) to ε/‖θ̂‖ ≤ \(training.tolerance) at κ = \(settings.kappa)")
    let report: @Sendable (TrainingProgress) -> Void = { p in
      log("  iteration \(p.iteration)/\(p.maxIterations)  log L = \(String(format: "%.3f", p.logLoss))  ε/‖θ̂‖ = \(p.epsilonRelative.map { String(format: "%.2e", $0) } ?? "—")")
    }
    let trained = try trainer.train(from: initial, on: data, progress: report)

    // Unlearn: audit on S (for θ̂ and λ), then one gradient-ascent step; every audit on S∖F shares one kernel.
    log("\(name): unlearning example(s) \(settings.forget)")
    let run = try UnlearningRun(model: trained.model, data: data, forgetSet: settings.forget, auditor: auditor,
                                initial: trained.initialModel, training: training, comparesToRetrained: false, progress: report)
    let unlearned = try run.run(.gaKKT(alpha: 1, step: .gradient))
    let decomposed = try run.run(.gaKKT(alpha: 1, step: .decomposition))

    log("\(name): retraining on S∖F from the same initialisation")
    guard let retrained = try run.retrained() else { throw UnlearningError.missingInitialization }
    let original = run.evaluate(trained.model)

    func row(_ label: String, _ model: M, on set: Dataset, _ audit: Result<KKTAuditReport<M>, any Error>?) -> DemoReport.Row {
      let gamma = model.margins(on: set).min() ?? .nan
      do {
        let a = try audit!.get()
        return .init(label: label, epsilonStrictRelative: a.epsilonStrictRelative, epsilonRelative: a.epsilonRelative,
                     delta: a.delta, bandPairs: a.bandPairs, minMargin: gamma, note: nil)
      } catch {
        return .init(label: label, minMargin: gamma, note: "\(error)")
      }
    }
    let rows = [
      row("original on S", trained.model, on: data, Result { try run.audit() }),
      row("original on S∖F", trained.model, on: retained, original.audit),
      row("unlearned (α=1) on S∖F", unlearned.model, on: retained, unlearned.audit),
      row("unlearned, decomposition step, on S∖F", decomposed.model, on: retained, decomposed.audit),
      row("retrained on S∖F", retrained.model, on: retained, run.auditOnRetained(retrained.model)),
    ]
    return DemoReport.ModelSection(
      model: name, parameterCount: initial.parameters.count, homogeneityDegree: initial.homogeneityDegree,
      trainingIterations: trained.iterations, trainingConverged: trained.stopReason == .converged,
      trainingSeconds: trained.seconds, retrainingIterations: retrained.iterations,
      retrainingConverged: retrained.stopReason == .converged, rows: rows,
      cosUnlearnedRetrained: Vector.cosine(unlearned.model.parameters, retrained.model.parameters),
      cosDecompositionRetrained: Vector.cosine(decomposed.model.parameters, retrained.model.parameters),
      cosOriginalRetrained: Vector.cosine(trained.model.parameters, retrained.model.parameters),
      unlearningSeconds: unlearned.seconds, retrainingSeconds: retrained.seconds)
  }
}
