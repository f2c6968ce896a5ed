import Foundation
import LinearAlgebra

/// Issues the certificates of MATH.md §6 for an unlearned model `θ_U` with
/// respect to the retained set S∖F. Every ε and δ comes from the κ-audit of
/// the witness on S∖F; τ from the cosine of the flattened parameters.
public struct Certifier: Sendable {
  public var auditor: KKTAuditor

  public init(auditor: KKTAuditor = KKTAuditor()) {
    self.auditor = auditor
  }

  /// *self*: `θ̃ = θ_U` normalised on S∖F (τ = 0). Unavailable, with the reason,
  /// when some retained margin is ≤ 0.
  public func selfCertificate<M: HomogeneousModel>(_ unlearned: M, retained: Dataset) throws -> Certificate {
    do {
      let audit = try auditor.audit(unlearned, on: retained)
      return Certificate(kind: .self, epsilon: audit.epsilon, epsilonRelative: audit.epsilonRelative,
                         delta: audit.delta, tau: 0, kappa: auditor.kappa,
                         method: "κ-audit of the unlearned model normalised on S∖F (\(audit.bandPairs) band pairs)")
    } catch KKTAuditError.notInterpolating(let gamma, let count, let m) {
      return Certificate(kind: .self, epsilon: nil, epsilonRelative: nil, delta: nil, tau: nil, kappa: auditor.kappa,
                         method: "unavailable: \(count) of \(m) retained margins are ≤ 0 (minimum \(gamma)), so θ_U cannot be normalised on S∖F")
    }
  }

  /// *retrained*: `θ̃` = the model trained on S∖F from `initial` with `training`;
  /// τ = `1 − cos(θ_U, θ̃)`. Returns the retrained model too.
  public func retrainedCertificate<M: HomogeneousModel>(
    _ unlearned: M, retained: Dataset, initial: M, training: TrainingConfiguration,
    progress: ((TrainingProgress) -> Void)? = nil
  ) throws -> (Certificate, TrainingResult<M>) {
    var config = training
    config.kappa = auditor.kappa
    let result = try Trainer(config).train(from: initial, on: retained, progress: progress)
    let tau = 1 - Vector.cosine(unlearned.parameters, result.model.parameters)
    let how = "retrained on S∖F from the recorded initialisation: \(result.iterations) iterations, "
      + (result.stopReason == .converged ? "converged to ε/‖θ̂‖ ≤ \(config.tolerance)" : "iteration limit (not converged)")
    do {
      let audit = try auditor.audit(result.model, on: retained)
      return (Certificate(kind: .retrained, epsilon: audit.epsilon, epsilonRelative: audit.epsilonRelative,
                          delta: audit.delta, tau: tau, kappa: auditor.kappa, method: how), result)
    } catch KKTAuditError.notInterpolating {
      return (Certificate(kind: .retrained, epsilon: nil, epsilonRelative: nil, delta: nil, tau: tau, kappa: auditor.kappa,
                          method: how + "; unavailable: the retrained model does not interpolate S∖F"), result)
    }
  }

  /// *exact* (models with a max-margin oracle, ``MaxMarginSolvable``: the linear model):
  /// `θ̃ = w*(S∖F)`, the hard-margin SVM; τ = `1 − cos(θ_U, w*)`.
  /// ε and δ are those of the audit of `w*` (zero up to rounding).
  ///
  /// - Complexity: the SVM's dual QP and one audit, O(m² d) for their Gram matrices.
  /// - Throws: ``SVMError`` when S∖F is not separable; ``KKTAuditError`` from the audit of `w*`.
  public func exactCertificate<M: MaxMarginSolvable>(_ unlearned: M, retained: Dataset) throws -> (Certificate, MaxMarginSVM.Solution) {
    let svm = try M.maxMarginSolution(of: retained, svm: MaxMarginSVM(solver: auditor.solver))
    let audit = try auditor.audit(svm.model, on: retained)
    let tau = 1 - Vector.cosine(unlearned.parameters, svm.weights)
    let certificate = Certificate(
      kind: .exact, epsilon: audit.epsilon, epsilonRelative: audit.epsilonRelative, delta: audit.delta, tau: tau,
      kappa: auditor.kappa,
      method: "hard-margin SVM of S∖F from its dual (\(svm.supportVectors) support vectors, KKT error \(String(format: "%.1e", svm.kktError)))")
    return (certificate, svm)
  }
}
