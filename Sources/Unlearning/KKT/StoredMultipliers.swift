import Foundation
import LinearAlgebra

/// The KKT multipliers of a model's κ-audit on its training set, kept with the model
/// (MATH.md §5.1, §8.2) so that forgetting needs no audit: `λ` (one per example),
/// the kink band and its shares `μ`, stated for the normalised model
/// `θ̂ = θ / γ^{1/C}`, `γ = min_i q_i(θ)`.
///
/// They are bound to one model and one data set by two fingerprints
/// (``ContentHash/fingerprint(parameters:)`` and ``ContentHash/fingerprint(_:)``):
/// ``mismatch(model:data:kappa:)`` says why they do not apply, and then the caller audits.
///
/// After the paper's step, ``carried(to:retained:forgetSet:bindsFingerprints:retainedPreactivations:)`` gives θ_U the same
/// multipliers restricted to S∖F (MATH.md §5: θ_U is an approximate KKT point of
/// S∖F with λ restricted), rescaled to θ_U's own normalisation and marked carried.
public struct StoredMultipliers: Sendable, Equatable {
  /// Where the multipliers came from.
  public enum Origin: String, Sendable, Codable, CaseIterable {
    /// The trainer's final audit (`unlearn train`).
    case training
    /// An audit of a finished model (`unlearn audit --attach`).
    case audit
    /// Restricted to S∖F from the model the step started from (no audit of this model).
    case carried
  }

  /// `λ_i` at κ, one per training example in data order, for θ̂.
  public var values: [Double]
  /// The kink band of the audit (pairs `(bandExamples[t], bandUnits[t])`; empty for linear models).
  public var bandExamples: [Int]
  /// Unit index of each band pair.
  public var bandUnits: [Int]
  /// `μ_t` of each band pair.
  public var kinkShares: [Double]
  /// κ of the audit.
  public var kappa: Double
  /// `γ = min_i q_i(θ)` of the model as stored (its normalisation `θ̂ = θ / γ^{1/C}`).
  public var minMargin: Double
  /// ``ContentHash/fingerprint(_:)`` of the training set, in its order.
  public var dataFingerprint: String
  /// ``ContentHash/fingerprint(parameters:)`` of the model as stored.
  public var parameterFingerprint: String
  public var origin: Origin
  /// How many unlearning steps the multipliers have been carried through (0 unless carried).
  public var carriedSteps: Int
  /// `ε/‖θ̂‖` of the audit they come from (of the last audited ancestor when carried).
  public var auditEpsilonRelative: Double?
  /// `Ẑ = X Ŵᵀ`, the first-layer pre-activations of θ̂ on the training set (`m × n`), for models that carry
  /// them (``PreactivationCarrying``: the two-layer network); `nil` otherwise. With them the paper's step
  /// carries the multipliers to θ_U by a rank-|F| update instead of a forward pass over S∖F (MATH.md §5.2).
  /// They are a cache: the step checks the rows of F against its own forward pass and ignores them when
  /// they disagree (``preactivationsAgree(with:forgetSet:)``).
  public var preactivations: Matrix?

  public init(values: [Double], bandExamples: [Int] = [], bandUnits: [Int] = [], kinkShares: [Double] = [],
              kappa: Double, minMargin: Double, dataFingerprint: String, parameterFingerprint: String,
              origin: Origin, carriedSteps: Int = 0, auditEpsilonRelative: Double? = nil, preactivations: Matrix? = nil) {
    self.values = values
    self.bandExamples = bandExamples
    self.bandUnits = bandUnits
    self.kinkShares = kinkShares
    self.kappa = kappa
    self.minMargin = minMargin
    self.dataFingerprint = dataFingerprint
    self.parameterFingerprint = parameterFingerprint
    self.origin = origin
    self.carriedSteps = carriedSteps
    self.auditEpsilonRelative = auditEpsilonRelative
    self.preactivations = preactivations
  }

