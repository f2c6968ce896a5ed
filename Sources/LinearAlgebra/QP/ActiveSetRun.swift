/// The state of one active-set solve (see ``ActiveSetQPSolver``).
struct ActiveSetRun {
  enum State { case lower, upper, free, tied }

  let problem: BoundedQuadraticProgram
  let n: Int
  let pivotTolerance: Double
  var z: [Double]
  var state: [State]
  /// Dominated variables of each parent.
  var children: [[Int]]
  /// Free columns in factor order; element 0 of a column is its head.
  var columns: [[Int]] = []
  var cholesky: UpdatableCholesky
  var dependentColumns = 0
  /// `G` in compressed rows when it is mostly zeros (the κ-audit's μ block is
  /// block-diagonal by unit), so that `G z` costs `O(nnz)` instead of `O(N²)`.
  let sparseHessian: (rowStart: [Int], columns: [Int], values: [Double])?

  init(problem: BoundedQuadraticProgram, pivotTolerance: Double, sparseProducts: Bool?) {
    self.problem = problem
    self.n = problem.variableCount
    self.pivotTolerance = pivotTolerance
    self.z = [Double](repeating: 0, count: n)
    self.state = [State](repeating: .lower, count: n)
    self.children = [[Int]](repeating: [], count: n)
    for k in 0..<n { if let p = problem.parents[k] { children[p].append(k) } }
    self.cholesky = UpdatableCholesky(capacity: min(n, 64))
    let nonzeros = problem.hessian.elements.reduce(0) { $1 != 0 ? $0 + 1 : $0 }
    if sparseProducts ?? (n >= 64 && nonzeros * 5 < n * n) {
      var rowStart = [0], columns: [Int] = [], values: [Double] = []
      columns.reserveCapacity(nonzeros)
      values.reserveCapacity(nonzeros)
      for k in 0..<n {
        for l in 0..<n where problem.hessian.elements[k * n + l] != 0 {
          columns.append(l)
          values.append(problem.hessian.elements[k * n + l])
        }
        rowStart.append(columns.count)
      }
      sparseHessian = (rowStart, columns, values)
    } else {
      sparseHessian = nil
    }
  }

  /// `G z − c`.
  func gradient() -> [Double] {
    guard let sparse = sparseHessian else { return problem.gradient(z) }
    var g = [Double](repeating: 0, count: n)
    sparse.columns.withUnsafeBufferPointer { cols in
      sparse.values.withUnsafeBufferPointer { vals in
        for k in 0..<n {
          var s = -problem.linearTerm[k]
          for t in sparse.rowStart[k]..<sparse.rowStart[k + 1] { s += vals[t] * z[cols[t]] }
          g[k] = s
        }
      }
    }
    return g
  }

  // MARK: Columns

  func members(ofHead h: Int) -> [Int] {
    [h] + children[h].filter { state[$0] == .tied }
  }

  /// Appends the column headed by `h`; `false` if it is dependent on the free columns.
  mutating func appendColumn(head h: Int) -> Bool {
    let group = members(ofHead: h)
    var rowSum = [Double](repeating: 0, count: n)
    problem.hessian.elements.withUnsafeBufferPointer { g in
      for k in group {
        let row = k * n
        for l in 0..<n { rowSum[l] += g[row + l] }
      }
    }
    let column = columns.map { $0.reduce(0.0) { $0 + rowSum[$1] } }
    let diagonal = group.reduce(0.0) { $0 + rowSum[$1] }
    guard cholesky.append(column: column, diagonal: diagonal, pivotTolerance: pivotTolerance) else {
      dependentColumns += 1
      return false
    }
    columns.append(group)
    return true
  }

  mutating func removeColumn(head h: Int) {
    guard let index = columns.firstIndex(where: { $0[0] == h }) else { return }
    cholesky.remove(at: index)
    columns.remove(at: index)
  }

  /// Sets every tied child to its parent's value exactly.
  mutating func synchroniseTies() {
    for k in 0..<n where state[k] == .tied { z[k] = z[problem.parents[k]!] }
  }

