import LinearAlgebra

/// A labelled data set `S = {(x_i, y_i)}` (MATH.md §1): the `m × d` matrix `X`
/// with rows `x_i` and labels `y_i ∈ {−1, +1}`.
public struct Dataset: Sendable, Equatable {
  /// `X`, `m × d`.
  public let features: Matrix
  /// `y`, length `m`, entries ±1.
  public let labels: [Double]

  /// Number of examples `m`.
  public var count: Int { features.rows }
  /// Input dimension `d`.
  public var dimension: Int { features.columns }

  /// A data set, validated: one ±1 label per row, every feature finite, at least one example and one feature.
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
  }

  /// The examples at `indices`, in that order.
  public func subset(_ indices: [Int]) -> Dataset {
    // Rows of a valid data set stay valid; only emptiness can fail.
    try! Dataset(features: features.selectingRows(indices), labels: indices.map { labels[$0] })
  }

  /// The retained set `S ∖ F` and the original indices of its examples.
  ///
  /// Throws when `forgetSet` has an index out of range, a repeated index, or covers all of `S`.
  public func removing(_ forgetSet: [Int]) throws -> (retained: Dataset, indices: [Int]) {
    let forget = try validatedForgetSet(forgetSet)
    let kept = (0..<count).filter { !forget.contains($0) }
    return (subset(kept), kept)
  }

  /// Checks a forget set against this data set and returns it as a set.
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
public enum DatasetError: Error, Equatable, CustomStringConvertible {
  case empty(String)
  case labelCountMismatch(examples: Int, labels: Int)
  case invalidLabel(index: Int, value: Double)
  case nonFiniteFeature(row: Int, column: Int)
  case invalidForgetSet(String)
  case invalidParameter(String)

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
  public var failureClass: FailureClass { .data }
}
