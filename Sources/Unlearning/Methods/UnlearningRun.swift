import Foundation
import LinearAlgebra

/// The unlearning pipeline, written once: the κ-audit of the trained model θ on S
/// (MATH.md §4), a method (§5 for the paper's step, §9 for the baselines), the
/// κ-audit of θ_U on S∖F, and τ = `1 − cos(θ_U, θ_retrained)` against the model
/// retrained on S∖F from the recorded initialisation (§6).
///
/// A run is one (θ, S, F). Everything several methods share is computed once, on
/// first need, and reused: the kernels `K = X Xᵀ` of S and of S∖F (every audit of
/// the run takes one of them), the audit on S (or the one supplied), and the
/// retrained reference. Methods never see each other's results otherwise, so
/// running them in any order gives the same models, audits and τ, bit for bit.
///
/// A run is a cache: a reference type, not safe to share between threads.
///
///     let run = try UnlearningRun(model: trained.model, data: s, forgetSet: [3],
///                                 initial: trained.initialModel, training: config)
///     let paper = try run.run(.gaKKT())                  // θ_U, its audit on S∖F, τ, seconds
///     let tuned = try run.run(.fineTune(steps: 10))      // the same audit on S, the same reference
public final class UnlearningRun<M: HomogeneousModel> {
  /// The trained model θ (at its own scale).
  public let model: M
  /// The training set S.
  public let data: Dataset
  /// The forget set F (indices into S, validated).
  public let forgetSet: [Int]
  /// S∖F, in S's order.
  public let retained: Dataset
  /// The auditor of every audit of the run (its κ is the run's κ).
  public let auditor: KKTAuditor
  /// The loss of the baselines' gradient steps.
  public let loss: Loss
  /// The recorded initialisation retraining starts from (`nil`: no `retrain`, no τ).
  public let initial: M?
  /// The settings retraining runs with, used as given (set their κ to the auditor's for the *retrained* certificate's tolerance to mean the run's audit).
  public let training: TrainingConfiguration?
  /// Whether ``run(_:)`` audits θ_U on S∖F (``Outcome/audit``).
  public var certifies: Bool
  /// Whether ``run(_:)`` measures τ against the retrained reference (retraining on first need).
  public var comparesToRetrained: Bool
  /// Called at every audit of the retraining.
  public var progress: ((TrainingProgress) -> Void)?
  /// Multipliers stored with θ (MATH.md §5.1): when they belong to θ and S at the run's κ, the paper's
  /// gradient step takes its λ from them and no audit on S is run.
  public let stored: StoredMultipliers?
  /// Whether ``run(_:)`` carries the multipliers of S∖F to θ_U after the paper's step (``Outcome/carried``,
  /// counted in its seconds) and warm-starts θ_U's audit on S∖F from them.
  public var carriesMultipliers: Bool

  /// Whether ``run(_:)`` times the paper's step from stored multipliers *warm*: it runs the step (and the
  /// carrying) once untimed-for-`seconds` first (``Outcome/coldSeconds``), then ``warmRuns`` more times and
  /// reports their median. The first runs page in the memory the step touches (θ_U's copy, BLAS's packing
  /// buffers; a second θ-sized buffer is still fresh memory while the first θ_U is alive) and resolve the
  /// process's first-call costs; from the third on the allocator reuses what the earlier ones freed, as a
  /// process serving requests one after another does. Every run computes the same θ_U bit for bit (the step
  /// is deterministic); the last is the one returned. Only this step (one gradient over F) is repeated;
  /// every other method runs once. Retraining, timed after it in the same process by the trainer's clock
  /// over hundreds of iterations, runs warm too.
  public var measuresWarm = false
  /// The timed runs of a warm measurement (``measuresWarm``) after the cold one; their median is `seconds`.
  public static var warmRuns: Int { 5 }
  /// θ_U's pre-activations on S∖F carried by the last paper's step from stored multipliers (MATH.md §5.2),
  /// for ``run(_:)`` to carry the multipliers without a forward pass; `nil` when the step did not carry them.
  private var stepPreactivations: Matrix?

