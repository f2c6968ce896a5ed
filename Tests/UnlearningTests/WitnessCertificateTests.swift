import LinearAlgebra
import TestSupport
import Testing
import Unlearning

/// The kink projection and the *witness* certificate (MATH.md §6.6).
///
/// Tolerances: the projection is a handful of dot products and axpys of length d ≤ 60 on rows of size ~1,
/// so its rounding is a few hundred u ≈ 1e-14 relative; the independent reference solves the normal equations
/// of a well-conditioned random band (condition number of the Gram matrix ≲ 10² for b ≤ 6 random rows in
/// d ≥ 30), which costs at most cond · u ≈ 1e-13. Hence 1e-12 relative for the comparison and for the kink
/// offsets (the brief's bound), and 1e-11 for ε/‖θ̂‖ of a constructed exact KKT point (the audit's QP and
/// residual add their own rounding, MATH.md §4.4's floor is ~1e-14 here). No test compares last bits.
@Suite("Kink projection and the witness certificate")
struct WitnessCertificateTests {
  /// An m × d matrix of approximately standard normal entries.
  static func gaussian(_ m: Int, _ d: Int, seed: UInt64) -> Matrix {
    var rng = TestRandom(seed)
    return Matrix(rows: m, columns: d, elements: (0..<(m * d)).map { _ in rng.normal() })
  }

