import LinearAlgebra

/// A 1-D or 2-D numeric array as stored in a NumPy `.npy` file (MATH.md §8),
/// its values converted to `Double` in C (row-major) order.
public struct NumPyArray: ShapedValues, Equatable {
  /// The element types the reader accepts, by their NumPy `descr` string.
  ///
  /// Every one converts to `Double` exactly, except 64-bit integers beyond ±2⁵³,
  /// which round to the nearest double. The writer always uses ``float64``.
  public enum DType: String, Sendable, CaseIterable {
    /// `<f8`, little-endian float64 (the only type written).
    case float64 = "<f8"
    /// `<f4`, little-endian float32.
    case float32 = "<f4"
    /// `<f2`, little-endian IEEE binary16.
    case float16 = "<f2"
    /// `>f8`, big-endian float64.
    case float64BigEndian = ">f8"
    /// `>f4`, big-endian float32.
    case float32BigEndian = ">f4"
    /// `<i8`, little-endian int64 (exact up to ±2⁵³).
    case int64 = "<i8"
    /// `<i4`, little-endian int32.
    case int32 = "<i4"
    /// `<i2`, little-endian int16.
    case int16 = "<i2"
    /// `>i8`, big-endian int64 (exact up to ±2⁵³).
    case int64BigEndian = ">i8"
    /// `>i4`, big-endian int32.
    case int32BigEndian = ">i4"
    /// `|i1`, int8.
    case int8 = "|i1"
    /// `|u1`, uint8.
    case uint8 = "|u1"
    /// `|b1`, bool (0 or 1).
    case bool = "|b1"

    /// Bytes per element.
    public var itemSize: Int {
      switch self {
      case .float64, .float64BigEndian, .int64, .int64BigEndian: return 8
      case .float32, .float32BigEndian, .int32, .int32BigEndian: return 4
      case .float16, .int16: return 2
      case .int8, .uint8, .bool: return 1
      }
    }

    /// The NumPy name, with the byte order when it is not little-endian: `float64`, `float64 (big-endian)`.
    public var name: String {
      switch self {
      case .float64: return "float64"
      case .float32: return "float32"
      case .float16: return "float16"
      case .float64BigEndian: return "float64 (big-endian)"
      case .float32BigEndian: return "float32 (big-endian)"
      case .int64: return "int64"
      case .int32: return "int32"
      case .int16: return "int16"
      case .int64BigEndian: return "int64 (big-endian)"
      case .int32BigEndian: return "int32 (big-endian)"
      case .int8: return "int8"
      case .uint8: return "uint8"
      case .bool: return "bool"
      }
    }

    /// Whether the elements are integers (or booleans) rather than floating point.
    public var isInteger: Bool {
      switch self {
      case .float64, .float32, .float16, .float64BigEndian, .float32BigEndian: return false
      default: return true
      }
    }
  }

  /// The dimensions: `[n]` for a vector, `[rows, columns]` for a matrix.
  public let shape: [Int]
  /// The elements in C (row-major) order; `values.count` is the product of `shape`.
  public let values: [Double]
  /// The element type the values were read from (``DType/float64`` for arrays built in Swift).
  public let dtype: DType

  /// An array of the given shape, validated: rank 1 or 2, no negative
  /// dimension, and exactly one value per element.
  ///
  /// - Throws: ``FileFormatError`` (no file name): `.unsupported` for a rank
  ///   other than 1 or 2, `.invalidContents` for a negative dimension or a wrong
  ///   number of values, `.sizeOverflow` when the element count overflows `Int`.
  /// - Complexity: O(rank).
  public init(shape: [Int], values: [Double], dtype: DType = .float64) throws {
    guard shape.count == 1 || shape.count == 2 else {
      throw FileFormatError(.unsupported, file: nil, "a NumPyArray has 1 or 2 dimensions, not \(shape.count)")
    }
    try Self.checkShape(shape, valueCount: values.count)
    self.init(validatedShape: shape, values: values, dtype: dtype)
  }

  /// An array whose shape the caller has already validated.
  init(validatedShape shape: [Int], values: [Double], dtype: DType) {
    self.shape = shape
    self.values = values
    self.dtype = dtype
  }

  /// The `rows × columns` array holding `matrix` (float64).
  ///
  /// - Complexity: O(1) (the storage is shared).
  public init(_ matrix: Matrix) {
    self.init(validatedShape: [matrix.rows, matrix.columns], values: matrix.elements, dtype: .float64)
  }

  /// The 1-D array holding `vector` (float64).
  ///
  /// - Complexity: O(1) (the storage is shared).
  public init(vector: [Double]) {
    self.init(validatedShape: [vector.count], values: vector, dtype: .float64)
  }

  /// The position of flat C-order index `k` as NumPy prints it: `[7]` or `[3, 5]`.
  ///
  /// - Complexity: O(1).
  public func position(ofIndex k: Int) -> String {
    if shape.count == 2, shape[1] > 0 { return "[\(k / shape[1]), \(k % shape[1])]" }
    return "[\(k)]"
  }

  /// `20×1000` for a matrix, `5` for a vector (the form used in messages).
  static func describe(dimensions shape: [Int]) -> String {
    shape.map(String.init).joined(separator: "×")
  }

  /// The Python repr of a shape tuple: `(5,)`, `(4, 3)`, `()`.
  ///
  /// - Complexity: O(rank).
  public static func describe(shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }

  /// `NaN`, `+inf` or `-inf`, for messages about a non-finite value.
  static func describeNonFinite(_ x: Double) -> String {
    x.isNaN ? "NaN" : (x > 0 ? "+inf" : "-inf")
  }
}
