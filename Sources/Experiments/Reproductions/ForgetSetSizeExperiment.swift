import Foundation
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
    md += "Linear: τ against the SVM of S∖F; two-layer (n = \(n)): τ against the network retrained on S∖F. ε/‖θ̂‖ and δ of θ_U on S∖F at κ = \(kappa).\n\n"
    md += "| k | linear ε/‖θ̂‖ | linear δ | linear τ | two-layer ε/‖θ̂‖ | two-layer δ | two-layer τ |\n|---:|---:|---:|---:|---:|---:|---:|\n"
    for k in present {
      md += "| \(k) | \(Statistics.format(column("linear", k, \.epsilonRelative))) | \(Statistics.format(column("linear", k, \.delta))) | \(Statistics.format(column("linear", k, \.tauExact))) | \(Statistics.format(column("two-layer", k, \.epsilonRelative))) | \(Statistics.format(column("two-layer", k, \.delta))) | \(Statistics.format(column("two-layer", k, \.tauRetrained))) |\n"
    }
    md += "\n## Verdict — claim: the errors grow with k\n\n"
    let slopes: [(model: String, c: String, value: KeyPath<UnlearningColumns, Double?>)] = [
      ("linear", "tau_exact", \.tauExact), ("linear", "delta", \.delta), ("two-layer", "tau_retrained", \.tauRetrained),
      ("two-layer", "epsilon_relative", \.epsilonRelative), ("two-layer", "delta", \.delta),
    ]
    for (model, c, value) in slopes {
      let logK = rows.filter { $0.model == model }.map { log10(Double($0.k)) }
      let values = rows.filter { $0.model == model }.map { log10($0.measured[keyPath: value] ?? .nan) }
      let fit = Statistics.linearFit(logK, values)
      md += "- \(model) \(c): slope of log \(c) against log k = \(String(format: "%.2f", fit.slope)) — **\(fit.slope > 0 ? "held" : "not held")**\n"
    }
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
                  series: [series("linear", \.delta, "linear δ"), series("two-layer", \.epsilonRelative, "two-layer ε/‖θ̂‖"),
                           series("two-layer", \.delta, "two-layer δ")]),
    ]
    let figure = FigureBuilder.render(title: "forget-set-size: one step for k examples", panels: panels,
                                      caption: "Mean ± std over \(seeds) seeds; m = \(m), d = \(d), n = \(n); forget set {0, …, k−1}.")
    return ExperimentSummary(markdown: md, figure: figure)
  }
}
