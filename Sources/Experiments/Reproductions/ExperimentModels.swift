import Foundation
import LinearAlgebra
import Unlearning

/// The training recipes shared by the reproductions (the demo's settings):
/// loss-normalised GD from a seeded initialisation of scale 0.01, exponential
/// loss, stopping on the κ-audit.
enum ExperimentModels {
  static let initScale = 0.01

  static func linearConfiguration(kappa: Double) -> TrainingConfiguration {
    TrainingConfiguration(learningRate: 1, tolerance: 1e-4, kappa: kappa, auditInterval: 50, maxIterations: 20_000)
  }

  static func twoLayerConfiguration(tolerance: Double, maxIterations: Int, kappa: Double) -> TrainingConfiguration {
    TrainingConfiguration(learningRate: 1, tolerance: tolerance, kappa: kappa, auditInterval: 200, maxIterations: maxIterations)
  }

  static func linear(dimension d: Int, seed: UInt64) -> LinearModel {
    LinearModel.initialized(dimension: d, initScale: initScale, seed: seed)
  }

  static func twoLayer(width n: Int, dimension d: Int, trainOutputLayer: Bool, seed: UInt64) -> TwoLayerReLUNetwork {
    TwoLayerReLUNetwork.initialized(width: n, dimension: d, trainsOutputLayer: trainOutputLayer, initScale: initScale, seed: seed)
  }

  /// The κ-audit of `model` on `data`, or `nil` with the reason when it is undefined (a margin ≤ 0).
  static func audit<M: HomogeneousModel>(_ model: M, on data: Dataset, kappa: Double,
                                         warmStart: KKTAuditReport<M>? = nil) -> (KKTAuditReport<M>?, String) {
    audit(Result { try KKTAuditor(kappa: kappa).audit(model, on: data, warmStart: warmStart) })
  }

  /// An audit taken elsewhere (an ``UnlearningRun``'s), or `nil` with the reason when it is undefined.
  static func audit<M: HomogeneousModel>(_ result: Result<KKTAuditReport<M>, any Error>) -> (KKTAuditReport<M>?, String) {
    do {
      return (try result.get(), "")
    } catch KKTAuditError.notInterpolating(_, let k, _) {
      return (nil, "\(k) margins <= 0")
    } catch {
      return (nil, "\(error)")
    }
  }

  /// The *witness* certificate of `model` on `data` at `kappa` (MATH.md §6.6), `nil` when it cannot be built
  /// (non-finite model); its ε and δ are `nil` when θ̃ does not interpolate `data`.
  static func witness<M: KinkProjectable>(_ model: M, on data: Dataset, kappa: Double) -> Certificate? {
    try? Certifier(auditor: KKTAuditor(kappa: kappa)).witnessCertificate(model, retained: data).0
  }

  /// Fraction of `data` classified correctly (sign of the output = label).
  static func accuracy<M: HomogeneousModel>(_ model: M, on data: Dataset) -> Double {
    let q = model.margins(on: data)
    return Double(q.filter { $0 > 0 }.count) / Double(max(q.count, 1))
  }

  /// The wall seconds since `start`, written with 3 decimals (the `seconds` column).
  static func seconds(since start: Date) -> Rounded { Rounded(Date().timeIntervalSince(start), digits: 3) }
}
