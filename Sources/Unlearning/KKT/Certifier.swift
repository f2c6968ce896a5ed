import Foundation
import LinearAlgebra

/// Issues the certificates of MATH.md §6 for an unlearned model `θ_U` with
/// respect to the retained set S∖F. Every ε and δ comes from the κ-audit of
/// the witness on S∖F; τ = `1 − cos(θ_U, θ̃)` from `Vector.tau`.
///
/// The certifier only builds certificates from what it is given; ``UnlearningRun``
/// supplies the audits and the retrained model it already holds (one kernel of S∖F,
/// one retraining, however many methods it certifies).
public struct Certifier: Sendable {
  public var auditor: KKTAuditor

  public init(auditor: KKTAuditor = KKTAuditor()) {
    self.auditor = auditor
  }

  /// *self*: `θ̃ = θ_U` normalised on S∖F (τ = 0). Unavailable, with the reason,
  /// when some retained margin is ≤ 0.
  ///
  /// - Parameters:
  ///   - unlearned: θ_U.
  ///   - retained: S∖F.
  ///   - kernel: `K = X Xᵀ` of S∖F when at hand (``KKTAuditor/audit(_:on:warmStart:kernel:)``).
  /// - Complexity: one audit on S∖F.
  /// - Throws: the audit's errors other than ``KKTAuditError/notInterpolating(minMargin:nonPositiveMargins:examples:)``.
  public func selfCertificate<M: HomogeneousModel>(_ unlearned: M, retained: Dataset, kernel: Matrix? = nil) throws -> Certificate {
    try selfCertificate(audit: Result { try auditor.audit(unlearned, on: retained, kernel: kernel) })
  }

  /// *carried*: θ̃ = θ_U normalised on S∖F, (ε, δ) of the multipliers carried to it
  /// (``KKTAuditor/residual(_:on:multipliers:)``, no QP), τ = 0: an upper bound on *self*'s ε.
  ///
  /// - Complexity: O(m p) (one forward pass and one residual on S∖F).
  /// - Throws: the evaluation's errors unless θ_U does not interpolate S∖F (then the certificate is
  ///   unavailable, with the reason).
  public func carriedCertificate<M: HomogeneousModel>(_ unlearned: M, retained: Dataset, multipliers: StoredMultipliers) throws -> Certificate {
    do {
      let r = try auditor.residual(unlearned, on: retained, multipliers: multipliers)
      return Certificate(kind: .carried, epsilon: r.epsilon, epsilonRelative: r.epsilonRelative, delta: r.delta, tau: 0,
                         kappa: auditor.kappa,
                         method: "residual of the multipliers carried to the unlearned model (\(multipliers.carriedSteps) step\(multipliers.carriedSteps == 1 ? "" : "s") since the last audit, \(r.bandPairs) band pairs; no QP): an upper bound on self's ε",
                         minMargin: r.minMargin)
    } catch KKTAuditError.notInterpolating(let gamma, let count, let m) {
      return Certificate(kind: .carried, epsilon: nil, epsilonRelative: nil, delta: nil, tau: nil, kappa: auditor.kappa,
                         method: "unavailable: \(count) of \(m) retained margins are ≤ 0 (minimum \(gamma)), so θ_U cannot be normalised on S∖F")
    }
  }

  /// *self* from the κ-audit of θ_U on S∖F already taken (or its failure).
  ///
  /// - Complexity: O(1).
  /// - Throws: the audit's error unless it is ``KKTAuditError/notInterpolating(minMargin:nonPositiveMargins:examples:)``
  ///   (then the certificate is unavailable, with the reason).
  public func selfCertificate<M: HomogeneousModel>(audit: Result<KKTAuditReport<M>, any Error>) throws -> Certificate {
    do {
      let audit = try audit.get()
      return Certificate(kind: .self, epsilon: audit.epsilon, epsilonRelative: audit.epsilonRelative,
                         delta: audit.delta, tau: 0, kappa: auditor.kappa,
                         method: "κ-audit of the unlearned model normalised on S∖F (\(audit.bandPairs) band pairs)",
                         minMargin: audit.minMargin)
    } catch KKTAuditError.notInterpolating(let gamma, let count, let m) {
      return Certificate(kind: .self, epsilon: nil, epsilonRelative: nil, delta: nil, tau: nil, kappa: auditor.kappa,
                         method: "unavailable: \(count) of \(m) retained margins are ≤ 0 (minimum \(gamma)), so θ_U cannot be normalised on S∖F")
    }
  }

