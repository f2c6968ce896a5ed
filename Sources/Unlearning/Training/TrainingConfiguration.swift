/// The settings of a training run (MATH.md §2).
public struct TrainingConfiguration: Sendable, Equatable, Codable {
  /// The update rule.
  public enum Algorithm: String, Sendable, Codable, CaseIterable {
    /// `θ ← θ − η ∇L(θ)`.
    case gradientDescent = "gd"
    /// `θ ← θ − η ∇L(θ) / L(θ)` (divided further by `‖θ‖^{C−1}` when `C ≥ 2`):
    /// reaches a small KKT error orders of magnitude sooner.
    case normalizedGradientDescent = "normalized-gd"
  }

  /// The update rule; loss-normalised GD by default.
  public var algorithm: Algorithm
  /// The margin loss ℓ; exponential by default.
  public var loss: Loss
  /// The step size η.
  public var learningRate: Double
  /// Stop when the κ-audit of the normalised model on the training set has
  /// `ε/‖θ̂‖ ≤ tolerance` and every margin is positive.
  public var tolerance: Double
  /// The kink tolerance κ of the stopping rule's audit.
  public var kappa: Double
  /// Audit every this many iterations (the audit costs far more than a step).
  public var auditInterval: Int
  /// Stop (not converged) after this many iterations.
  public var maxIterations: Int
  /// Declare divergence when `log L` has exceeded its best value plus one at
  /// this many iterations since the last new best (not necessarily consecutive);
  /// also the number of consecutive iterations with dead examples before
  /// ``TrainingError/deadUnits(iteration:examples:)``.
  public var divergencePatience: Int
  /// Whether to audit at all; `false` runs exactly `maxIterations` steps
  /// (benchmarks, fixed-budget baselines).
  public var audits: Bool = true
  /// When set, plain GD steps `θ ← θ − η_w ∇L` with this `η_w` until every
  /// training margin is positive, then ``algorithm`` for good (`nil`: no
  /// warm-up). Deep networks (degree ≥ 3) need it: the normalised step's
  /// early moves are of the order of ‖θ‖ itself and leave examples whose
  /// every unit in some layer is (nearly) dead, which then never fit (MATH.md §13).
  public var warmUpLearningRate: Double? = nil

  /// Creates settings; the defaults are those of MATH.md §2.4 (η = 0.5,
  /// tolerance 10⁻³, κ = 3·10⁻², audit every 100, at most 50 000 iterations,
  /// patience 200). ``audits`` and ``warmUpLearningRate`` are set afterwards.
  ///
  /// Nothing is checked here; ``validate()`` does (and ``Trainer`` calls it).
  public init(algorithm: Algorithm = .normalizedGradientDescent, loss: Loss = .exponential,
              learningRate: Double = 0.5, tolerance: Double = 1e-3, kappa: Double = KKTAuditor.defaultKappa,
              auditInterval: Int = 100, maxIterations: Int = 50_000, divergencePatience: Int = 200) {
    self.algorithm = algorithm
    self.loss = loss
    self.learningRate = learningRate
    self.tolerance = tolerance
    self.kappa = kappa
    self.auditInterval = auditInterval
    self.maxIterations = maxIterations
    self.divergencePatience = divergencePatience
  }

  /// Checks every setting: η and η_w positive and finite, tolerance and κ
  /// finite and ≥ 0, audit interval and patience ≥ 1, iteration limit ≥ 0.
  ///
  /// - Throws: ``TrainingError/invalidConfiguration(_:)`` naming the first bad setting.
  /// - Complexity: O(1).
  public func validate() throws {
    func fail(_ s: String) throws -> Never { throw TrainingError.invalidConfiguration(s) }
    if !(learningRate.isFinite && learningRate > 0) { try fail("the learning rate must be a positive number (got \(learningRate))") }
    if let w = warmUpLearningRate, !(w.isFinite && w > 0) { try fail("the warm-up learning rate must be a positive number (got \(w))") }
    if !(tolerance.isFinite && tolerance >= 0) { try fail("the tolerance must be a non-negative number (got \(tolerance))") }
    if !(kappa.isFinite && kappa >= 0) { try fail("κ must be a non-negative number (got \(kappa))") }
    if auditInterval < 1 { try fail("the audit interval must be at least 1 (got \(auditInterval))") }
    if maxIterations < 0 { try fail("the maximum number of iterations must be ≥ 0 (got \(maxIterations))") }
    if divergencePatience < 1 { try fail("the divergence patience must be at least 1 (got \(divergencePatience))") }
  }
}
