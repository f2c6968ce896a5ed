import Foundation
import Unlearning

/// Every experiment's default options, in one place: the experiments fill their
/// options from here (``ExperimentOptions/filled(from:)``, so `config.json` holds the
/// resolved values), ``ReproductionExperiment``'s resolved settings fall back to
/// ``fallback`` for fields an experiment leaves unset, and `unlearn reproduce --help`
/// shows the defaults by calling ``describe(_:format:)``.
///
/// Some defaults depend on other options: the cluster-mean norm is d^(−1/4) of the
/// dimension in use (mixture, depth), and forget-set-size's sizes are 1, 2, 4, … up to m/2.
package enum ExperimentDefaults {
  /// The defaults of experiment `name` when run with `options` (the fields it does not fill are `nil`).
  ///
  /// - Throws: ``SweepError/unknownExperiment(_:)`` for a name that is no experiment.
  /// - Complexity: O(1), but O(log m) for forget-set-size's sizes.
  package static func options(for name: String, given options: ExperimentOptions = ExperimentOptions()) throws -> ExperimentOptions {
    switch name {
    case "step-size":
      return ExperimentOptions(
        seeds: 20, examples: 20, dimension: 1000, width: 100, trainOutputLayer: false,
        alphas: [0, 0.25, 0.5, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 2], kappas: [0, 1e-3, 1e-2, 3e-2, 1e-1],
        tolerance: 5e-3, maxIterations: 40_000)
    case "linear-dimension":
      return ExperimentOptions(seeds: 20, examples: 20, kappas: [KKTAuditor.defaultKappa], dimensions: [100, 300, 1000, 3000, 10000])
    case "two-layer-dimension":
      return ExperimentOptions(
        seeds: 20, examples: 20, width: 100, trainOutputLayer: false, kappas: [KKTAuditor.defaultKappa],
        dimensions: [100, 300, 1000, 3000, 10000], tolerance: 1e-2, maxIterations: 8_000)
    case "correlation":
      return ExperimentOptions(
        seeds: 20, examples: 20, dimension: 1000, width: 100, kappas: [KKTAuditor.defaultKappa],
        rhos: [0, 0.05, 0.1, 0.2, 0.3, 0.5], tolerance: 1e-2, maxIterations: 20_000)
    case "mixture":
      let d = options.dimension ?? 1000
      return ExperimentOptions(
        seeds: 20, examples: 40, dimension: d, width: 100, kappas: [KKTAuditor.defaultKappa], testExamples: 1000,
        meanNorm: meanNorm(dimension: d), xor: false, tolerance: 1e-2, maxIterations: 20_000)
    case "forget-set-size":
      let m = options.examples ?? 20
      return ExperimentOptions(
        seeds: 20, examples: m, dimension: 1000, width: 100, kappas: [KKTAuditor.defaultKappa], forgetSizes: forgetSizes(examples: m),
        tolerance: 1e-2, maxIterations: 20_000)
    case "recovery":
      return ExperimentOptions(
        seeds: 20, examples: 20, dimension: 1000, width: 100, kappas: [KKTAuditor.defaultKappa], testExamples: 1000,
        meanNorm: 0.08, xor: false, tolerance: 1e-2, maxIterations: 20_000, steps: [0, 1, 2, 5, 10, 20, 50])
    case "privacy":
      return ExperimentOptions(
        examples: 20, dimension: 1000, width: 100, alphas: [0.5, 1, 1.5, 2], kappas: [KKTAuditor.defaultKappa],
        meanNorm: 0.08, xor: false, tolerance: 1e-2, maxIterations: 20_000,
        methods: ["ga-kkt+recover", "fine-tune", "neggrad", "neggrad-plus", "random-label", "newton", "minnorm-og"],
        populationSize: 256)
    case "depth":
      let d = options.dimension ?? 100
      return ExperimentOptions(
        seeds: 20, examples: 20, dimension: d, width: 50, alphas: [0.25, 0.5, 0.75, 1, 1.25, 1.5], kappas: [0], testExamples: 1000,
        meanNorm: meanNorm(dimension: d), tolerance: 5e-2, maxIterations: 40_000, depths: [1, 2, 3, 4])
    case "real-data":
      return ExperimentOptions(
        // m = 200, k = 1 (issue 15): with the block-structured κ-QP a seed, data set and feature map take
        // ~15 s, so 20 seeds × 2 sets × 3 feature maps run in ~15 min on two cores.
        seeds: 20, examples: 200, width: 100, kappas: [KKTAuditor.defaultKappa], forgetSizes: [1], testExamples: 500,
        tolerance: 1e-2, maxIterations: 20_000,
        methods: ["ga-kkt", "ga-kkt+recover", "fine-tune", "neggrad-plus", "newton", "minnorm-og"],
        datasets: RealDataset.allCases.map(\.rawValue), liftDimensions: [0, 1024])
    case "sequential":
      // m = 100 in d = 1000 (d/m = 10) with n = 20: the two-layer κ-audit (m + band variables, ~900 band pairs)
      // costs ~0.5 s there, against ~5 s at m = 200, d = 2000, n = 20 and ~60 s at n = 50, and every deletion
      // takes four of them: a seed and setting take ~45 s here, ~4.5 min at m = 150, d = 1500.
      let m = options.examples ?? 100
      let d = options.dimension ?? 1000
      return ExperimentOptions(
        seeds: 20, examples: m, dimension: d, width: 20, kappas: [KKTAuditor.defaultKappa], forgetSizes: sequentialGrid(examples: m),
        testExamples: 1000, meanNorm: bayesMeanNorm(dimension: d), xor: false, tolerance: 1e-2, maxIterations: 20_000, steps: [10])
    case "scaling":
      // m = 5, 10, 20, 40 at d = 1000: m·φ from about 0.5 to about 5. At m = 80 one two-layer point (training to
      // 2e-3 and two retrainings, audits of ~80 + band variables) takes more than 8 minutes on 2 cores.
      return ExperimentOptions(
        seeds: 10, examples: 40, dimension: 1000, width: 100, kappas: [KKTAuditor.defaultKappa], tolerance: 2e-3, maxIterations: 40_000)
    default:
      throw SweepError.unknownExperiment(
        "unknown experiment \"\(name)\"; the experiments are \(ExperimentCatalog.names.joined(separator: ", "))")
    }
  }

  /// What an experiment's resolved settings use for a field it leaves unset: the flags'
  /// off state (no output-layer training, no XOR layout), the demo's model sizes, and empty lists.
  package static let fallback = ExperimentOptions(
    seeds: 5, examples: 20, dimension: 1000, width: 100, trainOutputLayer: false, alphas: [], kappas: [KKTAuditor.defaultKappa],
    dimensions: [], rhos: [], forgetSizes: [], testExamples: 0, xor: false, tolerance: 1e-2, maxIterations: 20_000, steps: [],
    methods: [], populationSize: 0, datasets: [], liftDimensions: [], depths: [1, 2, 3, 4])

  /// The cluster-mean norm d^(−1/4) (near the edge of what the network can still separate).
  package static func meanNorm(dimension d: Int) -> Double { 1 / Double(d).squareRoot().squareRoot() }

  /// The cluster-mean norm whose Bayes error Φ(−‖μ‖√d) is `error` (the mixture x = yμ + ξ, ξ ~ N(0, I_d/d):
  /// the projection of ξ on μ/‖μ‖ has standard deviation 1/√d): z/√d with Φ(−z) = `error`, z by bisection.
  ///
  /// - Complexity: O(1) (100 bisection steps).
  package static func bayesMeanNorm(dimension d: Int, error: Double = 0.1) -> Double {
    var lo = 0.0, hi = 40.0
    for _ in 0..<100 {
      let z = (lo + hi) / 2
      if 0.5 * erfc(z / 2.0.squareRoot()) > error { lo = z } else { hi = z }
    }
    return (lo + hi) / 2 / Double(max(d, 1)).squareRoot()
  }

  /// sequential's grid of T (where it retrains and measures τ; the last is the number of deletions):
  /// 1, 2, 3, 5, then every 5 up to 50, those below m.
  ///
  /// - Complexity: O(1).
  package static func sequentialGrid(examples m: Int) -> [Int] {
    let grid = [1, 2, 3, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50].filter { $0 < m }
    return grid.isEmpty ? [1] : grid
  }

  /// forget-set-size's sizes: 1, 2, 4, … while ≤ m/2, then m/2 itself.
  ///
  /// - Complexity: O(log m).
  package static func forgetSizes(examples m: Int) -> [Int] {
    var sizes = [Int]()
    var k = 1
    while k <= m / 2 { sizes.append(k); k *= 2 }
    if m / 2 >= 1, sizes.last != m / 2 { sizes.append(m / 2) }
    return sizes
  }

  /// The defaults of one field across the experiments, for help texts: `default 5; real-data 3`
  /// (the value most experiments use, then the others by experiment; experiments without a
  /// default for the field are left out; values are formatted by `format`).
  ///
  /// - Complexity: O(experiments²).
  package static func describe<T>(_ field: KeyPath<ExperimentOptions, T?>, format: (T) -> String) -> String {
    let values: [(name: String, text: String)] = ExperimentCatalog.names.compactMap { name in
      guard let options = try? options(for: name), let value = options[keyPath: field] else { return nil }
      return (name, format(value))
    }
    guard !values.isEmpty else { return "no default" }
    let counts = Dictionary(values.map { ($0.text, 1) }, uniquingKeysWith: +)
    // The most common value (the first experiment's on a tie).
    let common = values.map(\.text).max { counts[$0]! < counts[$1]! }!
    let others = values.filter { $0.text != common }.map { "\($0.name) \($0.text)" }
    return (["default \(common)"] + others).joined(separator: "; ")
  }

  /// ``describe(_:format:)`` for a plain value (written as `"\(value)"`).
  package static func describe<T>(_ field: KeyPath<ExperimentOptions, T?>) -> String {
    describe(field) { "\($0)" }
  }

  /// ``describe(_:format:)`` for a list (comma-separated, as on the command line).
  package static func describe<T>(_ field: KeyPath<ExperimentOptions, [T]?>) -> String {
    describe(field) { $0.map { "\($0)" }.joined(separator: ",") }
  }
}