  /// Where the paper's step took λ from.
  public enum MultipliersSource: String, Sendable, Codable {
    /// The multipliers stored with θ (no audit on S).
    case stored
    /// The κ-audit of θ on S.
    case audit
  }
  /// Where the last paper's step took λ from (`nil` before one ran).
  public private(set) var multipliersSource: MultipliersSource?
  /// Why the stored multipliers were not used (`nil` when they were, or when there were none).
  public private(set) var storedMultipliersRejection: String?
  private var storedCheck: (step: GradientAscentUnlearning.Step, usable: StoredMultipliers?)?

  private var kernelOfS: Matrix?
  private var kernelOfRetained: Matrix?
  private var auditOnS: Result<KKTAuditReport<M>, any Error>?
  private var retraining: Result<TrainingResult<M>, any Error>?
  /// Wall seconds of the audit on S when this run took it (0 for a supplied audit).
  public private(set) var auditSeconds: Double = 0
  /// How many kernels `X Xᵀ` the run has formed (at most two: S and S∖F).
  internal private(set) var kernelsFormed = 0
  /// How many times the run has retrained (at most once).
  internal private(set) var retrainings = 0

  /// A run for forgetting `forgetSet` from `model`, trained on `data`.
  ///
  /// - Parameters:
  ///   - model: θ, trained on `data`.
  ///   - data: S.
  ///   - forgetSet: F, indices into S.
  ///   - auditor: the auditor of every audit (κ); default κ = ``KKTAuditor/defaultKappa``.
  ///   - loss: the loss of the baselines' steps (`nil`: `training`'s loss, else exponential).
  ///   - initial: the recorded initialisation, for `retrain` and τ.
  ///   - training: the settings to retrain with, for `retrain` and τ.
  ///   - audit: the κ-audit of `model` on `data` when already at hand (it must be at `auditor`'s κ).
  ///   - certifies: whether ``run(_:)`` audits θ_U on S∖F.
  ///   - comparesToRetrained: whether ``run(_:)`` measures τ (needs `initial` and `training`).
  ///   - stored: multipliers stored with `model`, used by the paper's gradient step when they match.
  ///   - carriesMultipliers: whether ``run(_:)`` carries the multipliers of S∖F to θ_U.
  ///   - progress: called at every audit of the retraining.
  /// - Complexity: O(m d) to split S.
  /// - Throws: ``DatasetError`` for an invalid forget set.
  public init(model: M, data: Dataset, forgetSet: [Int], auditor: KKTAuditor = KKTAuditor(), loss: Loss? = nil,
              initial: M? = nil, training: TrainingConfiguration? = nil, audit: KKTAuditReport<M>? = nil,
              certifies: Bool = true, comparesToRetrained: Bool = true, stored: StoredMultipliers? = nil,
              carriesMultipliers: Bool = false, progress: ((TrainingProgress) -> Void)? = nil) throws {
    self.retained = try data.removing(forgetSet).retained
    self.model = model
    self.data = data
    self.forgetSet = forgetSet
    self.auditor = auditor
    self.loss = loss ?? training?.loss ?? .exponential
    self.initial = initial
    self.training = training
    self.auditOnS = audit.map { .success($0) }
    self.certifies = certifies
    self.comparesToRetrained = comparesToRetrained
    self.stored = stored
    self.carriesMultipliers = carriesMultipliers
    self.progress = progress
  }

  /// `K = X Xᵀ` of S, formed on first use.
  ///
  /// - Complexity: O(m² d) the first time, O(1) after.
  public var kernel: Matrix {
    if let kernelOfS { return kernelOfS }
    let k = BLAS.rowGram(data.features)
    kernelsFormed += 1
    kernelOfS = k
    return k
  }

  /// `K = X Xᵀ` of S∖F, formed on first use (not a block of ``kernel``: the same call on
  /// S∖F's rows, so the audits on S∖F see the bits a lone audit would).
  ///
  /// - Complexity: O(m² d) the first time, O(1) after.
  public var retainedKernel: Matrix {
    if let kernelOfRetained { return kernelOfRetained }
    let k = BLAS.rowGram(retained.features)
    kernelsFormed += 1
    kernelOfRetained = k
    return k
  }

