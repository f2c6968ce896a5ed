import LinearAlgebra

/// A labelled data set `S = {(x_i, y_i)}` (MATH.md §1): the `m × d` matrix `X`
/// with rows `x_i` and labels `y_i ∈ {−1, +1}`.
public struct Dataset: Sendable, Equatable {
  /// `X`, `m × d`.
  public let features: Matrix
  /// `y`, length `m`, entries ±1.
  public let labels: [Double]
  /// The per-row digests of the fingerprint, shared with subsets (a cache: not part of the value).
  let digests: RowDigests

  /// Two data sets are equal when X and y are.
  public static func == (a: Dataset, b: Dataset) -> Bool { a.features == b.features && a.labels == b.labels }

  /// Number of examples `m`.
  ///
  /// - Complexity: O(1).
  public var count: Int { features.rows }
  /// Input dimension `d`.
  ///
  /// - Complexity: O(1).
  public var dimension: Int { features.columns }

  /// A data set, validated (MATH.md §1.1): one ±1 label per row, every feature
  /// finite, at least one example and one feature.
  ///
  /// - Parameters:
  ///   - features: `X`, `m × d`.
  ///   - labels: `y`, length m, each −1 or +1.
  /// - Throws: ``DatasetError``: `empty` (no rows or no columns),
  ///   `labelCountMismatch`, `invalidLabel` (the first label that is not ±1),
  ///   `nonFiniteFeature` (the first NaN or ±∞, with its position).
  /// - Complexity: O(md).
  public init(features: Matrix, labels: [Double]) throws {
    guard features.rows > 0 else { throw DatasetError.empty("no examples (0 rows)") }
    guard features.columns > 0 else { throw DatasetError.empty("no features (0 columns)") }
    guard labels.count == features.rows else {
      throw DatasetError.labelCountMismatch(examples: features.rows, labels: labels.count)
    }
    if let i = labels.firstIndex(where: { $0 != 1 && $0 != -1 }) {
      throw DatasetError.invalidLabel(index: i, value: labels[i])
    }
    if let k = features.elements.firstIndex(where: { !$0.isFinite }) {
      throw DatasetError.nonFiniteFeature(row: k / features.columns, column: k % features.columns)
    }
    self.features = features
    self.labels = labels
    self.digests = RowDigests()
  }

  /// Rows of a valid data set: no checks.
  private init(validated features: Matrix, labels: [Double], digests: RowDigests) {
    self.features = features
    self.labels = labels
    self.digests = digests
  }

  /// The examples at `indices`, in that order.
  ///
  /// - Precondition: `indices` is non-empty and every index is in `0..<count`
  ///   (a violation traps).
  /// - Complexity: O(`indices.count` · d).
  public func subset(_ indices: [Int]) -> Dataset {
    precondition(!indices.isEmpty, "subset: no indices")
    // Rows of a valid data set stay valid, and their fingerprint digests carry over.
    return Dataset(validated: features.selectingRows(indices), labels: indices.map { labels[$0] },
                   digests: RowDigests(digests: digests.known.map { known in indices.map { known[$0] } }))
  }

  /// The retained set `S ∖ F` and the original indices of its examples.
  ///
  /// The retained set keeps the original order (MATH.md §1.1).
  ///
  /// - Parameter forgetSet: The forget set F, 0-based indices into this data set.
  /// - Returns: `S∖F` and, for each of its examples, its index in S.
  /// - Throws: ``DatasetError/invalidForgetSet(_:)`` when `forgetSet` is empty,
  ///   has an index out of range or a repeated index, or covers all of S.
  /// - Complexity: O(md + k) for a forget set of size k.
  public func removing(_ forgetSet: [Int]) throws -> (retained: Dataset, indices: [Int]) {
    let forget = try validatedForgetSet(forgetSet)
    let kept = (0..<count).filter { !forget.contains($0) }
    return (subset(kept), kept)
  }

  /// Checks a forget set against this data set (MATH.md §1.1: non-empty,
  /// distinct, in range, not all of S) and returns it as a set.
  ///
  /// - Throws: ``DatasetError/invalidForgetSet(_:)`` naming the first problem.
  /// - Complexity: O(k) for a forget set of size k.
  public func validatedForgetSet(_ forgetSet: [Int]) throws -> Set<Int> {
    guard !forgetSet.isEmpty else { throw DatasetError.invalidForgetSet("the forget set is empty") }
    if let bad = forgetSet.first(where: { $0 < 0 || $0 >= count }) {
      throw DatasetError.invalidForgetSet("index \(bad) is out of range 0..<\(count)")
    }
    let set = Set(forgetSet)
    guard set.count == forgetSet.count else { throw DatasetError.invalidForgetSet("an index is repeated") }
    guard set.count < count else { throw DatasetError.invalidForgetSet("it covers all \(count) examples: nothing would be retained") }
    return set
  }
}

/// Why a data set or a forget set was rejected.
///
/// Every case is ``FailureClass/data``.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
  /// No examples or no features (which, in words).
  case empty(String)
  /// `X` has `examples` rows but `y` has `labels` entries.
  case labelCountMismatch(examples: Int, labels: Int)
  /// Label `index` is `value`, not −1 or +1.
  case invalidLabel(index: Int, value: Double)
  /// `X[row, column]` is NaN or ±∞.
  case nonFiniteFeature(row: Int, column: Int)
  /// The forget set is empty, out of range, repeats an index or covers all of S (why, in words).
  case invalidForgetSet(String)
  /// A generator or lift parameter is out of range (the whole message).
  case invalidParameter(String)

  /// One line saying what is wrong with the data.
  public var description: String {
    switch self {
    case .empty(let what): return "the data set is empty: \(what)"
    case .labelCountMismatch(let m, let l): return "X has \(m) rows but y has \(l) labels"
    case .invalidLabel(let i, let v): return "label \(i) is \(v); labels must be −1 or +1"
    case .nonFiniteFeature(let r, let c): return "X[\(r), \(c)] is not finite (NaN or ±inf)"
    case .invalidForgetSet(let why): return "invalid forget set: \(why)"
    case .invalidParameter(let why): return why
    }
  }
}

extension DatasetError: ClassifiedError {
  /// ``FailureClass/data`` for every case.
  public var failureClass: FailureClass { .data }
}
