import Foundation
import LinearAlgebra
import Unlearning

/// `unlearn train`: a seeded initialisation trained to the KKT tolerance, with
/// the metadata that lets later certificates retrain it from the same point.
package enum TrainingWorkflow {
  /// What to train.
  package struct Request: Sendable {
    package var architecture: ModelArchitecture
    package var configuration: TrainingConfiguration
    package var initScale: Double
    package var seed: UInt64
    /// Whether the stored multipliers keep the pre-activation cache (MATH.md §5.2) when the model has one.
    package var keepsPreactivations: Bool

    package init(architecture: ModelArchitecture, configuration: TrainingConfiguration, initScale: Double = 0.01, seed: UInt64 = 0,
                 keepsPreactivations: Bool = true) {
      self.architecture = architecture
      self.configuration = configuration
      self.initScale = initScale
      self.seed = seed
      self.keepsPreactivations = keepsPreactivations
    }
  }

  /// What training did (the JSON of `unlearn train --json`).
  package struct Summary: Sendable, Encodable {
    package var architecture: String
    package var parameters: Int
    package var homogeneityDegree: Int
    package var iterations: Int
    package var stopReason: String
    package var seconds: Double
    package var kappa: Double
    package var tolerance: Double
    /// The last audit on the training set (nil while some margin was ≤ 0).
    package var epsilonRelative: Double?
    package var epsilonStrictRelative: Double?
    package var delta: Double?
    package var bandPairs: Int?
    package var minMargin: Double
    /// Whether the final audit's multipliers were stored with the model (MATH.md §5.1).
    package var multipliersStored: Bool
    /// Whether they keep the first layer's pre-activations on the training set (MATH.md §5.2).
    package var preactivationsStored: Bool
    package var output: String?
  }

  /// Trains on `data`; returns the model, the metadata to store with it (with the multipliers of the
  /// final audit, ``StoredMultipliers``, when there is one of the final model) and a summary.
  package static func run(_ request: Request, on data: Dataset,
                         progress: ((TrainingProgress) -> Void)? = nil) throws -> (any HomogeneousModel, ModelMetadata, Summary) {
    guard request.initScale.isFinite, request.initScale > 0 else {
      throw TrainingError.invalidConfiguration("the init scale must be a positive number (got \(request.initScale))")
    }
    if case .twoLayer(let n, _) = request.architecture, n < 1 {
      throw TrainingError.invalidConfiguration("the width must be at least 1 (got \(n))")
    }
    if case .deep(let depth, let n) = request.architecture, depth < 1 || n < 1 {
      throw TrainingError.invalidConfiguration("the depth and the width must be at least 1 (got \(depth), \(n))")
    }
    let initial = request.architecture.initialModel(dimension: data.dimension, initScale: request.initScale, seed: request.seed)
    func train<M: HomogeneousModel>(_ initial: M) throws -> (any HomogeneousModel, Summary, StoredMultipliers?) {
      let result = try Trainer(request.configuration).train(from: initial, on: data, progress: progress)
      let audit = result.finalAudit
      let minMargin = result.model.margins(on: data).min() ?? .nan
      // The final audit is of the final model (its γ is the model's): its multipliers go into the file.
      var stored = audit.flatMap { a in
        a.minMargin == minMargin ? StoredMultipliers(audit: a, model: result.model, data: data, origin: .training) : nil
      }
      if !request.keepsPreactivations { stored?.preactivations = nil }
      let summary = Summary(
        architecture: request.architecture.metadataName, parameters: initial.parameters.count,
        homogeneityDegree: initial.homogeneityDegree, iterations: result.iterations,
        stopReason: result.stopReason.rawValue, seconds: result.seconds, kappa: request.configuration.kappa,
        tolerance: request.configuration.tolerance, epsilonRelative: audit?.epsilonRelative,
        epsilonStrictRelative: audit?.epsilonStrictRelative, delta: audit?.delta, bandPairs: audit?.bandPairs,
        minMargin: minMargin, multipliersStored: stored != nil, preactivationsStored: stored?.preactivations != nil, output: nil)
      return (result.model, summary, stored)
    }
    let (model, summary, stored) = try train(initial)
    let metadata = ModelMetadata(loss: request.configuration.loss, initSeed: request.seed, initScale: request.initScale,
                                 training: request.configuration, multipliers: stored)
    return (model, metadata, summary)
  }
}