  /// The κ-audit of θ on S: supplied, or taken once (with ``kernel``) and kept, failure included.
  ///
  /// - Complexity: one audit the first time, O(1) after.
  /// - Throws: ``KKTAuditError`` (every call, when the audit failed).
  public func audit() throws -> KKTAuditReport<M> {
    if let auditOnS { return try auditOnS.get() }
    let clock = ContinuousClock()
    var result: Result<KKTAuditReport<M>, any Error>! = nil
    let took = clock.measure { result = Result { try auditor.audit(model, on: data, kernel: kernel) } }
    auditSeconds = took.inSeconds
    auditOnS = result
    return try result.get()
  }

  /// The κ-audit of any model on S∖F with the run's kernel of S∖F, as a result; started from `start`
  /// (multipliers carried to `candidate`) when given.
  ///
  /// - Complexity: one audit.
  public func auditOnRetained(_ candidate: M, startingFrom start: StoredMultipliers? = nil) -> Result<KKTAuditReport<M>, any Error> {
    Result {
      if let start { return try auditor.audit(candidate, on: retained, startingFrom: start, kernel: retainedKernel) }
      return try auditor.audit(candidate, on: retained, kernel: retainedKernel)
    }
  }

  /// The stored multipliers when the paper's `step` can take them: given, the gradient step, and
  /// belonging to θ and S at the run's κ (checked once per step kind; the reason is kept in
  /// ``storedMultipliersRejection`` otherwise).
  ///
  /// - Complexity: O(m d + p) for the fingerprints the first time, O(1) after.
  public func usableStoredMultipliers(for step: GradientAscentUnlearning.Step) -> StoredMultipliers? {
    guard let stored else { return nil }
    if let storedCheck, storedCheck.step == step { return storedCheck.usable }
    var reason: String? = nil
    if step != .gradient {
      reason = "the decomposition step needs the audit's activation pattern on S"
    } else {
      reason = stored.mismatch(model: model, data: data, kappa: auditor.kappa)
    }
    storedMultipliersRejection = reason
    let usable = reason == nil ? stored : nil
    storedCheck = (step, usable)
    return usable
  }

  /// The multipliers of θ on S that the paper's `step` uses: the stored ones when usable
  /// (``usableStoredMultipliers(for:)``), else those of ``audit()``.
  ///
  /// - Complexity: O(m d + p) with usable stored multipliers, else one audit the first time.
  /// - Throws: the audit's errors.
  public func multipliersOnS(for step: GradientAscentUnlearning.Step) throws -> StoredMultipliers {
    if let usable = usableStoredMultipliers(for: step) { return usable }
    return StoredMultipliers(audit: try audit(), model: model, data: data, origin: .audit)
  }

  /// λ_r and the step sizes β_r of the forget set, in its order, from wherever the paper's `step` takes λ.
  ///
  /// - Complexity: a forward pass over F with stored multipliers; the audit on S otherwise (first time).
  /// - Throws: the audit's errors.
  public func forgetSetMultipliers(for step: GradientAscentUnlearning.Step) throws -> (lambda: [Double], stepSizes: [Double]) {
    if let usable = usableStoredMultipliers(for: step) {
      return (forgetSet.map { usable.values[$0] },
              GradientAscentUnlearning.stepSizes(model, stored: usable, data: data, forgetSet: forgetSet, loss: loss))
    }
    let a = try audit()
    return (forgetSet.map { a.multipliers[$0] }, GradientAscentUnlearning.stepSizes(a, forgetSet: forgetSet, loss: loss))
  }

  /// The paper's step, from stored multipliers when usable, else from ``audit()``; records ``multipliersSource``.
  private func paperStep(alpha: Double, step: GradientAscentUnlearning.Step) throws -> M {
    let method = GradientAscentUnlearning(alpha: alpha, step: step)
    stepPreactivations = nil
    if let usable = usableStoredMultipliers(for: step) {
      multipliersSource = .stored
      let (unlearned, z) = try method.unlearn(model, stored: usable, data: data, forgetSet: forgetSet,
                                              carryingTo: carriesMultipliers ? retained : nil)
      stepPreactivations = z
      return unlearned
    }
    multipliersSource = .audit
    return try method.unlearn(audit(), data: data, forgetSet: forgetSet)
  }

