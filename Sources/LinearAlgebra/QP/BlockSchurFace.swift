/// The minimiser of a block-structured QP on one face, by a Schur complement on the undominated
/// variables (see ``BlockStructuredQPSolver`` and MATH.md §4.6).
///
/// A face fixes some undominated variables `λ_a` at 0, and each dominated `μ_t` at 0 (*lower*), at its
/// parent (*tied*, `μ_t = λ_p(t)`) or *free*. With `P` the matrix whose columns are the free groups
/// (`e_a + Σ_{t tied to a} e_t` for a free `λ_a`, `e_t` for a free `μ_t`), the face's reduced system
/// `(PᵀGP) w = Pᵀv` is
///
///     [ H    C_1ᵀ … C_Bᵀ ] [ w_λ ]   [ r_λ ]
///     [ C_1  H_1        ] [ w_1 ] = [ r_1 ]        (H_j = G of block j's free μ, C_j its coupling
///     [ ⋮         ⋱     ] [  ⋮  ]   [  ⋮  ]         to the λ-groups, tied μ folded into their parent)
///     [ C_B         H_B ] [ w_B ]   [ r_B ]
///
/// since `G` has no entries between different blocks. With `H_j = L_j L_jᵀ` and `X_j = L_j⁻¹ C_j`,
///
///     S = H − Σ_j X_jᵀ X_j,   S w_λ = r_λ − Σ_j X_jᵀ L_j⁻¹ r_j,   w_j = L_j⁻ᵀ (L_j⁻¹ r_j − X_j w_λ).
struct BlockSchurFace {
  /// What a factorisation found: the factor, or a free variable whose column is (numerically) dependent on
  /// the others (a pivot at most `pivotTolerance` times its diagonal).
  enum Outcome {
    case factor(BlockSchurFace)
    case dependentUndominated(Int)
    case dependentMember(block: Int, member: Int)
  }

  /// Positions (in the undominated list) of the free λ, in order.
  let freeUndominated: [Int]
  /// Position of each undominated variable among the free ones, −1 when fixed.
  let freeIndex: [Int]
  /// Per block, the free members and the tied members (positions in the block).
  let freeMembers: [[Int]]
  let tiedMembers: [[Int]]
  /// Per block, `L_j` (f × f, row-major) and `X_j` (f × m_F, row-major).
  let blockFactors: [[Double]]
  let couplings: [[Double]]
  /// The Cholesky factor of `S` (m_F × m_F, row-major).
  let schurFactor: [Double]

  /// Factors the face given by `undominatedFree` and `memberStates` of `structure`.
  ///
  /// - Complexity: O(Σ_j (f_j³ + f_j² m_F + f_j m_F²) + m_F³ + Σ_j t_j (m + t_j)) for f_j free and t_j tied
  ///   members of block j and m_F free undominated variables.
  static func factor(_ s: BlockStructure, undominatedFree: [Bool], memberStates: [[BlockStructure.MemberState]],
                     pivotTolerance: Double) -> Outcome {
    let m = s.undominated.count
    var freeIndex = [Int](repeating: -1, count: m)
    var fu: [Int] = []
    for a in 0..<m where undominatedFree[a] {
      freeIndex[a] = fu.count
      fu.append(a)
    }
    let mf = fu.count
    var h = [Double](repeating: 0, count: mf * mf)
    for (ia, a) in fu.enumerated() { for (ib, b) in fu.enumerated() { h[ia * mf + ib] = s.guu[a * m + b] } }
    var freeMembers = [[Int]](repeating: [], count: s.blocks.count)
    var tiedMembers = [[Int]](repeating: [], count: s.blocks.count)
    for j in 0..<s.blocks.count {
      for (t, state) in memberStates[j].enumerated() {
        switch state {
        case .free: freeMembers[j].append(t)
        case .tied: tiedMembers[j].append(t)
        case .lower: break
        }
      }
      // Tied members fold into their parent's column: (e_p + e_s)ᵀ G (e_q + e_t).
      let bj = s.blocks[j].count
      let gud = s.gud[j], gdd = s.gdd[j]
      for sIndex in tiedMembers[j] {
        let ip = freeIndex[s.parentPosition[j][sIndex]]
        for (ia, a) in fu.enumerated() {
          let v = gud[a * bj + sIndex]
          h[ia * mf + ip] += v
          h[ip * mf + ia] += v
        }
        for tIndex in tiedMembers[j] {
          h[ip * mf + freeIndex[s.parentPosition[j][tIndex]]] += gdd[sIndex * bj + tIndex]
        }
      }
    }
    let diagonal = (0..<mf).map { h[$0 * mf + $0] }
    var schur = h
    var blockFactors = [[Double]](repeating: [], count: s.blocks.count)
    var couplings = [[Double]](repeating: [], count: s.blocks.count)
    for j in 0..<s.blocks.count where !freeMembers[j].isEmpty {
      let free = freeMembers[j], f = free.count, bj = s.blocks[j].count
      let gud = s.gud[j], gdd = s.gdd[j]
      var l = [Double](repeating: 0, count: f * f)
      for (x, t) in free.enumerated() { for (y, u) in free.enumerated() { l[x * f + y] = gdd[t * bj + u] } }
      if let bad = choleskyInPlace(&l, order: f, pivotTolerance: pivotTolerance) {
        return .dependentMember(block: j, member: free[bad])
      }
      var x = [Double](repeating: 0, count: f * mf)
      for (row, t) in free.enumerated() {
        for (ia, a) in fu.enumerated() { x[row * mf + ia] = gud[a * bj + t] }
        for sIndex in tiedMembers[j] { x[row * mf + freeIndex[s.parentPosition[j][sIndex]]] += gdd[sIndex * bj + t] }
      }
      // X = L⁻¹ C, row by row, then S −= XᵀX.
      for row in 0..<f {
        for k in 0..<row {
          let lk = l[row * f + k]
          if lk != 0 { for col in 0..<mf { x[row * mf + col] -= lk * x[k * mf + col] } }
        }
        let pivot = l[row * f + row]
        for col in 0..<mf { x[row * mf + col] /= pivot }
      }
      for row in 0..<f {
        for ia in 0..<mf {
          let v = x[row * mf + ia]
          if v == 0 { continue }
          for ib in 0..<mf { schur[ia * mf + ib] -= v * x[row * mf + ib] }
        }
      }
      blockFactors[j] = l
      couplings[j] = x
    }
    if let bad = choleskyInPlace(&schur, order: mf, pivotTolerance: pivotTolerance, reference: diagonal) {
      return .dependentUndominated(fu[bad])
    }
    return .factor(BlockSchurFace(freeUndominated: fu, freeIndex: freeIndex, freeMembers: freeMembers, tiedMembers: tiedMembers,
                                  blockFactors: blockFactors, couplings: couplings, schurFactor: schur))
  }

