import LinearAlgebra

/// What a NumPy array and a safetensors tensor share: a shape and the
/// elements in C (row-major) order, converted to `Double`.
public protocol ShapedValues: Sendable {
  /// The dimensions.
  var shape: [Int] { get }
  /// The elements in C order; `values.count` is the product of `shape`.
  var values: [Double] { get }
  /// How a shape is written in messages (`(4, 3)` for NumPy, `[4, 3]` for safetensors).
  static func describe(shape: [Int]) -> String
}

extension ShapedValues {
  /// The number of elements.
  ///
  /// - Complexity: O(1).
  public var count: Int { values.count }

  /// The values as a matrix when the shape is 2-D, `nil` otherwise.
  ///
  /// - Complexity: O(1) (the storage is shared).
  public var matrix: Matrix? {
    shape.count == 2 ? Matrix(rows: shape[0], columns: shape[1], elements: values) : nil
  }

  /// The product of `shape`, or `nil` when it overflows `Int`.
  static func elementCount(_ shape: [Int]) -> Int? {
    var count = 1
    for n in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: n)
      if overflow { return nil }
      count = product
    }
    return count
  }

  /// Checks that `shape` has no negative dimension, a representable size, and `valueCount` elements.
  static func checkShape(_ shape: [Int], valueCount: Int) throws {
    guard shape.allSatisfy({ $0 >= 0 }) else {
      throw FileFormatError(.invalidContents, file: nil, "negative dimension in shape \(describe(shape: shape))")
    }
    guard let count = elementCount(shape) else {
      throw FileFormatError(.sizeOverflow, file: nil, "shape \(describe(shape: shape)) has too many elements")
    }
    guard valueCount == count else {
      throw FileFormatError(
        .invalidContents, file: nil,
        "shape \(describe(shape: shape)) has \(count) elements but \(valueCount) values were given")
    }
  }
}
