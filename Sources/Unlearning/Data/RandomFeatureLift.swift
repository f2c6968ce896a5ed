import Foundation
import LinearAlgebra

/// The random-feature lift `x ↦ ReLU(R x) / √D` with `R ∈ R^{D×d}` of seeded
/// standard normal entries: D random ReLU features whose inner products
/// approximate the arc-cosine kernel of order 1, `⟨φ(x), φ(x')⟩ → ‖x‖‖x'‖(sin θ + (π − θ) cos θ)/(2π)`
/// (so `‖φ(x)‖² → ‖x‖²/2`). Used to ask whether lifting low-dimensional
/// real data to high dimension restores the near-orthogonality of Assumption 2.3
/// (MATH.md §12.2; it cannot: lifted points share a mean direction).
public struct RandomFeatureLift: Sendable {
  /// `R`, `D × d`, entries `N(0, 1)`.
  public let projection: Matrix

  /// A lift to `width` D features for inputs of dimension `d`, `R` drawn from
  /// stream 11 of `seed`.
  ///
  /// - Parameters:
  ///   - d: The input dimension.
  ///   - width: The number of features D.
  ///   - seed: The seed.
  /// - Throws: ``DatasetError/invalidParameter(_:)`` when `d < 1` or `D < 1`.
  /// - Complexity: O(Dd).
  public init(inputDimension d: Int, width: Int, seed: UInt64) throws {
    guard d >= 1, width >= 1 else {
      throw DatasetError.invalidParameter("the random-feature lift needs d ≥ 1 and D ≥ 1 (got d = \(d), D = \(width))")
    }
    var rng = SeededGenerator(seed: seed, stream: 11)
    projection = Matrix(rows: width, columns: d, elements: rng.gaussians(width * d, standardDeviation: 1))
  }

  /// D, the number of features.
  public var width: Int { projection.rows }

  /// `ReLU(X Rᵀ) / √D`, row by row.
  ///
  /// - Parameter x: The inputs, `m × d`.
  /// - Returns: The lifted inputs, `m × D`.
  /// - Complexity: O(mDd).
  public func apply(_ x: Matrix) -> Matrix {
    var z = BLAS.product(x, .none, projection, .transposed)
    let scale = 1 / Double(width).squareRoot()
    for k in z.elements.indices { z.elements[k] = max(z.elements[k], 0) * scale }
    return z
  }

  /// The data set with its features lifted (labels kept).
  ///
  /// - Throws: ``DatasetError`` from ``Dataset/init(features:labels:)`` (not
  ///   expected for a valid data set).
  /// - Complexity: O(mDd).
  public func apply(_ data: Dataset) throws -> Dataset {
    try Dataset(features: apply(data.features), labels: data.labels)
  }
}
