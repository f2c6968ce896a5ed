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
  /// A free variable whose column is numerically dependent on the factored
  /// ones: the objective is linear along the null direction it opens, so the
  /// next iteration moves along that ray to the first constraint (or reports
  /// the problem unbounded) instead of taking a Newton step.
  var pending: Int? = nil
  /// `G` in compressed rows when it is mostly zeros (the κ-audit's μ block is
  /// block-diagonal by unit), so that `G z` costs `O(nnz)` instead of `O(N²)`.
  let sparseHessian: (rowStart: [Int], columns: [Int], values: [Double])?
  /// `max_k G_kk`, the scale of curvatures.
  let diagonalScale: Double

  init(problem: BoundedQuadraticProgram, pivotTolerance: Double, sparseProducts: Bool?) {
    self.problem = problem
    self.n = problem.variableCount
    self.pivotTolerance = pivotTolerance
    self.z = [Double](repeating: 0, count: n)
    self.state = [State](repeating: .lower, count: n)
    self.children = [[Int]](repeating: [], count: n)
    for k in 0..<n { if let p = problem.parents[k] { children[p].append(k) } }
    self.cholesky = UpdatableCholesky(capacity: min(n, 64))
    self.diagonalScale = max(problem.hessian.diagonal.max() ?? 0, .leastNormalMagnitude)
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

  /// Whether `G z` goes through the compressed rows.
  var usesSparseProducts: Bool { sparseHessian != nil }

  /// `G z − c`.
  func gradient() -> [Double] {
    guard let sparse = sparseHessian else { return problem.gradient(z) }
    var g = [Double](repeating: 0, count: n)
    sparse.columns.withUnsafeBufferPointer { cols in
      sparse.values.withUnsafeBufferPointer { vals in
        z.withUnsafeBufferPointer { zp in
          problem.linearTerm.withUnsafeBufferPointer { c in
            sparse.rowStart.withUnsafeBufferPointer { start in
              for k in 0..<n {
                var s = -c[k]
                for t in start[k]..<start[k + 1] { s += vals[t] * zp[cols[t]] }
                g[k] = s
              }
            }
          }
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
  mutating func appendColumn(head h: Int, pivotTolerance customTolerance: Double? = nil) -> Bool {
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
    guard cholesky.append(column: column, diagonal: diagonal, pivotTolerance: customTolerance ?? pivotTolerance) else {
      dependentColumns += 1
      return false
    }
    columns.append(group)
    return true
  }

  /// Heads of every free group: the factored columns and the pending one.
  var freeHeads: [Int] { columns.map { $0[0] } + (pending.map { [$0] } ?? []) }

  /// Marks `h` (free, column refused) pending, or fixes it at zero when another variable already is.
  mutating func makePending(_ h: Int) {
    if pending == nil || pending == h {
      pending = h
      state[h] = .free
    } else {
      fixAtZero(h)
    }
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
    if let p = pending, p == h || problem.parents[p] == h { pending = nil }
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
    // Factor the reduced Hessian of the starting face in one go when it is
    // well conditioned; otherwise add the columns one by one, skipping dependent ones.
    let heads = (0..<n).filter { state[$0] == .free && problem.parents[$0] == nil }
      + (0..<n).filter { state[$0] == .free && problem.parents[$0] != nil }
    let groups = heads.map { members(ofHead: $0) }
    if groups.count > 1, let factor = Self.groupFactor(problem.hessian, groups, pivotTolerance: pivotTolerance) {
      cholesky = factor
      columns = groups
      return
    }
    for k in heads where problem.parents[k] == nil {
      if !appendColumn(head: k) { fixAtZero(k) }
    }
    for k in heads where problem.parents[k] != nil && state[k] == .free {
      if !appendColumn(head: k) { state[k] = .lower; z[k] = 0 }
    }
  }

  /// The Cholesky factor of `Pᵀ G P` for the given groups, by one `dpotrf`.
  static func groupFactor(_ g: Matrix, _ groups: [[Int]], pivotTolerance: Double) -> UpdatableCholesky? {
    let k = groups.count, n = g.rows
    var h = Matrix(rows: k, columns: k)
    g.elements.withUnsafeBufferPointer { gp in
      h.elements.withUnsafeMutableBufferPointer { hp in
        for a in 0..<k {
          for b in 0...a {
            var s = 0.0
            for i in groups[a] { for j in groups[b] { s += gp[i * n + j] } }
            hp[a * k + b] = s
            hp[b * k + a] = s
          }
        }
      }
    }
    return UpdatableCholesky(factoring: h, pivotTolerance: pivotTolerance)
  }

  // MARK: Iteration

  /// Runs until optimal, unbounded or `limit` iterations; returns the status,
  /// the iterations used and the relative dual infeasibility.
  mutating func iterate(limit: Int, relativeTolerance: Double) -> (ActiveSetQPSolver.Status, Int, Double) {
    var atFaceMinimum = false
    var refused = Set<Int>()
    var lastReleased: Int? = nil
    var iteration = 0
    while iteration < limit {
      iteration += 1
      if let k = pending {
        if appendColumn(head: k) {
          pending = nil
        } else {
          guard rayStep(k, relativeTolerance: relativeTolerance) else { return (.unbounded, iteration, 0) }
          atFaceMinimum = false
          refused.removeAll()
          continue
        }
      }
      var g = gradient()
      let step = newtonStep(g)
      let delta = variableStep(step)
      let (t, blocking) = maxStep(delta, limit: 1)

      if atFaceMinimum || step.allSatisfy({ $0 == 0 }) {
        // Polish with the refined Newton step when it stays feasible.
        if t >= 1, step.contains(where: { $0 != 0 }) {
          apply(delta, fraction: 1)
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
        apply(delta, fraction: 1)
        atFaceMinimum = true
        refused.removeAll()
      } else {
        apply(delta, fraction: t)
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

  /// A per-column step spread over the variables of each column.
  func variableStep(_ step: [Double]) -> [Double] {
    var delta = [Double](repeating: 0, count: n)
    for (a, col) in columns.enumerated() { for k in col { delta[k] = step[a] } }
    return delta
  }

  /// The scale of the gradient, `max(‖c‖∞, ‖G z‖∞)`, for relative tolerances.
  func gradientScale(_ g: [Double]) -> Double {
    var scale = 0.0
    var zScale = 0.0
    for k in 0..<n {
      scale = max(scale, abs(problem.linearTerm[k]), abs(g[k] + problem.linearTerm[k]))
      zScale = max(zScale, abs(z[k]))
    }
    // The curvature term keeps the scale meaningful when c ≈ 0 and G z ≈ 0.
    scale = max(scale, diagonalScale * zScale)
    return scale == 0 ? 1 : scale
  }

  /// `G v`, dense or through the compressed rows.
  func hessianProduct(_ v: [Double]) -> [Double] {
    guard let sparse = sparseHessian else { return BLAS.product(problem.hessian, .none, v) }
    var r = [Double](repeating: 0, count: n)
    for k in 0..<n {
      var s = 0.0
      for t in sparse.rowStart[k]..<sparse.rowStart[k + 1] { s += sparse.values[t] * v[sparse.columns[t]] }
      r[k] = s
    }
    return r
  }

  /// Moves along the direction opened by the pending group `k`, whose column
  /// is (numerically) dependent on the factored ones: `k`'s group by ±1 and the
  /// factored columns by `∓H⁻¹h`, so that the curvature is (nearly) zero.
  /// A descending ray is followed to its line minimum or the first constraint;
  /// `false` when nothing stops it (the problem is unbounded). A flat ray
  /// (zero slope) either admits the column after all (tiny positive pivot) or
  /// moves `k` towards zero, which leaves the objective unchanged.
  mutating func rayStep(_ k: Int, relativeTolerance: Double) -> Bool {
    let g = gradient()
    let group = members(ofHead: k)
    var rowSum = [Double](repeating: 0, count: n)
    problem.hessian.elements.withUnsafeBufferPointer { h in
      for l in group { for t in 0..<n { rowSum[t] += h[l * n + t] } }
    }
    let coupling = columns.map { $0.reduce(0.0) { $0 + rowSum[$1] } }
    let v = columns.isEmpty ? [] : cholesky.solve(coupling)
    var delta = [Double](repeating: 0, count: n)
    for l in group { delta[l] = 1 }
    for (a, col) in columns.enumerated() { for l in col { delta[l] = -v[a] } }
    var slope = BLAS.dot(g, delta)
    let tolerance = relativeTolerance * gradientScale(g) * max(1, BLAS.norm(delta))

    if abs(slope) <= tolerance {
      if z[k] == 0 {
        pending = nil
        state[k] = .lower
        return true
      }
      if appendColumn(head: k, pivotTolerance: 0) {
        pending = nil
        return true
      }
      for l in 0..<n { delta[l] = -delta[l] }
      let (t, blocking) = maxStep(delta, limit: .infinity)
      guard t.isFinite, let blocking else { return true }  // cannot happen: k's lower bound stops it
      apply(delta, fraction: t)
      block(blocking)
      return true
    }

    if slope > 0 {
      for l in 0..<n { delta[l] = -delta[l] }
      slope = -slope
    }
    let curvature = BLAS.dot(delta, hessianProduct(delta))
    let lineMinimum = curvature > 1e-13 * diagonalScale * BLAS.dot(delta, delta) ? -slope / curvature : Double.infinity
    let (t, blocking) = maxStep(delta, limit: lineMinimum)
    guard t.isFinite else { return false }
    apply(delta, fraction: t)
    if let blocking { block(blocking) }
    return true
  }

  /// Moves every free group's head by `fraction · delta[head]` (tied children follow).
  mutating func apply(_ delta: [Double], fraction: Double) {
    for h in freeHeads {
      var v = z[h] + fraction * delta[h]
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

  /// The largest fraction `t ∈ [0, limit]` of the per-variable step `delta` that
  /// keeps `z` feasible, and the constraint that limits it.
  func maxStep(_ delta: [Double], limit: Double) -> (Double, Blocking?) {
    var t = limit
    var blocking: Blocking? = nil
    for h in freeHeads {
      let d = delta[h]
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
    case .lower(let h), .upper(let h):
      removeColumn(head: h)
      if pending == h { pending = nil }
      if case .lower = b {
        state[h] = .lower
        z[h] = 0
      } else {
        state[h] = .upper
        z[h] = problem.upperBounds[h]
      }
      synchroniseTies()
    case .tie(let c):
      let p = problem.parents[c]!
      if state[c] == .free { removeColumn(head: c) }
      if pending == c { pending = nil }
      state[c] = .tied
      z[c] = z[p]
      if state[p] == .free {
        // The child joins its parent's column (a pending parent gets one now, or stays pending).
        if pending == p { pending = nil } else { removeColumn(head: p) }
        if !appendColumn(head: p) { makePending(p) }
      }
    }
  }

  /// The most negative multiplier of the working set (excluding refused
  /// variables), the variable whose constraint it belongs to, and the scale.
  func mostNegativeMultiplier(_ g: [Double], excluding refused: Set<Int>) -> (Int?, Double, Double) {
    let scale = gradientScale(g)
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

  /// Releases the working constraint of `k`; `false` when it cannot be released now.
  mutating func release(_ k: Int) -> Bool {
    switch state[k] {
    case .lower, .upper:
      let previous = state[k]
      state[k] = .free
      if appendColumn(head: k) { return true }
      guard pending == nil else {
        state[k] = previous
        return false
      }
      pending = k  // dependent column: the next iteration follows its ray
      return true
    case .tied:
      let p = problem.parents[k]!
      let parentFactored = state[p] == .free && pending != p
      if parentFactored { removeColumn(head: p) }
      state[k] = z[k] == 0 ? .lower : .free  // at zero the lower bound takes over from the tie
      if parentFactored, !appendColumn(head: p) { makePending(p) }
      if state[k] == .free, !appendColumn(head: k) { makePending(k) }
      return true
    case .free:
      return false
    }
  }
}