  /// Whether the run can retrain (it has the initialisation and the training settings).
  public var canRetrain: Bool { initial != nil && training != nil }

  /// The model trained on S∖F from ``initial`` with ``training``: trained once, on first need, and kept
  /// (failure included). `nil` when the run cannot retrain.
  ///
  /// - Complexity: one training run the first time, O(1) after.
  /// - Throws: ``TrainingError`` (every call, when the retraining failed).
  public func retrained() throws -> TrainingResult<M>? {
    guard let initial, let training else { return nil }
    if let retraining { return try retraining.get() }
    retrainings += 1
    let result = Result { try Trainer(training).train(from: initial, on: retained, progress: progress) }
    retraining = result
    return try result.get()
  }

  /// θ_U: `method` applied to θ, without measuring it.
  ///
  /// - `gaKKT(α, step)`: ``GradientAscentUnlearning`` on the stored multipliers when usable
  ///   (``usableStoredMultipliers(for:)``), else on ``audit()``; `gaKKTRecover` then k normalised steps on S∖F.
  /// - `retrain`: ``retrained()``'s model.
  /// - `fineTune`, `randomLabel`, `minNormOG`: k loss-normalised steps `θ ← θ − η ∇L/L` on S∖F, on S with
  ///   F's labels flipped, from ``MinimumNormProjection``'s θ_P.
  /// - `negGrad`, `negGradPlus`: k steps `θ ← θ + η ∇L(F)`, `θ ← θ + η (γ ∇L(F) − ∇L(S∖F))`.
  /// - `newton`: ``NewtonRemoval``.
  ///
  /// - Complexity: the method's; the audit on S and the retraining only the first time a method needs them.
  /// - Throws: ``UnlearningError`` `.negativeStepCount` and `.missingInitialization` (usage) for the method's
  ///   settings, `.nonFiniteResult` (numerical) when neggrad's steps overflow; the errors of the audit, the
  ///   trainer and the Newton and projection methods.
  public func apply(_ method: UnlearningMethod) throws -> M {
    switch method {
    case .gaKKT(let alpha, let step):
      return try paperStep(alpha: alpha, step: step)
    case .gaKKTRecover(let alpha, let step, let steps, let learningRate):
      try Self.check(steps)
      let stepped = try paperStep(alpha: alpha, step: step)
      return try BaselineSteps.normalized(stepped, on: retained, steps: steps, learningRate: learningRate, loss: loss)
    case .retrain:
      guard let result = try retrained() else { throw UnlearningError.missingInitialization }
      return result.model
    case .fineTune(let steps, let learningRate):
      try Self.check(steps)
      return try BaselineSteps.normalized(model, on: retained, steps: steps, learningRate: learningRate, loss: loss)
    case .randomLabel(let steps, let learningRate):
      try Self.check(steps)
      let forget = Set(forgetSet)
      let flipped = data.labels.enumerated().map { forget.contains($0.offset) ? -$0.element : $0.element }
      return try BaselineSteps.normalized(model, on: try Dataset(features: data.features, labels: flipped), steps: steps,
                                          learningRate: learningRate, loss: loss)
    case .newton(let regularization):
      return try NewtonRemoval(regularization: regularization).unlearn(model, data: data, forgetSet: forgetSet).model
    case .minNormOG(let steps, let learningRate):
      try Self.check(steps)
      return try BaselineSteps.normalized(try MinimumNormProjection().project(model, retained: retained), on: retained,
                                          steps: steps, learningRate: learningRate, loss: loss)
    case .negGrad(let steps, let rate):
      try Self.check(steps)
      return try BaselineSteps.ascent(model, forget: data.subset(forgetSet), retained: nil, steps: steps, rate: rate,
                                      forgetWeight: 1, loss: loss, method: .negGrad)
    case .negGradPlus(let steps, let rate, let forgetWeight):
      try Self.check(steps)
      return try BaselineSteps.ascent(model, forget: data.subset(forgetSet), retained: retained, steps: steps, rate: rate,
                                      forgetWeight: forgetWeight, loss: loss, method: .negGradPlus)
    }
  }

