/// The options of `unlearn reproduce` (saved as `config.json`): every field is
/// optional, and each experiment fills in its own defaults.
public struct ExperimentOptions: Sendable, Codable, Equatable {
  /// The experiment's name (set when saved).
  public var experiment: String?
  /// Number of seeds (0..<seeds).
  public var seeds: Int?
  /// Training-set size m.
  public var examples: Int?
  /// Input dimension d (experiments with one dimension).
  public var dimension: Int?
  /// Hidden width n.
  public var width: Int?
  /// Train the two-layer network's output layer too.
  public var trainOutputLayer: Bool?
  /// Step-size multipliers α (step-size).
  public var alphas: [Double]?
  /// Kink tolerances κ of the audits (step-size); the first is used elsewhere.
  public var kappas: [Double]?
  /// Dimensions d (the dimension experiments).
  public var dimensions: [Int]?
  /// Correlations ρ (correlation).
  public var rhos: [Double]?
  /// Forget-set sizes k (forget-set-size).
  public var forgetSizes: [Int]?
  /// Test-set size (mixture).
  public var testExamples: Int?
  /// Cluster-mean norm ‖μ‖ (mixture; default d^(−1/4)).
  public var meanNorm: Double?
  /// Four clusters in an XOR layout (mixture).
  public var xor: Bool?
  /// KKT tolerance on ε/‖θ̂‖ when training the two-layer network.
  public var tolerance: Double?
  /// Iteration limit when training the two-layer network.
  public var maxIterations: Int?

  public init() {}
}
