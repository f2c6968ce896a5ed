import Foundation
import Reporting
import LinearAlgebra
import Unlearning

/// `mixture` — the paper's generalisation result (Theorem 6.1) on the Gaussian
/// mixture `x = y μ + ξ`, `‖μ‖ = d^{−1/4}`: test accuracy of the original, the
/// unlearned (α = 1) and the retrained models, and their (ε, δ, τ).
/// Claim: unlearning does not hurt test accuracy.
package struct MixtureExperiment: ReproductionExperiment {
  package let name = "mixture"
  package var options: ExperimentOptions

  /// The experiment with `options`, its unset fields filled from ``ExperimentDefaults``.
  package init(options: ExperimentOptions) {
    self.options = options.filled(from: try! ExperimentDefaults.options(for: "mixture", given: options))
  }


  package var columns: [String] {
    ["seed", "model", "psi", "phi"] + UnlearningMeasurement.columns + ["train_iterations", "train_converged", "seconds"]
  }
  package var pointColumns: [String] { ["seed"] }
  package func points() -> [GridPoint] { (0..<seeds).map { GridPoint(["seed": String($0)]) } }
  package func rowsPerPoint(_ point: GridPoint) -> Int { 2 }

  package func run(_ point: GridPoint) throws -> [Row] {
    let start = Date()
    let seed = UInt64(point.integer("seed"))
    let (data, test) = try SyntheticData.generate(.mixture(xor: xor, meanNorm: meanNorm), count: m, dimension: d, testCount: testM, seed: seed)
    let geometry = DataGeometry(of: data)
    let runs = try UnlearningMeasurement.bothModels(data: data, seed: seed, width: n, kappa: kappa, tolerance: tolerance,
                                                    maxIterations: maxIterations, test: test)
    let elapsed = ExperimentModels.seconds(since: start)
    return runs.map {
      Row(seed: point.integer("seed"), model: $0.model, psi: geometry.psi, phi: geometry.phi, measured: $0.measured,
          training: $0.training, seconds: elapsed)
    }
  }

  package func summarize(_ rows: [Row]) -> ExperimentSummary {
    func column(_ model: String, _ c: KeyPath<UnlearningColumns, Double?>) -> [Double] {
      rows.filter { $0.model == model }.map { $0.measured[keyPath: c] ?? .nan }
    }
    var md = "# mixture — unlearning and generalisation\n\n"
    md += xor ? "XOR Gaussian mixture (±μ₁ → +1, ±μ₂ → −1), " : "Gaussian mixture x = y·μ + ξ, "
    md += "‖μ‖ = \(String(format: "%.4g", meanNorm)) (d^(−1/4) = \(String(format: "%.4g", 1 / Double(d).squareRoot().squareRoot())); m = \(m), d = \(d), \(testM) test examples), forgetting example 0; \(seeds) seeds. "
    if !xor { md += "The Bayes error of this mixture is Φ(−‖μ‖√d) = \(String(format: "%.2g", 0.5 * erfc(meanNorm * Double(d).squareRoot() / 2.0.squareRoot()))). " }
    md += "Test accuracy of the original model, the unlearned one (paper's step, α = 1) and the one retrained on S∖F; "
    md += "ε/‖θ̂‖ and δ of θ_U on S∖F at κ = \(kappa); τ against the SVM of S∖F (linear) or the retrained network (two-layer, n = \(n)).\n\n"
    md += "| model | test acc. original | test acc. unlearned | test acc. retrained | witness ε/‖θ̃‖ | κ-audit ε/‖θ̂‖ | δ | τ |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
    var glances: [String] = []
    var glanceVerdicts: [String] = []
    var verdicts = "| model | unlearned − original: mean [95 % CI], seeds higher | verdict: does not hurt | unlearned − retrained | verdict: vs retraining |\n|---|---|---|---|---|\n"
    for model in ["linear", "two-layer"] {
      let tau = column(model, model == "linear" ? \.tauExact : \.tauRetrained)
      md += "| \(model) | \(Statistics.formatFixed(column(model, \.testAccuracyOriginal))) | \(Statistics.formatFixed(column(model, \.testAccuracyUnlearned))) | \(Statistics.formatFixed(column(model, \.testAccuracyRetrained))) | \(Statistics.format(column(model, \.witnessEpsilonRelative))) | \(Statistics.format(column(model, \.epsilonRelative))) | \(Statistics.format(column(model, \.delta))) | \(Statistics.format(tau)) |\n"
      // Paired by seed (rows are in seed order, one per seed and model).
      let unlearned = column(model, \.testAccuracyUnlearned)
      let original = PairedComparison(unlearned, column(model, \.testAccuracyOriginal), claim: .above, ceiling: 1)
      let retrained = PairedComparison(unlearned, column(model, \.testAccuracyRetrained), claim: .above, ceiling: 1)
      func reading(_ v: Verdict, _ other: String) -> String {
        switch v {
        case .held: return "**higher** than \(other)"
        case .notHeld: return "**lower** than \(other)"
        case .notVisible: return "**no difference visible** from \(other)"
        case .untestable: return "**\(Verdict.untestable.rawValue)** (every accuracy at 1)"
        }
      }
      glanceVerdicts.append("\(model): \(original.verdict == .notHeld ? "hurts" : original.verdict == .untestable ? Verdict.untestable.rawValue : original.verdict == .held ? "helps" : "no difference visible")")
      glances.append("\(model) \(String(format: "%.3f", Statistics.mean(column(model, \.testAccuracyOriginal)))) → \(String(format: "%.3f", Statistics.mean(unlearned))) "
        + "(retrained \(String(format: "%.3f", Statistics.mean(column(model, \.testAccuracyRetrained))))), unlearned − original \(original.formatted(digits: 1)), "
        + "unlearned − retrained \(retrained.formatted(digits: 1))")
      verdicts += "| \(model) | \(original.formatted(digits: 1)) | \(reading(original.verdict, "the original")) | \(retrained.formatted(digits: 1)) | \(reading(retrained.verdict, "retraining")) |\n"
    }
    md += "\n## Verdicts — claim: unlearning does not hurt test accuracy\n\n"
    md += "Rule (fixed before the data): the per-seed paired differences of test accuracy, unlearned − original and "
    md += "unlearned − retrained, with 95 % bootstrap intervals. The claim is contradicted (*lower*) when the first interval "
    md += "lies below 0; an interval containing 0 shows no difference at this resolution; every accuracy at 1 makes the "
    md += "test *\(Verdict.untestable.rawValue)*.\n\n"
    md += verdicts
    let bayes = xor ? "" : ", Bayes error \(String(format: "%.2g", 0.5 * erfc(meanNorm * Double(d).squareRoot() / 2.0.squareRoot())))"
    md += "\n" + Glance(
      claim: "unlearning does not hurt test accuracy (Gaussian mixture)", experiment: "mixture, ‖μ‖ = \(String(format: "%.3g", meanNorm))",
      verdict: glanceVerdicts.joined(separator: "; "),
      numbers: "\(seeds) seeds\(bayes): " + glances.joined(separator: "; ")).markdown
    let seedsPresent = rows.map(\.seed).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
    func bySeed(_ model: String, _ c: KeyPath<UnlearningColumns, Double?>, _ name: String) -> FigureSeries {
      FigureSeries(name: name, points: seedsPresent.map { s in
        let v = rows.filter { $0.seed == s && $0.model == model }.map { $0.measured[keyPath: c] ?? .nan }
        return (Double(s), Statistics.mean(v), 0)
      })
    }
    let panels = ["linear", "two-layer"].map { model in
      FigurePanel(title: "test accuracy, \(model)", x: "seed", y: "test accuracy", logY: false,
                  series: [bySeed(model, \.testAccuracyOriginal, "original"), bySeed(model, \.testAccuracyUnlearned, "unlearned (α = 1)"),
                           bySeed(model, \.testAccuracyRetrained, "retrained on S∖F")])
    }
    let figure = FigureBuilder.render(title: "mixture: test accuracy before and after unlearning", panels: panels,
                                      caption: "Per seed; Gaussian mixture, m = \(m), d = \(d), \(testM) test examples, forgetting one example.")
    return ExperimentSummary(markdown: md, figure: figure)
  }
}
