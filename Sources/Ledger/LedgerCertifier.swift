import LinearAlgebra
import Unlearning

/// Issues (and re-issues, for `verify`) the certificates of a version's model w.r.t. its retained set R
/// (MATH.md §6), the way ``ForgetWorkflow`` issues them: *self* is the κ-audit of θ normalised on R,
/// *retrained* retrains on R from the initialisation recorded in the model file (τ = 1 − cos), *exact* is
/// the SVM of R (linear models), *carried* the residual of the multipliers stored in the version's model
/// file (no QP), *witness* the model projected onto the kinks of its band on R and audited exactly (linear
/// and two-layer models; the projected model is not stored, only its certificate). Each certificate carries ψ and φ of R (``LedgerCertificate``).
///
/// On one machine the numbers are the bits the workflow computed (the same audits on the same rows);
/// across BLAS kernel sets they agree to rounding (`verify` compares with a relative tolerance of 1e-9).
package enum LedgerCertifier {
  /// The certificates of `kinds` for `model` on `retained` at κ.
  ///
  /// - Complexity: one audit on R per certificate (O(m² d) for the kernel plus the κ-QP), one training run
  ///   for *retrained*, the SVM for *exact*; O(m² d) for ψ and φ.
  /// - Throws: the audits' errors other than a model that does not interpolate R (then the certificate is
  ///   unavailable, with the reason), and the retraining's.
  package static func certificates(for model: any HomogeneousModel, metadata: ModelMetadata, retained: Dataset,
                                   kinds: [Certificate.Kind], kappa: Double) throws -> [LedgerCertificate] {
    let geometry = DataGeometry(of: retained)
    return try raw(model, metadata: metadata, retained: retained, kinds: kinds, kappa: kappa)
      .map { LedgerCertificate($0, geometry: geometry) }
  }

  private static func raw<M: HomogeneousModel>(_ model: M, metadata: ModelMetadata, retained: Dataset,
                                               kinds: [Certificate.Kind], kappa: Double) throws -> [Certificate] {
    let certifier = Certifier(auditor: KKTAuditor(kappa: kappa))
    func unavailable(_ kind: Certificate.Kind, _ why: String) -> Certificate {
      Certificate(kind: kind, epsilon: nil, epsilonRelative: nil, delta: nil, tau: nil, kappa: kappa, method: why)
    }
    var out: [Certificate] = []
    for kind in kinds {
      switch kind {
      case .self:
        out.append(try certifier.selfCertificate(model, retained: retained))
      case .retrained:
        let initial: M? = metadata.initSeed.flatMap { seed in
          metadata.initScale.flatMap { scale in
            ModelArchitecture.of(model).initialModel(dimension: retained.dimension, initScale: scale, seed: seed) as? M
          }
        }.flatMap { $0.parameters.count == model.parameters.count ? $0 : nil }
        guard let initial else {
          out.append(unavailable(.retrained, "unavailable: the model file does not record its initialisation (init_seed, init_scale), which retraining starts from"))
          continue
        }
        var training = metadata.training ?? TrainingConfiguration(loss: metadata.loss)
        training.kappa = kappa
        out.append(try certifier.retrainedCertificate(model, retained: retained, initial: initial, training: training).0)
      case .carried:
        // The multipliers the version's model file carries (MATH.md §5.1), when they are this model's on R.
        guard let stored = metadata.multipliers, stored.mismatch(model: model, data: retained, kappa: kappa) == nil else {
          out.append(unavailable(.carried, "unavailable: the model file carries no multipliers for this model on its retained set"))
          continue
        }
        out.append(try certifier.carriedCertificate(model, retained: retained, multipliers: stored))
      case .exact:
        guard let solvable = model as? any MaxMarginSolvable else {
          out.append(unavailable(.exact, "unavailable: exact certificates exist for linear models only (the SVM of S∖F)"))
          continue
        }
        do {
          out.append(try certifier.exactCertificate(solvable, retained: retained).0)
        } catch let error as SVMError {
          out.append(unavailable(.exact, "unavailable: \(error)"))
        }
      case .witness:
        guard let projectable = model as? any KinkProjectable else {
          out.append(unavailable(.witness, Certifier.noWitness))
          continue
        }
        func witness<P: KinkProjectable>(_ model: P) throws -> Certificate {
          try certifier.witnessCertificate(model, retained: retained).0
        }
        out.append(try witness(projectable))
      }
    }
    return out
  }
}
