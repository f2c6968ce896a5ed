import Foundation
import LinearAlgebra
import Unlearning

/// `step-size` — the paper's Figure 1: ε/‖θ̂‖ and δ of θ_U(α) with respect to
/// S∖F against the step-size multiplier α, one curve per kink tolerance κ
/// (MATH.md §4: the strict audit cannot show the paper's curve), for both GA
/// variants, and cos(θ_U(α), retrained). Claim: ε is smallest near α = 1.
///
/// The multipliers (and the decomposition's μ) come from the κ-audit of the
/// trained model on S at the same κ as the audit of θ_U on S∖F.
package struct StepSizeExperiment: ReproductionExperiment {
  package let name = "step-size"
  package var options: ExperimentOptions

  /// The experiment with `options`, its unset fields filled from ``ExperimentDefaults``.
  package init(options: ExperimentOptions) {
    self.options = options.filled(from: try! ExperimentDefaults.options(for: "step-size", given: options))
  }


  package var columns: [String] {
    ["seed", "alpha", "kappa", "variant", "epsilon", "epsilon_relative", "epsilon_strict_relative", "delta", "band_pairs",
     "min_margin", "cos_retrained", "cos_original", "forget_index", "lambda_forget", "train_iterations", "train_converged",
     "retrain_iterations", "retrain_converged", "note", "seconds"]
  }
  package var pointColumns: [String] { ["seed"] }
  package func points() -> [GridPoint] { (0..<seeds).map { GridPoint(["seed": String($0)]) } }
  package func rowsPerPoint(_ point: GridPoint) -> Int { alphas.count * kappas.count * GradientAscentUnlearning.Step.allCases.count }

  package func run(_ point: GridPoint) throws -> [Row] {
    let start = Date()
    let seed = UInt64(point.integer("seed"))
    let (data, _) = try SyntheticData.generate(.isotropic, count: m, dimension: d, seed: seed)
    let forget = [0]
    let (retained, _) = try data.removing(forget)
    let config = ExperimentModels.twoLayerConfiguration(tolerance: tolerance, maxIterations: maxIterations, kappa: KKTAuditor.defaultKappa)
    let initial = ExperimentModels.twoLayer(width: n, dimension: d, trainOutputLayer: trainOutputLayer, seed: seed)
    let trained = try Trainer(config).train(from: initial, on: data)
    let retrained = try Trainer(config).train(from: initial, on: retained)

    var rows: [Row] = []
    for kappa in kappas {
      let audit: KKTAuditReport<TwoLayerReLUNetwork>
      do {
        audit = try KKTAuditor(kappa: kappa).audit(trained.model, on: data)
      } catch KKTAuditError.notInterpolating(_, let k, _) {
        // Recorded with empty numbers: no multipliers without interpolation.
        for variant in GradientAscentUnlearning.Step.allCases {
          for alpha in alphas {
            rows.append(Row(seed: point.integer("seed"), alpha: alpha, kappa: kappa, variant: variant.rawValue,
                            training: TrainingColumns(), note: "trained model: \(k) margins <= 0 on S"))
          }
        }
        continue
      }
      for variant in GradientAscentUnlearning.Step.allCases {
        var previous: KKTAuditReport<TwoLayerReLUNetwork>? = nil
        for alpha in alphas {
          let unlearned = try GradientAscentUnlearning(alpha: alpha, step: variant).unlearn(audit, data: data, forgetSet: forget)
          let (a, note) = ExperimentModels.audit(unlearned, on: retained, kappa: kappa, warmStart: previous)
          previous = a ?? previous
          rows.append(Row(
            seed: point.integer("seed"), alpha: alpha, kappa: kappa, variant: variant.rawValue, epsilon: a?.epsilon,
            epsilonRelative: a?.epsilonRelative, epsilonStrictRelative: a?.epsilonStrictRelative, delta: a?.delta,
            bandPairs: a?.bandPairs, minMargin: unlearned.margins(on: retained).min() ?? .nan,
            cosRetrained: Vector.cosine(unlearned.parameters, retrained.model.parameters),
            cosOriginal: Vector.cosine(unlearned.parameters, trained.model.parameters), forgetIndex: 0,
            lambdaForget: audit.multipliers[0], training: TrainingColumns(trained), retrainIterations: retrained.iterations,
            retrainConverged: retrained.stopReason == .converged, note: note))
        }
      }
    }
    let elapsed = ExperimentModels.seconds(since: start)
    return rows.map { var r = $0; r.seconds = elapsed; return r }
  }

  package func summarize(_ rows: [Row]) -> ExperimentSummary {
    func values(_ variant: String, _ kappa: Double, _ alpha: Double, _ column: KeyPath<Row, Double?>) -> [Double] {
      rows.filter { $0.variant == variant && $0.kappa == kappa && $0.alpha == alpha }.map { $0[keyPath: column] ?? .nan }
    }
    let seedsDone = Set(rows.map(\.seed)).count
    var md = "# step-size — the paper's Figure 1\n\n"
    md += "Two-layer ReLU network (n = \(n), \(trainOutputLayer ? "trained" : "fixed") output layer), isotropic data "
    md += "(m = \(m), d = \(d)), forgetting example 0; \(seedsDone) seeds, mean ± standard deviation. "
    md += "ε/‖θ̂‖ of θ_U(α) = θ̂ − α λ_0 y_0 ∇N(x_0; θ̂) with respect to S∖F, audited at the same κ as the multipliers.\n\n"
    var verdicts: [String] = []
    for variant in GradientAscentUnlearning.Step.allCases.map(\.rawValue) {
      md += "## ε/‖θ̂‖ on S∖F, \(variant) step\n\n| α | " + kappas.map { "κ = \(Self.kappaLabel($0))" }.joined(separator: " | ") + " |\n"
      md += "|---:|" + kappas.map { _ in "---:|" }.joined() + "\n"
      for alpha in alphas {
        md += "| \(alpha) | " + kappas.map { Statistics.format(values(variant, $0, alpha, \.epsilonRelative)) }.joined(separator: " | ") + " |\n"
      }
      md += "\n"
      for kappa in kappas {
        let means = alphas.map { Statistics.mean(values(variant, kappa, $0, \.epsilonRelative)) }
        guard let best = means.indices.filter({ means[$0].isFinite }).min(by: { means[$0] < means[$1] }) else { continue }
        let at = alphas[best]
        let held = at >= 0.9 && at <= 1.1
        let atOne = alphas.firstIndex(of: 1).map { means[$0] } ?? .nan
        verdicts.append("- \(variant) step, κ = \(Self.kappaLabel(kappa)): minimum at α = \(at) (ε/‖θ̂‖ = \(String(format: "%.2e", means[best])); at α = 1: \(String(format: "%.2e", atOne))) — **\(held ? "held" : "not held")**")
      }
    }
    md += "## cos(θ_U(α), retrained) and δ at κ = 3e-2\n\n| α | cos, gradient | cos, decomposition | δ, gradient | δ, decomposition |\n|---:|---:|---:|---:|---:|\n"
    let k0 = kappas.contains(3e-2) ? 3e-2 : kappas.last ?? 0
    for alpha in alphas {
      md += "| \(alpha) | \(Statistics.formatFixed(values("gradient", k0, alpha, \.cosRetrained), digits: 4)) | \(Statistics.formatFixed(values("decomposition", k0, alpha, \.cosRetrained), digits: 4)) | \(Statistics.format(values("gradient", k0, alpha, \.delta))) | \(Statistics.format(values("decomposition", k0, alpha, \.delta))) |\n"
    }
    md += "\n## Verdict — claim: ε is smallest near α = 1 (minimum within [0.9, 1.1])\n\n" + verdicts.joined(separator: "\n") + "\n"
    let notes = rows.filter { !$0.note.isEmpty }.count
    if notes > 0 { md += "\n\(notes) audits were undefined (θ_U did not interpolate S∖F); they are left out of the means.\n" }

    // Figure: ε vs α per κ for each variant, cos vs α, δ vs α.
    func series(_ variant: String, _ column: KeyPath<Row, Double?>, _ kappa: Double, name: String) -> FigureSeries {
      FigureSeries(name: name, points: alphas.map { alpha in
        let v = values(variant, kappa, alpha, column)
        return (alpha, Statistics.mean(v), Statistics.standardDeviation(v))
      })
    }
    let panels = [
      FigurePanel(title: "ε/‖θ̂‖ on S∖F, gradient step", x: "step-size multiplier α", y: "ε/‖θ̂‖", logY: true,
                  series: kappas.map { series("gradient", \.epsilonRelative, $0, name: "κ = \(Self.kappaLabel($0))") }, referenceX: 1),
      FigurePanel(title: "ε/‖θ̂‖ on S∖F, decomposition step", x: "step-size multiplier α", y: "ε/‖θ̂‖", logY: true,
                  series: kappas.map { series("decomposition", \.epsilonRelative, $0, name: "κ = \(Self.kappaLabel($0))") }, referenceX: 1),
      FigurePanel(title: "cos(θ_U(α), retrained)", x: "step-size multiplier α", y: "cosine", logY: false,
                  series: ["gradient", "decomposition"].map { series($0, \.cosRetrained, k0, name: "\($0) step") }, referenceX: 1),
      FigurePanel(title: "δ on S∖F at κ = \(Self.kappaLabel(k0))", x: "step-size multiplier α", y: "δ", logY: true,
                  series: ["gradient", "decomposition"].map { series($0, \.delta, k0, name: "\($0) step") }, referenceX: 1),
    ]
    let figure = FigureBuilder.render(
      title: "step-size: unlearning error against the step size (paper's Figure 1)", panels: panels,
      caption: "Mean ± std over \(seedsDone) seeds; two-layer ReLU, n = \(n), m = \(m), d = \(d), forgetting one example; α = 1 is the paper's step.")
    return ExperimentSummary(markdown: md, figure: figure)
  }

  static func kappaLabel(_ k: Double) -> String { k == 0 ? "0" : String(format: "%g", k) }
}