  /// The multipliers of an audit of `model` on `data` (the model as audited, not θ̂).
  ///
  /// - Complexity: O(m d + p) for the two fingerprints.
  public init<M: HomogeneousModel>(audit: KKTAuditReport<M>, model: M, data: Dataset, origin: Origin) {
    self.init(values: audit.multipliers, bandExamples: audit.band.examples, bandUnits: audit.band.units,
              kinkShares: audit.kinkShares, kappa: audit.kappa, minMargin: audit.minMargin,
              dataFingerprint: ContentHash.fingerprint(data), parameterFingerprint: ContentHash.fingerprint(parameters: model.parameters),
              origin: origin, auditEpsilonRelative: audit.epsilonRelative,
              preactivations: (audit.normalizedModel as? any PreactivationCarrying).map { Self.preactivations(of: $0, audit.normalizedPass) })
  }

  /// `Z` of `pass`, a pass of `model` (the existential opened).
  private static func preactivations<P: PreactivationCarrying>(of model: P, _ pass: any ModelPass) -> Matrix {
    model.preactivations(of: pass as! P.Pass)
  }

  /// Whether ``preactivations`` can be carried through a step of `model` over `forgetSet`: they are
  /// `m × n` for this model's `n`, and their rows of F agree with `pass`, the step's own forward pass of θ̂
  /// over F, to `1e-9` of each row's largest entry (rounding of a different product order is ~1e-15).
  ///
  /// - Complexity: O(|F| n).
  public func preactivationsAgree(with pass: Matrix, forgetSet: [Int]) -> Bool {
    guard let z = preactivations, z.rows == values.count, z.columns == pass.columns, pass.rows == forgetSet.count else { return false }
    for (k, r) in forgetSet.enumerated() {
      var scale = 0.0, worst = 0.0
      for j in 0..<z.columns {
        scale = max(scale, abs(pass[k, j]))
        worst = max(worst, abs(pass[k, j] - z[r, j]))
      }
      guard worst.isFinite, worst <= 1e-9 * max(scale, .leastNormalMagnitude) else { return false }
    }
    return true
  }

  /// The number of band pairs.
  ///
  /// - Complexity: O(1).
  public var bandCount: Int { bandExamples.count }

  /// Why the multipliers do not belong to `model` on `data` at `kappa`, or `nil` when they do.
  ///
  /// - Complexity: O(m d + p) (the two fingerprints).
  public func mismatch(model: some HomogeneousModel, data: Dataset, kappa: Double) -> String? {
    if values.count != data.count {
      return "they are for \(values.count) examples, the data have \(data.count)"
    }
    if kappa != self.kappa { return "they are at κ = \(self.kappa.shortDescription), this run's κ is \(kappa.shortDescription)" }
    if ContentHash.fingerprint(parameters: model.parameters) != parameterFingerprint {
      return "the model's parameters differ from those they were computed for"
    }
    if ContentHash.fingerprint(data) != dataFingerprint {
      return "the data differ from the training set they were computed on (fingerprint \(dataFingerprint.prefix(12))…)"
    }
    return nil
  }

  /// The band of the audit, as a ``KinkBand`` at ``kappa``.
  ///
  /// - Complexity: O(b).
  public var band: KinkBand { KinkBand(kappa: kappa, examples: bandExamples, units: bandUnits) }

