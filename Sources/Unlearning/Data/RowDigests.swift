internal import Crypto
import Foundation

/// The per-row SHA-256 digests behind a data set's fingerprint (``ContentHash/fingerprint(_:)``),
/// computed once per data set and handed to its subsets, so that the fingerprint of S∖F after a
/// deletion costs O(m) instead of hashing X again.
///
/// A cache, not state: the digests are a function of the rows, which never change.
final class RowDigests: @unchecked Sendable {
  private let lock = NSLock()
  private var digests: [[UInt8]]?
  private var fingerprint: String?

  init(digests: [[UInt8]]? = nil) {
    self.digests = digests
  }

  /// The digest of each row, `SHA-256(x_i ‖ y_i)` (f64 little-endian), computed on first use.
  ///
  /// - Complexity: O(m d) the first time, O(1) after.
  func rows(of data: Dataset) -> [[UInt8]] {
    lock.lock()
    defer { lock.unlock() }
    if let digests { return digests }
    let d = data.dimension
    var out = [[UInt8]]()
    out.reserveCapacity(data.count)
    data.features.elements.withUnsafeBytes { x in
      for i in 0..<data.count {
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: x[(i * d * 8)..<((i + 1) * d * 8)]))
        withUnsafeBytes(of: data.labels[i]) { hasher.update(bufferPointer: $0) }
        out.append(Array(hasher.finalize()))
      }
    }
    digests = out
    return out
  }

  /// The digests if already computed (for subsets), else `nil`.
  ///
  /// - Complexity: O(1).
  var known: [[UInt8]]? {
    lock.lock()
    defer { lock.unlock() }
    return digests
  }

  /// The fingerprint, computed by `make` on first use and kept.
  ///
  /// - Complexity: `make`'s the first time, O(1) after.
  func fingerprint(_ make: () -> String) -> String {
    lock.lock()
    if let fingerprint {
      lock.unlock()
      return fingerprint
    }
    lock.unlock()
    let value = make()
    lock.lock()
    fingerprint = value
    lock.unlock()
    return value
  }
}
