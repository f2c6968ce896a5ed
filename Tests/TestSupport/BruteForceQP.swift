import LinearAlgebra

/// Brute force for ``BoundedQuadraticProgram``: enumerate every working set
/// (each variable at its lower bound, its upper bound, tied to its parent, or
/// free), minimise on each face by a dense solve, keep the feasible face
/// minimisers, return the best. Exponential; for a handful of variables only.
public enum BruteForceQP {
  public static func solve(_ p: BoundedQuadraticProgram) -> (z: [Double], objective: Double) {
    let n = p.variableCount
    // 0 = lower, 1 = free, 2 = upper (parents with a finite bound) or tied (children).
    var choice = [Int](repeating: 0, count: n)
    var best: ([Double], Double)? = nil
    func options(_ k: Int) -> Int {
      if p.parents[k] != nil { return 3 }
      return p.upperBounds[k] < .infinity ? 3 : 2
    }
    while true {
      if let z = faceMinimizer(p, choice) {
        if p.infeasibility(z) <= 1e-9 {
          let f = p.objective(z)
          if best == nil || f < best!.1 { best = (z, f) }
        }
      }
      var k = 0
      while k < n {
        choice[k] += 1
        if choice[k] < options(k) { break }
        choice[k] = 0
        k += 1
      }
      if k == n { break }
    }
    return (best!.0, best!.1)
  }

  /// The minimiser of the objective on one face, or nil when the face is empty or singular.
  static func faceMinimizer(_ p: BoundedQuadraticProgram, _ choice: [Int]) -> [Double]? {
    let n = p.variableCount
    // Express z = P v + z0 with v the free group values.
    var z0 = [Double](repeating: 0, count: n)
    var groupOf = [Int](repeating: -1, count: n)
    var groups = 0
    for k in 0..<n where p.parents[k] == nil {
      switch choice[k] {
      case 1: groupOf[k] = groups; groups += 1
      case 2: z0[k] = p.upperBounds[k]
      default: break
      }
    }
    for k in 0..<n {
      guard let parent = p.parents[k] else { continue }
      switch choice[k] {
      case 1: groupOf[k] = groups; groups += 1
      case 2: groupOf[k] = groupOf[parent]; z0[k] = z0[parent]
      default: break
      }
    }
    if groups == 0 { return z0 }
    // Reduced system (Pᵀ G P) v = Pᵀ (c − G z0).
    let g = p.hessian
    var h = Matrix(rows: groups, columns: groups)
    var r = [Double](repeating: 0, count: groups)
    let gz0 = BLAS.product(g, .none, z0)
    for k in 0..<n where groupOf[k] >= 0 {
      r[groupOf[k]] += p.linearTerm[k] - gz0[k]
      for l in 0..<n where groupOf[l] >= 0 { h[groupOf[k], groupOf[l]] += g[k, l] }
    }
    guard let v = gaussianSolve(h, r) else { return nil }
    var z = z0
    for k in 0..<n where groupOf[k] >= 0 { z[k] += v[groupOf[k]] }
    return z
  }

  /// Gaussian elimination with partial pivoting; nil when singular.
  public static func gaussianSolve(_ a: Matrix, _ b: [Double]) -> [Double]? {
    let n = b.count
    var m = a, x = b
    let scale = m.elements.map(abs).max() ?? 1
    for col in 0..<n {
      var piv = col
      for r in col..<n where abs(m[r, col]) > abs(m[piv, col]) { piv = r }
      if abs(m[piv, col]) <= 1e-13 * scale { return nil }
      if piv != col {
        for c in 0..<n { let t = m[col, c]; m[col, c] = m[piv, c]; m[piv, c] = t }
        x.swapAt(col, piv)
      }
      for r in (col + 1)..<n {
        let f = m[r, col] / m[col, col]
        if f == 0 { continue }
        for c in col..<n { m[r, c] -= f * m[col, c] }
        x[r] -= f * x[col]
      }
    }
    for r in stride(from: n - 1, through: 0, by: -1) {
      var s = x[r]
      for c in (r + 1)..<n { s -= m[r, c] * x[c] }
      x[r] = s / m[r, r]
    }
    return x
  }
}
