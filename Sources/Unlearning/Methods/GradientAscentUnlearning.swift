import Foundation
import LinearAlgebra

/// The paper's unlearning step A_GA (MATH.md §5): one gradient-ascent step on
/// the forget set whose size comes from the KKT multipliers of the audit on S.
///
///     θ_U(α) = θ̂ − α Σ_{r∈F} λ_r y_r ∇_θ N(x_r; θ̂)
///            = θ̂ + α Σ_{r∈F} β_r ∇_θ ℓ(q_r(θ̂)),   β_r = λ_r / (−ℓ'(q_r(θ̂)))
public struct GradientAscentUnlearning: Sendable {
  /// Which step to take.
  public enum Step: String, Sendable, CaseIterable, Codable {
    /// The paper's literal step: the ordinary gradient at θ̂ with `σ'(z) = 1[z > 0]`.
    case gradient
    /// Subtract exactly the forget set's share of the κ-audit's decomposition
    /// (`λ_r A_rj + μ_rj` per unit). Equal to `gradient` at κ = 0 and for linear models.
    case decomposition
  }

  /// The step-size multiplier α (1 is the paper's step).
  public var alpha: Double
  public var step: Step

  public init(alpha: Double = 1, step: Step = .gradient) {
    self.alpha = alpha
    self.step = step
  }

  /// `θ_U(α)` for the forget set `F` (indices into `data`), from the audit of the model on `data`.
  public func unlearn<M: HomogeneousModel>(_ audit: KKTAuditReport<M>, data: Dataset, forgetSet: [Int]) throws -> M {
    let forget = try data.validatedForgetSet(forgetSet)
    let theta = audit.normalizedModel
    let removed: [Double]
    switch step {
    case .gradient:
      let v = (0..<data.count).map { forget.contains($0) ? audit.multipliers[$0] * data.labels[$0] : 0 }
      removed = theta.outputGradientCombination(data.features, pass: audit.normalizedPass, coefficients: v)
    case .decomposition:
      removed = theta.decompositionCombination(data, pass: audit.normalizedPass, band: audit.band,
                                               multipliers: audit.multipliers, kinkShares: audit.kinkShares,
                                               examples: forget)
    }
    var unlearned = theta
    unlearned.addToParameters(removed, scaledBy: -alpha)
    return unlearned
  }

  /// `θ_U(α)` from multipliers stored with the model (MATH.md §5.1), without an audit: `θ̂ = θ / γ^{1/C}`
  /// with the stored γ, and the gradient step over F alone,
  ///
  ///     θ_U(α) = θ̂ − α Σ_{r∈F} λ_r y_r ∇_θ N(x_r; θ̂)
  ///
  /// (the same formula as ``unlearn(_:data:forgetSet:)``, whose audit's λ these are). The caller checks
  /// that they belong to `model` and `data` (``StoredMultipliers/mismatch(model:data:kappa:)``).
  ///
  /// The step runs in place on one copy of θ (scaled, then the rank-|F| update added), so it allocates
  /// one θ-sized buffer and no gradient temporary.
  ///
  /// - Complexity: one forward pass and one output-gradient combination over F, O(|F| p); O(p) to scale.
  /// - Throws: ``DatasetError`` for an invalid forget set; ``UnlearningError/storedMultipliersNeedGradientStep``
  ///   for the decomposition step (it needs the audit's activation pattern on S).
  public func unlearn<M: HomogeneousModel>(_ model: M, stored: StoredMultipliers, data: Dataset, forgetSet: [Int]) throws -> M {
    try unlearn(model, stored: stored, data: data, forgetSet: forgetSet, carryingTo: nil).model
  }

