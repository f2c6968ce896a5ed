import Foundation
import LinearAlgebra

/// One Newton (influence) removal step on the L2-regularised logistic loss, in
/// the style of Guo, Goldstein, Hannun & van der Maaten, "Certified Data Removal
/// from Machine Learning Models" (ICML 2020).
///
/// With the retained objective `R(θ) = Σ_{i∈S∖F} ℓ(q_i(θ)) + (ρ/2)‖θ‖²` (ρ given, or fitted
/// so that θ̂ is as stationary as possible: ``regularization``)
/// (ℓ logistic, whatever loss the model was trained with), the step is
///
///     θ_N = θ̂ + H_R(θ̂)⁻¹ Σ_{r∈F} ∇_θ ℓ(q_r(θ̂)),
///
/// the Newton step on R from θ̂ when θ̂ minimises the same objective on S
/// (then `∇R(θ̂) = −Σ_{r∈F} ∇ℓ_r`). Our models are trained without the
/// regulariser towards the max-margin direction, so θ̂ is only approximately
/// stationary for it: this is the influence approximation Guo et al. certify,
/// not the minimiser of R. `H_R = Σ_i ℓ''(q_i) ∇N_i ∇N_iᵀ + Σ_i ℓ'(q_i) y_i ∇²N_i + ρI`
/// (`y_i² = 1`).
///
/// **Scale.** A model trained towards the max-margin direction has margins in the
/// tens or far beyond, where the logistic ℓ' and ℓ'' underflow and the step is 0
/// whatever ρ. By default (``normalizesScale``) the step is therefore taken at the
/// normalised model `θ̂/γ^{1/C}` of MATH.md §4 (minimum margin γ → 1) and scaled
/// back by `γ^{1/C}` — the same direction a homogeneous model computes at any
/// scale, with the regularised loss evaluated where it is informative. A model
/// that does not interpolate S (γ ≤ 0) is used as it is.
///
/// - Models linear in θ (``WoodburyInvertible``: the linear model, `J = X`):
///   `H_R = X_Rᵀ D X_R + ρI` is inverted exactly by the Woodbury identity, `H_R⁻¹ g = (g − X_Rᵀ S (ρI + S K S)⁻¹ S X_R g) / ρ` with
///   `S = D^{1/2}`, `K = X_R X_Rᵀ` — one m × m Cholesky, O(m²d).
/// - Other models: conjugate gradients on Hessian-vector products
///   (``HomogeneousModel/outputDirectionalDerivatives(_:pass:direction:)`` and
///   ``HomogeneousModel/outputCurvatureCombination(_:pass:direction:coefficients:)``),
///   never forming `H_R`.
public struct NewtonRemoval: Sendable {
  /// How `H_R⁻¹ g` is computed.
  public enum Solver: String, Sendable, CaseIterable, Codable {
    /// Woodbury for a ``WoodburyInvertible`` model (the linear one), conjugate gradients otherwise.
    case automatic
    case woodbury
    case conjugateGradients = "cg"
  }

  /// What the step did.
  public struct Report<M: HomogeneousModel>: Sendable {
    public var model: M
    /// Conjugate-gradient iterations (0 for Woodbury).
    public var iterations: Int
    /// `‖H_R s − g‖ / ‖g‖` of the solve.
    public var relativeResidual: Double
    /// `‖θ_N − θ̂‖` (at the model's own scale).
    public var stepNorm: Double
    /// The ρ used (given, or fitted; see ``regularization``).
    public var regularization: Double
  }

  /// ρ > 0, the L2 regularisation strength; `nil` fits it to the model: the ρ
  /// that makes θ̂ closest to stationary for the regularised objective on S,
  /// `ρ = ⟨θ̂, −∇L_S(θ̂)⟩ / ‖θ̂‖² = C Σ_i (−ℓ'(q_i)) q_i / ‖θ̂‖²` (Euler's identity) —
  /// Guo et al.'s premise that θ̂ minimises the regularised loss, made as true as
  /// one ρ can make it. Exact when θ̂ is a regularised minimiser.
  public var regularization: Double?
  /// Take the step at minimum margin 1 and scale back (see the type's documentation).
  public var normalizesScale: Bool
  public var solver: Solver
  /// Conjugate gradients stop at `‖r‖ ≤ tolerance · ‖g‖`.
  public var tolerance: Double
  public var maxIterations: Int

