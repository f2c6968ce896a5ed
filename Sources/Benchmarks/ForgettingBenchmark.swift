import Foundation
import LinearAlgebra
import Unlearning

/// W6, W6a, W6b: one deletion from the demo's two-layer network (m = 20, n = 100, d = 1000, the
/// demo's training settings), by the cold path (audit on S) and from the multipliers stored at training,
/// against retraining on S∖F from the same initialisation to the same tolerance.
struct ForgettingBenchmark {
  let data: Dataset
  let retained: Dataset
  let initial: TwoLayerReLUNetwork
  let model: TwoLayerReLUNetwork
  let configuration: TrainingConfiguration
  let stored: StoredMultipliers
  let forgetSet = [0]
  let output: URL

  /// Trains the demo's network once (its final audit's multipliers stored, as `unlearn train` stores them).
  ///
  /// - Complexity: one training run.
  static func demo() throws -> ForgettingBenchmark {
    let (data, _) = try SyntheticData.generate(.isotropic, count: 20, dimension: 1000, seed: 0)
    let configuration = TrainingConfiguration(learningRate: 1, tolerance: 5e-3, auditInterval: 200, maxIterations: 40_000)
    let initial = TwoLayerReLUNetwork.initialized(width: 100, dimension: 1000, trainsOutputLayer: false, initScale: 0.01, seed: 0)
    let trained = try Trainer(configuration).train(from: initial, on: data)
    guard let audit = trained.finalAudit else { throw TrainingError.invalidConfiguration("the benchmark's training ended without an audit") }
    let stored = StoredMultipliers(audit: audit, model: trained.model, data: data, origin: .training)
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-bench-\(ProcessInfo.processInfo.processIdentifier).safetensors")
    return ForgettingBenchmark(data: data, retained: try data.removing([0]).retained, initial: initial, model: trained.model,
                               configuration: configuration, stored: stored, output: output)
  }

  /// Retraining on S∖F from the initialisation, to the training tolerance.
  func retrain() throws -> TrainingResult<TwoLayerReLUNetwork> { try Trainer(configuration).train(from: initial, on: retained) }

  /// The cold path: audit on S, the step, and (optionally) the self certificate from a cold audit on S∖F.
  func forgetCold(certify: Bool) throws {
    let run = try UnlearningRun(model: model, data: data, forgetSet: forgetSet, certifies: certify, comparesToRetrained: false)
    let outcome = try run.run(.gaKKT())
    if certify { _ = try run.certificate(.self, for: outcome.model, audit: outcome.audit) }
  }

  /// The certificate issued after the step from stored multipliers.
  enum Certify {
    case none
    /// *self*, its audit warm-started from the carried multipliers.
    case warmSelf
    /// *self*, its audit started cold.
    case coldSelf
    /// *carried*: the residual of the carried multipliers, no QP.
    case carried
  }

  /// Forgetting from stored multipliers as `unlearn forget` does it: both fingerprints checked, the step
  /// over F, the multipliers carried to θ_U (and bound to it), and the certificate `certify`; with `write`,
  /// also the model file written (atomically, fsync'd), which `forget` does after its clock stops.
  ///
  /// - Returns: what `forget` reports as `seconds` (the step and the carry) and `fingerprint_seconds`.
  @discardableResult
  func forgetStored(_ certify: Certify, write: Bool = false) throws -> (seconds: Double, fingerprintSeconds: Double) {
    let run = try UnlearningRun(model: model, data: data, forgetSet: forgetSet, certifies: false, comparesToRetrained: false,
                                stored: stored, carriesMultipliers: true)
    let outcome = try run.run(.gaKKT())
    guard run.multipliersSource == .stored else { fatalError("W6a: the stored multipliers were not used: \(run.storedMultipliersRejection ?? "?")") }
    switch certify {
    case .none: break
    case .warmSelf: _ = try run.certificate(.self, for: outcome.model, audit: run.auditOnRetained(outcome.model, startingFrom: outcome.carried))
    case .coldSelf: _ = try run.certificate(.self, for: outcome.model, audit: run.auditOnRetained(outcome.model))
    case .carried: _ = try run.certificate(.carried, for: outcome.model, carried: outcome.carried)
    }
    if write { try ModelFile.write(outcome.model, metadata: ModelMetadata(multipliers: outcome.carried), to: output, overwrite: true) }
    return (outcome.seconds, outcome.fingerprintSeconds)
  }

  /// The self certificate's κ-QP on S∖F (θ_U's, started from the carried λ with μ = 0, as W6b solves it) by
  /// the block-structured solver and by the general active-set solver, timed in alternation in one run
  /// (so that their ratio is robust to the machine's load), with the ε of both audits.
  ///
  /// - Returns: both timings, the ε of the audits by each solver, their iterations and band size.
  func certificateQPComparison(repeats: Int) throws
    -> (structured: BenchmarkTiming, general: BenchmarkTiming, epsilonStructured: Double, epsilonGeneral: Double,
        stepsStructured: Int, iterationsGeneral: Int, bandPairs: Int) {
    let run = try UnlearningRun(model: model, data: data, forgetSet: forgetSet, certifies: false, comparesToRetrained: false,
                                stored: stored, carriesMultipliers: true)
    let outcome = try run.run(.gaKKT())
    guard let carried = outcome.carried else { throw TrainingError.invalidConfiguration("W6b: no multipliers were carried") }
    let kernel = BLAS.rowGram(retained.features)
    let structuredAudit = try KKTAuditor().audit(outcome.model, on: retained, startingFrom: carried, kernel: kernel)
    let generalAudit = try KKTAuditor(exploitsBlockStructure: false).audit(outcome.model, on: retained, startingFrom: carried, kernel: kernel)
    let program = structuredAudit.normalizedModel.kktProgram(retained, pass: structuredAudit.normalizedPass,
                                                             band: structuredAudit.band, kernel: kernel)
    let start = carried.values + [Double](repeating: 0, count: structuredAudit.band.count)
    var structured: [Double] = [], general: [Double] = []
    var steps = 0, iterations = 0
    for _ in 0..<max(repeats, 1) {
      structured += BenchmarkTiming.measure(repeats: 1) { steps = BlockStructuredQPSolver().solve(program, warmStart: start).iterations }.runs
      general += BenchmarkTiming.measure(repeats: 1) { iterations = ActiveSetQPSolver().solve(program, warmStart: start).iterations }.runs
    }
    return (BenchmarkTiming(runs: structured), BenchmarkTiming(runs: general), structuredAudit.epsilon, generalAudit.epsilon,
            steps, iterations, structuredAudit.band.count)
  }

  /// The physical limit of the step: one gradient over F (a copy of θ scaled in place, the forward pass of
  /// the forgotten example and its output gradient added in place).
  func physicalLimit() {
    var theta = scaledCopy()
    let f = data.subset(forgetSet)
    theta.addOutputGradientCombination(f.features, pass: theta.forward(f.features), coefficients: [stored.values[0] * f.labels[0]],
                                       scaledBy: -1)
  }

  /// The first part of the physical limit alone: θ copied and scaled to θ̂ (800 KB read, 800 KB written), the
  /// memory traffic that any θ_U held apart from θ costs.
  @discardableResult
  func scaledCopy() -> TwoLayerReLUNetwork {
    var theta = model
    theta.scaleParameters(by: 1 / stored.minMargin)
    return theta
  }

  /// Writing θ_U's model file (with its carried multipliers), atomically and fsync'd: disk-bound.
  func writeFile() throws {
    try ModelFile.write(model, metadata: ModelMetadata(multipliers: stored), to: output, overwrite: true)
  }
}