  /// ``unlearn(_:stored:data:forgetSet:)``, and with `retained` (S∖F, in S's order) θ_U's pre-activations on
  /// it, carried from the stored ones by the rank-|F| update of MATH.md §5.2 when the model carries them
  /// (``PreactivationCarrying``) and ``StoredMultipliers/preactivationsAgree(with:forgetSet:)``; `nil` otherwise.
  /// θ_U is the same either way, bit for bit.
  ///
  /// - Complexity: O(|F| p) for the step, O(|R| |F| (d + n) + |R| n) for the carried pre-activations.
  /// - Throws: as ``unlearn(_:stored:data:forgetSet:)``.
  public func unlearn<M: HomogeneousModel>(_ model: M, stored: StoredMultipliers, data: Dataset, forgetSet: [Int],
                                           carryingTo retained: Dataset?) throws -> (model: M, retainedPreactivations: Matrix?) {
    let forgotten = try data.validatedForgetSet(forgetSet)
    guard step == .gradient else { throw UnlearningError.storedMultipliersNeedGradientStep }
    let scale = 1 / stored.minMargin.power(1 / Double(model.homogeneityDegree))  // θ̂ = θ / γ^{1/C}
    let forgetData = data.subset(forgetSet)
    let v = forgetSet.indices.map { k in stored.values[forgetSet[k]] * forgetData.labels[k] }
    if let retained, stored.preactivations != nil, let carrying = model as? any PreactivationCarrying {
      let (stepped, z) = Self.carryingStep(carrying, scale: scale, forget: forgetData, forgetSet: forgetSet, forgotten: forgotten,
                                           coefficients: v, alpha: alpha, stored: stored, retained: retained)
      return (stepped as! M, z)
    }
    var unlearned = model
    unlearned.scaleParameters(by: scale)
    let pass = unlearned.forward(forgetData.features)
    unlearned.addOutputGradientCombination(forgetData.features, pass: pass, coefficients: v, scaledBy: -alpha)
    return (unlearned, nil)
  }

  /// The step of a ``PreactivationCarrying`` model, the same operations as the plain step, with the stored
  /// `Ẑ_R` carried along when they fit and agree with the step's pass on F (else `nil`, the step alone).
  private static func carryingStep<P: PreactivationCarrying>(_ model: P, scale: Double, forget: Dataset, forgetSet: [Int],
                                                             forgotten: Set<Int>, coefficients v: [Double], alpha: Double, stored: StoredMultipliers,
                                                             retained: Dataset) -> (P, Matrix?) {
    var theta = model
    theta.scaleParameters(by: scale)
    let pass = theta.forward(forget.features)
    guard let all = stored.preactivations, stored.preactivationsAgree(with: theta.preactivations(of: pass), forgetSet: forgetSet),
          retained.count + forgetSet.count == all.rows, retained.dimension == forget.dimension else {
      theta.addOutputGradientCombination(forget.features, pass: pass, coefficients: v, scaledBy: -alpha)
      return (theta, nil)
    }
    var z = all.selectingRows((0..<all.rows).filter { !forgotten.contains($0) })  // Ẑ_R, in S's order
    theta.addOutputGradientCombination(forget.features, pass: pass, coefficients: v, scaledBy: -alpha,
                                       carrying: &z, of: retained.features)
    return (theta, z)
  }

  /// The paper's step sizes `β_r = λ_r / (−ℓ'(q_r(θ̂)))` from stored multipliers: `q_r(θ̂) = q_r(θ) / γ`.
  ///
  /// - Complexity: one forward pass over F.
  public static func stepSizes<M: HomogeneousModel>(_ model: M, stored: StoredMultipliers, data: Dataset, forgetSet: [Int],
                                                    loss: Loss) -> [Double] {
    let forgetData = data.subset(forgetSet)
    let margins = model.margins(on: forgetData)
    return forgetSet.indices.map { k in
      stored.values[forgetSet[k]] / Foundation.exp(loss.logNegativeDerivative(margins[k] / stored.minMargin))
    }
  }

  /// The paper's step sizes `β_r = λ_r / (−ℓ'(q_r(θ̂)))` for the forget set, in its order.
  public static func stepSizes<M>(_ audit: KKTAuditReport<M>, forgetSet: [Int], loss: Loss) -> [Double] {
    forgetSet.map { r in
      audit.multipliers[r] / Foundation.exp(loss.logNegativeDerivative(audit.normalizedMargins[r]))
    }
  }

  /// The same step written as gradient ascent on the loss, `θ̂ + α Σ_r β_r ∇_θ ℓ(q_r(θ̂))`
  /// (only the `gradient` step has this form).
  public func unlearnByLossAscent<M: HomogeneousModel>(_ audit: KKTAuditReport<M>, data: Dataset,
                                                       forgetSet: [Int], loss: Loss) throws -> M {
    _ = try data.validatedForgetSet(forgetSet)
    let beta = Self.stepSizes(audit, forgetSet: forgetSet, loss: loss)
    let forgetData = data.subset(forgetSet)
    let theta = audit.normalizedModel
    // Σ_r β_r ∇ℓ(q_r) = Σ_r β_r ℓ'(q_r) y_r ∇N(x_r).
    let pass = theta.forward(forgetData.features)
    let v = forgetSet.indices.map { k in
      beta[k] * loss.derivative(forgetData.labels[k] * pass.outputs[k]) * forgetData.labels[k]
    }
    var unlearned = theta
    unlearned.addToParameters(theta.outputGradientCombination(forgetData.features, pass: pass, coefficients: v), scaledBy: alpha)
    return unlearned
  }
}
