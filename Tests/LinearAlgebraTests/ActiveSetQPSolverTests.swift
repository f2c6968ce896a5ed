import LinearAlgebra
import TestSupport
import Testing

/// A random convex QP `‖θ − Jᵀz‖²` with `N` variables and `p` columns.
func randomProgram(_ rng: inout TestRandom, variables n: Int, columns p: Int,
                   parents: [Int?]? = nil, upper: [Double]? = nil) -> BoundedQuadraticProgram {
  var j = Matrix(rows: n, columns: p)
  for k in 0..<j.elements.count { j.elements[k] = rng.normal() }
  let theta = (0..<p).map { _ in rng.normal() }
  let g = BLAS.product(j, .none, j, .transposed)
  let c = BLAS.product(j, .none, theta)
  return BoundedQuadraticProgram(hessian: g, linearTerm: c, upperBounds: upper, parents: parents)
}

@Suite("Active-set QP solver")
struct ActiveSetQPSolverTests {
  let solver = ActiveSetQPSolver()

  @Test("Non-negative least squares matches brute-force enumeration of active sets", arguments: 0..<40)
  func nnlsMatchesBruteForce(seed: Int) {
    var rng = TestRandom(UInt64(seed) + 1)
    let n = 2 + seed % 5
    let p = seed % 3 == 0 ? n - 1 : n + 3  // some rank-deficient (p < n)
    let problem = randomProgram(&rng, variables: n, columns: max(p, 1))
    let exact = BruteForceQP.solve(problem)
    let solved = solver.solve(problem)
    #expect(solved.status == .optimal)
    #expect(problem.infeasibility(solved.z) == 0)
    // Full-rank G: 1e-10 relative. Rank-deficient G (p < n) puts n−1 nearly dependent
    // rows of J in the free face, so both answers carry rounding amplified by its
    // condition number (~1e4–1e6 here): 1e-8 relative.
    let tolerance = p >= n ? 1e-10 : 1e-8
    let scale = max(1, abs(exact.objective))
    #expect(abs(solved.objective - exact.objective) <= tolerance * scale, "objective \(solved.objective) vs \(exact.objective)")
    if p >= n {  // unique minimiser when G is non-singular
      for k in 0..<n { #expect(isClose(solved.z[k], exact.z[k], tolerance: 1e-8)) }
    }
  }

  @Test("Box and dominance constraints match brute force", arguments: 0..<40)
  func boxAndTiesMatchBruteForce(seed: Int) {
    var rng = TestRandom(UInt64(seed) + 100)
    let parentsCount = 2 + seed % 2
    let childrenCount = 1 + seed % 4
    let n = parentsCount + childrenCount
    var parents = [Int?](repeating: nil, count: n)
    var upper = [Double](repeating: .infinity, count: n)
    for k in parentsCount..<n { parents[k] = Int(rng.next() % UInt64(parentsCount)) }
    for k in 0..<parentsCount where seed % 3 == 0 { upper[k] = 0.2 + rng.uniform() }
    let problem = randomProgram(&rng, variables: n, columns: n + 2, parents: parents, upper: upper)
    let exact = BruteForceQP.solve(problem)
    let solved = solver.solve(problem)
    #expect(solved.status == .optimal)
    #expect(problem.infeasibility(solved.z) <= 1e-14)
    #expect(isClose(solved.objective, exact.objective, tolerance: 1e-10),
            "objective \(solved.objective) vs brute force \(exact.objective)")
    for k in 0..<n { #expect(isClose(solved.z[k], exact.z[k], tolerance: 1e-7), "z[\(k)]") }
  }

  @Test("A warm start reaches the same minimiser")
  func warmStartAgrees() {
    var rng = TestRandom(7)
    let n = 30
    var parents = [Int?](repeating: nil, count: n)
    for k in 10..<n { parents[k] = k % 10 }
    let problem = randomProgram(&rng, variables: n, columns: 60, parents: parents)
    let cold = solver.solve(problem)
    let guess = (0..<n).map { _ in rng.uniform() }
    let warm = solver.solve(problem, warmStart: guess)
    #expect(cold.status == .optimal && warm.status == .optimal)
    for k in 0..<n { #expect(isClose(cold.z[k], warm.z[k], tolerance: 1e-9)) }
    let again = solver.solve(problem, warmStart: cold.z)
    #expect(again.iterations < cold.iterations / 2, "warm \(again.iterations) vs cold \(cold.iterations) iterations")
  }

  @Test("Exact to 1e-10 relative on a well-conditioned problem with an interior solution")
  func interiorSolutionIsExact() {
    // G = I + small symmetric, c = G z* with z* > 0: the solution is z* itself.
    var rng = TestRandom(11)
    let n = 25
    var j = Matrix(rows: n, columns: n)
    for i in 0..<n { for k in 0..<n { j[i, k] = (i == k ? 3 : 0) + 0.1 * rng.normal() } }
    let g = BLAS.product(j, .none, j, .transposed)
    let zStar = (0..<n).map { _ in 0.5 + rng.uniform() }
    let c = BLAS.product(g, .none, zStar)
    let solved = solver.solve(BoundedQuadraticProgram(hessian: g, linearTerm: c))
    for k in 0..<n { #expect(abs(solved.z[k] - zStar[k]) <= 1e-10 * zStar[k]) }
  }

  @Test("Rank-deficient G: dependent columns are skipped and the objective is still optimal")
  func rankDeficient() {
    var rng = TestRandom(5)
    // 12 variables but J has rank 4; duplicated columns included.
    var j = Matrix(rows: 12, columns: 4)
    for k in 0..<j.elements.count { j.elements[k] = rng.normal() }
    for c in 0..<4 { j[11, c] = j[0, c] }
    let theta = (0..<4).map { _ in rng.normal() }
    let g = BLAS.product(j, .none, j, .transposed)
    let c = BLAS.product(j, .none, theta)
    let problem = BoundedQuadraticProgram(hessian: g, linearTerm: c)
    let solved = solver.solve(problem)
    #expect(solved.status == .optimal)
    let exact = BruteForceQP.solve(problem)
    #expect(isClose(solved.objective, exact.objective, tolerance: 1e-9))
  }

  @Test("Sparse and dense products of G give the same minimiser on a block-structured problem")
  func sparseAgreesWithDense() {
    // λ (8) + μ (120, 12 blocks of 10) like the κ-audit: columns of J touch few blocks.
    var rng = TestRandom(21)
    let m = 8, blocks = 12, perBlock = 10, width = 6
    let n = m + blocks * perBlock
    var j = Matrix(rows: n, columns: blocks * width)
    for i in 0..<m { for c in 0..<(blocks * width) { j[i, c] = rng.normal() } }
    var parents = [Int?](repeating: nil, count: n)
    for b in 0..<blocks {
      for t in 0..<perBlock {
        let row = m + b * perBlock + t
        parents[row] = Int(rng.next() % UInt64(m))
        for c in 0..<width { j[row, b * width + c] = rng.normal() }
      }
    }
    let theta = (0..<(blocks * width)).map { _ in rng.normal() }
    let problem = BoundedQuadraticProgram(hessian: BLAS.product(j, .none, j, .transposed),
                                          linearTerm: BLAS.product(j, .none, theta), parents: parents)
    let sparse = ActiveSetQPSolver(sparseProducts: true).solve(problem)
    let dense = ActiveSetQPSolver(sparseProducts: false).solve(problem)
    #expect(sparse.status == .optimal && dense.status == .optimal)
    for k in 0..<n { #expect(isClose(sparse.z[k], dense.z[k], tolerance: 1e-9)) }
    #expect(isClose(sparse.objective, dense.objective, tolerance: 1e-12))
  }

  @Test("Singular G with c outside its range: rays to the box match brute force", arguments: 0..<30)
  func singularWithBox(seed: Int) {
    var rng = TestRandom(UInt64(seed) + 300)
    let n = 3 + seed % 4
    var j = Matrix(rows: n, columns: 2)
    for k in 0..<j.elements.count { j.elements[k] = rng.normal() }
    let g = BLAS.product(j, .none, j, .transposed)
    let c = (0..<n).map { _ in rng.normal() + 0.5 }
    let upper = (0..<n).map { _ in 0.5 + rng.uniform() }
    let problem = BoundedQuadraticProgram(hessian: g, linearTerm: c, upperBounds: upper)
    let solved = solver.solve(problem)
    let exact = BruteForceQP.solve(problem)
    #expect(solved.status == .optimal)
    #expect(problem.infeasibility(solved.z) <= 1e-14)
    #expect(isClose(solved.objective, exact.objective, tolerance: 1e-9),
            "objective \(solved.objective) vs brute force \(exact.objective)")
  }

  @Test("An unbounded problem is reported as such")
  func unbounded() {
    // G = J Jᵀ with J = (1, −1)ᵀ; along d = (1, 1) the curvature is 0 and cᵀd = 2 > 0.
    let problem = BoundedQuadraticProgram(hessian: Matrix([[1, -1], [-1, 1]]), linearTerm: [1, 1])
    #expect(solver.solve(problem).status == .unbounded)
    // The same with a box is bounded, with the minimiser at the box corner.
    let boxed = BoundedQuadraticProgram(hessian: Matrix([[1, -1], [-1, 1]]), linearTerm: [1, 1], upperBounds: [3, 3])
    let solved = solver.solve(boxed)
    #expect(solved.status == .optimal && solved.z == [3, 3])
  }

  @Test("The block-pivoting start (N ≥ 64) reaches the cold start's minimiser", arguments: [(100, 150), (120, 60), (90, 400)])
  func blockPivotingStart(n: Int, p: Int) {
    var rng = TestRandom(UInt64(n + p))
    let problem = randomProgram(&rng, variables: n, columns: p)
    let fast = solver.solve(problem)  // block-pivoting guess, then the active-set method
    let cold = solver.solve(problem, warmStart: [Double](repeating: 0, count: n))  // all at zero: Lawson–Hanson from scratch
    #expect(fast.status == .optimal && cold.status == .optimal)
    #expect(isClose(fast.objective, cold.objective, tolerance: 1e-10))
    if p >= n {
      for k in 0..<n { #expect(isClose(fast.z[k], cold.z[k], tolerance: 1e-8)) }
      #expect(fast.iterations < cold.iterations)
    }
  }

  @Test("A pending parent that a child ties to gets its column (review repro: ties, box, singular G, c outside its range)")
  func pendingParentTie() {
    // Optimum (1/3, 1/3), objective −1/6.
    let problem = BoundedQuadraticProgram(hessian: Matrix([[0, 0], [0, 3]]), linearTerm: [-1, 2],
                                          upperBounds: [1, .infinity], parents: [nil, 0])
    let solved = solver.solve(problem, warmStart: [2, 0])
    #expect(solved.status == .optimal)
    #expect(abs(solved.objective + 1.0 / 6) <= 1e-12)
    #expect(isClose(solved.z[0], 1.0 / 3, absolute: 1e-12) && isClose(solved.z[1], 1.0 / 3, absolute: 1e-12))
    let exact = BruteForceQP.solve(problem)
    #expect(isClose(solved.objective, exact.objective, absolute: 1e-12))
  }

  @Test("c = 0: the optimum z = 0 is certified, not cycled on")
  func zeroLinearTerm() {
    var rng = TestRandom(17)
    var j = Matrix(rows: 7, columns: 4)
    for k in 0..<j.elements.count { j.elements[k] = rng.normal() }
    let problem = BoundedQuadraticProgram(hessian: BLAS.product(j, .none, j, .transposed),
                                          linearTerm: [Double](repeating: 0, count: 7),
                                          upperBounds: [Double](repeating: 1, count: 7))
    let solved = solver.solve(problem)
    #expect(solved.status == .optimal && abs(solved.objective) <= 1e-14)
  }

  @Test("The iteration limit is reported, with a feasible iterate")
  func iterationLimit() {
    var rng = TestRandom(3)
    let problem = randomProgram(&rng, variables: 40, columns: 80)
    let limited = ActiveSetQPSolver(maxIterations: 2).solve(problem)
    #expect(limited.status == .iterationLimit)
    #expect(problem.infeasibility(limited.z) == 0)
  }
}