  /// Fixes `h` at zero after a refused column, with its children.
  mutating func fixAtZero(_ h: Int) {
    state[h] = .lower
    z[h] = 0
    for c in children[h] {
      if state[c] == .free { removeColumn(head: c) }
      if state[c] != .tied { state[c] = .lower }
      z[c] = 0
    }
  }

  // MARK: Start

  mutating func start(from warm: [Double]?) {
    guard let warm, warm.count == n else { return }  // cold start: z = 0, all at lower bound
    let ub = problem.upperBounds
    for k in 0..<n where problem.parents[k] == nil {
      let v = warm[k].isFinite ? min(max(warm[k], 0), ub[k]) : 0
      z[k] = v
      state[k] = v == 0 ? .lower : (v == ub[k] ? .upper : .free)
    }
    for k in 0..<n {
      guard let p = problem.parents[k] else { continue }
      let v = warm[k].isFinite ? min(max(warm[k], 0), z[p]) : 0
      z[k] = v
      state[k] = (v == z[p] && v > 0) ? .tied : (v == 0 ? .lower : .free)
    }
    for k in 0..<n where problem.parents[k] == nil && state[k] == .free {
      if !appendColumn(head: k) { fixAtZero(k) }
    }
    for k in 0..<n where problem.parents[k] != nil && state[k] == .free {
      if !appendColumn(head: k) { state[k] = .lower; z[k] = 0 }
    }
  }

  // MARK: Iteration

  /// Runs until optimal or `limit` iterations; returns the status, the
  /// iterations used and the relative dual infeasibility.
  mutating func iterate(limit: Int, relativeTolerance: Double) -> (ActiveSetQPSolver.Status, Int, Double) {
    var atFaceMinimum = false
    var refused = Set<Int>()
    var lastReleased: Int? = nil
    var iteration = 0
    while iteration < limit {
      iteration += 1
      var g = gradient()
      let step = newtonStep(g)
      let (t, blocking) = maxStep(step)

      if atFaceMinimum || step.allSatisfy({ $0 == 0 }) {
        // Polish with the refined Newton step when it stays feasible.
        if t >= 1, step.contains(where: { $0 != 0 }) {
          apply(step, fraction: 1)
          g = gradient()
        }
        let (candidate, multiplier, scale) = mostNegativeMultiplier(g, excluding: refused)
        let violation = multiplier < 0 ? -multiplier / scale : 0
        guard let candidate, multiplier < -relativeTolerance * scale else {
          return (.optimal, iteration, violation)
        }
        if release(candidate) {
          atFaceMinimum = false
          lastReleased = candidate
        } else {
          refused.insert(candidate)
        }
        continue
      }

      if t >= 1 {
        apply(step, fraction: 1)
        atFaceMinimum = true
        refused.removeAll()
      } else {
        apply(step, fraction: t)
        if let blocking { block(blocking) }
        atFaceMinimum = false
        // A constraint released and at once re-blocked (rounding) is not released again until progress is made.
        if t == 0, let r = lastReleased, blocking?.variable == r {
          refused.insert(r)
        } else {
          refused.removeAll()
        }
      }
      lastReleased = nil
    }
    let g = gradient()
    let (_, multiplier, scale) = mostNegativeMultiplier(g, excluding: [])
    return (.iterationLimit, iteration, multiplier < 0 ? -multiplier / scale : 0)
  }

  /// The Newton step of the current face, per free column.
  func newtonStep(_ g: [Double]) -> [Double] {
    if columns.isEmpty { return [] }
    let reduced = columns.map { col in -col.reduce(0.0) { $0 + g[$1] } }
    return cholesky.solve(reduced)
  }

  /// Moves every free column `a` by `fraction · step[a]`.
  mutating func apply(_ step: [Double], fraction: Double) {
    for (a, col) in columns.enumerated() {
      let h = col[0]
      var v = z[h] + fraction * step[a]
      if v < 0 { v = 0 }
      if problem.parents[h] == nil, v > problem.upperBounds[h] { v = problem.upperBounds[h] }
      z[h] = v
    }
    synchroniseTies()
    for k in 0..<n where problem.parents[k] != nil && state[k] == .free {
      z[k] = min(z[k], z[problem.parents[k]!])
    }
  }