  public static let loss = Loss.logistic

  public init(regularization: Double? = nil, normalizesScale: Bool = true, solver: Solver = .automatic, tolerance: Double = 1e-10,
              maxIterations: Int = 2000) {
    self.regularization = regularization
    self.normalizesScale = normalizesScale
    self.solver = solver
    self.tolerance = tolerance
    self.maxIterations = maxIterations
  }

  /// The step for `forgetSet`.
  ///
  /// - Throws: ``UnlearningError`` `.invalidRegularization`, `.unfittableRegularization`
  ///   and `.woodburyNeedsLinearModel` (usage); `.nonFiniteResult`, `.hessianNotPositiveDefinite`
  ///   and `.solverDidNotConverge` (numerical); ``DatasetError`` for an invalid forget set.
  public func unlearn<M: HomogeneousModel>(_ model: M, data: Dataset, forgetSet: [Int]) throws -> Report<M> {
    guard normalizesScale, model.inputDimension == data.dimension else { return try step(model, data: data, forgetSet: forgetSet) }
    let gamma = model.margins(on: data).min() ?? 0
    guard gamma > 0, gamma.isFinite else { return try step(model, data: data, forgetSet: forgetSet) }
    let s = Foundation.pow(gamma, -1 / Double(model.homogeneityDegree))
    var report = try step(model.scaled(by: s), data: data, forgetSet: forgetSet)
    report.model = report.model.scaled(by: 1 / s)
    report.stepNorm /= s
    return report
  }

  /// The step at the model's own scale.
  func step<M: HomogeneousModel>(_ model: M, data: Dataset, forgetSet: [Int]) throws -> Report<M> {
    guard model.inputDimension == data.dimension else {
      throw TrainingError.dimensionMismatch(model: model.inputDimension, data: data.dimension)
    }
    let rho = regularization ?? Self.fittedRegularization(model, data: data)
    guard rho.isFinite, rho > 0 else {
      throw regularization == nil ? UnlearningError.unfittableRegularization(fitted: rho) : UnlearningError.invalidRegularization(rho)
    }
    let (retained, _) = try data.removing(forgetSet)
    let forget = data.subset(forgetSet)
    // g = Σ_{r∈F} ℓ'(q_r) y_r ∇N(x_r; θ̂)
    let g = model.lossGradient(on: forget, loss: Self.loss)
    let woodbury: (any WoodburyInvertible)?
    switch solver {
    case .automatic: woodbury = model as? any WoodburyInvertible
    case .woodbury:
      guard let invertible = model as? any WoodburyInvertible else {
        throw UnlearningError.woodburyNeedsLinearModel
      }
      woodbury = invertible
    case .conjugateGradients: woodbury = nil
    }
    let (s, iterations) = if let woodbury {
      (try woodburySolve(woodbury, retained: retained, g, rho: rho), 0)
    } else {
      try conjugateGradientSolve(model, retained: retained, g, rho: rho)
    }
    let residual = hessianProduct(model, retained: retained, pass: model.forward(retained.features), s, rho: rho)
    let gNorm = BLAS.norm(g)
    let relative = gNorm > 0 ? BLAS.norm(zip(residual, g).map { $0 - $1 }) / gNorm : 0
    var out = model
    out.addToParameters(s, scaledBy: 1)
    guard out.parameters.allSatisfy(\.isFinite) else { throw UnlearningError.nonFiniteResult(method: UnlearningMethod.Kind.newton.rawValue) }
    return Report(model: out, iterations: iterations, relativeResidual: relative, stepNorm: BLAS.norm(s), regularization: rho)
  }

  /// `ρ = ⟨θ, −∇L_S(θ)⟩ / ‖θ‖²` with the logistic loss (see ``regularization``).
  public static func fittedRegularization<M: HomogeneousModel>(_ model: M, data: Dataset) -> Double {
    let gradient = model.lossGradient(on: data, loss: loss)
    let norm2 = BLAS.dot(model.parameters, model.parameters)
    return -BLAS.dot(model.parameters, gradient) / norm2
  }

