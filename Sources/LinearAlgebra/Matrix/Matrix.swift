/// A dense, row-major matrix of `Double`.
///
/// Element `(i, j)` is stored at `elements[i * columns + j]`. Products go
/// through ``BLAS``; this type only owns storage and offers the elementwise
/// conveniences the numerical code needs.
public struct Matrix: Sendable, Equatable {
  /// Number of rows.
  public let rows: Int
  /// Number of columns.
  public let columns: Int
  /// Row-major storage, `rows * columns` entries; element `(i, j)` is at
  /// `i * columns + j`.
  public var elements: [Double]

  /// Creates a `rows × columns` matrix with every entry equal to `value`.
  ///
  /// - Parameters:
  ///   - rows: The number of rows, at least 0.
  ///   - columns: The number of columns, at least 0.
  ///   - value: The value of every entry; 0 by default.
  /// - Complexity: O(`rows · columns`).
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
    self.rows = rows
    self.columns = columns
    self.elements = [Double](repeating: value, count: rows * columns)
  }

  /// Creates a matrix over existing row-major storage.
  ///
  /// - Parameters:
  ///   - rows: The number of rows.
  ///   - columns: The number of columns.
  ///   - elements: The entries, row by row; exactly `rows * columns` of them.
  /// - Complexity: O(1) (the array is shared copy-on-write, not copied).
  public init(rows: Int, columns: Int, elements: [Double]) {
    precondition(elements.count == rows * columns, "storage size \(elements.count) ≠ \(rows)×\(columns)")
    self.rows = rows
    self.columns = columns
    self.elements = elements
  }

  /// Creates a matrix from an array of equally long rows.
  ///
  /// An empty array gives a `0 × 0` matrix.
  ///
  /// - Parameter rowArrays: The rows, in order, all of the same length.
  /// - Complexity: O(`rows · columns`).
  public init(_ rowArrays: [[Double]]) {
    let columns = rowArrays.first?.count ?? 0
    precondition(rowArrays.allSatisfy { $0.count == columns }, "rows of different lengths")
    self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
  }

  /// The `n × n` identity matrix.
  ///
  /// - Complexity: O(n²).
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m.elements[i * n + i] = 1 }
    return m
  }

  /// The entry in row `row` and column `column` (0-based).
  ///
  /// - Complexity: O(1).
  @inlinable
  public subscript(row: Int, column: Int) -> Double {
    get { elements[row * columns + column] }
    set { elements[row * columns + column] = newValue }
  }

  /// Row `i` as a new array.
  ///
  /// - Complexity: O(`columns`).
  public func row(_ i: Int) -> [Double] {
    Array(elements[(i * columns)..<((i + 1) * columns)])
  }

  /// The rows at `indices`, in that order, as a new matrix.
  ///
  /// Indices may repeat. This is how the retained set `S∖F` and the forget
  /// set `F` are cut out of `X` (MATH.md §1.1).
  ///
  /// - Parameter indices: Row indices, each in `0..<rows`.
  /// - Returns: An `indices.count × columns` matrix.
  /// - Complexity: O(`indices.count · columns`).
  public func selectingRows(_ indices: [Int]) -> Matrix {
    var result = Matrix(rows: indices.count, columns: columns)
    result.elements.withUnsafeMutableBufferPointer { dst in
      elements.withUnsafeBufferPointer { src in
        for (r, i) in indices.enumerated() {
          precondition(i >= 0 && i < rows, "row index \(i) out of range 0..<\(rows)")
          let from = src.baseAddress! + i * columns
          (dst.baseAddress! + r * columns).update(from: from, count: columns)
        }
      }
    }
    return result
  }

  /// The transpose, as a new `columns × rows` matrix.
  ///
  /// - Complexity: O(`rows · columns`).
  public var transposed: Matrix {
    var t = Matrix(rows: columns, columns: rows)
    for i in 0..<rows {
      for j in 0..<columns { t.elements[j * rows + i] = elements[i * columns + j] }
    }
    return t
  }

  /// The diagonal entries `(i, i)` for `i < min(rows, columns)`.
  ///
  /// - Complexity: O(min(`rows`, `columns`)).
  public var diagonal: [Double] {
    (0..<Swift.min(rows, columns)).map { elements[$0 * columns + $0] }
  }

  /// The elementwise (Hadamard) product `self ∘ other` (MATH.md's `∘`), as in
  /// the Gram forms `(y yᵀ) ∘ K` of MATH.md §4.3.
  ///
  /// - Parameter other: A matrix of the same shape.
  /// - Complexity: O(`rows · columns`).
  public func hadamard(_ other: Matrix) -> Matrix {
    precondition(rows == other.rows && columns == other.columns, "shape mismatch in Hadamard product")
    var result = self
    result.elements.withUnsafeMutableBufferPointer { r in
      other.elements.withUnsafeBufferPointer { o in
        for k in 0..<r.count { r[k] *= o[k] }
      }
    }
    return result
  }

  /// Whether every entry is finite (neither NaN nor ±∞).
  ///
  /// - Complexity: O(`rows · columns`).
  public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }
}

extension Matrix: CustomStringConvertible {
  /// The entries, one line per row, separated by spaces.
  ///
  /// - Complexity: O(`rows · columns`).
  public var description: String {
    (0..<rows).map { i in row(i).map { String($0) }.joined(separator: " ") }.joined(separator: "\n")
  }
}
