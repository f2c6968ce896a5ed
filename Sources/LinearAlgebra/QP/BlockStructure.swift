/// The parts of a ``BoundedQuadraticProgram`` with ``BoundedQuadraticProgram/dominatedBlocks`` that
/// ``BlockStructuredQPSolver`` works with: the undominated variables `λ` (m of them), the blocks of
/// dominated variables `μ`, and the non-zero parts of `G`:
///
///     G_λλ (m × m),   G_λμ_j (m × b_j),   G_μ_jμ_j (b_j × b_j)   for each block j,
///
/// `G` being zero between the μ of different blocks.
struct BlockStructure {
  /// The working-set state of a dominated variable: at 0, strictly between, or equal to its parent.
  enum MemberState { case lower, free, tied }

  let variableCount: Int
  /// Variable indices of the undominated variables.
  let undominated: [Int]
  /// Variable indices of each block's members.
  let blocks: [[Int]]
  /// Per block and member, the position of its parent in ``undominated``.
  let parentPosition: [[Int]]
  /// Per undominated variable, its children as (block, member).
  let children: [[(block: Int, member: Int)]]
  /// `G_λλ`, row-major m × m.
  let guu: [Double]
  /// Per block, `G_λμ_j`, row-major m × b_j.
  let gud: [[Double]]
  /// Per block, `G_μ_jμ_j`, row-major b_j × b_j.
  let gdd: [[Double]]
  /// `c`.
  let linearTerm: [Double]

  /// Reads the parts from `problem`, whose ``BoundedQuadraticProgram/dominatedBlocks`` must not be `nil`.
  ///
  /// - Complexity: O(N + m² + m b + Σ_j b_j²) for b dominated variables.
  init(_ problem: BoundedQuadraticProgram) {
    let n = problem.variableCount
    let blocks = problem.dominatedBlocks ?? []
    let undominated = (0..<n).filter { problem.parents[$0] == nil }
    var position = [Int](repeating: -1, count: n)
    for (a, k) in undominated.enumerated() { position[k] = a }
    let m = undominated.count
    let g = problem.hessian.elements
    var guu = [Double](repeating: 0, count: m * m)
    for (a, k) in undominated.enumerated() { for (b, l) in undominated.enumerated() { guu[a * m + b] = g[k * n + l] } }
    var children = [[(block: Int, member: Int)]](repeating: [], count: m)
    var parentPosition: [[Int]] = []
    var gud: [[Double]] = [], gdd: [[Double]] = []
    for (j, block) in blocks.enumerated() {
      let bj = block.count
      parentPosition.append(block.map { position[problem.parents[$0]!] })
      for (t, k) in block.enumerated() { children[position[problem.parents[k]!]].append((j, t)) }
      var coupling = [Double](repeating: 0, count: m * bj)
      for (a, k) in undominated.enumerated() { for (t, l) in block.enumerated() { coupling[a * bj + t] = g[k * n + l] } }
      var own = [Double](repeating: 0, count: bj * bj)
      for (s, k) in block.enumerated() { for (t, l) in block.enumerated() { own[s * bj + t] = g[k * n + l] } }
      gud.append(coupling)
      gdd.append(own)
    }
    self.variableCount = n
    self.undominated = undominated
    self.blocks = blocks
    self.parentPosition = parentPosition
    self.children = children
    self.guu = guu
    self.gud = gud
    self.gdd = gdd
    self.linearTerm = problem.linearTerm
  }

  /// `G z − c` from the parts.
  ///
  /// - Complexity: O(m² + m b + Σ_j b_j²).
  func gradient(_ z: [Double]) -> [Double] {
    let m = undominated.count
    var g = linearTerm.map { -$0 }
    let zu = undominated.map { z[$0] }
    for a in 0..<m {
      var s = 0.0
      for b in 0..<m { s += guu[a * m + b] * zu[b] }
      g[undominated[a]] += s
    }
    for (j, block) in blocks.enumerated() {
      let bj = block.count, coupling = gud[j], own = gdd[j]
      let zj = block.map { z[$0] }
      for a in 0..<m {
        var s = 0.0
        for t in 0..<bj { s += coupling[a * bj + t] * zj[t] }
        g[undominated[a]] += s
      }
      for t in 0..<bj {
        var s = 0.0
        for a in 0..<m { s += coupling[a * bj + t] * zu[a] }
        for u in 0..<bj { s += own[t * bj + u] * zj[u] }
        g[block[t]] += s
      }
    }
    return g
  }
}
