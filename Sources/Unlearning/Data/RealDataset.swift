import Foundation
import LinearAlgebra

/// The small real data sets bundled with the package (extracted once from the
/// scikit-learn wheel by `scripts/extract-real-data.py`; sources and licences in
/// `Sources/Unlearning/Resources/RealData/NOTICE.md`), as binary tasks with
/// labels ±1 and standardised features scaled to unit mean squared norm.
public enum RealDataset: String, Sendable, CaseIterable, Codable {
  /// Breast Cancer Wisconsin (diagnostic): 569 × 30, +1 = malignant.
  case breastCancer = "breast-cancer"
  /// The 8×8 optical digits: 1797 × 64 pixel counts, +1 = odd digit.
  case digits

  /// One line on what the set is and its task.
  ///
  /// - Complexity: O(1).
  public var summary: String {
    switch self {
    case .breastCancer: return "Breast Cancer Wisconsin (diagnostic), 569 × 30, +1 = malignant (UCI, CC BY 4.0)"
    case .digits: return "8×8 optical digits, 1797 × 64, +1 = odd digit (UCI, CC BY 4.0)"
    }
  }

  /// The bundled `.npy` file `name`.
  static func resource(_ name: String) throws -> URL {
    guard let url = Bundle.module.url(forResource: name, withExtension: "npy", subdirectory: "RealData") else {
      throw FileFormatError(.io, file: "RealData/\(name).npy",
                            "the bundled data set is missing from the package resources; rebuild, or run scripts/extract-real-data.py")
    }
    return url
  }

  /// The raw features and ±1 labels as stored.
  ///
  /// - Throws: ``FileFormatError``: `.io` when the bundled file is missing,
  ///   or any error of ``DatasetLoader/load(x:y:labelColumn:hasHeader:zeroOneLabels:)``.
  /// - Complexity: O(md) for the m × d set.
  public func raw() throws -> Dataset {
    try DatasetLoader.load(x: try Self.resource("\(rawValue).x"), y: try Self.resource("\(rawValue).y"))
  }

  /// The set with every feature standardised over all examples (zero mean, unit
  /// variance; a constant column, such as a digits border pixel, becomes 0), then
  /// all rows scaled by one factor so that the mean ‖x_i‖² is 1 — the scale of
  /// MATH.md §7's synthetic data, at which the default learning rates train and ψ, φ
  /// of Assumption 2.3 are comparable (a homogeneous model sees no global scale)
  /// (MATH.md §12.1).
  ///
  /// - Throws: ``FileFormatError`` as ``raw()``.
  /// - Complexity: O(md).
  public func load() throws -> Dataset {
    let data = try raw()
    return try Dataset(features: Self.unitMeanSquaredNorm(Self.standardized(data.features)), labels: data.labels)
  }

  /// A seeded permutation of `0..<count` (Fisher–Yates on the package's generator,
  /// stream 12, the same on every platform).
  ///
  /// - Complexity: O(`count`).
  public static func permutation(_ count: Int, seed: UInt64) -> [Int] {
    var rng = SeededGenerator(seed: seed, stream: 12)
    var order = Array(0..<count)
    rng.shuffle(&order)
    return order
  }

  /// `m` examples of ``load()`` drawn without replacement by the seeded ``permutation(_:seed:)``
  /// (the whole set, in its order, when `m` is nil): the way to get a small, separable training set.
  ///
  /// - Parameters:
  ///   - m: The subset size, in `1…count`, or `nil` for the whole set.
  ///   - seed: The permutation's seed.
  /// - Throws: ``FileFormatError`` as ``raw()``; ``DatasetError/invalidParameter(_:)``
  ///   when `m` is out of range.
  /// - Complexity: O(Md) for the full M × d set.
  public func load(subset m: Int?, seed: UInt64) throws -> Dataset {
    let data = try load()
    guard let m else { return data }
    guard m >= 1, m <= data.count else {
      throw DatasetError.invalidParameter("the subset size must lie in 1…\(data.count) for \(rawValue) (got \(m))")
    }
    return data.subset(Array(Self.permutation(data.count, seed: seed).prefix(m)))
  }

  /// Rows scaled by one factor so that their mean squared norm is 1 (unchanged when all are 0):
  /// `x_i ← x_i / √(Σ_i ‖x_i‖² / m)`.
  ///
  /// - Complexity: O(md).
  public static func unitMeanSquaredNorm(_ x: Matrix) -> Matrix {
    var out = x
    let mean = x.elements.reduce(0) { $0 + $1 * $1 } / Double(max(x.rows, 1))
    guard mean > 0 else { return out }
    let s = 1 / mean.squareRoot()
    for k in out.elements.indices { out.elements[k] *= s }
    return out
  }

  /// Columns centred: `x_ij ← x_ij − (1/m) Σ_k x_kj` (the random-feature lift's features share a
  /// positive mean direction, which centring removes; MATH.md §12.2).
  ///
  /// - Complexity: O(md).
  public static func centred(_ x: Matrix) -> Matrix {
    var out = x
    guard x.rows > 0 else { return out }
    var mean = [Double](repeating: 0, count: x.columns)
    for i in 0..<x.rows { for j in 0..<x.columns { mean[j] += x[i, j] } }
    for j in 0..<x.columns { mean[j] /= Double(x.rows) }
    for i in 0..<x.rows { for j in 0..<x.columns { out[i, j] -= mean[j] } }
    return out
  }

  /// Columns centred and scaled to unit (population) variance, `(x − mean)/sd`;
  /// a column with `sd ≤ 10⁻¹² max(|mean|, 1)` is set to 0.
  ///
  /// - Complexity: O(md).
  public static func standardized(_ x: Matrix) -> Matrix {
    var out = x
    let m = Double(x.rows)
    for j in 0..<x.columns {
      var mean = 0.0
      for i in 0..<x.rows { mean += x[i, j] }
      mean /= m
      var variance = 0.0
      for i in 0..<x.rows { variance += (x[i, j] - mean) * (x[i, j] - mean) }
      let sd = (variance / m).squareRoot()
      for i in 0..<x.rows { out[i, j] = sd > 1e-12 * max(abs(mean), 1) ? (x[i, j] - mean) / sd : 0 }
    }
    return out
  }
}
