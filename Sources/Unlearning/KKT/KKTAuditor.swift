import Foundation
import LinearAlgebra

/// The KKT audit of MATH.md §4: normalise the model by homogeneity, find the
/// multipliers from the Gram form of the non-negative least-squares problem
/// (strict, and with the kink band at κ), and measure ε from the explicit
/// residual and δ from the multipliers.
public struct KKTAuditor: Sendable {
  /// The kink tolerance κ (relative). `0` is the strict audit only.
  public var kappa: Double
  /// The general QP solver: strict audits, the frontier, and the fallback of the structured one.
  public var solver: ActiveSetQPSolver
  /// Whether the κ-QP, when its program carries μ-blocks (`BoundedQuadraticProgram.dominatedBlocks`,
  /// a non-empty band of a two-layer network), is solved by `BlockStructuredQPSolver` (with ``solver``'s
  /// tolerances and ``solver`` as its fallback) rather than by ``solver`` alone. The optimum is the same
  /// (MATH.md §4.6); only the time differs.
  public var exploitsBlockStructure: Bool

  /// The default κ = 3·10⁻² (MATH.md §4: wide enough to absorb what the GA step does to kink pairs).
  public static let defaultKappa = 3e-2

  /// Creates an auditor at kink tolerance `kappa`; κ is checked when auditing.
  ///
  /// - Parameters:
  ///   - kappa: The relative kink tolerance κ ≥ 0 (MATH.md §4.6); ``defaultKappa`` by default.
  ///   - solver: The general QP solver and its tolerances.
  ///   - exploitsBlockStructure: Whether κ-QPs with μ-blocks go to `BlockStructuredQPSolver` (default).
  public init(kappa: Double = KKTAuditor.defaultKappa, solver: ActiveSetQPSolver = ActiveSetQPSolver(),
              exploitsBlockStructure: Bool = true) {
    self.kappa = kappa
    self.solver = solver
    self.exploitsBlockStructure = exploitsBlockStructure
  }

  /// Solves the κ-QP `program`: by `BlockStructuredQPSolver` when ``exploitsBlockStructure`` and the
  /// program has its structure, else by ``solver``.
  ///
  /// - Complexity: that of the solver used.
  func solveBand(_ program: BoundedQuadraticProgram, warmStart: [Double]?) -> ActiveSetQPSolver.Solution {
    guard exploitsBlockStructure, BlockStructuredQPSolver.accepts(program) else { return solver.solve(program, warmStart: warmStart) }
    return BlockStructuredQPSolver(relativeTolerance: solver.relativeTolerance, pivotTolerance: solver.pivotTolerance, fallback: solver)
      .solve(program, warmStart: warmStart)
  }

  /// Audits `model` on `data` (MATH.md §4): normalises to `θ̂ = θ / γ^{1/C}`
  /// with `γ = min_i q_i(θ)` (§4.1), solves the strict QP and, when the band at
  /// κ is not empty, the κ-QP (§4.2, §4.6), and reports
  ///
  ///     ε = ‖θ̂ − Σ_i λ_i y_i ∇_θ N(x_i; θ̂) − (μ-parts)‖,   δ = max_i λ_i (q_i(θ̂) − 1)
  ///
  /// from the explicit residual (§4.4–4.5), at κ and at κ = 0, with ψ, φ (§4.8)
  /// and the precision floor of ε.
  ///
  /// - Parameters:
  ///   - model: The model θ, at any scale.
  ///   - data: The data set S.
  ///   - previous: A previous report on the same data (from an earlier training
  ///     iterate, say); it warm-starts both QPs.
  ///   - known: The kernel `K = X Xᵀ` of `data` when the caller already has it (a run
  ///     that audits several models on one set forms it once); `nil` forms it here.
  ///     It must be `BLAS.rowGram(data.features)`: the same bits as the audit would form.
  /// - Returns: The report; a QP that stopped short of optimality is reported
  ///   in ``KKTAuditReport/solverStatus``, not thrown.
  /// - Throws: ``KKTAuditError``: `invalidKappa` (κ negative or non-finite),
  ///   `dimensionMismatch`, `nonFiniteModel` (a non-finite margin or
  ///   parameter), `notInterpolating` (some margin ≤ 0, with their count).
  /// - Complexity: O(m p) for the forward pass, residuals and band, O(m²d) for
  ///   `K` when not given, the model's ``HomogeneousModel/kktProgram(_:pass:band:kernel:)``
  ///   (twice when the band is not empty), and the solves of
  ///   `ActiveSetQPSolver.solve(_:warmStart:)` in m variables and, for the band, of
  ///   `BlockStructuredQPSolver.solve(_:warmStart:)` (or the active-set solver when the program has no
  ///   μ-blocks) in `m + b` variables (b band pairs).
  public func audit<M: HomogeneousModel>(_ model: M, on data: Dataset,
                                          warmStart previous: KKTAuditReport<M>? = nil,
                                          kernel known: Matrix? = nil) throws -> KKTAuditReport<M> {
    try audit(model, on: data, start: previous.map {
      WarmStart(strict: $0.strictMultipliers, lambda: $0.multipliers, band: $0.band, shares: $0.kinkShares)
    }, kernel: known)
  }

