import Foundation
import LinearAlgebra
import Unlearning

/// The main job on an embedded default (the paper's small setting): seeded
/// isotropic data, a linear model and a two-layer ReLU network trained to a KKT
/// tolerance, one example forgotten by the paper's gradient-ascent step, and
/// every model audited against the retained set and compared with retraining.
public enum Demo {
  /// Runs the demo. `log` receives one line per stage (for a progress display).
  public static func run(_ settings: DemoSettings, log: @escaping @Sendable (String) -> Void = { _ in }) throws -> DemoReport {
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

    // Unlearn: audit on S (for θ̂ and λ), then one gradient-ascent step.
    log("\(name): unlearning example(s) \(settings.forget)")
    let clock = ContinuousClock()
    var onS: KKTAuditReport<M>! = nil
    var unlearned: M! = nil
    let unlearningTime = try clock.measure {
      onS = try auditor.audit(trained.model, on: data)
      unlearned = try GradientAscentUnlearning(alpha: 1, step: .gradient).unlearn(onS, data: data, forgetSet: settings.forget)
    }
    let decomposed = try GradientAscentUnlearning(alpha: 1, step: .decomposition).unlearn(onS, data: data, forgetSet: settings.forget)

    log("\(name): retraining on S∖F from the same initialisation")
    let retrained = try trainer.train(from: trained.initialModel, on: retained, progress: report)

    func row(_ label: String, _ model: M, on set: Dataset) -> DemoReport.Row {
      let gamma = model.margins(on: set).min() ?? .nan
      do {
        let a = try auditor.audit(model, on: set)
        return .init(label: label, epsilonStrictRelative: a.epsilonStrictRelative, epsilonRelative: a.epsilonRelative,
                     delta: a.delta, bandPairs: a.bandPairs, minMargin: gamma, note: nil)
      } catch {
        return .init(label: label, minMargin: gamma, note: "\(error)")
      }
    }
    let rows = [
      row("original on S", trained.model, on: data),
      row("original on S∖F", trained.model, on: retained),
      row("unlearned (α=1) on S∖F", unlearned, on: retained),
      row("unlearned, decomposition step, on S∖F", decomposed, on: retained),
      row("retrained on S∖F", retrained.model, on: retained),
    ]
    return DemoReport.ModelSection(
      model: name, parameterCount: initial.parameters.count, homogeneityDegree: initial.homogeneityDegree,
      trainingIterations: trained.iterations, trainingConverged: trained.stopReason == .converged,
      trainingSeconds: trained.seconds, retrainingIterations: retrained.iterations,
      retrainingConverged: retrained.stopReason == .converged, rows: rows,
      cosUnlearnedRetrained: Vector.cosine(unlearned.parameters, retrained.model.parameters),
      cosDecompositionRetrained: Vector.cosine(decomposed.parameters, retrained.model.parameters),
      cosOriginalRetrained: Vector.cosine(trained.model.parameters, retrained.model.parameters),
      unlearningSeconds: unlearningTime.inSeconds, retrainingSeconds: retrained.seconds)
  }
}