  /// *retrained*: `θ̃` = the model trained on S∖F from `initial` with `training` (its κ set to the
  /// auditor's); τ = `1 − cos(θ_U, θ̃)`. Returns the retrained model too.
  ///
  /// - Complexity: the retraining, then one audit on S∖F.
  /// - Throws: ``TrainingError`` from the retraining; the audit's errors other than a retrained
  ///   model that does not interpolate S∖F (then ε and δ are unavailable).
  public func retrainedCertificate<M: HomogeneousModel>(
    _ unlearned: M, retained: Dataset, initial: M, training: TrainingConfiguration,
    progress: ((TrainingProgress) -> Void)? = nil
  ) throws -> (Certificate, TrainingResult<M>) {
    var config = training
    config.kappa = auditor.kappa
    let result = try Trainer(config).train(from: initial, on: retained, progress: progress)
    return (try retrainedCertificate(unlearned, retrained: result, tolerance: config.tolerance, retained: retained), result)
  }

  /// *retrained* from a retraining already done: `θ̃ = retrained.model`, τ = `1 − cos(θ_U, θ̃)`,
  /// ε and δ from the κ-audit of θ̃ on S∖F.
  ///
  /// - Parameters:
  ///   - unlearned: θ_U.
  ///   - result: the training run on S∖F from the recorded initialisation.
  ///   - tolerance: the ε/‖θ̂‖ it was trained to (named in the certificate's `method`).
  ///   - retained: S∖F.
  ///   - kernel: `K = X Xᵀ` of S∖F when at hand.
  /// - Complexity: one audit on S∖F and O(p) for τ.
  /// - Throws: the audit's errors other than ``KKTAuditError/notInterpolating(minMargin:nonPositiveMargins:examples:)``.
  public func retrainedCertificate<M: HomogeneousModel>(_ unlearned: M, retrained result: TrainingResult<M>, tolerance: Double,
                                                        retained: Dataset, kernel: Matrix? = nil) throws -> Certificate {
    let tau = Vector.tau(unlearned.parameters, result.model.parameters)
    let how = "retrained on S∖F from the recorded initialisation: \(result.iterations) iterations, "
      + (result.stopReason == .converged ? "converged to ε/‖θ̂‖ ≤ \(tolerance)" : "iteration limit (not converged)")
    do {
      let audit = try auditor.audit(result.model, on: retained, kernel: kernel)
      return Certificate(kind: .retrained, epsilon: audit.epsilon, epsilonRelative: audit.epsilonRelative,
                         delta: audit.delta, tau: tau, kappa: auditor.kappa, method: how, minMargin: audit.minMargin)
    } catch KKTAuditError.notInterpolating {
      return Certificate(kind: .retrained, epsilon: nil, epsilonRelative: nil, delta: nil, tau: tau, kappa: auditor.kappa,
                         method: how + "; unavailable: the retrained model does not interpolate S∖F")
    }
  }

  /// *exact* (models with a max-margin oracle, ``MaxMarginSolvable``: the linear model):
  /// `θ̃ = w*(S∖F)`, the hard-margin SVM; τ = `1 − cos(θ_U, w*)`.
  /// ε and δ are those of the audit of `w*` (zero up to rounding).
  ///
  /// - Parameters:
  ///   - unlearned: θ_U.
  ///   - retained: S∖F.
  ///   - kernel: `K = X Xᵀ` of S∖F when at hand (for the audit of `w*`).
  /// - Complexity: the SVM's dual QP and one audit, O(m² d) for their Gram matrices.
  /// - Throws: ``SVMError`` when S∖F is not separable; ``KKTAuditError`` from the audit of `w*`.
  public func exactCertificate<M: MaxMarginSolvable>(_ unlearned: M, retained: Dataset,
                                                     kernel: Matrix? = nil) throws -> (Certificate, MaxMarginSVM.Solution) {
    let svm = try M.maxMarginSolution(of: retained, svm: MaxMarginSVM(solver: auditor.solver))
    let audit = try auditor.audit(svm.model, on: retained, kernel: kernel)
    let tau = Vector.tau(unlearned.parameters, svm.weights)
    let certificate = Certificate(
      kind: .exact, epsilon: audit.epsilon, epsilonRelative: audit.epsilonRelative, delta: audit.delta, tau: tau,
      kappa: auditor.kappa,
      method: "hard-margin SVM of S∖F from its dual (\(svm.supportVectors) support vectors, KKT error \(String(format: "%.1e", svm.kktError)))",
      minMargin: audit.minMargin)
    return (certificate, svm)
  }

  /// The relative tolerance of the exact (Clarke) audit of a *witness*: a pair with
  /// `|⟨w̃_j, x_i⟩| ≤ 10⁻⁹ ‖w̃_j‖ ‖x_i‖` is on its kink and takes `σ' ∈ [0, 1]`. The projected pairs sit at
  /// ≲ 10⁻¹³ (rounding and ``KinkProjection/defaultRankTolerance``), so 10⁻⁹ only has to admit them; every
  /// other pair takes its actual 0/1 activation (MATH.md §6.6).
  public static let exactKinkTolerance = 1e-9

  /// Why a model that is not ``KinkProjectable`` (the deep network) has no *witness* certificate.
  public static let noWitness =
    "unavailable: witness certificates exist for linear and two-layer models; a deep network's audit is strict (no kink band to project onto its kinks, MATH.md §1.6)"