  /// The same audit, both QPs started from stored multipliers (a model's own, or carried to it from the
  /// model it was unlearned from; MATH.md §5.1): the strict QP from `λ`, the κ-QP from `λ` with `μ = 0`
  /// (with the active-set solver, starting μ at the stored shares too was measured slower than a cold start,
  /// `unlearn bench` W6b: the first face then holds nearly every band pair free). The start changes the
  /// solver's path, not the optimum it certifies.
  ///
  /// - Complexity: as ``audit(_:on:warmStart:kernel:)``, with fewer active-set iterations when the start is close.
  /// - Throws: as ``audit(_:on:warmStart:kernel:)``.
  public func audit<M: HomogeneousModel>(_ model: M, on data: Dataset, startingFrom stored: StoredMultipliers,
                                          kernel known: Matrix? = nil) throws -> KKTAuditReport<M> {
    let usable = stored.values.count == data.count
    // μ starts at 0: for the active-set solver, started from the stored shares too, the κ-QP's first face holds
    // ~all band pairs free and every constraint met costs a downdate of that size (measured slower than a cold
    // start: bench W6b). The block-structured solver needs 4 pivoting steps from this start there.
    return try audit(model, on: data, start: usable ? WarmStart(strict: stored.values, lambda: stored.values,
                                                                band: KinkBand.empty(kappa: stored.kappa), shares: []) : nil,
                     kernel: known)
  }

  /// (ε, δ) of given multipliers, without a QP (MATH.md §6.2, the *carried* certificate): `θ̂ = θ/γ^{1/C}`,
  /// the band at κ of θ̂ on `data`, λ from `multipliers`, `μ_t` the stored share of each band pair that was
  /// stored (clipped to `[0, λ_i]`, 0 for a pair new to the band), and
  ///
  ///     ε = ‖θ̂ − Σ_i λ_i y_i ∇N(x_i; θ̂) − (μ-parts)‖,   δ = max_i λ_i (q_i(θ̂) − 1)
  ///
  /// from the explicit residual, as the audit computes it for its own multipliers. Any feasible
  /// multipliers certify θ as an (ε, δ)-KKT point; the audit's are those of the smallest ε.
  ///
  /// - Returns: ε, ε/‖θ̂‖, δ, the band size and γ.
  /// - Throws: ``KKTAuditError`` as ``audit(_:on:warmStart:kernel:)`` (κ, dimensions, non-finite,
  ///   not interpolating), and `dimensionMismatch` when the multipliers are not one per example.
  /// - Complexity: one forward pass and one residual over `data`, O(m p); no kernel, no QP.
  public func residual<M: HomogeneousModel>(_ model: M, on data: Dataset, multipliers stored: StoredMultipliers) throws
    -> (epsilon: Double, epsilonRelative: Double, delta: Double, bandPairs: Int, minMargin: Double) {
    guard kappa.isFinite, kappa >= 0 else { throw KKTAuditError.invalidKappa(kappa) }
    guard model.inputDimension == data.dimension else {
      throw KKTAuditError.dimensionMismatch(model: model.inputDimension, data: data.dimension)
    }
    guard stored.values.count == data.count else {
      throw KKTAuditError.dimensionMismatch(model: stored.values.count, data: data.count)
    }
    let pass0 = model.forward(data.features)
    let margins = zip(data.labels, pass0.outputs).map { $0 * $1 }
    guard margins.allSatisfy(\.isFinite), model.parameters.allSatisfy(\.isFinite) else { throw KKTAuditError.nonFiniteModel }
    let gamma = margins.min()!
    guard gamma > 0 else {
      throw KKTAuditError.notInterpolating(minMargin: gamma, nonPositiveMargins: margins.filter { $0 <= 0 }.count,
                                           examples: data.count)
    }
    let scale = 1 / gamma.power(1 / Double(model.homogeneityDegree))
    let theta = model.scaled(by: scale)
    let pass = pass0.scaled(by: scale, degree: model.homogeneityDegree)
    let band = theta.kinkBand(data.features, pass: pass, kappa: kappa)
    let lambda = stored.values
    let start = Self.warmStart(band: band, strictLambda: lambda,
                               previous: WarmStart(strict: lambda, lambda: lambda, band: stored.band, shares: stored.kinkShares))
    let mu = band.examples.indices.map { t in min(max(start[data.count + t], 0), lambda[band.examples[t]]) }
    let r = Vector.difference(theta.parameters,
                              theta.decompositionCombination(data, pass: pass, band: band, multipliers: lambda, kinkShares: mu, examples: nil))
    let epsilon = BLAS.norm(r), norm = theta.parameterNorm
    let delta = zip(lambda, margins).map { $0 * ($1 / gamma - 1) }.max() ?? 0
    return (epsilon, epsilon / norm, delta, band.count, gamma)
  }

