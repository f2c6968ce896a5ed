import LinearAlgebra
import Unlearning

/// `unlearn audit`: the KKT audit of any model on any data (MATH.md §4).
public enum AuditWorkflow {
  /// The audit as `unlearn audit --json` prints it (a stable schema, see the README).
  public struct Summary: Sendable, Encodable {
    public struct FrontierEntry: Sendable, Encodable {
      public var deltaBudget: Double
      public var epsilon: Double
      public var epsilonRelative: Double
      public var delta: Double
    }
    public var kappa: Double
    public var epsilon: Double
    public var epsilonRelative: Double
    public var epsilonStrict: Double
    public var epsilonStrictRelative: Double
    public var bandPairs: Int
    public var delta: Double
    public var minMargin: Double
    public var psi: Double
    public var phi: Double
    public var multipliers: [Double]
    public var homogeneityDegree: Int
    public var examples: Int
    public var parameters: Int
    public var normalizedNorm: Double
    /// The rounding floor of ε (below it ε means "zero to working precision").
    public var epsilonFloor: Double
    public var epsilonAtFloor: Bool
    public var solverStatus: String
    public var frontier: [FrontierEntry]?
  }

  /// Audits `model` on `data` at `kappa`; with `frontier` budgets, the ε–δ frontier too.
  public static func run(_ model: any HomogeneousModel, on data: Dataset, kappa: Double,
                         frontier budgets: [Double]? = nil) throws -> Summary {
    func audit<M: HomogeneousModel>(_ model: M) throws -> Summary {
      let auditor = KKTAuditor(kappa: kappa)
      let r = try auditor.audit(model, on: data)
      let points = try budgets.map { try auditor.frontier(r, on: data, budgets: $0) }
      return Summary(
        kappa: kappa, epsilon: r.epsilon, epsilonRelative: r.epsilonRelative, epsilonStrict: r.epsilonStrict,
        epsilonStrictRelative: r.epsilonStrictRelative, bandPairs: r.bandPairs, delta: r.delta, minMargin: r.minMargin,
        psi: r.geometry.psi, phi: r.geometry.phi, multipliers: r.multipliers, homogeneityDegree: r.homogeneityDegree,
        examples: data.count, parameters: model.parameters.count, normalizedNorm: r.normalizedNorm,
        epsilonFloor: r.epsilonFloor, epsilonAtFloor: r.epsilonAtFloor, solverStatus: r.solverStatus.rawValue,
        frontier: points?.map { .init(deltaBudget: $0.deltaBudget, epsilon: $0.epsilon, epsilonRelative: $0.epsilonRelative, delta: $0.delta) })
    }
    return try audit(model)
  }
}
