import LinearAlgebra
import TestSupport
import Unlearning

/// Small seeded fixtures for the engine tests.
enum Fixtures {
  static func isotropic(m: Int, d: Int, seed: UInt64 = 1) -> Dataset {
    try! SyntheticData.generate(.isotropic, count: m, dimension: d, seed: seed).train
  }

  static func twoLayer(n: Int, d: Int, trained: Bool, seed: UInt64 = 2, scale: Double = 1) -> TwoLayerReLUNetwork {
    TwoLayerReLUNetwork.initialized(width: n, dimension: d, trainsOutputLayer: trained, initScale: scale, seed: seed)
  }

  /// Labels set to the sign of the model's outputs, so the model interpolates them.
  static func labelled<M: HomogeneousModel>(by model: M, _ data: Dataset) -> Dataset {
    let out = model.outputs(data.features)
    return try! Dataset(features: data.features, labels: out.map { $0 >= 0 ? 1 : -1 })
  }

  /// `m` examples on which `model` has a non-zero output, labelled by its sign.
  static func interpolated<M: HomogeneousModel>(by model: M, m: Int, d: Int, seed: UInt64) -> Dataset {
    let pool = labelled(by: model, isotropic(m: 20 * m, d: d, seed: seed))
    let out = model.outputs(pool.features)
    let keep = (0..<pool.count).filter { abs(out[$0]) > 1e-9 }.prefix(m)
    return pool.subset(Array(keep))
  }

  /// The per-example output gradients `∇_θ N(x_i; θ)` as the rows of a matrix, one by one.
  static func outputJacobian<M: HomogeneousModel>(_ model: M, _ x: Matrix) -> Matrix {
    let pass = model.forward(x)
    let rows = (0..<x.rows).map { i -> [Double] in
      var e = [Double](repeating: 0, count: x.rows)
      e[i] = 1
      return model.outputGradientCombination(x, pass: pass, coefficients: e)
    }
    return Matrix(rows)
  }

  static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    BLAS.norm(Vector.difference(a, b)) / max(BLAS.norm(b), .leastNormalMagnitude)
  }
}
