/// An exact solver for a ``BoundedQuadraticProgram`` whose dominated variables come in blocks that `G`
/// does not couple (``BoundedQuadraticProgram/dominatedBlocks``): the κ-audit's QP (MATH.md §4.6),
///
///     minimise ½ zᵀGz − cᵀz   over z = (λ, μ),   λ ≥ 0,   0 ≤ μ_t ≤ λ_parent(t),
///     G_μμ block-diagonal by block (hidden unit).
///
/// **Method.** Block principal pivoting over working sets: each λ is *free* or *at 0*, each μ *at 0*,
/// *free* or *tied* to its parent. One step solves the face's equality-constrained problem exactly by a
/// Schur complement on the free λ-groups (`BlockSchurFace`: a Cholesky factor per block of free μ, the
/// tied μ folded into their parent's column), computes `g = Gz − c` and the working set's multipliers, and
/// exchanges *every* variable that violates its condition at once — a free variable below 0 or above its
/// parent by more than `10⁻¹² ‖z‖∞`, a μ at 0 with `g_t < 0`, a tied μ with `g_t > 0`, a λ at 0 with
/// `g_λ + Σ_children min(0, g_t) < 0` (it then frees with those children tied; the multiplier conditions
/// to `relativeTolerance · scale`, as below) — so that the pattern is
/// identified in a few steps instead of one variable per iteration. When the number of violations stops
/// falling for three steps, a single exchange (the highest variable index) is made instead (Murty's rule,
/// as in Júdice & Pires 1994). A free column with a pivot at most ``pivotTolerance`` times its diagonal
/// is numerically dependent on the others and is fixed at 0 instead.
///
/// **Exactness.** The final face is refined once (one more solve with the residual) and projected onto
/// the feasible set, and the result is accepted only when it satisfies the KKT conditions of the *whole*
/// problem with `G` itself (not the blocks): with `g = Gz − c` and `scale = max(‖c‖∞, ‖Gz‖∞, max_k G_kk ‖z‖∞)`,
/// every free group has `|Σ_group g| ≤ tol · scale`, a μ at 0 has `g_t ≥ −tol · scale`, a tied μ
/// `g_t ≤ tol · scale`, and a λ at 0 `g_λ + Σ_children min(0, g_t) ≥ −tol · scale` (the multipliers of
/// `λ ≥ 0`, `μ ≥ 0` and `μ ≤ λ` then exist and are ≥ −tol · scale; `tol` = ``relativeTolerance``, the
/// tolerance ``ActiveSetQPSolver`` stops at). Otherwise — no pattern within ``maxSteps`` steps, or the
/// check fails — ``fallback`` solves the problem from the structured point, so the answer is never
/// worse than ``ActiveSetQPSolver``'s. Problems without blocks or with finite upper bounds go to
/// ``fallback`` directly. Everything is sequential: the same input gives the same bits.
public struct BlockStructuredQPSolver: Sendable {
  /// Multipliers above `−relativeTolerance · scale` count as non-negative, as in ``ActiveSetQPSolver``.
  public var relativeTolerance: Double
  /// Relative pivot below which a free column counts as dependent.
  public var pivotTolerance: Double
  /// The most pivoting steps before falling back.
  public var maxSteps: Int
  /// The solver of problems without the structure, and of the rare structured ones whose pivoting does
  /// not end in a certified optimum.
  public var fallback: ActiveSetQPSolver

  /// Creates a solver.
  ///
  /// - Parameters:
  ///   - relativeTolerance: The KKT tolerance (``relativeTolerance``).
  ///   - pivotTolerance: The dependent-column threshold (``pivotTolerance``).
  ///   - maxSteps: The pivoting step limit (``maxSteps``).
  ///   - fallback: The general solver (``fallback``); by default one with the same tolerances.
  public init(relativeTolerance: Double = 1e-11, pivotTolerance: Double = 1e-12, maxSteps: Int = 100,
              fallback: ActiveSetQPSolver? = nil) {
    self.relativeTolerance = relativeTolerance
    self.pivotTolerance = pivotTolerance
    self.maxSteps = maxSteps
    self.fallback = fallback ?? ActiveSetQPSolver(relativeTolerance: relativeTolerance, pivotTolerance: pivotTolerance)
  }

  /// Whether `problem` has the structure this solver exploits: dominated blocks and no finite upper bound.
  ///
  /// - Complexity: O(N).
  public static func accepts(_ problem: BoundedQuadraticProgram) -> Bool {
    problem.dominatedBlocks != nil && problem.upperBounds.allSatisfy { $0 == .infinity }
  }