  /// `H_R v = Σ_i ℓ''(q_i) (J v)_i ∇N_i + Σ_i ℓ'(q_i) y_i ∇²N_i v + ρ v` on the retained examples.
  public func hessianProduct<M: HomogeneousModel>(_ model: M, retained: Dataset, pass: M.Pass, _ v: [Double], rho: Double) -> [Double] {
    let y = retained.labels
    let margins = zip(y, pass.outputs).map { $0 * $1 }
    let jv = model.outputDirectionalDerivatives(retained.features, pass: pass, direction: v)
    let gaussNewton = (0..<retained.count).map { Self.loss.secondDerivative(margins[$0]) * jv[$0] }
    var hv = model.outputGradientCombination(retained.features, pass: pass, coefficients: gaussNewton)
    let c = (0..<retained.count).map { Self.loss.derivative(margins[$0]) * y[$0] }
    if c.contains(where: { $0 != 0 }) {
      let curvature = model.outputCurvatureCombination(retained.features, pass: pass, direction: v, coefficients: c)
      BLAS.axpy(1, curvature, &hv)
    }
    BLAS.axpy(rho, v, &hv)
    return hv
  }

  /// `H_R⁻¹ g = (g − Jᵀ S (ρI + S J Jᵀ S)⁻¹ S J g) / ρ` by the Woodbury identity
  /// (exact for a model linear in θ, ``WoodburyInvertible``; `J = X` for the linear model).
  ///
  /// - Complexity: O(m² p + m³).
  /// - Throws: ``UnlearningError/singularGram(size:)`` when `ρI + S J Jᵀ S` is not positive definite.
  func woodburySolve<M: WoodburyInvertible>(_ model: M, retained: Dataset, _ g: [Double], rho: Double) throws -> [Double] {
    let x = model.outputJacobian(retained.features), m = retained.count
    let q = zip(retained.labels, model.outputs(retained.features)).map { $0 * $1 }
    let root = q.map { Self.loss.secondDerivative($0).squareRoot() }
    var core = BLAS.rowGram(x)  // K = X Xᵀ
    for i in 0..<m {
      for k in 0..<m { core[i, k] *= root[i] * root[k] }
      core[i, i] += rho
    }
    guard let factor = UpdatableCholesky(factoring: core, pivotTolerance: 0) else { throw UnlearningError.singularGram(size: m) }
    var t = BLAS.product(x, .none, g)  // X g
    for i in 0..<m { t[i] *= root[i] }
    var z = factor.solve(t)
    for i in 0..<m { z[i] *= root[i] }
    var s = g
    BLAS.gemv(x, .transposed, z, alpha: -1, beta: 1, into: &s)  // g − Xᵀ S (…)⁻¹ S X g
    return s.map { $0 / rho }
  }

  /// `H_R⁻¹ g` by conjugate gradients on Hessian-vector products.
  func conjugateGradientSolve<M: HomogeneousModel>(_ model: M, retained: Dataset, _ g: [Double], rho: Double) throws -> ([Double], Int) {
    let pass = model.forward(retained.features)
    let gNorm = BLAS.norm(g)
    var s = [Double](repeating: 0, count: g.count)
    guard gNorm > 0 else { return (s, 0) }
    var r = g, p = g
    var rr = BLAS.dot(r, r)
    for k in 1...maxIterations {
      let hp = hessianProduct(model, retained: retained, pass: pass, p, rho: rho)
      let curvature = BLAS.dot(p, hp)
      guard curvature > 0, curvature.isFinite else {
        throw UnlearningError.hessianNotPositiveDefinite(iteration: k, curvature: curvature)
      }
      let a = rr / curvature
      BLAS.axpy(a, p, &s)
      BLAS.axpy(-a, hp, &r)
      let next = BLAS.dot(r, r)
      if next.squareRoot() <= tolerance * gNorm { return (s, k) }
      let b = next / rr
      rr = next
      for i in p.indices { p[i] = r[i] + b * p[i] }
    }
    throw UnlearningError.solverDidNotConverge(iterations: maxIterations, relativeResidual: rr.squareRoot() / gNorm)
  }
}
