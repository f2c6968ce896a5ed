import Foundation
import LinearAlgebra
import Unlearning

/// W7: deletion requests one after another at m = 2000. The model is trained once (its final audit's
/// multipliers stored); each request is the paper's step from the multipliers carried from the previous
/// one (no audit), and every `certifyEvery`-th version gets a self certificate, its audit on the current
/// S∖F warm-started from the carried multipliers. Measured against one retraining on S∖F₁₀₀.
struct SequentialDeletionBenchmark {
  enum Model: String, CaseIterable {
    case linear
    case twoLayer = "two-layer"
  }

  /// What the sequence took.
  struct Result {
    /// Wall seconds of everything: steps and certificates.
    var totalSeconds: Double
    /// Wall seconds of the steps alone (fingerprints, step, carry).
    var stepSeconds: Double
    /// Wall seconds of the certificates alone.
    var certificateSeconds: Double
    /// ε/‖θ̂‖ of each certificate, in order.
    var certificates: [Double]
    /// Deletions done (fewer than asked when the sequence had to stop).
    var deletions: Int
    /// Why the sequence stopped early (a step that could not use carried multipliers), else `nil`.
    var stopped: String?
  }

  let model: any HomogeneousModel
  let initial: any HomogeneousModel
  let data: Dataset
  let configuration: TrainingConfiguration
  let stored: StoredMultipliers
  /// The order of the deletions (indices into the original S).
  let order: [Int]
  let widthNote: String
  /// κ of every audit (the training's stopping rule, the stored multipliers, the certificates).
  var kappa: Double { configuration.kappa }

  /// The setting of `model`: isotropic m = 2000, d = 10 000 (at d = 4000 one step already flips a retained margin: φ too large for the regime);
  /// linear to ε/‖θ̂‖ ≤ 1e-4; two-layer (n = 20, fixed output layer) to 5e-2, audited strictly (κ = 0:
  /// a κ-band QP over m + b ≈ 4000 variables at every audit would dominate what is measured); one seeded
  /// deletion order.
  ///
  /// - Complexity: one training run.
  static func make(_ kind: Model) throws -> SequentialDeletionBenchmark {
    let (data, _) = try SyntheticData.generate(.isotropic, count: 2000, dimension: 10_000, seed: 7)
    var rng = SeededGenerator(seed: 8)
    var order = Array(0..<data.count)
    for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
    func build<M: HomogeneousModel>(_ initial: M, _ configuration: TrainingConfiguration, _ note: String) throws -> SequentialDeletionBenchmark {
      let trained = try Trainer(configuration).train(from: initial, on: data)
      guard let audit = trained.finalAudit else { throw TrainingError.invalidConfiguration("W7: training ended without an audit") }
      return SequentialDeletionBenchmark(
        model: trained.model, initial: initial, data: data, configuration: configuration,
        stored: StoredMultipliers(audit: audit, model: trained.model, data: data, origin: .training),
        order: Array(order.prefix(100)), widthNote: note)
    }
    switch kind {
    case .linear:
      return try build(LinearModel.initialized(dimension: 10_000, initScale: 0.01, seed: 9),
                       TrainingConfiguration(learningRate: 1, tolerance: 1e-4, auditInterval: 50, maxIterations: 20_000), "")
    case .twoLayer:
      return try build(TwoLayerReLUNetwork.initialized(width: 20, dimension: 10_000, trainsOutputLayer: false, initScale: 0.01, seed: 9),
                       TrainingConfiguration(learningRate: 1, tolerance: 5e-2, kappa: 0, auditInterval: 250, maxIterations: 20_000), " n=20 κ=0")
    }
  }

  /// Retraining on S minus the first `count` deletions, from the initialisation, to the same tolerance.
  func retrain(forgetting count: Int) throws -> Double {
    func train<M: HomogeneousModel>(_ initial: M) throws -> Double {
      try Trainer(configuration).train(from: initial, on: try data.removing(Array(order.prefix(count))).retained).seconds
    }
    return try train(initial)
  }

  /// `deletions` single deletions in ``order``, each from the carried multipliers, a self certificate every `certifyEvery`.
  ///
  /// The sequence stops, saying why, at a step that could not take carried multipliers (θ_U left
  /// the regime: some retained margin ≤ 0), rather than audit silently.
  ///
  /// - Throws: the errors of the steps and audits.
  func run(deletions: Int, certifyEvery: Int) throws -> Result {
    func sequence<M: HomogeneousModel>(_ start: M) throws -> Result {
      var current = start, multipliers: StoredMultipliers? = stored, s = data
      var originalIndex = Array(0..<data.count)
      var stepSeconds = 0.0, certificateSeconds = 0.0, certificates: [Double] = [], done = 0, stopped: String? = nil
      let clock = ContinuousClock()
      for k in 0..<deletions {
        guard let r = originalIndex.firstIndex(of: order[k]) else { break }
        var run: UnlearningRun<M>! = nil
        var outcome: UnlearningRun<M>.Outcome! = nil
        stepSeconds += try clock.measure {
          run = try UnlearningRun(model: current, data: s, forgetSet: [r], auditor: KKTAuditor(kappa: kappa), certifies: false,
                                  comparesToRetrained: false, stored: multipliers, carriesMultipliers: true)
          outcome = try run.run(.gaKKT())
        }.inSeconds
        guard run.multipliersSource == .stored, let carried = outcome.carried else {
          stopped = "stopped after deletion \(k + 1): " + (run.storedMultipliersRejection ?? "θ_U does not interpolate S∖F, so no multipliers carry")
          break
        }
        done = k + 1
        if (k + 1) % certifyEvery == 0 {
          var epsilon = Double.nan
          certificateSeconds += try clock.measure {
            epsilon = try run.certificate(.self, for: outcome.model, audit: run.auditOnRetained(outcome.model, startingFrom: carried)).epsilonRelative ?? .nan
          }.inSeconds
          certificates.append(epsilon)
        }
        current = outcome.model
        multipliers = carried
        s = run.retained
        originalIndex.remove(at: r)
      }
      return Result(totalSeconds: stepSeconds + certificateSeconds, stepSeconds: stepSeconds,
                    certificateSeconds: certificateSeconds, certificates: certificates, deletions: done, stopped: stopped)
    }
    func open<M: HomogeneousModel>(_ m: M) throws -> Result { try sequence(m) }
    return try open(model)
  }
}