  /// Solves `problem` exactly: by block pivoting when it ``accepts(_:)`` it and the result passes the
  /// KKT check, otherwise by ``fallback`` (started from the pivoting's point, or from `warmStart`).
  ///
  /// - Parameters:
  ///   - problem: The program; `G` must be positive semidefinite.
  ///   - warmStart: A starting point (its zero/tie pattern is the first working set); `nil` starts at 0.
  /// - Returns: The minimiser; ``ActiveSetQPSolver/Solution/iterations`` counts pivoting steps plus any
  ///   fallback iterations.
  /// - Complexity: O(N²) for the check and the objective, O(N + m² + m b + Σ_j b_j²) to read the blocks,
  ///   and per pivoting step O(Σ_j (f_j³ + f_j² m + f_j m²) + m³ + m b) for f_j free μ in block j
  ///   (b dominated variables, m undominated); at most ``maxSteps`` steps. A fallback costs what
  ///   ``ActiveSetQPSolver/solve(_:warmStart:)`` costs.
  public func solve(_ problem: BoundedQuadraticProgram, warmStart: [Double]? = nil) -> ActiveSetQPSolver.Solution {
    guard Self.accepts(problem) else { return fallback.solve(problem, warmStart: warmStart) }
    let (certified, point, steps, dependent) = pivot(problem, warmStart: warmStart)
    if let certified { return certified }
    var solution = fallback.solve(problem, warmStart: point)
    solution.iterations += steps
    solution.dependentColumns += dependent
    return solution
  }

  /// The block-pivoting solution when it passes the KKT check, else `nil` (no fallback).
  ///
  /// - Parameters:
  ///   - problem: A program this solver ``accepts(_:)``.
  ///   - warmStart: A starting point, as for ``solve(_:warmStart:)``.
  /// - Complexity: as ``solve(_:warmStart:)`` without the fallback.
  public func solveStructured(_ problem: BoundedQuadraticProgram, warmStart: [Double]? = nil) -> ActiveSetQPSolver.Solution? {
    guard Self.accepts(problem) else { return nil }
    return pivot(problem, warmStart: warmStart).certified
  }

  /// A change of working set.
  private enum Exchange {
    case fixUndominated(Int)
    case freeUndominated(Int)
    case member(block: Int, member: Int, BlockStructure.MemberState)
  }

