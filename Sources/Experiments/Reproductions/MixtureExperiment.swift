import Foundation
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
    md += "| model | test acc. original | test acc. unlearned | test acc. retrained | ε/‖θ̂‖ | δ | τ |\n|---|---:|---:|---:|---:|---:|---:|\n"
    var verdicts: [String] = []
    for model in ["linear", "two-layer"] {
      let tau = column(model, model == "linear" ? \.tauExact : \.tauRetrained)
      md += "| \(model) | \(Statistics.formatFixed(column(model, \.testAccuracyOriginal))) | \(Statistics.formatFixed(column(model, \.testAccuracyUnlearned))) | \(Statistics.formatFixed(column(model, \.testAccuracyRetrained))) | \(Statistics.format(column(model, \.epsilonRelative))) | \(Statistics.format(column(model, \.delta))) | \(Statistics.format(tau)) |\n"
      let original = Statistics.mean(column(model, \.testAccuracyOriginal))
      let unlearned = Statistics.mean(column(model, \.testAccuracyUnlearned))
      let retrained = Statistics.mean(column(model, \.testAccuracyRetrained))
      let held = unlearned >= min(original, retrained) - 0.01
      verdicts.append("- \(model): test accuracy \(String(format: "%.3f", original)) → \(String(format: "%.3f", unlearned)) after unlearning (change \(String(format: "%+.3f", unlearned - original)); retrained \(String(format: "%.3f", retrained))) — **\(held ? "held" : "not held")**")
    }
    md += "\n## Verdict — claim: unlearning does not hurt test accuracy\n\n"
    md += "(held when the unlearned model's mean test accuracy is at least the lower of the original's and the retrained model's, minus 0.01)\n\n"
    md += verdicts.joined(separator: "\n") + "\n"
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