  /// A constraint that stops a step: variable `k` reaching its lower or upper bound, or a child reaching its parent.
  enum Blocking {
    case lower(Int), upper(Int), tie(Int)
    var variable: Int {
      switch self { case .lower(let k), .upper(let k), .tie(let k): return k }
    }
  }

  /// The largest fraction `t ∈ [0, 1]` of `step` that keeps `z` feasible, and the constraint that limits it.
  func maxStep(_ step: [Double]) -> (Double, Blocking?) {
    var t = 1.0
    var blocking: Blocking? = nil
    var delta = [Double](repeating: 0, count: n)
    for (a, col) in columns.enumerated() { for k in col { delta[k] = step[a] } }
    for col in columns {
      let h = col[0], d = delta[h]
      if d < 0 {
        let s = max(z[h], 0) / -d
        if s < t { t = s; blocking = .lower(h) }
      } else if d > 0, problem.parents[h] == nil, problem.upperBounds[h] < .infinity {
        let s = max(problem.upperBounds[h] - z[h], 0) / d
        if s < t { t = s; blocking = .upper(h) }
      }
    }
    for k in 0..<n where state[k] != .tied {
      guard let p = problem.parents[k] else { continue }
      let rate = delta[k] - delta[p]
      if rate > 0 {
        let s = max(z[p] - z[k], 0) / rate
        if s < t { t = s; blocking = .tie(k) }
      }
    }
    return (t, blocking)
  }

  /// Adds a blocking constraint to the working set.
  mutating func block(_ b: Blocking) {
    switch b {
    case .lower(let h):
      removeColumn(head: h)
      state[h] = .lower
      z[h] = 0
      synchroniseTies()
    case .upper(let h):
      removeColumn(head: h)
      state[h] = .upper
      z[h] = problem.upperBounds[h]
      synchroniseTies()
    case .tie(let c):
      let p = problem.parents[c]!
      if state[c] == .free { removeColumn(head: c) }
      if state[p] == .free {
        removeColumn(head: p)
        state[c] = .tied
        z[c] = z[p]
        if !appendColumn(head: p) {
          // The merged column is dependent: keep the parent free alone and hold the child at the tie as a bound.
          state[c] = .tied
          fixAtZero(p)
        }
      } else {
        state[c] = .tied
        z[c] = z[p]
      }
    }
  }

  /// The most negative multiplier of the working set (excluding refused
  /// variables), the variable whose constraint it belongs to, and the scale.
  func mostNegativeMultiplier(_ g: [Double], excluding refused: Set<Int>) -> (Int?, Double, Double) {
    var scale = 0.0
    for k in 0..<n { scale = max(scale, abs(problem.linearTerm[k]), abs(g[k] + problem.linearTerm[k])) }
    if scale == 0 { scale = 1 }
    var best: Int? = nil
    var bestValue = 0.0
    for k in 0..<n where !refused.contains(k) {
      let tiedSum = children[k].reduce(0.0) { state[$1] == .tied ? $0 + g[$1] : $0 }
      let nu: Double
      switch state[k] {
      case .lower: nu = g[k] + tiedSum
      case .upper: nu = -(g[k] + tiedSum)
      case .tied: nu = -g[k]
      case .free: continue
      }
      if nu < bestValue { bestValue = nu; best = k }
    }
    return (best, bestValue, scale)
  }

  /// Releases the working constraint of `k`; `false` when its column is dependent.
  mutating func release(_ k: Int) -> Bool {
    switch state[k] {
    case .lower, .upper:
      let previous = state[k]
      state[k] = .free
      if appendColumn(head: k) { return true }
      state[k] = previous
      return false
    case .tied:
      let p = problem.parents[k]!
      let parentFree = state[p] == .free
      if parentFree { removeColumn(head: p) }
      if z[k] == 0 {
        state[k] = .lower  // degenerate: the lower bound takes over from the tie
      } else {
        state[k] = .free
        if !appendColumn(head: k) { state[k] = .tied }
      }
      if parentFree, !appendColumn(head: p) { fixAtZero(p) }
      return state[k] != .tied
    case .free:
      return false
    }
  }
}
