import Dispatch
import Synchronization
import LinearAlgebra
import TestSupport
import Testing

@Suite("Products tiled by shape: correct, and the same bits for any caller")
struct ProductTilingTests {
  func random(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
    var rng = TestRandom(seed)
    return Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in rng.uniform() - 0.5 })
  }

  /// `op(A) op(B)` by the definition, with the bound `Σ_k |a_ik||b_kj|` of each entry.
  func naive(_ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool) -> (value: Matrix, scale: Matrix) {
    let m = ta ? a.columns : a.rows, k = ta ? a.rows : a.columns, n = tb ? b.rows : b.columns
    var c = Matrix(rows: m, columns: n), s = Matrix(rows: m, columns: n)
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0, abs = 0.0
        for l in 0..<k {
          let x = ta ? a[l, i] : a[i, l], y = tb ? b[j, l] : b[l, j]
          sum += x * y
          abs += Swift.abs(x * y)
        }
        c[i, j] = sum
        s[i, j] = abs
      }
    }
    return (c, s)
  }

  @Test("The tiles cover every output entry exactly once; small products are one tile",
        arguments: [(1, 1, 1), (5, 20_000, 40), (300, 1100, 20), (128, 512, 64), (129, 513, 64), (2000, 3, 1000), (10, 10, 10)])
  func partition(m: Int, n: Int, k: Int) {
    let tiling = ProductTiling(rows: m, columns: n, inner: k)
    var hits = [Int](repeating: 0, count: m * n)
    for t in 0..<tiling.count {
      let (rows, columns) = tiling[t]
      for i in rows { for j in columns { hits[i * n + j] += 1 } }
    }
    #expect(hits.allSatisfy { $0 == 1 })
    if m * n * k < ProductTiling.parallelThreshold { #expect(tiling.count == 1) }
    #expect(tiling.count <= ProductTiling.targetTiles)
    // Every block but the last of each side is a multiple of the alignment.
    for ranges in [tiling.rowRanges, tiling.columnRanges] {
      #expect(ranges.dropLast().allSatisfy { $0.count % ProductTiling.alignment == 0 })
    }
    // A pure function of the shape.
    #expect(tiling == ProductTiling(rows: m, columns: n, inner: k))
  }

  @Test("A tiled gemm is op(A) op(B) to within rounding, for every transpose and with α, β",
        arguments: [(false, false), (true, false), (false, true), (true, true)])
  func gemm(transA: Bool, transB: Bool) {
    let (m, n, k) = (300, 1100, 20)  // 6.6e6 multiply–adds: 8 tiles (2 row blocks × 4 column blocks)
    #expect(ProductTiling(rows: m, columns: n, inner: k).count == 8)
    let a = transA ? random(k, m, seed: 1) : random(m, k, seed: 1)
    let b = transB ? random(n, k, seed: 2) : random(k, n, seed: 2)
    let c0 = random(m, n, seed: 3)
    var c = c0
    BLAS.gemm(a, transA ? .transposed : .none, b, transB ? .transposed : .none, alpha: 2, beta: -0.5, into: &c)
    let (exact, scale) = naive(a, transA, b, transB)
    // Each entry is a k-term sum: |error| ≤ (k + 2) u (2 Σ|a||b| + 0.5 |c0|) with u = 2⁻⁵³ (Higham, §3.1).
    let u = Double.ulpOfOne / 2
    let outside = c.elements.indices.filter { idx in
      let want = 2 * exact.elements[idx] - 0.5 * c0.elements[idx]
      let bound = Double(k + 2) * u * (2 * scale.elements[idx] + 0.5 * abs(c0.elements[idx]))
      return abs(c.elements[idx] - want) > bound
    }
    #expect(outside.isEmpty, "\(outside.count) entries beyond the rounding bound")
  }

  @Test("A tiled Gram matrix is exactly symmetric and A Aᵀ to within rounding")
  func gram() {
    let a = random(300, 100, seed: 4)  // 300² · 100 / 2 = 4.5e6: 4 row blocks, 10 block pairs
    #expect(ProductTiling.upperBlocks(order: 300, inner: 100).count == 10)
    let g = BLAS.rowGram(a)
    let (exact, scale) = naive(a, false, a, true)
    let u = Double.ulpOfOne / 2
    var asymmetric = 0, outside = 0
    for i in 0..<300 {
      for j in 0..<300 {
        if g[i, j] != g[j, i] { asymmetric += 1 }
        if abs(g[i, j] - exact[i, j]) > 102 * u * scale[i, j] { outside += 1 }
      }
    }
    #expect(asymmetric == 0 && outside == 0)
  }

  @Test("The same product from 8 concurrent callers gives the bits of a lone call; BLAS runs one thread per call")
  func concurrentCallers() {
    // The shape of the random-feature lift whose bits once changed under load: X (5 × 40) times Rᵀ (40 × 20 000).
    let x = random(5, 40, seed: 5), r = random(20_000, 40, seed: 6), square = random(400, 400, seed: 7)
    let alone = BLAS.product(x, .none, r, .transposed), aloneGram = BLAS.rowGram(square)
    let results = Mutex<[Int: (product: Matrix, gram: Matrix)]>([:])
    DispatchQueue.concurrentPerform(iterations: 8) { t in
      let product = BLAS.product(x, .none, r, .transposed), gram = BLAS.rowGram(square)
      results.withLock { $0[t] = (product, gram) }
    }
    let all = results.withLock { $0 }
    #expect(all.count == 8)
    for (product, gram) in all.values {
      #expect(product == alone)
      #expect(gram == aloneGram)
    }
    #expect(BLAS.threadCount == 1)
  }
}
