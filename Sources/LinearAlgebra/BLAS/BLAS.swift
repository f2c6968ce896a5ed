#if canImport(Accelerate)
import Accelerate
#else
import CUnlearningBLAS
#endif
import Dispatch
import Foundation

/// The bridge to CBLAS and LAPACK: the only file that imports the BLAS shim.
///
/// All matrices are row-major (``Matrix``). Dimensions are checked with
/// preconditions: a shape mismatch here is a programming error, not bad input.
///
/// **Determinism.** Every BLAS and LAPACK call runs single-threaded: the first
/// use pins OpenBLAS to one thread, and nothing in the package changes that
/// again. Large level-3 products are cut by ``ProductTiling`` into tiles that
/// depend on the shape alone and run in parallel on Dispatch's workers. So a
/// result's bits depend on the operands and the kernel set (`coreName`) only,
/// not on the number of cores, `OPENBLAS_NUM_THREADS`, concurrent callers or
/// load. They may still differ between kernel sets (machines), which round the
/// same sums differently.
public enum BLAS {
  /// Pins OpenBLAS to one thread, once, before the first call into it.
  private static let singleThreaded: Void = {
    #if !canImport(Accelerate)
    openblas_set_num_threads(1)
    #endif
  }()

  /// Every entry point calls this first.
  @inline(__always)
  private static func pinThreads() { _ = singleThreaded }

  /// Whether to use a matrix as stored or transposed in a product: `op(A)` is
  /// `A` for `none` and `Aᵀ` for `transposed`.
  public enum Transpose: Sendable { case none, transposed }

  @inline(__always)
  private static func cblasTranspose(_ t: Transpose) -> CBLAS_TRANSPOSE {
    t == .none ? CblasNoTrans : CblasTrans
  }

  // MARK: Level 3

