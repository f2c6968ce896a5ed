import LinearAlgebra
import TestSupport
import Testing

@Suite("Updatable Cholesky")
struct UpdatableCholeskyTests {
  func spd(_ n: Int, seed: UInt64) -> Matrix {
    var rng = TestRandom(seed)
    var j = Matrix(rows: n, columns: n + 3)
    for k in 0..<j.elements.count { j.elements[k] = rng.normal() }
    return BLAS.product(j, .none, j, .transposed)
  }

  func factor(of h: Matrix, order: [Int]) -> UpdatableCholesky {
    var f = UpdatableCholesky(capacity: 2)
    for (t, k) in order.enumerated() {
      let ok = f.append(column: order[0..<t].map { h[$0, k] }, diagonal: h[k, k])
      #expect(ok)
    }
    return f
  }

  @Test("Appending columns reproduces LAPACK's dpotrf")
  func appendMatchesLapack() throws {
    let h = spd(9, seed: 1)
    let f = factor(of: h, order: Array(0..<9))
    let l = try #require(BLAS.choleskyFactor(h))
    for i in 0..<9 { for j in 0...i { #expect(isClose(f.entry(i, j), l[i, j], tolerance: 1e-12)) } }
  }

  @Test("Removing a column equals factoring the matrix without it", arguments: [0, 3, 8])
  func removal(index: Int) throws {
    let h = spd(9, seed: 2)
    var f = factor(of: h, order: Array(0..<9))
    f.remove(at: index)
    let kept = (0..<9).filter { $0 != index }
    var reduced = Matrix(rows: 8, columns: 8)
    for (a, i) in kept.enumerated() { for (b, j) in kept.enumerated() { reduced[a, b] = h[i, j] } }
    let l = try #require(BLAS.choleskyFactor(reduced))
    for i in 0..<8 { for j in 0...i { #expect(isClose(f.entry(i, j), l[i, j], tolerance: 1e-10)) } }
    let b = (0..<8).map { Double($0) - 3.5 }
    let x = f.solve(b)
    let back = BLAS.product(reduced, .none, x)
    for i in 0..<8 { #expect(abs(back[i] - b[i]) <= 1e-9 * 4) }
  }

  @Test("A dependent column is refused")
  func dependentColumn() {
    // H = v vᵀ-like: second column equals the first.
    var f = UpdatableCholesky()
    let first = f.append(column: [], diagonal: 4)
    let second = f.append(column: [4], diagonal: 4)
    #expect(first && !second)
    #expect(f.size == 1)
  }
}