  /// Solves `(PᵀGP) w = Pᵀv` for a vector `v` over all variables and returns `P w` (the point of the face's
  /// subspace; fixed variables 0, tied ones equal to their parent).
  ///
  /// - Complexity: O(Σ_j (f_j² + f_j m_F + t_j) + m_F² + N).
  func solve(_ s: BlockStructure, _ v: [Double]) -> [Double] {
    let mf = freeUndominated.count
    var r = freeUndominated.map { v[s.undominated[$0]] }
    for j in 0..<s.blocks.count {
      for t in tiedMembers[j] { r[freeIndex[s.parentPosition[j][t]]] += v[s.blocks[j][t]] }
    }
    var ys = [[Double]](repeating: [], count: s.blocks.count)
    for j in 0..<s.blocks.count where !freeMembers[j].isEmpty {
      let free = freeMembers[j], f = free.count, l = blockFactors[j], x = couplings[j]
      var y = free.map { v[s.blocks[j][$0]] }
      Self.forward(l, f, &y)
      for row in 0..<f where y[row] != 0 { for ia in 0..<mf { r[ia] -= x[row * mf + ia] * y[row] } }
      ys[j] = y
    }
    Self.forward(schurFactor, mf, &r)
    Self.backward(schurFactor, mf, &r)
    var z = [Double](repeating: 0, count: s.variableCount)
    for (ia, a) in freeUndominated.enumerated() { z[s.undominated[a]] = r[ia] }
    for j in 0..<s.blocks.count {
      for t in tiedMembers[j] { z[s.blocks[j][t]] = z[s.undominated[s.parentPosition[j][t]]] }
      guard !freeMembers[j].isEmpty else { continue }
      let free = freeMembers[j], f = free.count, x = couplings[j]
      var y = ys[j]
      for row in 0..<f { for ia in 0..<mf { y[row] -= x[row * mf + ia] * r[ia] } }
      Self.backward(blockFactors[j], f, &y)
      for (row, t) in free.enumerated() { z[s.blocks[j][t]] = y[row] }
    }
    return z
  }

  /// In-place lower Cholesky factor of the row-major `a` (order `n`); returns the first index whose pivot
  /// `L_kk²` is at most `pivotTolerance` times `reference[k]` (default the diagonal of `a`), or is not positive.
  ///
  /// - Complexity: O(n³).
  static func choleskyInPlace(_ a: inout [Double], order n: Int, pivotTolerance: Double, reference: [Double]? = nil) -> Int? {
    let reference = reference ?? (0..<n).map { a[$0 * n + $0] }
    for k in 0..<n {
      var d = a[k * n + k]
      for p in 0..<k { d -= a[k * n + p] * a[k * n + p] }
      guard d > pivotTolerance * reference[k], d > 0 else { return k }
      let lkk = d.squareRoot()
      a[k * n + k] = lkk
      for i in (k + 1)..<max(n, k + 1) {
        var v = a[i * n + k]
        for p in 0..<k { v -= a[i * n + p] * a[k * n + p] }
        a[i * n + k] = v / lkk
      }
    }
    for i in 0..<n { for k in (i + 1)..<max(n, i + 1) { a[i * n + k] = 0 } }
    return nil
  }

  /// `y ← L⁻¹ y` for the row-major lower `l` of order `n`.
  static func forward(_ l: [Double], _ n: Int, _ y: inout [Double]) {
    for i in 0..<n {
      var v = y[i]
      for k in 0..<i { v -= l[i * n + k] * y[k] }
      y[i] = v / l[i * n + i]
    }
  }

  /// `y ← L⁻ᵀ y` for the row-major lower `l` of order `n`.
  static func backward(_ l: [Double], _ n: Int, _ y: inout [Double]) {
    var i = n - 1
    while i >= 0 {
      var v = y[i]
      for k in (i + 1)..<max(n, i + 1) { v -= l[k * n + i] * y[k] }
      y[i] = v / l[i * n + i]
      i -= 1
    }
  }
}