  /// *witness* (models that can be moved onto their kinks, ``KinkProjectable``): θ̃ = θ_U with every hidden
  /// unit projected onto the kinks of its κ-band on S∖F,
  ///
  ///     w̃_j = w_j − X_{B_j}ᵀ (X_{B_j} X_{B_j}ᵀ)⁺ X_{B_j} w_j,   B_j = {i : |⟨w_j, x_i⟩| ≤ κ ‖w_j‖ ‖x_i‖},
  ///
  /// the output layer kept; ε, δ from the audit of θ̃ on S∖F at ``exactKinkTolerance`` (the exact Clarke
  /// conditions: no relaxation), τ = `1 − cos(θ_U, θ̃)` (MATH.md §6.6). Also reports θ̃'s minimum margin, the
  /// projected pairs and the pairs off the band whose activation the projection changed. A linear model is
  /// its own witness (τ = 0, no pairs).
  ///
  /// - Parameters:
  ///   - unlearned: θ_U.
  ///   - retained: S∖F.
  ///   - kernel: `K = X Xᵀ` of S∖F when at hand (for the audit of θ̃).
  ///   - projection: The projection and its rank tolerance.
  /// - Returns: The certificate and the witness (θ̃ at θ_U's scale, with its counts). When θ̃ does not
  ///   interpolate S∖F the certificate has τ, the counts and the minimum margin but no ε and δ, and says why.
  /// - Complexity: one forward pass of θ_U on S∖F, O(Σ_j |B_j|² d) for the projections, one forward pass of θ̃,
  ///   and one audit of θ̃ on S∖F (O(m² d) for `K` when not given, plus its QP in m + b variables).
  /// - Throws: ``KKTAuditError``: `invalidKappa` for the auditor's κ, `dimensionMismatch`, `nonFiniteModel`
  ///   (θ_U or its outputs not finite), and the audit's errors other than `notInterpolating`.
  public func witnessCertificate<M: KinkProjectable>(_ unlearned: M, retained: Dataset, kernel: Matrix? = nil,
                                                     projection: KinkProjection = KinkProjection()) throws -> (Certificate, KinkWitness<M>) {
    let kappa = auditor.kappa
    guard kappa.isFinite, kappa >= 0 else { throw KKTAuditError.invalidKappa(kappa) }
    guard unlearned.inputDimension == retained.dimension else {
      throw KKTAuditError.dimensionMismatch(model: unlearned.inputDimension, data: retained.dimension)
    }
    guard unlearned.parameters.allSatisfy(\.isFinite) else { throw KKTAuditError.nonFiniteModel }
    let pass = unlearned.forward(retained.features)
    guard pass.outputs.allSatisfy(\.isFinite) else { throw KKTAuditError.nonFiniteModel }
    let band = unlearned.kinkBand(retained.features, pass: pass, kappa: kappa)
    let witness = unlearned.kinkWitness(retained.features, pass: pass, band: band, projection: projection)
    let tau = Vector.tau(unlearned.parameters, witness.model.parameters)
    let how = witness.projectedPairs == 0
      ? "θ_U itself: no band pairs at κ = \(kappa) to project (exact Clarke audit, kink tolerance \(Self.exactKinkTolerance))"
      : "θ_U with \(witness.projectedPairs) band pairs at κ = \(kappa) projected onto their kinks (least change per unit, "
        + "\(witness.dependentRows) dependent rows, largest |⟨w̃_j, x_i⟩|/(‖w̃_j‖‖x_i‖) \(String(format: "%.1e", witness.largestKinkOffset))); "
        + "\(witness.signChanges) pair\(witness.signChanges == 1 ? "" : "s") off the band changed activation; exact Clarke audit (kink tolerance \(Self.exactKinkTolerance))"
    let exact = KKTAuditor(kappa: Self.exactKinkTolerance, solver: auditor.solver)
    do {
      let audit = try exact.audit(witness.model, on: retained, kernel: kernel)
      let certificate = Certificate(
        kind: .witness, epsilon: audit.epsilon, epsilonRelative: audit.epsilonRelative, delta: audit.delta, tau: tau,
        kappa: kappa, method: how + ", \(audit.bandPairs) pairs on kinks", minMargin: audit.minMargin,
        projectedPairs: witness.projectedPairs, signChanges: witness.signChanges)
      return (certificate, witness)
    } catch KKTAuditError.notInterpolating(let gamma, let count, let m) {
      let certificate = Certificate(
        kind: .witness, epsilon: nil, epsilonRelative: nil, delta: nil, tau: tau, kappa: kappa,
        method: how + "; unavailable: \(count) of \(m) retained margins of θ̃ are ≤ 0 (minimum \(gamma)), so θ̃ cannot be normalised on S∖F",
        minMargin: gamma, projectedPairs: witness.projectedPairs, signChanges: witness.signChanges)
      return (certificate, witness)
    }
  }
}
