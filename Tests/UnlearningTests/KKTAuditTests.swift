import LinearAlgebra
import TestSupport
import Testing
import Unlearning

@Suite("KKT audit")
struct KKTAuditTests {
  /// λ with (yyᵀ∘K) λ = 1, so that w = Σ λ_i y_i x_i has every margin exactly 1.
  func exactKKTLinear(m: Int, d: Int, seed: UInt64) throws -> (LinearModel, Dataset, [Double]) {
    let data = Fixtures.isotropic(m: m, d: d, seed: seed)
    var q = BLAS.rowGram(data.features)
    for i in 0..<m { for k in 0..<m { q[i, k] *= data.labels[i] * data.labels[k] } }
    let l = try #require(BLAS.choleskyFactor(q))
    // Solve L Lᵀ λ = 1.
    var lambda = [Double](repeating: 1, count: m)
    for i in 0..<m { for k in 0..<i { lambda[i] -= l[i, k] * lambda[k] }; lambda[i] /= l[i, i] }
    for i in stride(from: m - 1, through: 0, by: -1) { for k in (i + 1)..<m { lambda[i] -= l[k, i] * lambda[k] }; lambda[i] /= l[i, i] }
    let w = BLAS.product(data.features, .transposed, zip(lambda, data.labels).map(*))
    return (LinearModel(weights: w), data, lambda)
  }

