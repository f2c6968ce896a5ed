import Foundation
import LinearAlgebra
import Unlearning
import Workflows

/// One new version computed from its parent: the parent's model file, the parent's retained set R
/// (in init order) and the positions in R of the examples to forget F go through
/// ``ForgetWorkflow/run(_:metadata:on:_:progress:)`` with the request's method, κ and certificates; the
/// result θ_U is written with the metadata the workflow returns (the parent's provenance plus the unlearning's,
/// and after the paper's step the multipliers of R∖F carried forward: the next request then needs no audit
/// of its parent; the ledger's correctness never depends on them), and its certificates are
/// w.r.t. R∖F with ψ and φ of R∖F. With a policy, a self certificate above the bound sends the request
/// through the fallback (``LedgerPolicy``).
package enum VersionDerivation {
  /// The new version's model file, method and certificates.
  package struct Result: Sendable {
    package var modelBytes: [UInt8]
    package var method: LedgerMethod
    package var certificates: [LedgerCertificate]
    /// Why the fallback ran (`nil` when it did not).
    package var fallback: String?
  }

  /// Derives the version after `parent` by forgetting `forget` (positions in `retained`).
  ///
  /// - Complexity: the method's (for ga-kkt: the κ-audit of the parent on R, O(m² d) plus the κ-QP, and
  ///   the step, O(|F| p)), one audit on R∖F per certificate, twice when the fallback runs.
  /// - Throws: ``LedgerError/foreignModel(_:)`` for a parent whose input dimension is not the data's;
  ///   ``FileFormatError`` for an unreadable parent file; the workflow's errors.
  package static func derive(parentBytes: [UInt8], parentVersion: Int, retained: Dataset, forget: [Int],
                             settings: LedgerForgetSettings, kappa: Double,
                             progress: ((TrainingProgress) -> Void)? = nil) throws -> Result {
    let (parent, metadata) = try ModelFile.decode(try SafetensorsFile.parse(parentBytes, name: "version \(parentVersion)"))
    guard parent.inputDimension == retained.dimension else {
      throw LedgerError.foreignModel("version \(parentVersion)'s model takes inputs of dimension \(parent.inputDimension) but the ledger's examples have \(retained.dimension) features")
    }
    var certify = settings.certify
    if settings.policy != nil, !certify.contains(.self) { certify.insert(.self, at: 0) }
    let remaining = try retained.removing(forget).retained
    let geometry = DataGeometry(of: remaining)

    func attempt(_ method: UnlearningMethod, freshAudit: Bool) throws -> Result {
      try step(parent, metadata: metadata, retained: retained, forget: forget, method: method, freshAudit: freshAudit,
               certify: certify, kappa: kappa, geometry: geometry, progress: progress)
    }

    let first = try attempt(settings.method, freshAudit: settings.freshAudits)
    guard let policy = settings.policy else { return first }
    let own = first.certificates.first { $0.kind == .self }
    let observed = own?.epsilonRelative
    if let observed, observed <= policy.maxEpsilon { return first }
    let why = observed.map { "self ε/‖θ̃‖ = \(sci($0)) > --max-epsilon \(policy.maxEpsilon)" }
      ?? "self certificate unavailable (\(own?.method ?? "not issued"))"
    let fallbackMethod: UnlearningMethod
    switch policy.fallback {
    case .recover:
      let alpha = LedgerMethod(settings.method).alpha ?? 1
      fallbackMethod = .gaKKTRecover(alpha: alpha, step: LedgerMethod(settings.method).unlearningMethodStep)
    case .reaudit: fallbackMethod = settings.method
    case .retrain: fallbackMethod = .retrain
    }
    var second = try attempt(fallbackMethod, freshAudit: policy.fallback == .reaudit || settings.freshAudits)
    let after = second.certificates.first { $0.kind == .self }?.epsilonRelative
    second.fallback = "\(why) with \(settings.method.kind.rawValue): fell back to \(policy.fallback.rawValue) (\(fallbackMethod.kind.rawValue)), self ε/‖θ̃‖ = \(after.map(sci) ?? "unavailable")"
      + ((after.map { $0 <= policy.maxEpsilon } ?? false) ? "" : ", still above the bound")
    return second
  }

  /// Re-derives a version exactly as recorded (`verify --replay`): the recorded method (with a fresh audit
  /// when it had one) and the recorded certificate kinds, no policy.
  ///
  /// - Complexity: as ``derive(parentBytes:parentVersion:retained:forget:settings:kappa:progress:)`` without a fallback.
  /// - Throws: as ``derive(parentBytes:parentVersion:retained:forget:settings:kappa:progress:)``.
  package static func replay(parentBytes: [UInt8], parentVersion: Int, retained: Dataset, forget: [Int],
                             method: LedgerMethod, certify: [Certificate.Kind], kappa: Double) throws -> Result {
    let (parent, metadata) = try ModelFile.decode(try SafetensorsFile.parse(parentBytes, name: "version \(parentVersion)"))
    guard parent.inputDimension == retained.dimension else {
      throw LedgerError.foreignModel("version \(parentVersion)'s model takes inputs of dimension \(parent.inputDimension) but the ledger's examples have \(retained.dimension) features")
    }
    let geometry = DataGeometry(of: try retained.removing(forget).retained)
    return try step(parent, metadata: metadata, retained: retained, forget: forget, method: method.unlearningMethod,
                    freshAudit: method.freshAudit ?? false, certify: certify, kappa: kappa, geometry: geometry, progress: nil)
  }

  /// One run of the workflow and the model file it gives.
  static func step(_ parent: any HomogeneousModel, metadata: ModelMetadata, retained: Dataset, forget: [Int],
                   method: UnlearningMethod, freshAudit: Bool, certify: [Certificate.Kind], kappa: Double,
                   geometry: DataGeometry, progress: ((TrainingProgress) -> Void)?) throws -> Result {
    var parentMetadata = metadata
    if freshAudit { parentMetadata = Self.withoutCarriedMultipliers(parentMetadata) }
    let request = ForgetWorkflow.Request(forgetSet: forget, method: method, kappa: kappa, certify: certify)
    // The workflow's metadata: the parent's provenance, this step recorded, and (after ga-kkt) the retained
    // examples' multipliers carried forward, so that the next request skips its audit on R.
    let result = try ForgetWorkflow.run(parent, metadata: parentMetadata, on: retained, request, progress: progress)
    var record = LedgerMethod(method)
    // F64 whatever the layout's dtype (names and shapes kept): `verify` recomputes the certificates from these bytes.
    // Without the pre-activation cache: it projects the features of examples a later version may forget
    // (``Ledger/withoutPreactivationCache(_:bytes:)``).
    var metadata = result.metadata
    metadata.multipliers?.preactivations = nil
    let bytes = try ModelFile.encode(result.model, metadata: metadata).encode(dtype: .f64)
    if freshAudit { record.freshAudit = true }
    return Result(modelBytes: bytes, method: record,
                  certificates: result.summary.certificates.map { LedgerCertificate($0, geometry: geometry) }, fallback: nil)
  }

  /// Three significant digits, `5.48e-04`.
  static func sci(_ x: Double) -> String { String(format: "%.2e", x) }

  /// Parent metadata without multipliers carried forward from an earlier audit, so that the step's
  /// multipliers come from a fresh κ-audit of the parent on R.
  static func withoutCarriedMultipliers(_ metadata: ModelMetadata) -> ModelMetadata {
    var fresh = metadata
    fresh.multipliers = nil
    return fresh
  }
}