  /// The multipliers of θ_U on S∖F: λ and the band pairs of the retained examples, renumbered in S∖F's
  /// order, restated for θ_U's normalisation (MATH.md §5.1):
  ///
  ///     λ'_i = λ_i · γ_U^{(C−2)/C},   μ'_t = μ_t · γ_U^{(C−2)/C},   γ_U = min_{i ∈ S∖F} q_i(θ_U)
  ///
  /// (`∇N(x; cθ) = c^{C−1} ∇N(x; θ)`, so `θ̂_U = θ_U / γ_U^{1/C} = Σ λ'_i y_i ∇N(x_i; θ̂_U)` when θ_U = Σ λ_i y_i ∇N(x_i; θ_U)).
  ///
  /// - Parameters:
  ///   - unlearned: θ_U, at the scale the step produced it.
  ///   - retained: S∖F, in S's order.
  ///   - forgetSet: F, indices into S (validated by the caller).
  ///   - bindsFingerprints: `false` leaves both fingerprints empty (bound to nothing, so
  ///     ``mismatch(model:data:kappa:)`` refuses them) for the caller to fill with
  ///     ``bindFingerprints(model:data:)`` outside a timed section.
  ///   - retainedPreactivations: `Z_U = X_R W_Uᵀ`, θ_U's pre-activations on S∖F at θ_U's scale, when the step
  ///     carried them (``PreactivationCarrying``, MATH.md §5.2): the margins come from them, without a
  ///     forward pass. Otherwise a ``PreactivationCarrying`` θ_U takes them from its forward pass. Ignored
  ///     (and no cache carried) when these multipliers keep no ``preactivations``.
  /// - Returns: `nil` when θ_U does not interpolate S∖F (some margin ≤ 0 or not finite): no multipliers then.
  ///   When these multipliers keep ``preactivations`` (a ``PreactivationCarrying`` θ_U), the carried ones keep
  ///   θ̂_U's, `Z_U / γ_U^{1/C}`.
  /// - Complexity: O(|R| n) with `retainedPreactivations`, else one forward pass of θ_U on S∖F; O(m d + p)
  ///   for the fingerprints.
  public func carried<M: HomogeneousModel>(to unlearned: M, retained: Dataset, forgetSet: [Int],
                                           bindsFingerprints: Bool = true,
                                           retainedPreactivations: Matrix? = nil) -> StoredMultipliers? {
    var z: Matrix? = nil
    let outputs: [Double]
    // The cache is kept only where these multipliers kept one (`unlearn train --no-preactivation-cache`, the ledger).
    if preactivations != nil, let carrying = unlearned as? any PreactivationCarrying {
      (outputs, z) = Self.outputsAndPreactivations(carrying, retained: retained, given: retainedPreactivations)
    } else {
      outputs = unlearned.outputs(retained.features)
    }
    let margins = zip(retained.labels, outputs).map { $0 * $1 }
    guard let gamma = margins.min(), gamma > 0, margins.allSatisfy(\.isFinite) else { return nil }
    let forget = Set(forgetSet)
    var newIndex = [Int](repeating: -1, count: values.count)
    var next = 0
    for i in 0..<values.count where !forget.contains(i) {
      newIndex[i] = next
      next += 1
    }
    let c = Double(unlearned.homogeneityDegree)
    let rescale = c == 2 ? 1 : Foundation.pow(gamma, (c - 2) / c)
    if z != nil {
      let factor = 1 / gamma.power(1 / c)
      z!.elements.withUnsafeMutableBufferPointer { e in for k in e.indices { e[k] *= factor } }
    }
    var examples: [Int] = [], units: [Int] = [], shares: [Double] = []
    for t in 0..<bandExamples.count where newIndex[bandExamples[t]] >= 0 {
      examples.append(newIndex[bandExamples[t]])
      units.append(bandUnits[t])
      shares.append(kinkShares[t] * rescale)
    }
    let lambda = (0..<values.count).filter { newIndex[$0] >= 0 }.map { values[$0] * rescale }
    var result = StoredMultipliers(
      values: lambda, bandExamples: examples, bandUnits: units, kinkShares: shares, kappa: kappa, minMargin: gamma,
      dataFingerprint: "", parameterFingerprint: "",
      origin: .carried, carriedSteps: carriedSteps + 1, auditEpsilonRelative: auditEpsilonRelative, preactivations: z)
    if bindsFingerprints { result.bindFingerprints(model: unlearned, data: retained) }
    return result
  }

  /// θ_U's outputs on S∖F and its pre-activations there: from `given` (the step's carried ones) when they
  /// fit, else from a forward pass.
  private static func outputsAndPreactivations<P: PreactivationCarrying>(_ model: P, retained: Dataset,
                                                                         given: Matrix?) -> ([Double], Matrix) {
    if let given, given.rows == retained.count, given.columns == model.preactivationWidth {
      return (model.outputs(preactivations: given), given)
    }
    let pass = model.forward(retained.features)
    return (pass.outputs, model.preactivations(of: pass))
  }

  /// Binds the multipliers to `model` and `data`: both SHA-256 fingerprints recomputed.
  ///
  /// - Complexity: O(m d + p) (O(m + p) when `data` keeps its row digests).
  public mutating func bindFingerprints(model: some HomogeneousModel, data: Dataset) {
    dataFingerprint = ContentHash.fingerprint(data)
    parameterFingerprint = ContentHash.fingerprint(parameters: model.parameters)
  }
}

extension Double {
  /// `%.6g`-style text for messages.
  var shortDescription: String { String(format: "%.6g", self) }
}