  @Test("A linear model Σ λ_i y_i x_i with every margin 1: ε ≈ 0, δ ≈ 0, λ recovered")
  func exactLinearKKTPoint() throws {
    let (model, data, lambda) = try exactKKTLinear(m: 12, d: 300, seed: 4)
    #expect(lambda.allSatisfy { $0 > 0 })
    // Scaling must not matter: the audit normalises.
    let report = try KKTAuditor().audit(model.scaled(by: 7.5), on: data)
    #expect(report.epsilonRelative <= 1e-12)
    #expect(abs(report.delta) <= 1e-12)
    #expect(abs(report.minMargin - 7.5) <= 1e-12 * 7.5)
    for i in 0..<12 { #expect(abs(report.multipliers[i] - lambda[i]) <= 1e-10 * lambda[i]) }
    #expect(report.normalizedMargins.min()! == 1)
    // ε is rounding noise here, and the audit says so.
    #expect(report.epsilonAtFloor && report.epsilonFloor < 1e-10 * report.normalizedNorm)
  }

  @Test("A model that does not interpolate gets the typed error")
  func notInterpolating() {
    let model = LinearModel.initialized(dimension: 30, initScale: 1, seed: 1)
    let data = Fixtures.isotropic(m: 10, d: 30, seed: 2)  // random labels: some margins negative
    #expect(throws: KKTAuditError.self) { try KKTAuditor().audit(model, on: data) }
    do {
      _ = try KKTAuditor().audit(model, on: data)
    } catch KKTAuditError.notInterpolating(let gamma, let count, let m) {
      #expect(gamma <= 0 && count > 0 && m == 10)
    } catch {
      Issue.record("unexpected error \(error)")
    }
    #expect(throws: KKTAuditError.self) { try KKTAuditor().audit(LinearModel(weights: [Double](repeating: 0, count: 30)), on: data) }
    #expect(throws: KKTAuditError.invalidKappa(-1)) { try KKTAuditor(kappa: -1).audit(model, on: data) }
  }

  @Test("The audit is invariant to the scale of θ (C = 1 and C = 2)", arguments: [false, true])
  func scaleInvariance(trained: Bool) throws {
    let model = Fixtures.twoLayer(n: 8, d: 20, trained: trained, seed: 3)
    let data = Fixtures.labelled(by: model, Fixtures.isotropic(m: 10, d: 20, seed: 2))
    let a = try KKTAuditor(kappa: 0.05).audit(model, on: data)
    let b = try KKTAuditor(kappa: 0.05).audit(model.scaled(by: 13), on: data)
    #expect(abs(a.epsilonRelative - b.epsilonRelative) <= 1e-9 * max(a.epsilonRelative, 1e-3))
    #expect(abs(a.epsilonStrictRelative - b.epsilonStrictRelative) <= 1e-9 * max(a.epsilonStrictRelative, 1e-3))
    #expect(a.bandPairs == b.bandPairs)
    #expect(!a.epsilonAtFloor)  // a random network is far from a KKT point
  }

  /// The κ-QP with the coupling `μ ≤ λ` dropped (a relaxation: lower bound) and
  /// with `μ = 0` (a restriction: upper bound), as MATH.md §4 describes.
  func bounds(_ program: BoundedQuadraticProgram, m: Int) -> (lower: Double, upper: Double) {
    let solver = ActiveSetQPSolver()
    let relaxed = BoundedQuadraticProgram(hessian: program.hessian, linearTerm: program.linearTerm)
    var restricted = Matrix(rows: m, columns: m)
    for i in 0..<m { for k in 0..<m { restricted[i, k] = program.hessian[i, k] } }
    let muZero = BoundedQuadraticProgram(hessian: restricted, linearTerm: Array(program.linearTerm[0..<m]))
    return (solver.solve(relaxed).objective, solver.solve(muZero).objective)
  }

  @Test("κ-audit: the exact QP lies between its bounds and equals brute force on tiny problems", arguments: 0..<12)
  func kappaAuditAgainstBoundsAndBruteForce(seed: Int) throws {
    let trained = seed % 2 == 1
    let model = Fixtures.twoLayer(n: 3, d: 3, trained: trained, seed: UInt64(seed) + 20)
    let data = Fixtures.interpolated(by: model, m: 3, d: 3, seed: UInt64(seed) + 40)
    try #require(data.count == 3)
    let kappa = 0.4
    let pass = model.forward(data.features)
    let band = model.kinkBand(data.features, pass: pass, kappa: kappa)
    try #require(band.count <= 6, "tiny problems only")
    #expect(band.count > 0)
    let program = model.kktProgram(data, pass: pass, band: band)
    let solved = ActiveSetQPSolver().solve(program)
    let brute = BruteForceQP.solve(program)
    let (lower, upper) = bounds(program, m: data.count)
    let scale = max(1, abs(brute.objective))
    #expect(abs(solved.objective - brute.objective) <= 1e-10 * scale, "QP \(solved.objective) vs brute force \(brute.objective)")
    #expect(lower <= solved.objective + 1e-10 * scale)
    #expect(solved.objective <= upper + 1e-10 * scale)
    // ε from the audit is ‖θ − Jᵀz*‖ = sqrt(‖θ‖² + 2 f*) for the normalised model.
    let report = try KKTAuditor(kappa: kappa).audit(model, on: data)
    #expect(report.epsilon <= report.epsilonStrict * (1 + 1e-9) + 1e-12)
  }

  /// A two-layer network trained 1500 steps (κ = 3e-2) on isotropic data, m = 10, d = 200: many pairs near a kink.
  static func trainedNetwork() throws -> (model: TwoLayerReLUNetwork, data: Dataset) {
    let data = Fixtures.isotropic(m: 10, d: 200, seed: 7)
    let initial = Fixtures.twoLayer(n: 20, d: 200, trained: false, seed: 8, scale: 0.01)
    var config = TrainingConfiguration(learningRate: 1, tolerance: 0, auditInterval: 1000, maxIterations: 1500)
    config.kappa = 0.03
    return (try Trainer(config).train(from: initial, on: data).model, data)
  }

  @Test("On a trained network, ε(κ) is non-increasing in κ and the exact value lies between the bounds")
  func monotoneInKappa() throws {
    let (model, data) = try Self.trainedNetwork()
    var previous = Double.infinity
    for kappa in [0.0, 1e-3, 1e-2, 3e-2, 1e-1] {
      let r = try KKTAuditor(kappa: kappa).audit(model, on: data)
      #expect(r.epsilon <= previous * (1 + 1e-9) + 1e-12, "κ = \(kappa): \(r.epsilon) > \(previous)")
      previous = r.epsilon
      // Bounds on the κ program of the normalised model.
      let theta = r.normalizedModel
      let program = theta.kktProgram(data, pass: r.normalizedPass, band: r.band)
      let (lower, upper) = bounds(program, m: data.count)
      let exact = program.objective(r.multipliers + r.kinkShares)
      let scale = max(1, abs(exact))
      #expect(lower <= exact + 1e-9 * scale && exact <= upper + 1e-9 * scale)
      // ε² = ‖θ̂‖² + 2 f(z*) up to cancellation.
      let fromObjective = (r.normalizedNorm * r.normalizedNorm + 2 * exact).squareRoot()
      #expect(abs(fromObjective - r.epsilon) <= 1e-6 * r.normalizedNorm)
    }
  }

  @Test("The κ-audit of a trained two-layer network: the block-structured solver's ε is the active-set solver's")
  func blockStructuredAuditAgrees() throws {
    let (model, data) = try Self.trainedNetwork()
    for kappa in [1e-2, 3e-2, 1e-1] {
      let structured = try KKTAuditor(kappa: kappa).audit(model, on: data)
      let general = try KKTAuditor(kappa: kappa, exploitsBlockStructure: false).audit(model, on: data)
      #expect(structured.bandPairs > 0, "κ = \(kappa): no band")
      #expect(structured.solverStatus == .optimal && general.solverStatus == .optimal)
      // The residual at the optimum is unique; both solvers stop at multipliers ≥ −1e-11 · scale (MATH.md §4.6).
      #expect(isClose(structured.epsilon, general.epsilon, relative: 1e-9), "κ = \(kappa): ε \(structured.epsilon) vs \(general.epsilon)")
      #expect(structured.epsilonStrict == general.epsilonStrict)  // the strict audit keeps the active-set solver
      // The program carries one μ-block per unit with band pairs.
      let program = structured.normalizedModel.kktProgram(data, pass: structured.normalizedPass, band: structured.band)
      #expect(program.dominatedBlocks?.count == Set(structured.band.units).count)
      #expect(program.dominatedBlocks?.reduce(0) { $0 + $1.count } == structured.bandPairs)
      // Started from the structured audit's own multipliers: the same ε again.
      let stored = StoredMultipliers(audit: structured, model: model, data: data, origin: .training)
      let again = try KKTAuditor(kappa: kappa).audit(model, on: data, startingFrom: stored)
      #expect(isClose(again.epsilon, general.epsilon, relative: 1e-9), "κ = \(kappa): warm ε \(again.epsilon) vs \(general.epsilon)")
    }
  }

  @Test("ψ and φ of exactly orthonormal data are 0")
  func geometry() throws {
    let x = Matrix.identity(4)
    let data = try Dataset(features: x, labels: [1, -1, 1, -1])
    let g = DataGeometry(of: data)
    #expect(g.psi == 0 && g.phi == 0)
  }
}