  /// `method` applied and measured: θ_U, its audit on S∖F (when ``certifies``), τ against the
  /// retrained reference (when ``comparesToRetrained`` and the run can retrain), and the wall seconds.
  ///
  /// `seconds` is the method's cost: for the paper's step it includes the audit on S (``auditSeconds``,
  /// counted whether this call or an earlier one took it; 0 when it was supplied, and none with usable stored
  /// multipliers) and, with ``carriesMultipliers``, carrying the multipliers to θ_U (γ_U from the
  /// pre-activations the step carried, MATH.md §5.2, or else a forward pass over S∖F; θ_U's audit on S∖F then
  /// starts from them); for `retrain` it is the trainer's
  /// own clock. Neither the audit on S∖F nor the reference's retraining is counted.
  ///
  /// The SHA-256 fingerprints that bind stored multipliers to their model and data (checking the input's,
  /// computing θ_U's carried ones) are in ``Outcome/fingerprintSeconds``, not in `seconds`: the trainer's
  /// clock, which `seconds` is compared with, has none either (training fingerprints what it stores after
  /// its clock stops), and both sides read and write their files outside their clocks. With
  /// ``measuresWarm`` the stored-multiplier step is timed as the median of ``warmRuns`` runs after a cold
  /// one (``Outcome/coldSeconds``).
  ///
  /// - Complexity: ``apply(_:)``, plus one audit on S∖F when certifying and O(p) for τ.
  /// - Throws: the errors of ``apply(_:)``. A failed audit on S∖F is in ``Outcome/audit``; a failed
  ///   retraining leaves τ `nil` (``retrained()`` rethrows it).
  public func run(_ method: UnlearningMethod) throws -> Outcome {
    let auditWasTaken = auditOnS != nil
    let clock = ContinuousClock()
    var unlearned: M! = nil
    var carried: StoredMultipliers? = nil
    var fingerprintSeconds = 0.0
    if stored != nil, let step = method.paperStep {
      fingerprintSeconds += clock.measure { _ = usableStoredMultipliers(for: step) }.inSeconds
    }
    /// The method, and with ``carriesMultipliers`` the multipliers of S∖F carried to θ_U.
    func runMethod() throws {
      unlearned = try apply(method)
      if carriesMultipliers, case .gaKKT(_, let step) = method {
        carried = try multipliersOnS(for: step).carried(to: unlearned, retained: retained, forgetSet: forgetSet,
                                                        bindsFingerprints: false, retainedPreactivations: stepPreactivations)
      }
    }
    var coldSeconds: Double? = nil
    var seconds: Double
    if measuresWarm, case .gaKKT(_, let step) = method, usableStoredMultipliers(for: step) != nil {
      coldSeconds = try clock.measure { try runMethod() }.inSeconds
      let warm = try (0..<Self.warmRuns).map { _ in try clock.measure { try runMethod() }.inSeconds }
      seconds = warm.sorted()[warm.count / 2]  // warmRuns is odd: the middle run
    } else {
      seconds = try clock.measure { try runMethod() }.inSeconds
    }
    if carried != nil {
      fingerprintSeconds += clock.measure { carried!.bindFingerprints(model: unlearned, data: retained) }.inSeconds
    }
    if method.needsAudit, auditWasTaken, multipliersSource == .audit { seconds += auditSeconds }
    if method == .retrain, let result = try retrained() { seconds = result.seconds }
    var outcome = evaluate(unlearned, seconds: seconds, startingFrom: carried)
    outcome.carried = carried
    outcome.fingerprintSeconds = fingerprintSeconds
    outcome.coldSeconds = coldSeconds
    return outcome
  }

  /// Any model measured as ``run(_:)`` measures θ_U (the original θ, a model unlearned elsewhere).
  ///
  /// - Complexity: one audit on S∖F when certifying, O(p) for τ (and the retraining on first need).
  public func evaluate(_ candidate: M, seconds: Double = 0, startingFrom start: StoredMultipliers? = nil) -> Outcome {
    let reference = comparesToRetrained ? ((try? retrained()) ?? nil) : nil
    return Outcome(model: candidate, audit: certifies ? auditOnRetained(candidate, startingFrom: start) : nil,
                   tau: reference.map { Vector.tau(candidate.parameters, $0.model.parameters) }, seconds: seconds)
  }

