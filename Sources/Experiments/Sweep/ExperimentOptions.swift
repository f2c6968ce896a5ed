/// The options of `unlearn reproduce` (saved as `config.json`): every field is
/// optional, and each experiment fills in its own defaults.
package struct ExperimentOptions: Sendable, Codable, Equatable {
  /// The experiment's name (set when saved).
  package var experiment: String?
  /// Number of seeds (0..<seeds).
  package var seeds: Int?
  /// Training-set size m.
  package var examples: Int?
  /// Input dimension d (experiments with one dimension).
  package var dimension: Int?
  /// Hidden width n.
  package var width: Int?
  /// Train the two-layer network's output layer too.
  package var trainOutputLayer: Bool?
  /// Step-size multipliers α (step-size).
  package var alphas: [Double]?
  /// Kink tolerances κ of the audits (step-size); the first is used elsewhere.
  package var kappas: [Double]?
  /// Dimensions d (the dimension experiments).
  package var dimensions: [Int]?
  /// Correlations ρ (correlation).
  package var rhos: [Double]?
  /// Forget-set sizes k (forget-set-size).
  package var forgetSizes: [Int]?
  /// Test-set size (mixture).
  package var testExamples: Int?
  /// Cluster-mean norm ‖μ‖ (mixture; default d^(−1/4)).
  package var meanNorm: Double?
  /// Four clusters in an XOR layout (mixture).
  package var xor: Bool?
  /// KKT tolerance on ε/‖θ̂‖ when training the two-layer network.
  package var tolerance: Double?
  /// Iteration limit when training the two-layer network.
  package var maxIterations: Int?
  /// Step counts k of the recovery phase and the step-based baselines (recovery).
  package var steps: [Int]?
  /// Unlearning methods compared (privacy, real-data), by their `--method` names.
  package var methods: [String]?
  /// Models trained per side of the population attack (privacy).
  package var populationSize: Int?
  /// Bundled real data sets by name (real-data).
  package var datasets: [String]?
  /// Random-feature widths D of the lift x ↦ ReLU(Rx)/√D (real-data).
  package var liftDimensions: [Int]?
  /// Numbers of hidden layers L (depth).
  package var depths: [Int]?

  package init(seeds: Int? = nil, examples: Int? = nil, dimension: Int? = nil, width: Int? = nil,
              trainOutputLayer: Bool? = nil, alphas: [Double]? = nil, kappas: [Double]? = nil, dimensions: [Int]? = nil,
              rhos: [Double]? = nil, forgetSizes: [Int]? = nil, testExamples: Int? = nil, meanNorm: Double? = nil,
              xor: Bool? = nil, tolerance: Double? = nil, maxIterations: Int? = nil, steps: [Int]? = nil,
              methods: [String]? = nil, populationSize: Int? = nil, datasets: [String]? = nil, liftDimensions: [Int]? = nil,
              depths: [Int]? = nil) {
    self.seeds = seeds
    self.examples = examples
    self.dimension = dimension
    self.width = width
    self.trainOutputLayer = trainOutputLayer
    self.alphas = alphas
    self.kappas = kappas
    self.dimensions = dimensions
    self.rhos = rhos
    self.forgetSizes = forgetSizes
    self.testExamples = testExamples
    self.meanNorm = meanNorm
    self.xor = xor
    self.tolerance = tolerance
    self.maxIterations = maxIterations
    self.steps = steps
    self.methods = methods
    self.populationSize = populationSize
    self.datasets = datasets
    self.liftDimensions = liftDimensions
    self.depths = depths
  }

  /// These options with every unset field taken from `defaults` (the resolved
  /// options an experiment runs with and saves as `config.json`).
  package func filled(from defaults: ExperimentOptions) -> ExperimentOptions {
    var o = self
    o.seeds = seeds ?? defaults.seeds
    o.examples = examples ?? defaults.examples
    o.dimension = dimension ?? defaults.dimension
    o.width = width ?? defaults.width
    o.trainOutputLayer = trainOutputLayer ?? defaults.trainOutputLayer
    o.alphas = alphas ?? defaults.alphas
    o.kappas = kappas ?? defaults.kappas
    o.dimensions = dimensions ?? defaults.dimensions
    o.rhos = rhos ?? defaults.rhos
    o.forgetSizes = forgetSizes ?? defaults.forgetSizes
    o.testExamples = testExamples ?? defaults.testExamples
    o.meanNorm = meanNorm ?? defaults.meanNorm
    o.xor = xor ?? defaults.xor
    o.tolerance = tolerance ?? defaults.tolerance
    o.maxIterations = maxIterations ?? defaults.maxIterations
    o.steps = steps ?? defaults.steps
    o.methods = methods ?? defaults.methods
    o.populationSize = populationSize ?? defaults.populationSize
    o.datasets = datasets ?? defaults.datasets
    o.liftDimensions = liftDimensions ?? defaults.liftDimensions
    o.depths = depths ?? defaults.depths
    return o
  }
}