  /// The general matrix product `C ← α op(A) op(B) + β C` (`dgemm`), in place.
  ///
  /// Products of at least ``ProductTiling/parallelThreshold`` multiply–adds are
  /// cut into the tiles of ``ProductTiling`` and run in parallel; the result's
  /// bits do not depend on the number of cores (see the type's note).
  ///
  /// - Parameters:
  ///   - a: `A`; `op(A)` must be `m × k`.
  ///   - transA: Whether to use `A` or `Aᵀ`.
  ///   - b: `B`; `op(B)` must be `k × n`.
  ///   - transB: Whether to use `B` or `Bᵀ`.
  ///   - alpha: The factor `α` of the product; 1 by default.
  ///   - beta: The factor `β` of the old `C`; 0 (overwrite) by default.
  ///   - c: `C`, `m × n`, updated in place.
  /// - Complexity: O(mnk).
  public static func gemm(
    _ a: Matrix, _ transA: Transpose = .none,
    _ b: Matrix, _ transB: Transpose = .none,
    alpha: Double = 1, beta: Double = 0, into c: inout Matrix
  ) {
    let (m, k) = transA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
    let (kb, n) = transB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
    precondition(k == kb, "gemm: inner dimensions \(k) and \(kb) differ")
    precondition(c.rows == m && c.columns == n, "gemm: output is \(c.rows)×\(c.columns), expected \(m)×\(n)")
    if m == 0 || n == 0 { return }
    if k == 0 {
      for i in c.elements.indices { c.elements[i] *= beta }
      return
    }
    pinThreads()
    let lda = max(a.columns, 1), ldb = max(b.columns, 1), ldc = max(n, 1)
    let tiling = ProductTiling(rows: m, columns: n, inner: k)
    a.elements.withUnsafeBufferPointer { pa in
      b.elements.withUnsafeBufferPointer { pb in
        c.elements.withUnsafeMutableBufferPointer { pc in
          let p = TileOperands(a: pa.baseAddress!, b: pb.baseAddress!, c: pc.baseAddress!)
          // Tile (rows I, columns J): rows I of op(A) are rows of A, or columns of A when transposed;
          // likewise columns J of op(B).
          let tile = { @Sendable (t: Int) in
            let (pa, pb, pc) = (p.a, p.b, p.c)
            let (rows, columns) = tiling[t]
            let at = transA == .none ? pa + rows.lowerBound * lda : pa + rows.lowerBound
            let bt = transB == .none ? pb + columns.lowerBound : pb + columns.lowerBound * ldb
            cblas_dgemm(
              CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB),
              Int32(rows.count), Int32(columns.count), Int32(k), alpha,
              at, Int32(lda), bt, Int32(ldb),
              beta, pc + rows.lowerBound * ldc + columns.lowerBound, Int32(ldc))
          }
          if tiling.count == 1 { tile(0) } else { DispatchQueue.concurrentPerform(iterations: tiling.count, execute: tile) }
        }
      }
    }
  }

  /// The product `op(A) op(B)` as a new matrix (``gemm(_:_:_:_:alpha:beta:into:)``
  /// with `α = 1`, `β = 0`).
  ///
  /// - Parameters:
  ///   - a: `A`; `op(A)` must be `m × k`.
  ///   - transA: Whether to use `A` or `Aᵀ`.
  ///   - b: `B`; `op(B)` must be `k × n`.
  ///   - transB: Whether to use `B` or `Bᵀ`.
  /// - Returns: The `m × n` product.
  /// - Complexity: O(mnk).
  public static func product(_ a: Matrix, _ transA: Transpose = .none, _ b: Matrix, _ transB: Transpose = .none) -> Matrix {
    let m = transA == .none ? a.rows : a.columns
    let n = transB == .none ? b.columns : b.rows
    var c = Matrix(rows: m, columns: n)
    gemm(a, transA, b, transB, into: &c)
    return c
  }

  /// The Gram matrix of the rows, `A Aᵀ`, full and exactly symmetric: the upper
  /// triangle by blocks (`dsyrk` on the diagonal blocks, `dgemm` above them, in
  /// parallel by ``ProductTiling/upperBlocks(order:inner:)``), then mirrored.
  ///
  /// This is how the kernel matrix `K = X Xᵀ` of MATH.md §1.1 and the Gram
  /// matrices of MATH.md §4.3 are formed.
  ///
  /// - Parameter a: `A`, `m × k`.
  /// - Returns: The `m × m` matrix `A Aᵀ`.
  /// - Complexity: O(m²k) for `A` of `m × k` (half the multiply–adds of
  ///   ``product(_:_:_:_:)``).
  public static func rowGram(_ a: Matrix) -> Matrix {
    let m = a.rows, k = a.columns
    var c = Matrix(rows: m, columns: m)
    if m == 0 || k == 0 { return c }
    pinThreads()
    let blocks = ProductTiling.upperBlocks(order: m, inner: k)
    a.elements.withUnsafeBufferPointer { pa in
      c.elements.withUnsafeMutableBufferPointer { pc in
        let p = TileOperands(a: pa.baseAddress!, b: pa.baseAddress!, c: pc.baseAddress!)
        let block = { @Sendable (t: Int) in
          let (pa, pc) = (p.a, p.c)
          let (i, j) = blocks[t]
          if i == j {
            cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(i.count), Int32(k),
                        1, pa + i.lowerBound * k, Int32(k), 0, pc + i.lowerBound * m + i.lowerBound, Int32(m))
          } else {
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(i.count), Int32(j.count), Int32(k),
                        1, pa + i.lowerBound * k, Int32(k), pa + j.lowerBound * k, Int32(k),
                        0, pc + i.lowerBound * m + j.lowerBound, Int32(m))
          }
        }
        if blocks.count == 1 { block(0) } else { DispatchQueue.concurrentPerform(iterations: blocks.count, execute: block) }
      }
    }
    for i in 0..<m { for j in 0..<i { c.elements[i * m + j] = c.elements[j * m + i] } }
    return c
  }

  // MARK: Level 2

  /// The matrix–vector product `y ← α op(A) x + β y` (`dgemv`), in place.
  ///
  /// - Parameters:
  ///   - a: `A`; `op(A)` must be `m × n`.
  ///   - trans: Whether to use `A` or `Aᵀ`.
  ///   - x: `x`, length n.
  ///   - alpha: The factor `α` of the product; 1 by default.
  ///   - beta: The factor `β` of the old `y`; 0 (overwrite) by default.
  ///   - y: `y`, length m, updated in place.
  /// - Complexity: O(mn).
  public static func gemv(_ a: Matrix, _ trans: Transpose = .none, _ x: [Double],
                          alpha: Double = 1, beta: Double = 0, into y: inout [Double]) {
    let (m, n) = trans == .none ? (a.rows, a.columns) : (a.columns, a.rows)
    precondition(x.count == n, "gemv: vector has \(x.count) entries, expected \(n)")
    precondition(y.count == m, "gemv: output has \(y.count) entries, expected \(m)")
    if m == 0 { return }
    if n == 0 {
      for i in y.indices { y[i] *= beta }
      return
    }
    pinThreads()
    a.elements.withUnsafeBufferPointer { pa in
      x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
          cblas_dgemv(CblasRowMajor, cblasTranspose(trans), Int32(a.rows), Int32(a.columns),
                      alpha, pa.baseAddress, Int32(max(a.columns, 1)), px.baseAddress, 1,
                      beta, py.baseAddress, 1)
        }
      }
    }
  }

  /// The product `op(A) x` as a new vector.
  ///
  /// - Parameters:
  ///   - a: `A`; `op(A)` must be `m × n`.
  ///   - trans: Whether to use `A` or `Aᵀ`.
  ///   - x: `x`, length n.
  /// - Returns: `op(A) x`, length m.
  /// - Complexity: O(mn).
  public static func product(_ a: Matrix, _ trans: Transpose = .none, _ x: [Double]) -> [Double] {
    var y = [Double](repeating: 0, count: trans == .none ? a.rows : a.columns)
    gemv(a, trans, x, into: &y)
    return y
  }

  /// Solves `L x = b` (or `Lᵀ x = b` when `transposed`) in place for a lower-triangular
  /// `L` stored row-major with leading dimension `lda` (`dtrsv`).
  ///
  /// Nothing is checked: the pointers must cover `n` rows of `lda ≥ n` entries
  /// and `n` entries respectively, and `L`'s diagonal must be non-zero.
  ///
  /// - Parameters:
  ///   - l: The first entry of `L`; only the lower triangle is read.
  ///   - n: The order of `L`.
  ///   - lda: The row stride of `L`'s storage, at least `n`.
  ///   - transposed: Whether to solve with `Lᵀ` (back substitution) instead of
  ///     `L` (forward substitution).
  ///   - x: On entry `b`, on return the solution `x`.
  /// - Complexity: O(n²).
  public static func solveLowerTriangular(_ l: UnsafePointer<Double>, order n: Int, leadingDimension lda: Int,
                                          transposed: Bool, _ x: UnsafeMutablePointer<Double>) {
    if n == 0 { return }
    pinThreads()
    cblas_dtrsv(CblasRowMajor, CblasLower, transposed ? CblasTrans : CblasNoTrans, CblasNonUnit,
                Int32(n), l, Int32(lda), x, 1)
  }

  // MARK: Level 1

  /// The inner product `⟨x, y⟩ = Σ_i x_i y_i` (`ddot`); 0 for empty vectors.
  ///
  /// - Precondition: `x.count == y.count`.
  /// - Complexity: O(p) for vectors of length p.
  public static func dot(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "dot: lengths \(x.count) and \(y.count) differ")
    if x.isEmpty { return 0 }
    pinThreads()
    return x.withUnsafeBufferPointer { px in
      y.withUnsafeBufferPointer { py in cblas_ddot(Int32(x.count), px.baseAddress, 1, py.baseAddress, 1) }
    }
  }

  /// The Euclidean norm `‖x‖ = √(Σ_i x_i²)`, computed without overflow (`dnrm2`);
  /// 0 for an empty vector.
  ///
  /// - Complexity: O(p) for a vector of length p.
  public static func norm(_ x: [Double]) -> Double {
    if x.isEmpty { return 0 }
    pinThreads()
    return x.withUnsafeBufferPointer { cblas_dnrm2(Int32(x.count), $0.baseAddress, 1) }
  }

  /// The update `y ← α x + y` (`daxpy`), in place.
  ///
  /// - Parameters:
  ///   - alpha: The factor `α`.
  ///   - x: `x`, as long as `y`.
  ///   - y: `y`, updated in place.
  /// - Complexity: O(p) for vectors of length p.
  public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
    precondition(x.count == y.count, "axpy: lengths \(x.count) and \(y.count) differ")
    if x.isEmpty { return }
    pinThreads()
    x.withUnsafeBufferPointer { px in
      y.withUnsafeMutableBufferPointer { py in cblas_daxpy(Int32(x.count), alpha, px.baseAddress, 1, py.baseAddress, 1) }
    }
  }

  // MARK: LAPACK

  /// The lower Cholesky factor `L` of a symmetric positive-definite matrix,
  /// `A = L Lᵀ` (`dpotrf`), or `nil` when the matrix is not numerically positive
  /// definite.
  ///
  /// Only the lower triangle of `a` is read; the strict upper triangle of the
  /// result is zero. A `0 × 0` matrix is returned as it is.
  ///
  /// - Parameter a: A square symmetric matrix of order n.
  /// - Returns: `L`, `n × n`, or `nil` when a pivot is not positive.
  /// - Complexity: O(n³).
  public static func choleskyFactor(_ a: Matrix) -> Matrix? {
    precondition(a.rows == a.columns, "Cholesky needs a square matrix")
    let n = a.rows
    if n == 0 { return a }
    pinThreads()
    // Row-major lower = column-major upper of the same buffer.
    var f = a.elements
    var info: Int32 = 0
    var uplo = Int8(UInt8(ascii: "U"))
    var nn = Int32(n), lda = Int32(n)
    f.withUnsafeMutableBufferPointer { pf in dpotrf_(&uplo, &nn, pf.baseAddress, &lda, &info) }
    if info != 0 { return nil }
    var l = Matrix(rows: n, columns: n, elements: f)
    for i in 0..<n { for j in (i + 1)..<n { l.elements[i * n + j] = 0 } }
    return l
  }

  // MARK: Runtime

  /// The name of the kernel set the BLAS library chose at load time
  /// (`openblas_get_corename`), e.g. `"Haswell"`, `"SkylakeX"`, `"Prescott"`;
  /// `"Accelerate"` on Apple platforms, `"unknown"` when OpenBLAS does not say.
  ///
  /// - Complexity: O(1).
  public static var coreName: String {
    #if canImport(Accelerate)
    return "Accelerate"
    #else
    guard let p = openblas_get_corename() else { return "unknown" }
    return String(cString: p)
    #endif
  }

  /// The number of threads each BLAS call uses: 1 once the package has made its
  /// first call (see the type's note on determinism).
  ///
  /// - Complexity: O(1).
  public static var threadCount: Int {
    #if canImport(Accelerate)
    return 1
    #else
    pinThreads()
    return Int(openblas_get_num_threads())
    #endif
  }

  /// The number of cores that run the tiles of a large product in parallel
  /// (the active processor count; it affects speed, never the result's bits).
  ///
  /// - Complexity: O(1).
  public static var tileWorkers: Int { ProcessInfo.processInfo.activeProcessorCount }
}

/// The operands of a tiled product, shared by the tiles: each tile reads `a` and
/// `b` and writes its own disjoint block of `c`, so sharing the pointers is safe.
private struct TileOperands: @unchecked Sendable {
  let a: UnsafePointer<Double>
  let b: UnsafePointer<Double>
  let c: UnsafeMutablePointer<Double>
}
