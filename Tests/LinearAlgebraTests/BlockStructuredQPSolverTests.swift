import LinearAlgebra
import TestSupport
import Testing

/// A random κ-QP-shaped program `½‖θ − Jᵀz‖²`: `m` undominated variables λ (rows 0..<m of J) and
/// dominated μ in blocks (rows m..<N, in a random order); J's columns come in one segment per block plus
/// `extra` shared ones. A μ of block j has entries in segment j only, so `G = J Jᵀ` has no entries between
/// the μ of different blocks (MATH.md §4.6); a λ has entries everywhere, except that with probability
/// `dropout` its part in a segment is zero (an inactive unit).
struct BlockInstance {
  var program: BoundedQuadraticProgram
  var j: Matrix
  var theta: [Double]
  var m: Int

  init(_ rng: inout TestRandom, m: Int, blockSizes: [Int], segment: Int, extra: Int, dropout: Double = 0.3,
       edit: ((inout Matrix, inout [Double], [Int?]) -> Void)? = nil, editC: ((inout [Double], [Int?]) -> Void)? = nil) {
    let b = blockSizes.reduce(0, +), n = m + b
    let columns = segment * blockSizes.count + extra
    // Dominated variables in a random order.
    var order = Array(m..<n)
    for k in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(k, Int(rng.next() % UInt64(k + 1))) }
    var blocks: [[Int]] = []
    var next = 0
    for size in blockSizes {
      blocks.append(Array(order[next..<(next + size)]))
      next += size
    }
    var parents = [Int?](repeating: nil, count: n)
    for block in blocks { for k in block { parents[k] = Int(rng.next() % UInt64(m)) } }
    var jm = Matrix(rows: n, columns: columns)
    for i in 0..<m {
      for (s, _) in blockSizes.enumerated() where rng.uniform() >= dropout {
        for col in (s * segment)..<((s + 1) * segment) { jm[i, col] = rng.normal() }
      }
      for col in (segment * blockSizes.count)..<columns { jm[i, col] = rng.normal() }
    }
    for (s, block) in blocks.enumerated() {
      for k in block { for col in (s * segment)..<((s + 1) * segment) { jm[k, col] = rng.normal() } }
    }
    var theta = (0..<columns).map { _ in rng.normal() }
    edit?(&jm, &theta, parents)
    let g = BLAS.product(jm, .none, jm, .transposed)
    var c = BLAS.product(jm, .none, theta)
    editC?(&c, parents)
    program = BoundedQuadraticProgram(hessian: g, linearTerm: c, parents: parents, dominatedBlocks: blocks)
    j = jm
    self.theta = theta
    self.m = m
  }

  /// `‖θ − Jᵀz‖`, formed explicitly (MATH.md §4.4).
  func residual(_ z: [Double]) -> Double {
    var r = theta
    BLAS.gemv(j, .transposed, z, alpha: -1, beta: 1, into: &r)
    return BLAS.norm(r)
  }
}

@Suite("Block-structured QP solver")
struct BlockStructuredQPSolverTests {
  let structured = BlockStructuredQPSolver()
  let general = ActiveSetQPSolver()

