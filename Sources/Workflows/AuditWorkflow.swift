import LinearAlgebra
import Unlearning

/// `unlearn audit`: the KKT audit of any model on any data (MATH.md §4).
package enum AuditWorkflow {
  /// The audit as `unlearn audit --json` prints it (a stable schema, see the README).
  package struct Summary: Sendable, Encodable {
    package struct FrontierEntry: Sendable, Encodable {
      package var deltaBudget: Double
      package var epsilon: Double
      package var epsilonRelative: Double
      package var delta: Double
    }
    package var kappa: Double
    package var epsilon: Double
    package var epsilonRelative: Double
    package var epsilonStrict: Double
    package var epsilonStrictRelative: Double
    package var bandPairs: Int
    package var delta: Double
    package var minMargin: Double
    package var psi: Double
    package var phi: Double
    package var multipliers: [Double]
    package var homogeneityDegree: Int
    package var examples: Int
    package var parameters: Int
    package var normalizedNorm: Double
    /// The rounding floor of ε (below it ε means "zero to working precision").
    package var epsilonFloor: Double
    package var epsilonAtFloor: Bool
    package var solverStatus: String
    package var frontier: [FrontierEntry]?
  }

  /// Audits `model` on `data` at `kappa`; with `frontier` budgets, the ε–δ frontier too. Also returns the
  /// audit's multipliers as ``StoredMultipliers`` (origin `audit`), for `unlearn audit --attach`.
  ///
  /// - Complexity: one audit (plus one QP per frontier budget), O(m d + p) for the fingerprints.
  /// - Throws: the audit's errors.
  package static func run(_ model: any HomogeneousModel, on data: Dataset, kappa: Double,
                         frontier budgets: [Double]? = nil) throws -> (summary: Summary, multipliers: StoredMultipliers) {
    func audit<M: HomogeneousModel>(_ model: M) throws -> (summary: Summary, multipliers: StoredMultipliers) {
      let auditor = KKTAuditor(kappa: kappa)
      let r = try auditor.audit(model, on: data)
      let points = try budgets.map { try auditor.frontier(r, on: data, budgets: $0) }
      let summary = Summary(
        kappa: kappa, epsilon: r.epsilon, epsilonRelative: r.epsilonRelative, epsilonStrict: r.epsilonStrict,
        epsilonStrictRelative: r.epsilonStrictRelative, bandPairs: r.bandPairs, delta: r.delta, minMargin: r.minMargin,
        psi: r.geometry.psi, phi: r.geometry.phi, multipliers: r.multipliers, homogeneityDegree: r.homogeneityDegree,
        examples: data.count, parameters: model.parameters.count, normalizedNorm: r.normalizedNorm,
        epsilonFloor: r.epsilonFloor, epsilonAtFloor: r.epsilonAtFloor, solverStatus: r.solverStatus.rawValue,
        frontier: points?.map { .init(deltaBudget: $0.deltaBudget, epsilon: $0.epsilon, epsilonRelative: $0.epsilonRelative, delta: $0.delta) })
      return (summary, StoredMultipliers(audit: r, model: model, data: data, origin: .audit))
    }
    return try audit(model)
  }
}