  /// A certificate of MATH.md §6 for `unlearned` w.r.t. S∖F, from what the run holds: *self* reuses
  /// `audit` (θ_U's audit on S∖F) when given, *retrained* the run's reference, *exact* the SVM of S∖F
  /// (unavailable, with the reason, for models without one or a non-separable S∖F), *carried* the residual
  /// of the multipliers `carried` to θ_U (``Outcome/carried``; unavailable without them), *witness* θ_U
  /// projected onto its kinks (``witness(for:)``; unavailable for models that are not ``KinkProjectable``).
  /// Every audit takes ``retainedKernel``.
  ///
  /// - Complexity: at most one audit on S∖F, the retraining on first need, the SVM for *exact*, the
  ///   projections for *witness*.
  /// - Throws: ``UnlearningError/missingInitialization`` for *retrained* when the run cannot retrain;
  ///   the errors of the retraining and the audits.
  public func certificate(_ kind: Certificate.Kind, for unlearned: M,
                          audit: Result<KKTAuditReport<M>, any Error>? = nil,
                          carried: StoredMultipliers? = nil) throws -> Certificate {
    let certifier = Certifier(auditor: auditor)
    switch kind {
    case .carried:
      guard let carried else {
        return unavailable(.carried, "unavailable: no multipliers were carried to this model (only the paper's step carries them)")
      }
      return try certifier.carriedCertificate(unlearned, retained: retained, multipliers: carried)
    case .self:
      return try certifier.selfCertificate(audit: audit ?? auditOnRetained(unlearned))
    case .retrained:
      guard let result = try retrained(), let training else { throw UnlearningError.missingInitialization }
      return try certifier.retrainedCertificate(unlearned, retrained: result, tolerance: training.tolerance,
                                                retained: retained, kernel: retainedKernel)
    case .exact:
      guard let solvable = unlearned as? any MaxMarginSolvable else {
        return unavailable(.exact, "unavailable: exact certificates exist for linear models only (the SVM of S∖F)")
      }
      do {
        return try certifier.exactCertificate(solvable, retained: retained, kernel: retainedKernel).0
      } catch let error as SVMError {
        return unavailable(.exact, "unavailable: \(error)")
      }
    case .witness:
      return try witness(for: unlearned).certificate
    }
  }

  /// The *witness* certificate of `unlearned` w.r.t. S∖F (``Certifier/witnessCertificate(_:retained:kernel:projection:)``
  /// with ``retainedKernel``) and θ̃ itself, at θ_U's scale; θ̃ is `nil`, and the certificate unavailable with the
  /// reason, for a model that cannot be moved onto its kinks (not ``KinkProjectable``: the deep network).
  ///
  /// - Complexity: the projections of θ_U's band on S∖F and one audit of θ̃ on S∖F.
  /// - Throws: the errors of ``Certifier/witnessCertificate(_:retained:kernel:projection:)``.
  public func witness(for unlearned: M) throws -> (certificate: Certificate, model: M?) {
    guard let projectable = unlearned as? any KinkProjectable else {
      return (unavailable(.witness, Certifier.noWitness), nil)
    }
    func build<P: KinkProjectable>(_ model: P) throws -> (Certificate, M?) {
      let (certificate, witness) = try Certifier(auditor: auditor).witnessCertificate(model, retained: retained, kernel: retainedKernel)
      return (certificate, witness.model as? M)
    }
    let (certificate, model) = try build(projectable)
    return (certificate, model)
  }

  /// A certificate of `kind` without numbers, saying why.
  ///
  /// - Complexity: O(1).
  public func unavailable(_ kind: Certificate.Kind, _ why: String) -> Certificate {
    Certificate(kind: kind, epsilon: nil, epsilonRelative: nil, delta: nil, tau: nil, kappa: auditor.kappa, method: why)
  }

  private static func check(_ steps: Int) throws {
    guard steps >= 0 else { throw UnlearningError.negativeStepCount(steps) }
  }
}
