import Foundation
import LinearAlgebra
import Testing
@testable import Unlearning

@Suite("tmp probe") struct TmpProbe {
  @Test func probe() throws {
    guard ProcessInfo.processInfo.environment["PROBE"] != nil else { return }
    let (data, _) = try SyntheticData.generate(.isotropic, count: 20, dimension: 1000, seed: 0)
    let configuration = TrainingConfiguration(learningRate: 1, tolerance: 5e-3, auditInterval: 200, maxIterations: 40_000)
    let initial = TwoLayerReLUNetwork.initialized(width: 100, dimension: 1000, trainsOutputLayer: false, initScale: 0.01, seed: 0)
    let trained = try Trainer(configuration).train(from: initial, on: data)
    let audit = trained.finalAudit!
    let stored = StoredMultipliers(audit: audit, model: trained.model, data: data, origin: .training)
    let u = try GradientAscentUnlearning().unlearn(trained.model, stored: stored, data: data, forgetSet: [0])
    let (retained, _) = try data.removing([0])
    let carried = stored.carried(to: u, retained: retained, forgetSet: [0])!
    let clock = ContinuousClock()
    var cold: KKTAuditReport<TwoLayerReLUNetwork>! = nil, warm: KKTAuditReport<TwoLayerReLUNetwork>! = nil
    let tc = clock.measure { cold = try! KKTAuditor().audit(u, on: retained) }
    let tw = clock.measure { warm = try! KKTAuditor().audit(u, on: retained, startingFrom: carried) }
    print("PROBE band \(cold.bandPairs) carried band \(carried.bandCount) cold it \(cold.solverIterations) \(tc) warm it \(warm.solverIterations) \(tw) eps \(cold.epsilonRelative) \(warm.epsilonRelative)")
    // carried multipliers' own residual
    let theta = cold.normalizedModel
    let band = cold.band
    var shares: [Int: Double] = [:]
    for t in 0..<carried.bandCount { shares[carried.bandExamples[t] * 1000 + carried.bandUnits[t]] = carried.kinkShares[t] }
    let mu = zip(band.examples, band.units).map { min(shares[$0 * 1000 + $1] ?? 0, carried.values[$0]) }
    let r = Vector.difference(theta.parameters, theta.decompositionCombination(retained, pass: cold.normalizedPass, band: band, multipliers: carried.values, kinkShares: mu, examples: nil))
    print("PROBE carried residual rel \(BLAS.norm(r) / cold.normalizedNorm)")
    let t3 = clock.measure { _ = try! KKTAuditor().audit(u, on: retained, warmStart: cold) }
    print("PROBE audit from its own optimum \(t3)")
  }
}
