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
  /// Row-major storage, `rows * columns` entries.
  public var elements: [Double]

  /// A `rows × columns` matrix filled with `value`.
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
    self.rows = rows
    self.columns = columns
    self.elements = [Double](repeating: value, count: rows * columns)
  }

  /// A matrix over existing row-major storage.
  public init(rows: Int, columns: Int, elements: [Double]) {
    precondition(elements.count == rows * columns, "storage size \(elements.count) ≠ \(rows)×\(columns)")
    self.rows = rows
    self.columns = columns
    self.elements = elements
  }

  /// A matrix from an array of equally long rows.
  public init(_ rowArrays: [[Double]]) {
    let columns = rowArrays.first?.count ?? 0
    precondition(rowArrays.allSatisfy { $0.count == columns }, "rows of different lengths")
    self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
  }

  /// The `n × n` identity.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m.elements[i * n + i] = 1 }
    return m
  }

  @inlinable
  public subscript(row: Int, column: Int) -> Double {
    get { elements[row * columns + column] }
    set { elements[row * columns + column] = newValue }
  }

  /// Row `i` as a new array.
  public func row(_ i: Int) -> [Double] {
    Array(elements[(i * columns)..<((i + 1) * columns)])
  }

  /// The rows at `indices`, in that order.
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

  /// The transpose (a copy).
  public var transposed: Matrix {
    var t = Matrix(rows: columns, columns: rows)
    for i in 0..<rows {
      for j in 0..<columns { t.elements[j * rows + i] = elements[i * columns + j] }
    }
    return t
  }

  /// The diagonal of a square matrix.
  public var diagonal: [Double] {
    (0..<Swift.min(rows, columns)).map { elements[$0 * columns + $0] }
  }

  /// The elementwise (Hadamard) product `self ∘ other`.
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

  /// Whether every entry is finite.
  public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }
}

extension Matrix: CustomStringConvertible {
  public var description: String {
    (0..<rows).map { i in row(i).map { String($0) }.joined(separator: " ") }.joined(separator: "\n")
  }
}
