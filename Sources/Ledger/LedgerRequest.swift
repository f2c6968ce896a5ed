import Unlearning

/// One deletion request: its ID and the example IDs to forget. Applied once: a request ID already in the
/// ledger with the same IDs is skipped, with other IDs refused.
package struct LedgerRequest: Sendable, Equatable {
  package var id: String?
  package var forget: [String]

  package init(id: String?, forget: [String]) {
    self.id = id
    self.forget = forget
  }
}

/// How each version of a `forget` or `apply` is computed and certified.
package struct LedgerForgetSettings: Sendable {
  /// The method with its settings (default: the paper's step).
  package var method: UnlearningMethod
  /// κ of the audits and certificates (`nil`: the ledger's κ, set at `init`).
  package var kappa: Double?
  /// The certificates to issue for each version (`self` is added when a policy needs it).
  package var certify: [Certificate.Kind]
  /// The bound on the self certificate and the fallback, if any.
  package var policy: LedgerPolicy?
  /// Audit every parent afresh instead of taking the multipliers carried forward in its model file
  /// (slower; the same versions up to the audit's rounding).
  package var freshAudits: Bool

  package init(method: UnlearningMethod = .gaKKT(), kappa: Double? = nil, certify: [Certificate.Kind] = [.self],
               policy: LedgerPolicy? = nil, freshAudits: Bool = false) {
    self.method = method
    self.kappa = kappa
    self.certify = certify
    self.policy = policy
    self.freshAudits = freshAudits
  }
}

/// What happened to one request.
package enum LedgerForgetOutcome: Sendable, Equatable {
  /// A new version was committed.
  case applied(LedgerEntry)
  /// The request ID was already applied with the same IDs: nothing changed (its entry).
  case skipped(LedgerEntry)

  package var entry: LedgerEntry {
    switch self {
    case .applied(let e), .skipped(let e): e
    }
  }
}