  /// Solves `A c = b` (A symmetric positive definite, small) by Gaussian elimination with partial pivoting,
  /// written here so that the reference does not share code with the library.
  static func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
    var a = a, b = b
    let n = b.count
    for k in 0..<n {
      let p = (k..<n).max { abs(a[$0][k]) < abs(a[$1][k]) }!
      a.swapAt(k, p); b.swapAt(k, p)
      for i in (k + 1)..<n {
        let f = a[i][k] / a[k][k]
        for j in k..<n { a[i][j] -= f * a[k][j] }
        b[i] -= f * b[k]
      }
    }
    var c = [Double](repeating: 0, count: n)
    for i in stride(from: n - 1, through: 0, by: -1) {
      var s = b[i]
      for j in (i + 1)..<n { s -= a[i][j] * c[j] }
      c[i] = s / a[i][i]
    }
    return c
  }

  static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
  static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

  /// The reference: `w − X_Bᵀ (X_B X_Bᵀ)⁻¹ X_B w` from the normal equations (B of full rank).
  static func referenceProjection(_ w: [Double], rows: [[Double]]) -> [Double] {
    let gram = rows.map { r in rows.map { dot(r, $0) } }
    let c = solve(gram, rows.map { dot($0, w) })
    var out = w
    for (r, ci) in zip(rows, c) { for t in out.indices { out[t] -= ci * r[t] } }
    return out
  }

  @Test("The projection matches the normal equations to 1e-12; band pairs sit on their kinks; the change is in the band's span",
        arguments: [0, 1, 2, 3])
  func projectionMatchesReference(caseIndex: Int) throws {
    let cases: [(m: Int, d: Int, band: [Int])] = [(8, 30, [0, 3, 5]), (10, 60, [1, 2, 4, 7, 9]), (6, 40, [0, 1, 2, 3, 4, 5]), (5, 30, [2])]
    let (m, d, band) = cases[caseIndex]
    let seed = UInt64(caseIndex + 1)
    let x = Self.gaussian(m, d, seed: seed)
    var rng = TestRandom(seed &+ 100)
    let w = (0..<d).map { _ in rng.normal() }
    let result = KinkProjection().project(w, rows: x, indices: band)
    let rows = band.map { x.row($0) }
    let expected = Self.referenceProjection(w, rows: rows)
    #expect(result.rank == band.count && result.dependentRows == 0)
    #expect(Self.norm(zip(result.projected, expected).map { $0 - $1 }) <= 1e-12 * Self.norm(expected),
            "relative error \(Self.norm(zip(result.projected, expected).map { $0 - $1 }) / Self.norm(expected))")
    let wt = result.projected
    for r in rows { #expect(abs(Self.dot(wt, r)) <= 1e-12 * Self.norm(wt) * Self.norm(r)) }
    // Least change: w − w̃ is orthogonal to the complement of the band rows' span (random vectors of it).
    let change = zip(w, wt).map { $0 - $1 }
    for k in 0..<3 {
      var v = (0..<d).map { _ in rng.normal() }
      v = Self.referenceProjection(v, rows: rows)
      #expect(abs(Self.dot(change, v)) <= 1e-12 * Self.norm(change) * Self.norm(v), "complement vector \(k)")
    }
  }

  @Test("A rank-deficient band (repeated rows, a dependent combination, a zero row) projects onto the independent rows")
  func rankDeficient() throws {
    let base = Self.gaussian(4, 25, seed: 7)
    let a = base.row(0), b = base.row(1), c = base.row(2)
    let combination = zip(a, b).map { $0 + 2 * $1 }
    let zero = [Double](repeating: 0, count: 25)
    let x = Matrix([a, b, a, combination, c, zero, base.row(3)])
    var rng = TestRandom(70)
    let w = (0..<25).map { _ in rng.normal() }
    let result = KinkProjection().project(w, rows: x, indices: [0, 1, 2, 3, 4, 5, 1])
    #expect(result.rank == 3 && result.dependentRows == 4, "rank \(result.rank), dependent \(result.dependentRows)")
    let expected = Self.referenceProjection(w, rows: [a, b, c])
    #expect(Self.norm(zip(result.projected, expected).map { $0 - $1 }) <= 1e-12 * Self.norm(expected))
    for r in [a, b, combination, c] {
      #expect(abs(Self.dot(result.projected, r)) <= 1e-12 * Self.norm(result.projected) * Self.norm(r))
    }
    // The row off the band keeps w's value up to the part of it in the band's span.
    #expect(Self.norm(result.projected) > 0.1 * Self.norm(w))
  }

  @Test("A linear model is its own witness: τ = 0, no pairs, the self certificate's ε")
  func linearIsItsOwnWitness() throws {
    let data = Fixtures.isotropic(m: 14, d: 120, seed: 3)
    let model = try Trainer(TrainingConfiguration(learningRate: 1, tolerance: 0, auditInterval: 80, maxIterations: 80))
      .train(from: LinearModel.initialized(dimension: 120, initScale: 0.01, seed: 5), on: data).model
    let certifier = Certifier()
    let (witness, built) = try certifier.witnessCertificate(model, retained: data)
    let own = try certifier.selfCertificate(model, retained: data)
    #expect(witness.kind == .witness && witness.tau == 0 && witness.projectedPairs == 0 && witness.signChanges == 0)
    #expect(built.model == model)
    // Both are the strict audit of the same model (a linear band is empty at any κ): equal up to the QP's rounding.
    #expect(isClose(try #require(witness.epsilon), try #require(own.epsilon), tolerance: 1e-12))
    #expect(isClose(try #require(witness.delta), try #require(own.delta), tolerance: 1e-12))
    #expect(witness.minMargin == own.minMargin)
  }

  /// Orthonormal rows `q_0 … q_{m−1}` in R^d (Gram–Schmidt of seeded Gaussian rows, twice).
  static func orthonormalRows(_ m: Int, _ d: Int, seed: UInt64) -> [[Double]] {
    var rows: [[Double]] = []
    let g = gaussian(m, d, seed: seed)
    for i in 0..<m {
      var v = g.row(i)
      for _ in 0..<2 { for q in rows { let c = dot(q, v); for t in v.indices { v[t] -= c * q[t] } } }
      let n = norm(v)
      rows.append(v.map { $0 / n })
    }
    return rows
  }

  @Test("A two-layer exact KKT point with pairs exactly on kinks, perturbed inside the band: the witness restores it, ε ≈ 0",
        arguments: [UInt64(11), 12])
  func constructedKKTPoint(seed: UInt64) throws {
    // Orthonormal x_i; u = (+1/√2, −1/√2); unit 0 = √2 Σ_{y_i = +1} x_i, unit 1 = √2 Σ_{y_i = −1} x_i. Every margin is
    // 1, and W = Σ_i λ_i y_i u_j σ'_ij x_i with λ_i = 2 and σ' = 0 on the cross pairs, which sit exactly on their kinks.
    let m = 6, d = 16
    let q = Self.orthonormalRows(m, d, seed: seed)
    let labels: [Double] = [1, 1, 1, -1, -1, -1]
    var rng = TestRandom(seed &+ 1)
    var w0 = [Double](repeating: 0, count: d), w1 = w0
    for i in 0..<m {
      let onOwn = 2.0.squareRoot(), cross = 1e-3 * (rng.uniform() - 0.5)  // |cross| ≤ 5e-4 ≪ κ ‖w_j‖ = 0.03 · √6
      for t in 0..<d {
        if labels[i] > 0 { w0[t] += onOwn * q[i][t]; w1[t] += cross * q[i][t] } else { w1[t] += onOwn * q[i][t]; w0[t] += cross * q[i][t] }
      }
    }
    let model = TwoLayerReLUNetwork(hiddenWeights: Matrix([w0, w1]), outputWeights: TwoLayerReLUNetwork.fixedOutputLayer(width: 2),
                                    trainsOutputLayer: false)
    let data = try Dataset(features: Matrix(q), labels: labels)
    let (certificate, witness) = try Certifier().witnessCertificate(model, retained: data)
    #expect(certificate.kind == .witness && certificate.projectedPairs == m && certificate.signChanges == 0)
    #expect(try #require(certificate.epsilonRelative) <= 1e-11, "ε/‖θ̂‖ = \(certificate.epsilonRelative ?? .nan)")
    #expect(abs(try #require(certificate.delta)) <= 1e-11)
    let tau = try #require(certificate.tau)
    #expect(tau > 0 && tau < 1e-6, "τ = \(tau)")  // the perturbation is ~1e-4 of ‖W‖, τ ≈ its square / 2
    #expect(witness.largestKinkOffset <= 1e-12)
    #expect(isClose(try #require(certificate.minMargin), 1, tolerance: 1e-12))
  }

  @Test("A projection that flips a pair off the band is counted")
  func offBandSignChange() throws {
    // Unit 0 = (1, 0, 0.5): its band holds x_a = (0.01, 1, 0) and x_b = (−0.01, 1, 0) (|z| = 0.01 ≤ 0.03‖w‖‖x‖);
    // their span is the first two coordinates, so w̃_0 = (0, 0, 0.5). x_c = (1, 0, −1) is off the band
    // (z = 0.5) and flips to −0.5. Unit 1 = (0, 0.5, −3) has no band pairs and is kept.
    let x = Matrix([[0.01, 1, 0], [-0.01, 1, 0], [1, 0, -1]])
    let model = TwoLayerReLUNetwork(hiddenWeights: Matrix([[1, 0, 0.5], [0, 0.5, -3]]),
                                    outputWeights: TwoLayerReLUNetwork.fixedOutputLayer(width: 2), trainsOutputLayer: false)
    let pass = model.forward(x)
    let band = model.kinkBand(x, pass: pass, kappa: 0.03)
    #expect(band.examples == [0, 1] && band.units == [0, 0])
    let witness = model.kinkWitness(x, pass: pass, band: band, projection: KinkProjection())
    #expect(witness.projectedPairs == 2 && witness.signChanges == 1)
    #expect(allClose(witness.model.hiddenWeights.row(0), [0, 0, 0.5], tolerance: 1e-14))  // a few u of rounding
    #expect(witness.model.hiddenWeights.row(1) == [0, 0.5, -3])
    // Through the certifier: the counts are reported whether or not θ̃ interpolates the data.
    let data = try Dataset(features: x, labels: [-1, -1, -1])
    let (certificate, _) = try Certifier().witnessCertificate(model, retained: data)
    #expect(certificate.projectedPairs == 2 && certificate.signChanges == 1 && certificate.tau != nil)
  }

  @Test("A trained two-layer network after the paper's step: the witness is close (small τ), exact, and θ̃'s band pairs sit on kinks",
        arguments: [false, true])
  func trainedNetwork(trainsOutputLayer: Bool) throws {
    let data = Fixtures.isotropic(m: 12, d: 150, seed: 4)
    let initial = Fixtures.twoLayer(n: 16, d: 150, trained: trainsOutputLayer, seed: 5, scale: trainsOutputLayer ? 0.3 : 0.01)
    let model = try Trainer(TrainingConfiguration(learningRate: 1, tolerance: 0, auditInterval: 500, maxIterations: 1500))
      .train(from: initial, on: data).model
    let run = try UnlearningRun(model: model, data: data, forgetSet: [0], comparesToRetrained: false)
    let outcome = try run.run(.gaKKT())
    let (certificate, witness) = try run.witness(for: outcome.model)
    let built = try #require(witness)
    #expect(certificate.kind == .witness && (certificate.projectedPairs ?? 0) > 0)
    #expect((certificate.tau ?? 1) < 1e-2)
    // θ̃'s band pairs are exact kinks: the exact audit's tolerance (1e-9) admits them with room to spare.
    let x = run.retained.features, z = built.forward(x).preactivations
    let selfBand = outcome.model.kinkBand(x, pass: outcome.model.forward(x), kappa: run.auditor.kappa)
    for (i, j) in zip(selfBand.examples, selfBand.units) {
      let scale = BLAS.norm(built.hiddenWeights.row(j)) * BLAS.norm(x.row(i))
      #expect(abs(z[i, j]) <= 1e-12 * scale)
    }
    #expect(try run.certificate(.witness, for: outcome.model) == certificate)
    #expect(built.outputWeights == outcome.model.outputWeights)  // u is kept, trained or fixed
  }
}