  /// A starting point of both QPs.
  struct WarmStart {
    var strict: [Double]
    var lambda: [Double]
    var band: KinkBand
    var shares: [Double]
  }

  private func audit<M: HomogeneousModel>(_ model: M, on data: Dataset, start previous: WarmStart?,
                                          kernel known: Matrix?) throws -> KKTAuditReport<M> {
    guard kappa.isFinite, kappa >= 0 else { throw KKTAuditError.invalidKappa(kappa) }
    guard model.inputDimension == data.dimension else {
      throw KKTAuditError.dimensionMismatch(model: model.inputDimension, data: data.dimension)
    }
    let pass0 = model.forward(data.features)
    let margins = zip(data.labels, pass0.outputs).map { $0 * $1 }
    guard margins.allSatisfy(\.isFinite), model.parameters.allSatisfy(\.isFinite) else { throw KKTAuditError.nonFiniteModel }
    let gamma = margins.min()!
    guard gamma > 0 else {
      throw KKTAuditError.notInterpolating(minMargin: gamma, nonPositiveMargins: margins.filter { $0 <= 0 }.count,
                                           examples: data.count)
    }

    // Normalise: θ̂ = θ / γ^{1/C} has minimum margin exactly 1.
    let c = Double(model.homogeneityDegree)
    let scale = 1 / gamma.power(1 / c)
    let theta = model.scaled(by: scale)
    let pass = pass0.scaled(by: scale, degree: model.homogeneityDegree)
    precondition(known.map { $0.rows == data.count && $0.columns == data.count } ?? true,
                 "audit: the kernel is not m × m for m = \(data.count)")
    let kernel = known ?? BLAS.rowGram(data.features)
    let normalizedMargins = margins.map { $0 / gamma }
    let norm = theta.parameterNorm

    // Strict audit (κ = 0).
    let strictBand = KinkBand.empty()
    let strictProgram = theta.kktProgram(data, pass: pass, band: strictBand, kernel: kernel)
    let strict = solver.solve(strictProgram, warmStart: previous?.strict)
    let strictLambda = strict.z
    let strictResidual = Vector.difference(
      theta.parameters,
      theta.decompositionCombination(data, pass: pass, band: strictBand, multipliers: strictLambda, kinkShares: [], examples: nil))
    let epsilonStrict = BLAS.norm(strictResidual)

    // κ-audit: band pairs get μ_ij ∈ [0, λ_i].
    let band = theta.kinkBand(data.features, pass: pass, kappa: kappa)
    var lambda = strictLambda, mu: [Double] = [], epsilon = epsilonStrict
    var floorProgram = strictProgram, floorZ = strictLambda
    var status = strict.status, iterations = strict.iterations
    if band.count > 0 {
      let program = theta.kktProgram(data, pass: pass, band: band, kernel: kernel)
      let warm = Self.warmStart(band: band, strictLambda: strictLambda, previous: previous)
      let solution = solveBand(program, warmStart: warm)
      let m = data.count
      lambda = Array(solution.z[0..<m])
      mu = Array(solution.z[m...])
      let residual = Vector.difference(
        theta.parameters,
        theta.decompositionCombination(data, pass: pass, band: band, multipliers: lambda, kinkShares: mu, examples: nil))
      epsilon = BLAS.norm(residual)
      floorProgram = program
      floorZ = solution.z
      status = solution.status == .optimal ? strict.status : solution.status
      iterations = solution.iterations
    }

    var weighted = norm
    for k in 0..<floorZ.count { weighted += floorZ[k] * floorProgram.hessian[k, k].squareRoot() }
    let epsilonFloor = Double(floorZ.count + 1) * Double.ulpOfOne * weighted

    func slackness(_ l: [Double]) -> Double {
      zip(l, normalizedMargins).map { $0 * ($1 - 1) }.max() ?? 0
    }
    return KKTAuditReport(
      kappa: kappa, epsilon: epsilon, epsilonRelative: epsilon / norm,
      epsilonStrict: epsilonStrict, epsilonStrictRelative: epsilonStrict / norm,
      delta: slackness(lambda), deltaStrict: slackness(strictLambda), minMargin: gamma,
      multipliers: lambda, kinkShares: mu, strictMultipliers: strictLambda, band: band,
      normalizedModel: theta, normalizedPass: pass, normalizedMargins: normalizedMargins, normalizedNorm: norm,
      geometry: DataGeometry(kernel: kernel), epsilonFloor: epsilonFloor, solverStatus: status, solverIterations: iterations)
  }

