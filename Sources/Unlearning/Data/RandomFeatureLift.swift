import Foundation
import LinearAlgebra

/// The random-feature lift `x ↦ ReLU(R x) / √D` with `R ∈ R^{D×d}` of seeded
/// standard normal entries: D random ReLU features whose inner products
/// approximate the arc-cosine kernel of order 1, `⟨φ(x), φ(x')⟩ → ‖x‖‖x'‖(sin θ + (π − θ) cos θ)/(2π)`
/// (so `‖φ(x)‖² → ‖x‖²/2`). Used to ask whether lifting low-dimensional
/// real data to high dimension restores the near-orthogonality of Assumption 2.3.
public struct RandomFeatureLift: Sendable {
  public let projection: Matrix

  /// A lift to `width` D features for inputs of dimension `d`.
  public init(inputDimension d: Int, width: Int, seed: UInt64) throws {
    guard d >= 1, width >= 1 else {
      throw DatasetError.invalidParameter("the random-feature lift needs d ≥ 1 and D ≥ 1 (got d = \(d), D = \(width))")
    }
    var rng = SeededGenerator(seed: seed, stream: 11)
    projection = Matrix(rows: width, columns: d, elements: rng.gaussians(width * d, standardDeviation: 1))
  }

  public var width: Int { projection.rows }

  /// `ReLU(X Rᵀ) / √D`, row by row.
  public func apply(_ x: Matrix) -> Matrix {
    var z = BLAS.product(x, .none, projection, .transposed)
    let scale = 1 / Double(width).squareRoot()
    for k in z.elements.indices { z.elements[k] = max(z.elements[k], 0) * scale }
    return z
  }

  /// The data set with its features lifted (labels kept).
  public func apply(_ data: Dataset) throws -> Dataset {
    try Dataset(features: apply(data.features), labels: data.labels)
  }
}