  /// Both solvers stop when every multiplier is ≥ −1e-11 · scale, so their objectives differ by
  /// O(1e-11 · scale · ‖z‖) at most and the residual, unique at the optimum, by its square root over ε —
  /// far below the 1e-9 relative asked of ε; 1e-9 leaves room for the conditioning of the free face.
  func expectSameOptimum(_ instance: BlockInstance, _ a: ActiveSetQPSolver.Solution, _ b: ActiveSetQPSolver.Solution,
                         uniqueZ: Bool, _ comment: Comment) {
    let p = instance.program
    #expect(a.status == .optimal && b.status == .optimal, comment)
    #expect(p.infeasibility(a.z) == 0, comment)  // the structured solution is projected onto its working set exactly
    #expect(p.infeasibility(b.z) <= 1e-14, comment)
    #expect(isClose(a.objective, b.objective, tolerance: 1e-10), "objective \(a.objective) vs \(b.objective) \(comment)")
    let ea = instance.residual(a.z), eb = instance.residual(b.z), norm = BLAS.norm(instance.theta)
    #expect(abs(ea - eb) <= 1e-9 * max(ea, eb) + 1e-13 * norm, "ε \(ea) vs \(eb) \(comment)")
    if uniqueZ {
      // J of full row rank: z* is unique; 1e-7 allows for the face's condition number (~1e3–1e5 here).
      for k in 0..<p.variableCount { #expect(isClose(a.z[k], b.z[k], tolerance: 1e-7), "z[\(k)] \(comment)") }
    }
  }

  @Test("Random block-structured programs: the same optimum as the active-set solver", arguments: 0..<60)
  func matchesActiveSet(seed: Int) {
    var rng = TestRandom(UInt64(seed) + 500)
    let m = 1 + Int(rng.next() % 12)
    let blockSizes = (0..<(1 + Int(rng.next() % 7))).map { _ in 1 + Int(rng.next() % 6) }
    // Even seeds: J of full row rank (each segment wider than the rows that use it); odd: rank-deficient.
    let fullRank = seed % 2 == 0
    let segment = fullRank ? m + (blockSizes.max() ?? 0) + 1 : 1 + Int(rng.next() % 3)
    let instance = BlockInstance(&rng, m: m, blockSizes: blockSizes, segment: segment, extra: fullRank ? m : 1)
    let a = structured.solve(instance.program)
    let b = general.solve(instance.program)
    expectSameOptimum(instance, a, b, uniqueZ: fullRank, "seed \(seed), m \(m), blocks \(blockSizes)")
    if fullRank {
      // A positive-definite G: the pivoting itself must certify the optimum (no fallback).
      #expect(structured.solveStructured(instance.program) != nil, "seed \(seed): fell back")
    }
  }

  @Test("Warm starts (the general solver's optimum, random points) reach the same optimum", arguments: 0..<10)
  func warmStarts(seed: Int) {
    var rng = TestRandom(UInt64(seed) + 900)
    let instance = BlockInstance(&rng, m: 8, blockSizes: [3, 5, 1, 4, 6], segment: 16, extra: 8)
    let reference = general.solve(instance.program)
    let fromOptimum = structured.solve(instance.program, warmStart: reference.z)
    expectSameOptimum(instance, fromOptimum, reference, uniqueZ: true, "from the optimum, seed \(seed)")
    #expect(fromOptimum.iterations <= 2, "seed \(seed): \(fromOptimum.iterations) steps from the optimum")
    let guess = (0..<instance.program.variableCount).map { _ in rng.uniform() }
    expectSameOptimum(instance, structured.solve(instance.program, warmStart: guess), reference, uniqueZ: true, "random start, seed \(seed)")
  }

  @Test("When the pivoting stops short, the fallback finds the same optimum", arguments: 0..<5)
  func fallsBack(seed: Int) {
    var rng = TestRandom(UInt64(seed) + 1300)
    let instance = BlockInstance(&rng, m: 7, blockSizes: [4, 3, 5, 2], segment: 14, extra: 7)
    let oneStep = BlockStructuredQPSolver(maxSteps: 1)
    #expect(oneStep.solveStructured(instance.program) == nil, "seed \(seed): solved in one step from 0")
    let a = oneStep.solve(instance.program)
    expectSameOptimum(instance, a, general.solve(instance.program), uniqueZ: true, "seed \(seed)")
  }

  @Test("The same input gives the same bits")
  func deterministic() {
    var rng = TestRandom(4242)
    let instance = BlockInstance(&rng, m: 10, blockSizes: [4, 2, 7, 3, 5, 1], segment: 5, extra: 3)
    let a = structured.solve(instance.program), b = structured.solve(instance.program)
    #expect(a.z == b.z && a.iterations == b.iterations && a.objective == b.objective)
  }

  /// The degenerate cases of the κ-QP, each against the active-set solver.
  enum Degenerate: String, CaseIterable {
    case emptyBand, singlePairUnit, allMuAtZero, allMuTied, zeroLambdaColumn, zeroLambdaColumnWithChildren,
         zeroMuColumn, rankDeficient, duplicateRows
  }

  @Test("Degenerate programs: the same optimum as the active-set solver", arguments: Degenerate.allCases)
  func degenerate(_ kind: Degenerate) throws {
    var rng = TestRandom(UInt64(kind.rawValue.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
    let m = 6
    var uniqueZ = true
    let instance: BlockInstance
    switch kind {
    case .emptyBand:
      instance = BlockInstance(&rng, m: m, blockSizes: [], segment: 4, extra: 10)
      #expect(instance.program.dominatedBlocks == [])
    case .singlePairUnit:
      instance = BlockInstance(&rng, m: m, blockSizes: [1], segment: 8, extra: 8)
    case .allMuAtZero:
      // c_μ ≤ −‖G‖: moving any μ up only costs.
      instance = BlockInstance(&rng, m: m, blockSizes: [3, 4, 2], segment: 12, extra: 6, editC: { c, parents in
        for k in c.indices where parents[k] != nil { c[k] = -100 - abs(c[k]) }
      })
    case .allMuTied:
      // μ rows of size 1e-3 and c_μ = 1: g_μ = (Gz)_μ − 1 < 0 for every μ, so every μ presses against its
      // parent (or stays at a parent at 0).
      instance = BlockInstance(&rng, m: m, blockSizes: [3, 4, 2], segment: 12, extra: 6, edit: { j, _, parents in
        for k in parents.indices where parents[k] != nil { for col in 0..<j.columns { j[k, col] *= 1e-3 } }
      }, editC: { c, parents in
        for k in c.indices where parents[k] != nil { c[k] = 1 }
      })
    case .zeroLambdaColumn:
      instance = BlockInstance(&rng, m: m, blockSizes: [3, 2], segment: 12, extra: 6, edit: { j, _, parents in
        // λ_0 without children and with a zero column.
        for k in parents.indices where parents[k] == 0 { for col in 0..<j.columns { j[k, col] = 0 } }
        for col in 0..<j.columns { j[0, col] = 0 }
      })
      uniqueZ = false
    case .zeroLambdaColumnWithChildren:
      instance = BlockInstance(&rng, m: 2, blockSizes: [3, 3], segment: 10, extra: 4, edit: { j, _, _ in
        for col in 0..<j.columns { j[0, col] = 0 }
      })
      uniqueZ = false
    case .zeroMuColumn:
      // A unit whose output weight is 0: its μ have zero columns.
      instance = BlockInstance(&rng, m: m, blockSizes: [3, 4], segment: 12, extra: 6, edit: { j, _, _ in
        for k in 0..<j.rows where (0..<12).contains(where: { j[k, $0] != 0 }) && k >= m { for col in 0..<j.columns { j[k, col] = 0 } }
      })
      uniqueZ = false
    case .rankDeficient:
      instance = BlockInstance(&rng, m: m, blockSizes: [5, 4, 6], segment: 2, extra: 1)
      uniqueZ = false
    case .duplicateRows:
      instance = BlockInstance(&rng, m: m, blockSizes: [4, 4], segment: 12, extra: 6, edit: { j, _, parents in
        // Two μ of the same block with the same row, and λ_1 a copy of λ_2.
        let first = parents.indices.filter { parents[$0] != nil && j[$0, 0] != 0 }
        if first.count >= 2 { for col in 0..<j.columns { j[first[1], col] = j[first[0], col] } }
        for col in 0..<j.columns { j[1, col] = j[2, col] }
      })
      uniqueZ = false
    }
    let a = structured.solve(instance.program)
    let b = general.solve(instance.program)
    expectSameOptimum(instance, a, b, uniqueZ: uniqueZ, "\(kind)")
    let p = instance.program
    switch kind {
    case .allMuAtZero:
      for k in 0..<p.variableCount where p.parents[k] != nil { #expect(a.z[k] == 0, "μ \(k) = \(a.z[k])") }
    case .allMuTied:
      for k in 0..<p.variableCount { if let q = p.parents[k] { #expect(a.z[k] == a.z[q], "μ \(k) = \(a.z[k]), λ = \(a.z[q])") } }
    case .zeroLambdaColumn:
      #expect(a.z[0] == 0)
    default: break
    }
  }

  @Test("Programs without blocks or with upper bounds go to the active-set solver")
  func delegates() {
    var rng = TestRandom(77)
    let instance = BlockInstance(&rng, m: 5, blockSizes: [2, 3], segment: 8, extra: 4)
    let p = instance.program
    let withoutBlocks = BoundedQuadraticProgram(hessian: p.hessian, linearTerm: p.linearTerm, parents: p.parents)
    var upper = [Double](repeating: .infinity, count: p.variableCount)
    upper[0] = 0.1
    let boxed = BoundedQuadraticProgram(hessian: p.hessian, linearTerm: p.linearTerm, upperBounds: upper, parents: p.parents,
                                        dominatedBlocks: p.dominatedBlocks)
    #expect(BlockStructuredQPSolver.accepts(p))
    for q in [withoutBlocks, boxed] {
      #expect(!BlockStructuredQPSolver.accepts(q))
      #expect(structured.solveStructured(q) == nil)
      let a = structured.solve(q), b = general.solve(q)
      #expect(a.z == b.z && a.iterations == b.iterations)
    }
  }
}
