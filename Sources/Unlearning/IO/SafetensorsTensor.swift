import LinearAlgebra

/// One tensor of a safetensors file (MATH.md §8): its stored element type, its
/// shape and its values converted to `Double` in C (row-major) order.
public struct SafetensorsTensor: ShapedValues, Equatable {
  /// The floating-point element types read (all convert to `Double` exactly) and written
  /// (rounded to nearest, ties to even).
  public enum DType: String, Sendable, CaseIterable {
    /// IEEE binary64.
    case f64 = "F64"
    /// IEEE binary32.
    case f32 = "F32"
    /// IEEE binary16.
    case f16 = "F16"
    /// bfloat16, the upper half of a binary32.
    case bf16 = "BF16"

    /// Bytes per element.
    public var itemSize: Int {
      switch self {
      case .f64: return 8
      case .f32: return 4
      case .f16, .bf16: return 2
      }
    }
  }

  /// The element type the values were read from or will be written as by default.
  public let dtype: DType
  /// The dimensions (any rank; `[]` is a scalar).
  public let shape: [Int]
  /// The elements in C order; `values.count` is the product of `shape`.
  public let values: [Double]

  /// A tensor, validated: no negative dimension and one value per element.
  ///
  /// - Throws: ``FileFormatError`` (no file name): `.invalidContents` for a
  ///   negative dimension or a wrong number of values, `.sizeOverflow` when the
  ///   element count overflows `Int`.
  /// - Complexity: O(rank).
  public init(shape: [Int], values: [Double], dtype: DType = .f64) throws {
    try Self.checkShape(shape, valueCount: values.count)
    self.init(validatedShape: shape, values: values, dtype: dtype)
  }

  init(validatedShape shape: [Int], values: [Double], dtype: DType) {
    self.shape = shape
    self.values = values
    self.dtype = dtype
  }

  /// The `rows × columns` tensor holding `matrix` (F64).
  ///
  /// - Complexity: O(1) (the storage is shared).
  public init(_ matrix: Matrix) {
    self.init(validatedShape: [matrix.rows, matrix.columns], values: matrix.elements, dtype: .f64)
  }

  /// The 1-D tensor holding `vector` (F64).
  ///
  /// - Complexity: O(1) (the storage is shared).
  public init(vector: [Double]) {
    self.init(validatedShape: [vector.count], values: vector, dtype: .f64)
  }

  /// The position of flat C-order index `k`, e.g. `[3, 5]`.
  ///
  /// - Complexity: O(rank).
  public func position(ofIndex k: Int) -> String {
    var rest = k
    var index = [Int](repeating: 0, count: shape.count)
    for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
      index[axis] = rest % shape[axis]
      rest /= shape[axis]
    }
    return "[" + index.map(String.init).joined(separator: ", ") + "]"
  }

  /// The JSON form of a shape, `[100, 1000]`, for messages.
  ///
  /// - Complexity: O(rank).
  public static func describe(shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
  }
}

/// Exact conversions from the 16-bit floating-point formats to `Double`.
enum HalfPrecision {
  /// IEEE 754 binary16: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits.
  static func float16(_ bits: UInt16) -> Double {
    let sign: Double = bits & 0x8000 != 0 ? -1 : 1
    let exponent = Int((bits >> 10) & 0x1F)
    let fraction = Double(bits & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * 0x1p-24  // zero and subnormals: fraction · 2^(−14−10)
    case 0x1F: return fraction == 0 ? sign * .infinity : .nan
    default: return sign * (1 + fraction * 0x1p-10) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
    }
  }

  /// bfloat16: the upper half of an IEEE binary32.
  static func bfloat16(_ bits: UInt16) -> Double {
    Double(Float(bitPattern: UInt32(bits) << 16))
  }

  /// `x` rounded to the nearest binary16 (ties to even), `nil` when a finite `x` overflows.
  static func float16Bits(_ x: Double) -> UInt16? {
    bits(x, fractionBits: 10, exponentBits: 5)
  }

  /// `x` rounded to the nearest bfloat16 (ties to even), `nil` when a finite `x` overflows.
  static func bfloat16Bits(_ x: Double) -> UInt16? {
    bits(x, fractionBits: 7, exponentBits: 8)
  }

  /// The 16-bit pattern of the nearest value of a binary format with these field widths. Every
  /// step is exact in `Double` (scaling by powers of two, rounding to an integer).
  private static func bits(_ x: Double, fractionBits f: Int, exponentBits e: Int) -> UInt16? {
    let bias = (1 << (e - 1)) - 1, maxExponent = bias
    let sign: UInt16 = x.sign == .minus ? 0x8000 : 0
    let infinity = UInt16(((1 << e) - 1) << f)
    if x.isNaN { return infinity | UInt16(1 << (f - 1)) }
    if x.isInfinite { return sign | infinity }
    let a = abs(x)
    let minNormalExponent = 1 - bias
    if a < Double(sign: .plus, exponent: minNormalExponent, significand: 1) {
      // Subnormal (or rounding up to the least normal, whose pattern follows on): a / 2^(min − f).
      let q = (a * Double(sign: .plus, exponent: f - minNormalExponent, significand: 1)).rounded(.toNearestOrEven)
      return sign | UInt16(q)
    }
    var exponent = Int(a.exponent)
    var fraction = ((a.significand - 1) * Double(1 << f)).rounded(.toNearestOrEven)
    if fraction == Double(1 << f) { fraction = 0; exponent += 1 }
    guard exponent <= maxExponent else { return nil }
    return sign | UInt16((exponent + bias) << f) | UInt16(fraction)
  }
}
