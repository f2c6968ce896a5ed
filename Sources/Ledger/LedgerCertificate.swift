import Unlearning

/// A certificate as the ledger stores it: a ``Certificate`` of MATH.md §6 (ε, ε/‖θ̃‖, δ, τ at κ, and how
/// it was obtained) w.r.t. the version's retained set R, plus the data geometry of R (MATH.md §4.8),
/// `ψ = max_i |‖x_i‖² − 1|` and `φ = max_{i≠j} |⟨x_i, x_j⟩|`, so that a version outside the paper's regime
/// (φ ≲ 1/m) is visible in the log.
package struct LedgerCertificate: Sendable, Equatable, Codable {
  package var kind: Certificate.Kind
  package var epsilon: Double?
  package var epsilonRelative: Double?
  package var delta: Double?
  package var tau: Double?
  package var kappa: Double
  package var method: String
  /// ψ of the retained set.
  package var psi: Double
  /// φ of the retained set.
  package var phi: Double

  package init(_ certificate: Certificate, geometry: DataGeometry) {
    kind = certificate.kind
    epsilon = certificate.epsilon
    epsilonRelative = certificate.epsilonRelative
    delta = certificate.delta
    tau = certificate.tau
    kappa = certificate.kappa
    method = certificate.method
    psi = geometry.psi
    phi = geometry.phi
  }

  enum CodingKeys: String, CodingKey {
    case kind, epsilon, epsilonRelative = "epsilon_relative", delta, tau, kappa, method, psi, phi
  }

  /// Every key always present (`null` when unavailable).
  package func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(kind, forKey: .kind)
    try c.encode(epsilon, forKey: .epsilon)
    try c.encode(epsilonRelative, forKey: .epsilonRelative)
    try c.encode(delta, forKey: .delta)
    try c.encode(tau, forKey: .tau)
    try c.encode(kappa, forKey: .kappa)
    try c.encode(method, forKey: .method)
    try c.encode(psi, forKey: .psi)
    try c.encode(phi, forKey: .phi)
  }

  /// The certificate in the canonical content of its entry (every number at full precision).
  package var canonical: CanonicalJSON {
    .object(["kind": .string(kind.rawValue), "epsilon": .number(epsilon), "epsilon_relative": .number(epsilonRelative),
             "delta": .number(delta), "tau": .number(tau), "kappa": .double(kappa), "method": .string(method),
             "psi": .double(psi), "phi": .double(phi)])
  }

  /// The numbers of the certificate, named, in a fixed order (for comparisons).
  package var numbers: [(String, Double?)] {
    [("ε", epsilon), ("ε/‖θ̃‖", epsilonRelative), ("δ", delta), ("τ", tau), ("κ", kappa), ("ψ", psi), ("φ", phi)]
  }

  /// The first number of `self` that differs from `other`'s by more than `relativeTolerance`
  /// (relative to the larger magnitude, with an absolute floor of `relativeTolerance · 1e-3` for
  /// numbers at rounding level, such as an exact certificate's ε ≈ 1e-15), or a different kind or
  /// availability; `nil` when they agree.
  ///
  /// - Complexity: O(1).
  package func firstDifference(from other: LedgerCertificate, relativeTolerance: Double) -> String? {
    guard kind == other.kind else { return "kind \(kind.rawValue) vs \(other.kind.rawValue)" }
    for ((name, a), (_, b)) in zip(numbers, other.numbers) {
      switch (a, b) {
      case (nil, nil): continue
      case (let a?, let b?):
        if a == b || (a.isNaN && b.isNaN) { continue }
        let scale = max(abs(a), abs(b))
        if abs(a - b) <= relativeTolerance * scale || abs(a - b) <= relativeTolerance * 1e-3 { continue }
        return "\(kind.rawValue) \(name) stored \(a), recomputed \(b)"
      default:
        return "\(kind.rawValue) \(name) stored \(a.map { "\($0)" } ?? "unavailable"), recomputed \(b.map { "\($0)" } ?? "unavailable")"
      }
    }
    return nil
  }
}
