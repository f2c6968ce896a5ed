import Foundation
import LinearAlgebra
import Unlearning

/// `two-layer-dimension` — the two-layer network with m fixed and d growing:
/// τ of the retrained certificate and ε/‖θ̂‖ of θ_U on S∖F. Claim (Theorem 4.1):
/// approximate recovery that improves as the data become more orthogonal.
package struct TwoLayerDimensionExperiment: ReproductionExperiment {
  package let name = "two-layer-dimension"
  package var options: ExperimentOptions

  /// The experiment with `options`, its unset fields filled from ``ExperimentDefaults``.
  package init(options: ExperimentOptions) {
    self.options = options.filled(from: try! ExperimentDefaults.options(for: "two-layer-dimension", given: options))
  }


  package var columns: [String] {
    ["seed", "d", "m", "n", "psi", "phi"] + UnlearningMeasurement.columns + ["train_iterations", "train_converged", "seconds"]
  }
  package var pointColumns: [String] { ["seed", "d"] }
  package func points() -> [GridPoint] {
    GridPoint.seeds(seeds, across: "d", dimensions.map(String.init))
  }
  package func rowsPerPoint(_ point: GridPoint) -> Int { 1 }

  package func run(_ point: GridPoint) throws -> [Row] {
    let start = Date()
    let seed = UInt64(point.integer("seed")), d = point.integer("d")
    let (data, _) = try SyntheticData.generate(.isotropic, count: m, dimension: d, seed: seed)
    let geometry = DataGeometry(of: data)
    let config = ExperimentModels.twoLayerConfiguration(tolerance: tolerance, maxIterations: maxIterations, kappa: kappa)
    let initial = ExperimentModels.twoLayer(width: n, dimension: d, trainOutputLayer: trainOutputLayer, seed: seed)
    let trained = try Trainer(config).train(from: initial, on: data)
    let measured = try UnlearningMeasurement.measure(trained, data: data, forget: [0], kappa: kappa, retrain: config, exact: false)
    return [Row(seed: point.integer("seed"), d: d, m: m, n: n, psi: geometry.psi, phi: geometry.phi, measured: measured,
                training: TrainingColumns(trained), seconds: ExperimentModels.seconds(since: start))]
  }

  package func summarize(_ rows: [Row]) -> ExperimentSummary {
    func column(_ d: Int, _ c: (Row) -> Double?) -> [Double] { rows.filter { $0.d == d }.map { c($0) ?? .nan } }
    func column(_ d: Int, _ c: KeyPath<UnlearningColumns, Double?>) -> [Double] { column(d) { $0.measured[keyPath: c] } }
    let present = dimensions.filter { d in rows.contains { $0.d == d } }
    var md = "# two-layer-dimension — approximate recovery for two-layer networks\n\n"
    md += "Two-layer ReLU network (n = \(n), fixed output layer), isotropic data, m = \(m), forgetting example 0; \(seeds) seeds per d. "
    md += "Trained and retrained to ε/‖θ̂‖ ≤ \(tolerance) at κ = \(kappa) (at most \(maxIterations) iterations). "
    md += "τ = 1 − cos(θ_U, retrained); ε/‖θ̂‖ of θ_U on S∖F at κ = \(kappa) and strict.\n\n"
    md += "| d | φ | τ (retrained) | 1 − cos(original, retrained) | ε/‖θ̂‖ at κ | ε/‖θ̂‖ strict | δ | converged (train / retrain) |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    for d in present {
      let gap = column(d, \.cosOriginalRetrained).map { 1 - $0 }
      func converged(_ c: (Row) -> Bool?) -> String {
        let v = rows.filter { $0.d == d }.map(c)
        return "\(v.filter { $0 == true }.count)/\(v.count)"
      }
      let conv = "\(converged { $0.training.trainConverged }) / \(converged { $0.measured.retrainConverged })"
      md += "| \(d) | \(Statistics.formatFixed(column(d, { $0.phi }))) | \(Statistics.format(column(d, \.tauRetrained))) | \(Statistics.format(gap)) | \(Statistics.format(column(d, \.epsilonRelative))) | \(Statistics.format(column(d, \.epsilonStrictRelative))) | \(Statistics.format(column(d, \.delta))) | \(conv) |\n"
    }
    let logD = rows.map { log10(Double($0.d)) }
    let fit = Statistics.linearFit(logD, rows.map { log10($0.measured.tauRetrained ?? .nan) })
    let fitEps = Statistics.linearFit(logD, rows.map { log10($0.measured.epsilonRelative ?? .nan) })
    md += "\nFitted slopes against log₁₀ d: log₁₀ τ **\(String(format: "%.3f", fit.slope))**, log₁₀ ε/‖θ̂‖ **\(String(format: "%.3f", fitEps.slope))**.\n\n"
    md += "## Verdict — claim: approximate recovery, improving with d\n\n"
    let closer = present.map { d in Statistics.mean(column(d, \.tauRetrained)) < Statistics.mean(column(d, \.cosOriginalRetrained).map { 1 - $0 }) }
    md += "- θ_U is closer to the retrained model than the original is at \(closer.filter { $0 }.count) of \(present.count) dimensions\n"
    md += "- τ slope \(String(format: "%.2f", fit.slope)), ε slope \(String(format: "%.2f", fitEps.slope)) — **\(fit.slope < 0 && fitEps.slope < 0 ? "held" : (fit.slope < 0 || fitEps.slope < 0 ? "partly held" : "not held"))**\n"
    func series(_ c: KeyPath<UnlearningColumns, Double?>, _ name: String, transform: @escaping (Double) -> Double = { $0 }) -> FigureSeries {
      FigureSeries(name: name, points: present.map { d in
        let v = column(d, c).map(transform)
        return (Double(d), Statistics.mean(v), Statistics.standardDeviation(v))
      })
    }
    let panels = [
      FigurePanel(title: "distance to the retrained model", x: "dimension d", y: "1 − cos", logX: true, logY: true,
                  series: [series(\.tauRetrained, "θ_U (τ)"), series(\.cosOriginalRetrained, "original θ", transform: { 1 - $0 })]),
      FigurePanel(title: "ε/‖θ̂‖ of θ_U on S∖F", x: "dimension d", y: "ε/‖θ̂‖", logX: true, logY: true,
                  series: [series(\.epsilonRelative, "κ = \(kappa)"), series(\.epsilonStrictRelative, "strict (κ = 0)")]),
    ]
    let figure = FigureBuilder.render(title: "two-layer-dimension: unlearning a two-layer ReLU network as d grows", panels: panels,
                                      caption: "Mean ± std over \(seeds) seeds; n = \(n), m = \(m), forgetting one example; τ against the network retrained on S∖F from the same initialisation.")
    return ExperimentSummary(markdown: md, figure: figure)
  }
}
