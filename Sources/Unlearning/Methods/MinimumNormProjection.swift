import Foundation
import LinearAlgebra

/// The MinNorm-OG step of Block, Mokhtari & Shakkottai, "Machine Unlearning
/// under Overparameterization" (arXiv 2505.22601, 2025), with the squared norm
/// as the complexity: the perturbation Δ of smallest `‖θ̂ + Δ‖` that is
/// orthogonal to the retained examples' output gradients,
///
///     Δ* = argmin_Δ ½‖θ̂ + Δ‖²  s.t.  ⟨Δ, ∇_θ N(x_i; θ̂)⟩ = 0  for all i ∈ S∖F,
///
/// the first-order relaxation of "θ̂ + Δ still interpolates S∖F exactly as θ̂
/// does". Its solution is the orthogonal projection of θ̂ onto the span of the
/// retained output gradients, `θ_P = J_Rᵀ (J_R J_Rᵀ)⁻¹ J_R θ̂`. By Euler's
/// identity `J_R θ̂ = C·N_R`, and with the labels folded in
/// (`G = (y yᵀ) ∘ J_R J_Rᵀ`, MATH.md §4's Gram matrix with no kink band):
///
///     G c = C q_R,   θ_P = Σ_{i∈S∖F} c_i y_i ∇_θ N(x_i; θ̂).
///
/// For the linear model θ_P is the minimum-norm vector with the same retained
/// outputs — exact unlearning of the minimum-norm interpolator. Block et al.
/// then train on S∖F; ``UnlearningRun`` follows with k loss-normalised GD
/// steps on S∖F (k = 0: the projection alone).
public struct MinimumNormProjection: Sendable {
  /// A ridge `ridge · tr(G)/m` is added only when G is numerically singular
  /// (more retained examples than parameters, or repeated examples).
  public var ridge: Double

  public init(ridge: Double = 1e-12) { self.ridge = ridge }

  /// θ_P for the retained set `retained`.
  ///
  /// - Throws: ``TrainingError/dimensionMismatch(model:data:)``; ``UnlearningError/singularGram(size:)``
  ///   and ``UnlearningError/nonFiniteResult(method:)`` (numerical).
  public func project<M: HomogeneousModel>(_ model: M, retained: Dataset) throws -> M {
    guard model.inputDimension == retained.dimension else {
      throw TrainingError.dimensionMismatch(model: model.inputDimension, data: retained.dimension)
    }
    let pass = model.forward(retained.features)
    let program = model.kktProgram(retained, pass: pass, band: .empty(kappa: 0))
    var g = program.hessian
    let m = retained.count
    let rhs = (0..<m).map { Double(model.homogeneityDegree) * retained.labels[$0] * pass.outputs[$0] }
    var factor = UpdatableCholesky(factoring: g)
    if factor == nil {
      let shift = ridge * max((0..<m).reduce(0) { $0 + g[$1, $1] } / Double(m), .leastNormalMagnitude)
      for i in 0..<m { g[i, i] += shift }
      factor = UpdatableCholesky(factoring: g)
    }
    guard let factor else { throw UnlearningError.singularGram(size: m) }
    let c = factor.solve(rhs)
    let coefficients = (0..<m).map { c[$0] * retained.labels[$0] }
    let theta = model.outputGradientCombination(retained.features, pass: pass, coefficients: coefficients)
    guard theta.allSatisfy(\.isFinite) else { throw UnlearningError.nonFiniteResult(method: UnlearningMethod.Kind.minNormOG.rawValue) }
    return model.replacingParameters(theta)
  }
}
