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
                         method: "residual of the multipliers carried to the unlearned model (\(multipliers.carriedSteps) step\(multipliers.carriedSteps == 1 ? "" : "s") since the last audit, \(r.bandPairs) band pairs; no QP): an upper bound on self's ε")
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
                         method: "κ-audit of the unlearned model normalised on S∖F (\(audit.bandPairs) band pairs)")
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
                         delta: audit.delta, tau: tau, kappa: auditor.kappa, method: how)
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
      method: "hard-margin SVM of S∖F from its dual (\(svm.supportVectors) support vectors, KKT error \(String(format: "%.1e", svm.kktError)))")
    return (certificate, svm)
  }
}
