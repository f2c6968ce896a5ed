import Unlearning

/// The settings of `unlearn demo` (defaults: the paper's small setting, MATH.md §7).
package struct DemoSettings: Sendable, Codable, Equatable {
  /// Number of training examples `m`.
  package var examples = 20
  /// Input dimension `d`.
  package var dimension = 1000
  /// Hidden width `n` of the two-layer network.
  package var width = 100
  /// Whether the two-layer network trains its output layer.
  package var trainOutputLayer = false
  /// Seed of the data and of the initialisation.
  package var seed: UInt64 = 0
  /// The forget set `F` (indices into S).
  package var forget = [0]
  /// The kink tolerance κ of the audits.
  package var kappa = KKTAuditor.defaultKappa
  /// The init scale `s` (entries `N(0, s²/d)`).
  package var initScale = 0.01
  /// Training settings of the linear model.
  package var linearTraining = TrainingConfiguration(learningRate: 1, tolerance: 1e-4, auditInterval: 50, maxIterations: 20_000)
  /// Training settings of the two-layer network. The tolerance is what loss-normalised
  /// GD reaches here within the budget: its κ-audit ε/‖θ̂‖ decays like ~1/t (≈ 5e-3
  /// after 35 000 steps on S∖F at the default seed), so 1e-3 would need ~10⁵ more steps.
  package var twoLayerTraining = TrainingConfiguration(learningRate: 1, tolerance: 5e-3, auditInterval: 200, maxIterations: 40_000)

  package init() {}
}