  /// The ε–δ frontier of an audited model (MATH.md §4): for each slack budget
  /// δ₀, the κ-QP again with the box `λ_i ≤ δ₀ / (q_i(θ̂) − 1)` for `q_i > 1`
  /// (examples with `q_i − 1 ≤ 10⁻¹²` count as tight and stay unbounded).
  /// `ε(δ₀)` is non-increasing in δ₀. Each solve is warm-started from the last
  /// (MATH.md §4.7).
  ///
  /// - Parameters:
  ///   - report: The audit of the model on `data` (its θ̂, pass and band are reused).
  ///   - data: The audited data set.
  ///   - budgets: The slack budgets δ₀ ≥ 0, solved in the given order
  ///     (ascending order makes the warm starts most useful).
  /// - Returns: One point per budget, in order.
  /// - Throws: ``KKTAuditError/invalidDeltaBudget(_:)`` for a negative or
  ///   non-finite budget, before any solve.
  /// - Complexity: O(m²d) for `K` and the program once, then per budget one QP
  ///   solve in `m + b` variables and an O(m p) residual.
  public func frontier<M: HomogeneousModel>(_ report: KKTAuditReport<M>, on data: Dataset,
                                             budgets: [Double]) throws -> [FrontierPoint] {
    if let bad = budgets.first(where: { !($0.isFinite && $0 >= 0) }) {
      throw KKTAuditError.invalidDeltaBudget(bad)
    }
    let theta = report.normalizedModel
    let base = theta.kktProgram(data, pass: report.normalizedPass, band: report.band)
    let m = data.count
    let slack = report.normalizedMargins.map { $0 - 1 }
    var warm: [Double]? = nil
    var points: [FrontierPoint] = []
    for budget in budgets {
      var upper = [Double](repeating: .infinity, count: base.variableCount)
      for i in 0..<m where slack[i] > 1e-12 { upper[i] = budget / slack[i] }
      let program = BoundedQuadraticProgram(hessian: base.hessian, linearTerm: base.linearTerm,
                                            upperBounds: upper, parents: base.parents)
      let solution = solver.solve(program, warmStart: warm)
      warm = solution.z
      let lambda = Array(solution.z[0..<m]), mu = Array(solution.z[m...])
      let residual = Vector.difference(
        theta.parameters,
        theta.decompositionCombination(data, pass: report.normalizedPass, band: report.band,
                                       multipliers: lambda, kinkShares: mu, examples: nil))
      let epsilon = BLAS.norm(residual)
      let delta = zip(lambda, slack).map { $0 * $1 }.max() ?? 0
      points.append(FrontierPoint(deltaBudget: budget, epsilon: epsilon, epsilonRelative: epsilon / report.normalizedNorm,
                                  delta: delta))
    }
    return points
  }

  /// A starting point for the κ-QP: the previous κ-solution mapped onto the new
  /// band pairs when there is one, else the strict λ with μ = 0.
  static func warmStart(band: KinkBand, strictLambda: [Double], previous: WarmStart?) -> [Double] {
    guard let previous, previous.lambda.count == strictLambda.count else {
      return strictLambda + [Double](repeating: 0, count: band.count)
    }
    var shares: [Int: Double] = [:]
    let n = max((previous.band.units.max() ?? 0), (band.units.max() ?? 0)) + 1
    for (t, (i, j)) in zip(previous.band.examples, previous.band.units).enumerated() { shares[i * n + j] = previous.shares[t] }
    let mu = zip(band.examples, band.units).map { shares[$0 * n + $1] ?? 0 }
    return previous.lambda + mu
  }
}

extension Double {
  /// `self^p` for positive `self`.
  func power(_ p: Double) -> Double {
    p == 1 ? self : (p == 0.5 ? squareRoot() : Foundation.pow(self, p))
  }
}
