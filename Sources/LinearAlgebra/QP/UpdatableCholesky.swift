/// A Cholesky factorisation `H = L Lᵀ` that grows and shrinks one row and
/// column at a time, in `O(k²)` per change.
///
/// The active-set QP solver keeps the reduced Hessian of its free columns in
/// this form: freeing a variable appends a column (a forward substitution),
/// fixing one deletes a column (Givens rotations restore the triangle), so no
/// iteration refactors from scratch.
public struct UpdatableCholesky: Sendable {
  /// Current order `k` of the factor.
  public private(set) var size: Int = 0
  private var capacity: Int
  /// Row-major lower factor with row stride `capacity`.
  private var factor: [Double]

  /// An empty factorisation with room for `capacity` rows before it grows.
  ///
  /// - Complexity: O(`capacity`²) (the storage is zeroed).
  public init(capacity: Int = 16) {
    self.capacity = max(capacity, 1)
    self.factor = [Double](repeating: 0, count: self.capacity * self.capacity)
  }

  /// The factorisation of a whole symmetric positive-definite `h` at once
  /// (LAPACK `dpotrf`), or `nil` when it is not numerically positive definite
  /// or a pivot is below `pivotTolerance` relative to its diagonal.
  ///
  /// - Parameters:
  ///   - h: A symmetric matrix of order k.
  ///   - pivotTolerance: The smallest accepted `L[i,i]² / H[i,i]`.
  /// - Complexity: O(k³).
  public init?(factoring h: Matrix, pivotTolerance: Double = 1e-12) {
    guard let l = BLAS.choleskyFactor(h) else { return nil }
    let k = h.rows
    for i in 0..<k where l[i, i] * l[i, i] <= pivotTolerance * h[i, i] { return nil }
    self.init(capacity: max(k, 16))
    for i in 0..<k { for j in 0...i { factor[i * capacity + j] = l[i, j] } }
    size = k
  }

  /// The entry `L[i, j]` of the lower factor (`i, j < size`; 0 above the diagonal).
  ///
  /// - Complexity: O(1).
  public func entry(_ i: Int, _ j: Int) -> Double { factor[i * capacity + j] }

  private mutating func reserve(_ n: Int) {
    guard n > capacity else { return }
    let newCapacity = max(n, 2 * capacity)
    var grown = [Double](repeating: 0, count: newCapacity * newCapacity)
    for i in 0..<size { for j in 0...i { grown[i * newCapacity + j] = factor[i * capacity + j] } }
    factor = grown
    capacity = newCapacity
  }

  /// Appends row/column `k` of `H`: `column[i] = H[i, k]` for `i < k`, and `H[k, k]`.
  ///
  /// Returns `false` (and leaves the factor unchanged) when the new pivot
  /// `H[k,k] − ‖ℓ‖²` is at most `pivotTolerance · H[k,k]`: the new column is
  /// numerically a combination of the existing ones.
  ///
  /// - Parameters:
  ///   - column: `H[i, k]` for `i < k`, length ``size``.
  ///   - diagonal: `H[k, k]`.
  ///   - pivotTolerance: The smallest accepted new pivot relative to `H[k, k]`.
  /// - Returns: Whether the column was appended.
  /// - Complexity: O(k²) (one forward substitution), plus O(k²) when the
  ///   storage grows.
  @discardableResult
  public mutating func append(column: [Double], diagonal: Double, pivotTolerance: Double = 1e-12) -> Bool {
    precondition(column.count == size, "append: column has \(column.count) entries, factor has order \(size)")
    reserve(size + 1)
    let k = size, c = capacity
    var l = column
    if k > 0 {
      factor.withUnsafeBufferPointer { f in
        l.withUnsafeMutableBufferPointer { l in
          BLAS.solveLowerTriangular(f.baseAddress!, order: k, leadingDimension: c, transposed: false, l.baseAddress!)
        }
      }
    }
    let squaredNorm = l.reduce(0.0) { $0 + $1 * $1 }
    let pivot = diagonal - squaredNorm
    guard diagonal > 0, pivot.isFinite, pivot > pivotTolerance * diagonal else { return false }
    for j in 0..<k { factor[k * c + j] = l[j] }
    factor[k * c + k] = pivot.squareRoot()
    size += 1
    return true
  }

  /// Deletes row and column `index` of `H`, restoring the triangle with Givens rotations.
  ///
  /// - Parameter index: The row/column to delete, in `0..<size`.
  /// - Complexity: O((k − index)²).
  public mutating func remove(at index: Int) {
    precondition(index >= 0 && index < size, "remove: index \(index) out of range 0..<\(size)")
    let k = size, c = capacity
    factor.withUnsafeMutableBufferPointer { f in
      // Drop row `index`: rows below move up and keep one entry right of their diagonal.
      for r in index..<(k - 1) {
        let dst = r * c, src = (r + 1) * c
        for j in 0...(r + 1) { f[dst + j] = f[src + j] }
      }
      for j in 0..<k { f[(k - 1) * c + j] = 0 }
      // Annihilate the superdiagonal entries (r, r+1) by rotating columns r and r+1. Rotation r is
      // found on row r after rotations index..<r reached it, and acts on rows q ≥ r; applied row by
      // row (contiguous in this row-major storage) each entry meets the same rotations in the same
      // order as column by column, so the result is the same to the bit.
      var cosines = [Double](repeating: 1, count: k), sines = [Double](repeating: 0, count: k)
      var rotates = [Bool](repeating: false, count: k)
      for q in index..<(k - 1) {
        let row = q * c
        for r in index..<q where rotates[r] {
          let cs = cosines[r], sn = sines[r]
          let x = f[row + r], y = f[row + r + 1]
          f[row + r] = cs * x + sn * y
          f[row + r + 1] = -sn * x + cs * y
        }
        let a = f[row + q], b = f[row + q + 1]
        if b == 0 { continue }
        let h = (a * a + b * b).squareRoot()
        let cs = a / h, sn = b / h
        cosines[q] = cs
        sines[q] = sn
        rotates[q] = true
        f[row + q] = cs * a + sn * b
        f[row + q + 1] = 0
      }
      // Column k-1 is now zero; keep diagonals positive.
      for r in index..<(k - 1) where f[r * c + r] < 0 {
        for q in r..<(k - 1) { f[q * c + r] = -f[q * c + r] }
      }
    }
    size -= 1
  }

  /// Solves `H x = b` by forward and back substitution (`L y = b`, `Lᵀ x = y`).
  ///
  /// - Parameter b: The right-hand side, length ``size``.
  /// - Returns: `x = H⁻¹ b`.
  /// - Complexity: O(k²).
  public func solve(_ b: [Double]) -> [Double] {
    precondition(b.count == size, "solve: right-hand side has \(b.count) entries, factor has order \(size)")
    let k = size, c = capacity
    var x = b
    if k == 0 { return x }
    factor.withUnsafeBufferPointer { f in
      x.withUnsafeMutableBufferPointer { x in
        BLAS.solveLowerTriangular(f.baseAddress!, order: k, leadingDimension: c, transposed: false, x.baseAddress!)
        BLAS.solveLowerTriangular(f.baseAddress!, order: k, leadingDimension: c, transposed: true, x.baseAddress!)
      }
    }
    return x
  }
}