  /// The pivoting loop: the certified solution if any, the last feasible point, steps and dependent columns.
  private func pivot(_ problem: BoundedQuadraticProgram, warmStart: [Double]?)
    -> (certified: ActiveSetQPSolver.Solution?, point: [Double], steps: Int, dependent: Int) {
    let s = BlockStructure(problem)
    let n = problem.variableCount, m = s.undominated.count
    var free = [Bool](repeating: false, count: m)
    var states = s.blocks.map { [BlockStructure.MemberState](repeating: .lower, count: $0.count) }
    if let warm = warmStart, warm.count == n {
      for a in 0..<m { free[a] = warm[s.undominated[a]].isFinite && warm[s.undominated[a]] > 0 }
      for j in 0..<s.blocks.count {
        for t in 0..<s.blocks[j].count {
          let p = s.parentPosition[j][t]
          guard free[p], warm[s.blocks[j][t]].isFinite else { continue }
          let parent = warm[s.undominated[p]], v = min(max(warm[s.blocks[j][t]], 0), parent)
          states[j][t] = v == 0 ? .lower : (v == parent ? .tied : .free)
        }
      }
    }
    let diagonalScale = max(problem.hessian.diagonal.max() ?? 0, .leastNormalMagnitude)
    let cScale = problem.linearTerm.reduce(0) { max($0, abs($1)) }
    func scale(_ z: [Double], _ g: [Double]) -> Double {
      var v = cScale, zMax = 0.0
      for k in 0..<n {
        v = max(v, abs(g[k] + problem.linearTerm[k]))
        zMax = max(zMax, abs(z[k]))
      }
      v = max(v, diagonalScale * zMax)
      return v == 0 ? 1 : v
    }
    func fixUndominated(_ a: Int) {
      free[a] = false
      for (j, t) in s.children[a] { states[j][t] = .lower }
    }

    var z = [Double](repeating: 0, count: n)
    var dependent = 0, steps = 0
    var best = Int.max, backup = 3
    var face: BlockSchurFace? = nil
    while steps < maxSteps {
      steps += 1
      // Factor the face, fixing numerically dependent columns at 0.
      var factored: BlockSchurFace? = nil
      while factored == nil {
        switch BlockSchurFace.factor(s, undominatedFree: free, memberStates: states, pivotTolerance: pivotTolerance) {
        case .factor(let f): factored = f
        case .dependentUndominated(let a): fixUndominated(a); dependent += 1
        case .dependentMember(let j, let t): states[j][t] = .lower; dependent += 1
        }
      }
      face = factored
      z = factored!.solve(s, problem.linearTerm)
      let g = s.gradient(z)
      let sc = scale(z, g)
      let dualTolerance = relativeTolerance * sc
      let primalTolerance = 1e-12 * (z.reduce(0) { max($0, abs($1)) })
      var exchanges: [(variable: Int, exchange: Exchange)] = []
      for a in 0..<m {
        let k = s.undominated[a]
        if free[a] {
          if z[k] < -primalTolerance { exchanges.append((k, .fixUndominated(a))) }
          for (j, t) in s.children[a] {
            let v = z[s.blocks[j][t]], gt = g[s.blocks[j][t]]
            switch states[j][t] {
            case .free:
              if v < -primalTolerance {
                exchanges.append((s.blocks[j][t], .member(block: j, member: t, .lower)))
              } else if v - z[k] > primalTolerance {
                exchanges.append((s.blocks[j][t], .member(block: j, member: t, .tied)))
              }
            case .lower: if gt < -dualTolerance { exchanges.append((s.blocks[j][t], .member(block: j, member: t, .free))) }
            case .tied: if gt > dualTolerance { exchanges.append((s.blocks[j][t], .member(block: j, member: t, .free))) }
            }
          }
        } else {
          var v = g[k]
          for (j, t) in s.children[a] { v += min(0, g[s.blocks[j][t]]) }
          if v < -dualTolerance { exchanges.append((k, .freeUndominated(a))) }
        }
      }
      if exchanges.isEmpty { break }
      if exchanges.count < best {
        best = exchanges.count
        backup = 3
      } else if backup > 0 {
        backup -= 1
      } else {
        exchanges = [exchanges.max { $0.variable < $1.variable }!]
      }
      // Member exchanges first: fixing a λ at 0 overrides its children.
      for (_, exchange) in exchanges {
        if case .member(let j, let t, let state) = exchange { states[j][t] = state }
      }
      for (_, exchange) in exchanges {
        switch exchange {
        case .fixUndominated(let a): fixUndominated(a)
        case .freeUndominated(let a):
          free[a] = true
          for (j, t) in s.children[a] { states[j][t] = g[s.blocks[j][t]] < 0 ? .tied : .lower }
        case .member: break
        }
      }
      face = nil
    }
    guard let face else { return (nil, project(z, s, free, states), steps, dependent) }

    // One refinement of the final face, then the exact projection onto the working set.
    let residual = s.gradient(z).map { -$0 }
    let correction = face.solve(s, residual)
    for k in 0..<n { z[k] += correction[k] }
    z = project(z, s, free, states)

    // The KKT conditions of the whole problem, with G itself.
    let g = problem.gradient(z)
    let sc = scale(z, g)
    var worst = 0.0
    for a in 0..<m {
      let k = s.undominated[a]
      if z[k] == 0 {
        var v = g[k]
        for (j, t) in s.children[a] { v += min(0, g[s.blocks[j][t]]) }
        worst = max(worst, -v)
      } else {
        var group = g[k]
        for (j, t) in s.children[a] {
          let l = s.blocks[j][t]
          if z[l] == z[k] {
            group += g[l]
            worst = max(worst, g[l])
          } else if z[l] == 0 {
            worst = max(worst, -g[l])
          } else {
            worst = max(worst, abs(g[l]))
          }
        }
        worst = max(worst, abs(group))
      }
    }
    let violation = worst / sc
    guard violation <= relativeTolerance else { return (nil, z, steps, dependent) }
    return (ActiveSetQPSolver.Solution(z: z, status: .optimal, iterations: steps, dualInfeasibility: violation,
                                       dependentColumns: dependent, objective: problem.objective(z)), z, steps, dependent)
  }

  /// `z` moved onto the working set exactly and made feasible: fixed variables 0, tied μ equal to their
  /// parent, free λ at least 0, free μ in `[0, λ]`.
  private func project(_ z: [Double], _ s: BlockStructure, _ free: [Bool], _ states: [[BlockStructure.MemberState]]) -> [Double] {
    var p = z
    for (a, k) in s.undominated.enumerated() { p[k] = free[a] ? max(z[k], 0) : 0 }
    for j in 0..<s.blocks.count {
      for (t, k) in s.blocks[j].enumerated() {
        let parent = p[s.undominated[s.parentPosition[j][t]]]
        switch states[j][t] {
        case .lower: p[k] = 0
        case .tied: p[k] = parent
        case .free: p[k] = min(max(z[k], 0), parent)
        }
      }
    }
    return p
  }
}
