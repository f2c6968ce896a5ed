import Foundation
import Reporting
import LinearAlgebra
import Unlearning

/// `scaling` — the theorems' scaling, not only their direction (issue 15 §4): m grows at fixed d, so
/// m·φ crosses the assumption's boundary (Assumption 2.3 wants φ ≲ 1/m), and for every m the example with
/// the largest KKT multiplier λ on S and the one with the smallest positive λ are forgotten in turn.
/// Linear: τ against the SVM of S∖F; two-layer: the witness ε and τ against the network retrained on S∖F.
///
/// The m grid halves from the largest m (`--m`, default 40) three times: m_max/8, m_max/4, m_max/2, m_max (at least 4).
package struct ScalingExperiment: ReproductionExperiment {
  package let name = "scaling"
  package var options: ExperimentOptions

  /// The experiment with `options`, its unset fields filled from ``ExperimentDefaults``.
  package init(options: ExperimentOptions) {
    self.options = options.filled(from: try! ExperimentDefaults.options(for: "scaling", given: options))
  }

  /// The training-set sizes: m_max/8, m_max/4, m_max/2, m_max (distinct, at least 4).
  var sizes: [Int] { Array(Set([8, 4, 2, 1].map { max(4, m / $0) })).sorted() }

  package var columns: [String] {
    ["seed", "m", "model", "forgotten", "forget_index", "lambda_forget", "phi", "m_phi"] + UnlearningMeasurement.columns
      + ["train_iterations", "train_converged", "seconds"]
  }
  package var pointColumns: [String] { ["seed", "m"] }
  package func points() -> [GridPoint] { GridPoint.seeds(seeds, across: "m", sizes.map(String.init)) }
  package func rowsPerPoint(_ point: GridPoint) -> Int { 4 }

  package func run(_ point: GridPoint) throws -> [Row] {
    let start = Date()
    let seed = UInt64(point.integer("seed")), size = point.integer("m")
    let (data, _) = try SyntheticData.generate(.isotropic, count: size, dimension: d, seed: seed)
    let phi = DataGeometry(of: data).phi
    let linearConfig = ExperimentModels.linearConfiguration(kappa: kappa)
    let linear = try Trainer(linearConfig).train(from: ExperimentModels.linear(dimension: d, seed: seed), on: data)
    let netConfig = ExperimentModels.twoLayerConfiguration(tolerance: tolerance, maxIterations: maxIterations, kappa: kappa)
    let net = try Trainer(netConfig).train(from: ExperimentModels.twoLayer(width: n, dimension: d, trainOutputLayer: false, seed: seed), on: data)
    var rows: [Row] = []
    func measure<M: HomogeneousModel>(_ trained: TrainingResult<M>, model: String, retrain: TrainingConfiguration?, exact: Bool) throws {
      // One audit on S per model: it picks the forgotten examples and sizes both steps.
      let audit = try? KKTAuditor(kappa: kappa).audit(trained.model, on: data)
      let lambda = audit?.multipliers
      let positive = lambda.map { l in l.indices.filter { l[$0] > 1e-9 * (l.max() ?? 0) } } ?? []
      for (label, pick) in [("max-lambda", positive.max { lambda![$0] < lambda![$1] }), ("min-lambda", positive.min { lambda![$0] < lambda![$1] })] {
        guard let r = pick else {
          rows.append(Row(seed: Int(seed), m: size, model: model, forgotten: label, phi: phi, mPhi: Double(size) * phi,
                          measured: UnlearningColumns(note: "no positive multiplier on S"), training: TrainingColumns(trained)))
          continue
        }
        let measured = try UnlearningMeasurement.measure(trained, data: data, forget: [r], kappa: kappa, retrain: retrain, exact: exact,
                                                         audit: audit)
        rows.append(Row(seed: Int(seed), m: size, model: model, forgotten: label, forgetIndex: r, lambdaForget: lambda![r], phi: phi,
                        mPhi: Double(size) * phi, measured: measured, training: TrainingColumns(trained)))
      }
    }
    try measure(linear, model: "linear", retrain: nil, exact: true)
    try measure(net, model: "two-layer", retrain: netConfig, exact: false)
    let elapsed = ExperimentModels.seconds(since: start)
    return rows.map { var r = $0; r.seconds = elapsed; return r }
  }

  package func summarize(_ rows: [Row]) -> ExperimentSummary {
    let present = sizes.filter { s in rows.contains { $0.m == s } }
    let seedCount = Set(rows.map(\.seed)).count
    func select(_ model: String, _ forgotten: String, _ size: Int) -> [Row] {
      rows.filter { $0.model == model && $0.forgotten == forgotten && $0.m == size }.sorted { $0.seed < $1.seed }
    }
    var md = "# scaling — m grows at fixed d: across the near-orthogonality boundary\n\n"
    md += "Isotropic data, d = \(d), m = \(present.map(String.init).joined(separator: ", ")); \(seedCount) seeds. For every m, the "
    md += "example with the largest KKT multiplier λ on S (max-lambda) and the one with the smallest positive λ (min-lambda) are "
    md += "forgotten in turn with the paper's step (α = 1). Linear: τ = 1 − cos(θ_U, SVM of S∖F) and δ; two-layer (n = \(n), "
    md += "trained to ε/‖θ̂‖ ≤ \(tolerance) at κ = \(kappa)): the witness ε/‖θ̃‖ (exact, MATH.md §6.6) and τ against the network "
    md += "retrained on S∖F. Assumption 2.3 asks for φ ≲ 1/m, i.e. m·φ ≲ 1; the summary of the paper states its bounds "
    md += "only as orders (margin changes O(ε_d/m), cos ≥ 1 − O(√ε_d)), with no constants to overlay, so the test is the "
    md += "slope of each error against m·φ. Mean ± standard deviation.\n\n"
    md += "| m | m·φ | forgotten | λ_r (linear) | linear τ | linear δ | λ_r (two-layer) | two-layer witness ε/‖θ̃‖ | two-layer τ |\n"
    md += "|---:|---:|---|---:|---:|---:|---:|---:|---:|\n"
    for size in present {
      for forgotten in ["max-lambda", "min-lambda"] {
        let l = select("linear", forgotten, size), t = select("two-layer", forgotten, size)
        md += "| \(size) | \(Statistics.formatFixed(l.map(\.mPhi), digits: 2)) | \(forgotten) | \(Statistics.format(l.map { $0.lambdaForget ?? .nan })) | "
        md += "\(Statistics.format(l.map { $0.measured.tauExact ?? .nan })) | \(Statistics.format(l.map { $0.measured.delta ?? .nan })) | "
        md += "\(Statistics.format(t.map { $0.lambdaForget ?? .nan })) | \(Statistics.format(t.map { $0.measured.witnessEpsilonRelative ?? .nan })) | "
        md += "\(Statistics.format(t.map { $0.measured.tauRetrained ?? .nan })) |\n"
      }
    }
    md += "\n## Verdicts — claim: the errors grow with m·φ, and more for the examples that carry more weight\n\n"
    md += "Rule (fixed before the data): (a) the slope of log error on log m·φ over all (seed, m) rows, with a 95 % interval "
    md += "from resampling seeds, *held* when it lies above 0; (b) at every m, the paired difference error(max-lambda) − "
    md += "error(min-lambda) per seed, *held* when its bootstrap interval lies above 0.\n\n"
    md += "| model | error | forgotten | slope on log m·φ [95 % CI] | grows with m·φ |\n|---|---|---|---|---|\n"
    let errors: [(String, String, KeyPath<UnlearningColumns, Double?>)] = [
      ("linear", "τ", \.tauExact), ("linear", "δ", \.delta), ("two-layer", "witness ε/‖θ̃‖", \.witnessEpsilonRelative),
      ("two-layer", "τ", \.tauRetrained),
    ]
    var glanceParts: [String] = [], headline: [Verdict] = []
    for (model, label, c) in errors {
      for forgotten in ["max-lambda", "min-lambda"] {
        let fit = SlopeEstimate(rows.filter { $0.model == model && $0.forgotten == forgotten }.map { ($0.seed, $0.mPhi, $0.measured[keyPath: c] ?? .nan) },
                                claim: .above)
        md += "| \(model) | \(label) | \(forgotten) | \(fit.formatted) | \(fit.verdict.bold) |\n"
        if forgotten == "max-lambda", label != "δ" {
          headline.append(fit.verdict)
          glanceParts.append("\(model) \(label) ∝ (m·φ)^\(fit.formatted) (\(fit.verdict.rawValue))")
        }
      }
    }
    md += "\n| m | model | error | error(max-lambda) − error(min-lambda): mean [95 % CI], seeds higher | verdict |\n|---:|---|---|---|---|\n"
    var weightVerdicts: [Verdict] = []
    for size in present {
      for (model, label, c) in errors where label != "δ" {
        let a = select(model, "max-lambda", size), b = select(model, "min-lambda", size)
        var bySeed: [Int: Double] = [:]
        for r in b { bySeed[r.seed] = r.measured[keyPath: c] ?? .nan }
        let comparison = PairedComparison(a.map { $0.measured[keyPath: c] ?? .nan }, a.map { bySeed[$0.seed] ?? .nan }, claim: .above)
        weightVerdicts.append(comparison.verdict)
        md += "| \(size) | \(model) | \(label) | \(comparison.formatted()) | \(comparison.verdict.bold) |\n"
      }
    }
    let heldWeight = weightVerdicts.filter { $0 == .held }.count
    md += "\n" + Glance(
      claim: "the theorems' scaling: errors grow with m·φ (Assumption 2.3 wants m·φ ≲ 1)", experiment: "scaling",
      verdict: Verdict.all(headline).rawValue,
      numbers: "\(seedCount) seeds, d = \(d), m = \(present.first ?? 0)…\(present.last ?? 0) (m·φ \(String(format: "%.2g", Statistics.mean(rows.filter { $0.m == present.first }.map(\.mPhi)))) → \(String(format: "%.2g", Statistics.mean(rows.filter { $0.m == present.last }.map(\.mPhi))))), forgetting the largest-λ example: "
        + glanceParts.joined(separator: "; ") + "; larger for the largest-λ than the smallest-λ example in \(heldWeight) of \(weightVerdicts.count) (m, error) cells").markdown
    func series(_ model: String, _ forgotten: String, _ c: KeyPath<UnlearningColumns, Double?>, _ name: String) -> FigureSeries {
      FigureSeries(name: name, points: present.map { size in
        let r = select(model, forgotten, size)
        let v = r.map { $0.measured[keyPath: c] ?? .nan }
        return (Statistics.mean(r.map(\.mPhi)), Statistics.mean(v), Statistics.standardDeviation(v))
      })
    }
    let panels = [
      FigurePanel(title: "linear: τ against m·φ", x: "m·φ", y: "τ = 1 − cos(θ_U, SVM)", logX: true, logY: true,
                  series: [series("linear", "max-lambda", \.tauExact, "largest λ"), series("linear", "min-lambda", \.tauExact, "smallest λ")]),
      FigurePanel(title: "two-layer: witness ε and τ against m·φ", x: "m·φ", y: "value", logX: true, logY: true,
                  series: [series("two-layer", "max-lambda", \.witnessEpsilonRelative, "witness ε, largest λ"),
                           series("two-layer", "min-lambda", \.witnessEpsilonRelative, "witness ε, smallest λ"),
                           series("two-layer", "max-lambda", \.tauRetrained, "τ, largest λ"),
                           series("two-layer", "min-lambda", \.tauRetrained, "τ, smallest λ")]),
    ]
    let figure = FigureBuilder.render(title: "scaling: one-step unlearning as m·φ grows", panels: panels,
                                      caption: "Mean ± std over \(seedCount) seeds; d = \(d), n = \(n); m = \(present.map(String.init).joined(separator: ", ")).")
    return ExperimentSummary(markdown: md, figure: figure)
  }
}
