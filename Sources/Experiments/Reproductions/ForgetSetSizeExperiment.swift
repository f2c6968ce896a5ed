import Foundation
import Reporting
import LinearAlgebra
import Unlearning

/// `forget-set-size` — forgetting k points at once with one step
/// (θ_U = θ̂ − Σ_{r∈F} λ_r y_r ∇N(x_r; θ̂)): ε, δ, τ against k.
/// Claim (the paper's set extensions): errors grow with k.
package struct ForgetSetSizeExperiment: ReproductionExperiment {
  package let name = "forget-set-size"
  package var options: ExperimentOptions

  /// The experiment with `options`, its unset fields filled from ``ExperimentDefaults``.
  package init(options: ExperimentOptions) {
    self.options = options.filled(from: try! ExperimentDefaults.options(for: "forget-set-size", given: options))
  }


  package var columns: [String] {
    ["seed", "k", "model"] + UnlearningMeasurement.columns + ["train_iterations", "train_converged", "seconds"]
  }
  package var pointColumns: [String] { ["seed"] }
  package func points() -> [GridPoint] { (0..<seeds).map { GridPoint(["seed": String($0)]) } }
  package func rowsPerPoint(_ point: GridPoint) -> Int { 2 * sizes.count }

  package func run(_ point: GridPoint) throws -> [Row] {
    let start = Date()
    let seed = UInt64(point.integer("seed"))
    let (data, _) = try SyntheticData.generate(.isotropic, count: m, dimension: d, seed: seed)
    let linear = try Trainer(ExperimentModels.linearConfiguration(kappa: kappa)).train(from: ExperimentModels.linear(dimension: d, seed: seed), on: data)
    let netConfig = ExperimentModels.twoLayerConfiguration(tolerance: tolerance, maxIterations: maxIterations, kappa: kappa)
    let net = try Trainer(netConfig).train(from: ExperimentModels.twoLayer(width: n, dimension: d, trainOutputLayer: false, seed: seed), on: data)
    var rows: [Row] = []
    let seedValue = point.integer("seed")
    for k in sizes {
      let forget = Array(0..<k)
      let l = try UnlearningMeasurement.measure(linear, data: data, forget: forget, kappa: kappa, retrain: nil, exact: true)
      let t = try UnlearningMeasurement.measure(net, data: data, forget: forget, kappa: kappa, retrain: netConfig, exact: false)
      rows += [Row(seed: seedValue, k: k, model: "linear", measured: l, training: TrainingColumns(linear)),
               Row(seed: seedValue, k: k, model: "two-layer", measured: t, training: TrainingColumns(net))]
    }
    let elapsed = ExperimentModels.seconds(since: start)
    return rows.map { var r = $0; r.seconds = elapsed; return r }
  }

  package func summarize(_ rows: [Row]) -> ExperimentSummary {
    func column(_ model: String, _ k: Int, _ c: KeyPath<UnlearningColumns, Double?>) -> [Double] {
      rows.filter { $0.model == model && $0.k == k }.map { $0.measured[keyPath: c] ?? .nan }
    }
    let present = sizes.filter { k in rows.contains { $0.k == k } }
    var md = "# forget-set-size — forgetting k examples with one step\n\n"
    md += "Isotropic data (m = \(m), d = \(d)), forgetting examples 0..k−1 with one step; \(seeds) seeds. "
    md += "Linear: τ against the SVM of S∖F; two-layer (n = \(n)): τ against the network retrained on S∖F. Certificates of θ_U on S∖F: "
    md += "the *witness* (exact, MATH.md §6.6) for the two-layer network, the headline; the κ-audit (κ = \(kappa)) as a diagnostic "
    md += "(for the linear model there are no kinks and the two coincide). Mean ± standard deviation.\n\n"
    md += "| k | linear ε/‖θ̂‖ | linear δ | linear τ | two-layer witness ε/‖θ̃‖ | two-layer κ-audit ε/‖θ̂‖ | two-layer δ | two-layer τ |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    for k in present {
      md += "| \(k) | \(Statistics.format(column("linear", k, \.epsilonRelative))) | \(Statistics.format(column("linear", k, \.delta))) | \(Statistics.format(column("linear", k, \.tauExact))) | \(Statistics.format(column("two-layer", k, \.witnessEpsilonRelative))) | \(Statistics.format(column("two-layer", k, \.epsilonRelative))) | \(Statistics.format(column("two-layer", k, \.delta))) | \(Statistics.format(column("two-layer", k, \.tauRetrained))) |\n"
    }
    md += "\n## Verdicts — claim: the errors grow with k\n\n"
    md += "Rule (fixed before the data): for each error, the slope of its log against log k over all (seed, k) rows; *held* "
    md += "when the 95 % interval from resampling seeds lies above 0, *not held* below, *not visible* when it contains 0.\n\n"
    md += "| model | error | slope of log error on log k [95 % CI] | verdict |\n|---|---|---|---|\n"
    let slopes: [(model: String, c: String, value: KeyPath<UnlearningColumns, Double?>)] = [
      ("linear", "τ (vs SVM)", \.tauExact), ("linear", "δ", \.delta), ("two-layer", "τ (vs retrained)", \.tauRetrained),
      ("two-layer", "witness ε/‖θ̃‖", \.witnessEpsilonRelative), ("two-layer", "κ-audit ε/‖θ̂‖ (diagnostic)", \.epsilonRelative),
      ("two-layer", "δ", \.delta),
    ]
    var fits: [(String, SlopeEstimate)] = []
    for (model, c, value) in slopes {
      let fit = SlopeEstimate(rows.filter { $0.model == model }.map { ($0.seed, Double($0.k), $0.measured[keyPath: value] ?? .nan) },
                              claim: .above)
      fits.append(("\(model) \(c)", fit))
      md += "| \(model) | \(c) | \(fit.formatted) | \(fit.verdict.bold) |\n"
    }
    // The headline: the linear τ and the two-layer witness ε and τ (the κ-audit and δ are diagnostics).
    let headline = fits.filter { ["linear τ (vs SVM)", "two-layer τ (vs retrained)", "two-layer witness ε/‖θ̃‖"].contains($0.0) }
    md += "\n- claim (linear τ, two-layer τ and witness ε grow with k) — \(Verdict.all(headline.map(\.1.verdict)).bold)\n"
    md += "\n" + Glance(
      claim: "the errors grow with the forget-set size k", experiment: "forget-set-size",
      verdict: Verdict.all(headline.map(\.1.verdict)).rawValue,
      numbers: "\(seeds) seeds, k = \(present.first ?? 0) … \(present.last ?? 0); slopes of log error on log k: "
        + fits.map { "\($0.0) \($0.1.formatted) (\($0.1.verdict.rawValue))" }.joined(separator: "; ")).markdown
    func series(_ model: String, _ c: KeyPath<UnlearningColumns, Double?>, _ name: String) -> FigureSeries {
      FigureSeries(name: name, points: present.map { k in
        let v = column(model, k, c)
        return (Double(k), Statistics.mean(v), Statistics.standardDeviation(v))
      })
    }
    let panels = [
      FigurePanel(title: "τ against k", x: "forget-set size k", y: "τ = 1 − cos", logX: true, logY: true,
                  series: [series("linear", \.tauExact, "linear (vs SVM of S∖F)"), series("two-layer", \.tauRetrained, "two-layer (vs retrained)")]),
      FigurePanel(title: "ε/‖θ̂‖ and δ of θ_U on S∖F", x: "forget-set size k", y: "value", logX: true, logY: true,
                  series: [series("linear", \.delta, "linear δ"), series("two-layer", \.witnessEpsilonRelative, "two-layer witness ε/‖θ̃‖"),
                           series("two-layer", \.epsilonRelative, "two-layer κ-audit ε/‖θ̂‖"),
                           series("two-layer", \.delta, "two-layer δ")]),
    ]
    let figure = FigureBuilder.render(title: "forget-set-size: one step for k examples", panels: panels,
                                      caption: "Mean ± std over \(seeds) seeds; m = \(m), d = \(d), n = \(n); forget set {0, …, k−1}.")
    return ExperimentSummary(markdown: md, figure: figure)
  }
}
