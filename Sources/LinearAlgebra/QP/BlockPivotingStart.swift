/// A starting point for ``ActiveSetQPSolver`` on large non-negative
/// least-squares problems: block principal pivoting (Júdice & Pires 1994;
/// Kim & Park 2011) for `min_{z ≥ 0} ½ zᵀGz − cᵀz`, ignoring upper bounds and
/// dominance ties. It exchanges whole blocks of variables between the free and
/// the fixed set at each step (one Cholesky factorisation of the free block per
/// step), so it usually finds the optimal face in a few dozen steps where
/// Lawson–Hanson adds one variable at a time. The active-set method then
/// starts from this face and certifies (or corrects) it, so the result keeps
/// its exactness; this only saves iterations.
enum BlockPivotingStart {
  /// The guess, or `nil` when a free block is numerically singular (the active
  /// set method then starts cold).
  static func guess(_ g: Matrix, _ c: [Double], maxSteps: Int = 60) -> [Double]? {
    let n = c.count
    var free = [Bool](repeating: false, count: n)
    var x = [Double](repeating: 0, count: n)
    var y = c.map { -$0 }  // G x − c
    var best = n + 1
    var backup = 3
    let cScale = c.map(abs).max() ?? 0
    for _ in 0..<maxSteps {
      let xScale = x.map(abs).max() ?? 0
      var gScale = cScale
      for i in 0..<n { gScale = max(gScale, abs(y[i] + c[i])) }
      var infeasible: [Int] = []
      for i in 0..<n where free[i] ? x[i] < -1e-12 * xScale : y[i] < -1e-12 * max(gScale, .leastNormalMagnitude) {
        infeasible.append(i)
      }
      if infeasible.isEmpty { return x }
      if infeasible.count < best {
        best = infeasible.count
        backup = 3
        for i in infeasible { free[i].toggle() }
      } else if backup > 0 {
        backup -= 1
        for i in infeasible { free[i].toggle() }
      } else {
        free[infeasible.last!].toggle()
      }
      let f = (0..<n).filter { free[$0] }
      x = [Double](repeating: 0, count: n)
      if !f.isEmpty {
        var h = Matrix(rows: f.count, columns: f.count)
        for (a, i) in f.enumerated() { for (b, j) in f.enumerated() { h[a, b] = g[i, j] } }
        guard let l = BLAS.choleskyFactor(h) else { return nil }
        for a in 0..<f.count where l[a, a] * l[a, a] <= 1e-12 * h[a, a] { return nil }
        var rhs = f.map { c[$0] }
        l.elements.withUnsafeBufferPointer { lp in
          rhs.withUnsafeMutableBufferPointer { r in
            BLAS.solveLowerTriangular(lp.baseAddress!, order: f.count, leadingDimension: f.count, transposed: false, r.baseAddress!)
            BLAS.solveLowerTriangular(lp.baseAddress!, order: f.count, leadingDimension: f.count, transposed: true, r.baseAddress!)
          }
        }
        for (a, i) in f.enumerated() { x[i] = rhs[a] }
      }
      y = c
      BLAS.gemv(g, .none, x, alpha: 1, beta: -1, into: &y)
      for i in f { y[i] = 0 }
    }
    return x.map { max($0, 0) }
  }
}
