internal import Crypto
import Foundation
import LinearAlgebra

/// SHA-256 digests in lowercase hexadecimal: the fingerprints of training sets
/// (MATH.md §8.4), of model files and of the deletion ledger's hash chain.
public enum ContentHash {
  /// `SHA-256(bytes)` as 64 lowercase hexadecimal digits.
  ///
  /// - Complexity: O(bytes.count).
  public static func sha256Hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    hex(SHA256.hash(data: Array(bytes)))
  }

  /// `SHA-256(data)` as 64 lowercase hexadecimal digits.
  ///
  /// - Complexity: O(data.count).
  public static func sha256Hex(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

  /// The fingerprint of a training set (MATH.md §5.1): a hash of the rows' digests,
  ///
  ///     h_i = SHA-256( x_i (d × f64 LE) ‖ y_i (f64 LE) )
  ///     SHA-256( "unlearning-dataset-v2\n" ‖ m (u64 LE) ‖ d (u64 LE) ‖ h_1 ‖ … ‖ h_m )
  ///
  /// Any change to a feature, a label, the order of the rows or the shape changes it. The row digests
  /// are kept with the data set and pass to its subsets (``Dataset/subset(_:)``, ``Dataset/removing(_:)``),
  /// so the fingerprint of S∖F after a deletion costs O(m), not O(m d).
  ///
  /// - Complexity: O(m d) the first time for a data set (or its ancestor), O(m) for a subset after, O(1) when repeated.
  public static func fingerprint(_ data: Dataset) -> String {
    data.digests.fingerprint {
      var hasher = SHA256()
      hasher.update(data: Array("unlearning-dataset-v2\n".utf8))
      var header = [UInt8]()
      appendLittleEndian(UInt64(data.count), to: &header)
      appendLittleEndian(UInt64(data.dimension), to: &header)
      hasher.update(data: header)
      for row in data.digests.rows(of: data) { hasher.update(data: row) }
      return hex(hasher.finalize())
    }
  }

  /// The fingerprint of a model's parameters: SHA-256 of `"unlearning-parameters-v1\n" ‖ p (u64 LE) ‖ θ f64 LE`.
  ///
  /// - Complexity: O(p).
  public static func fingerprint(parameters: [Double]) -> String {
    var hasher = SHA256()
    var header = Array("unlearning-parameters-v1\n".utf8)
    appendLittleEndian(UInt64(parameters.count), to: &header)
    hasher.update(data: header)
    parameters.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    return hex(hasher.finalize())
  }

  private static func appendLittleEndian(_ value: UInt64, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(64)
    for b in digest {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
