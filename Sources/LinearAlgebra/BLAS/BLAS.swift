#if canImport(Accelerate)
import Accelerate
#else
import CUnlearningBLAS
#endif

/// The bridge to CBLAS and LAPACK: the only file that imports the BLAS shim.
///
/// All matrices are row-major (``Matrix``). Dimensions are checked with
/// preconditions: a shape mismatch here is a programming error, not bad input.
public enum BLAS {
  /// Whether to use a matrix as stored or transposed in a product.
  public enum Transpose: Sendable { case none, transposed }

  @inline(__always)
  private static func cblasTranspose(_ t: Transpose) -> CBLAS_TRANSPOSE {
    t == .none ? CblasNoTrans : CblasTrans
  }

  // MARK: Level 3

  /// `C ← α op(A) op(B) + β C` (`dgemm`).
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
    a.elements.withUnsafeBufferPointer { pa in
      b.elements.withUnsafeBufferPointer { pb in
        c.elements.withUnsafeMutableBufferPointer { pc in
          cblas_dgemm(
            CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB),
            Int32(m), Int32(n), Int32(k), alpha,
            pa.baseAddress, Int32(max(a.columns, 1)), pb.baseAddress, Int32(max(b.columns, 1)),
            beta, pc.baseAddress, Int32(max(n, 1)))
        }
      }
    }
  }

  /// `op(A) op(B)` as a new matrix.
  public static func product(_ a: Matrix, _ transA: Transpose = .none, _ b: Matrix, _ transB: Transpose = .none) -> Matrix {
    let m = transA == .none ? a.rows : a.columns
    let n = transB == .none ? b.columns : b.rows
    var c = Matrix(rows: m, columns: n)
    gemm(a, transA, b, transB, into: &c)
    return c
  }

  /// The Gram matrix of the rows, `A Aᵀ`, full and symmetric (`dsyrk`, then mirrored).
  public static func rowGram(_ a: Matrix) -> Matrix {
    let m = a.rows
    var c = Matrix(rows: m, columns: m)
    if m == 0 || a.columns == 0 { return c }
    a.elements.withUnsafeBufferPointer { pa in
      c.elements.withUnsafeMutableBufferPointer { pc in
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(m), Int32(a.columns),
                    1, pa.baseAddress, Int32(a.columns), 0, pc.baseAddress, Int32(m))
      }
    }
    for i in 0..<m { for j in 0..<i { c.elements[i * m + j] = c.elements[j * m + i] } }
    return c
  }

  // MARK: Level 2

  /// `y ← α op(A) x + β y` (`dgemv`).
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

  /// `op(A) x` as a new vector.
  public static func product(_ a: Matrix, _ trans: Transpose = .none, _ x: [Double]) -> [Double] {
    var y = [Double](repeating: 0, count: trans == .none ? a.rows : a.columns)
    gemv(a, trans, x, into: &y)
    return y
  }

  /// Solves `L x = b` (or `Lᵀ x = b` when `transposed`) in place for a lower-triangular
  /// `L` stored row-major with leading dimension `lda` (`dtrsv`).
  public static func solveLowerTriangular(_ l: UnsafePointer<Double>, order n: Int, leadingDimension lda: Int,
                                          transposed: Bool, _ x: UnsafeMutablePointer<Double>) {
    if n == 0 { return }
    cblas_dtrsv(CblasRowMajor, CblasLower, transposed ? CblasTrans : CblasNoTrans, CblasNonUnit,
                Int32(n), l, Int32(lda), x, 1)
  }

  // MARK: Level 1

  /// `⟨x, y⟩` (`ddot`).
  public static func dot(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "dot: lengths \(x.count) and \(y.count) differ")
    if x.isEmpty { return 0 }
    return x.withUnsafeBufferPointer { px in
      y.withUnsafeBufferPointer { py in cblas_ddot(Int32(x.count), px.baseAddress, 1, py.baseAddress, 1) }
    }
  }

  /// `‖x‖₂`, computed without overflow (`dnrm2`).
  public static func norm(_ x: [Double]) -> Double {
    if x.isEmpty { return 0 }
    return x.withUnsafeBufferPointer { cblas_dnrm2(Int32(x.count), $0.baseAddress, 1) }
  }

  /// `y ← α x + y` (`daxpy`).
  public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
    precondition(x.count == y.count, "axpy: lengths \(x.count) and \(y.count) differ")
    if x.isEmpty { return }
    x.withUnsafeBufferPointer { px in
      y.withUnsafeMutableBufferPointer { py in cblas_daxpy(Int32(x.count), alpha, px.baseAddress, 1, py.baseAddress, 1) }
    }
  }

  // MARK: LAPACK

  /// The lower Cholesky factor of a symmetric positive-definite matrix (`dpotrf`),
  /// or `nil` when the matrix is not numerically positive definite.
  public static func choleskyFactor(_ a: Matrix) -> Matrix? {
    precondition(a.rows == a.columns, "Cholesky needs a square matrix")
    let n = a.rows
    if n == 0 { return a }
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
  /// (`openblas_get_corename`), e.g. `"Haswell"`, `"SkylakeX"`, `"Prescott"`.
  public static var coreName: String {
    #if canImport(Accelerate)
    return "Accelerate"
    #else
    guard let p = openblas_get_corename() else { return "unknown" }
    return String(cString: p)
    #endif
  }

  /// The number of threads BLAS uses.
  public static var threadCount: Int {
    get {
      #if canImport(Accelerate)
      return 1
      #else
      return Int(openblas_get_num_threads())
      #endif
    }
  }

  /// Sets the number of threads BLAS uses (no-op on Accelerate).
  public static func setThreadCount(_ n: Int) {
    #if !canImport(Accelerate)
    openblas_set_num_threads(Int32(max(1, n)))
    #endif
  }
}
