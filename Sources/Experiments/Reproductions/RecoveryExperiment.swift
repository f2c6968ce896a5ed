import Foundation
import Reporting
import LinearAlgebra
import Unlearning

/// `recovery` — open question 1: does a NegGrad+-style recovery phase after the
/// paper's step help? `ga-kkt+recover` (the step, then k loss-normalised GD
/// steps on S∖F) against `neggrad-plus` (k steps on L(S∖F) − L(F)) and `fine-tune` (k loss-normalised GD
/// steps on S∖F) for the same k, the baselines' step sizes tuned on a held-out seed (``BaselineTuning``): (ε, δ, τ) of θ_U on S∖F (MATH.md §4, §6),
/// test accuracy, the forgotten example's margin and wall time.
package struct RecoveryExperiment: ReproductionExperiment {
  package let name = "recovery"
  package var options: ExperimentOptions
  static let methods: [UnlearningMethod.Kind] = [.gaKKTRecover, .negGradPlus, .fineTune]

  /// The experiment with `options`, its unset fields filled from ``ExperimentDefaults``.
  package init(options: ExperimentOptions) {
    self.options = options.filled(from: try! ExperimentDefaults.options(for: "recovery", given: options))
  }

  package var columns: [String] { ["seed", "model", "method", "k"] + MethodMeasurement.columns + ["seconds"] }
  package var pointColumns: [String] { ["seed"] }
  package func points() -> [GridPoint] { (0..<seeds).map { GridPoint(["seed": String($0)]) } }
  package func rowsPerPoint(_ point: GridPoint) -> Int { 2 * (1 + Self.methods.count * stepCounts.count) }

  package func run(_ point: GridPoint) throws -> [Row] {
    let start = Date()
    let seed = UInt64(point.integer("seed"))
    let (data, test) = try SyntheticData.generate(.mixture(xor: xor, meanNorm: meanNorm), count: m, dimension: d, testCount: testM, seed: seed)
    let forget = [0]
    var rows: [Row] = []
    func compare<M: HomogeneousModel>(_ label: String, initial makeInitial: (UInt64) -> M, training: TrainingConfiguration) throws {
      let initial = makeInitial(seed)
      let trained = try Trainer(training).train(from: initial, on: data).model
      /// The same setting drawn with the held-out seed, for ``BaselineTuning``.
      func heldOut() throws -> UnlearningRun<M>? {
        let (data, _) = try SyntheticData.generate(.mixture(xor: xor, meanNorm: meanNorm), count: m, dimension: d, testCount: 0,
                                                   seed: BaselineTuning.heldOutSeed)
        let initial = makeInitial(BaselineTuning.heldOutSeed)
        let trained = try Trainer(training).train(from: initial, on: data).model
        return try UnlearningRun(model: trained, data: data, forgetSet: forget, auditor: KKTAuditor(kappa: kappa),
                                 initial: initial, training: training)
      }
      let key = "recovery|\(label)|m=\(m)|d=\(d)|mu=\(meanNorm)|xor=\(xor)|n=\(n)|out=\(trainOutputLayer)|tol=\(tolerance)|it=\(maxIterations)|kappa=\(kappa)"
      // One run: the audit on S (which also sizes neggrad-plus's η at every k), the kernels and the
      // retrained reference are shared by every method and k.
      let run = try UnlearningRun(model: trained, data: data, forgetSet: forget, auditor: KKTAuditor(kappa: kappa),
                                  initial: initial, training: training)
      _ = try run.retrained()
      let (retrainRow, _) = MethodMeasurement.measure(.retrain, in: run, test: test)
      rows.append(Row(seed: point.integer("seed"), model: label, method: "retrain", k: nil, measured: retrainRow))
      for method in Self.methods {
        for k in stepCounts {
          let c = BaselineTuning.shared.multiplier(method, steps: k, key: key, training: training, heldOut: heldOut)
          let configured = MethodMeasurement.configured(method, steps: k, run: run, training: training, multiplier: c)
          var (row, _) = MethodMeasurement.measure(configured, in: run, test: test)
          row.stepScale = c
          rows.append(Row(seed: point.integer("seed"), model: label, method: method.rawValue, k: k, measured: row))
        }
      }
    }
    try compare("linear", initial: { ExperimentModels.linear(dimension: d, seed: $0) }, training: ExperimentModels.linearConfiguration(kappa: kappa))
    try compare("two-layer", initial: { ExperimentModels.twoLayer(width: n, dimension: d, trainOutputLayer: trainOutputLayer, seed: $0) },
                training: ExperimentModels.twoLayerConfiguration(tolerance: tolerance, maxIterations: maxIterations, kappa: kappa))
    let elapsed = ExperimentModels.seconds(since: start)
    return rows.map { var r = $0; r.seconds = elapsed; return r }
  }

  /// The speed-up over retraining as the ratio of median wall times over seeds (`—` when the
  /// method failed): medians, because a seed's first timed call can carry a one-off warm-up cost.
  static func speedup(retrain: [Double], method: [Double]) -> String {
    let r = Statistics.median(retrain) / Statistics.median(method)
    return r.isFinite && r > 0 ? String(format: r < 10 ? "%.1f×" : "%.0f×", r) : "—"
  }

  package func summarize(_ rows: [Row]) -> ExperimentSummary {
    func column(_ model: String, _ method: String, _ k: Int?, _ c: KeyPath<MethodColumns, Double?>) -> [Double] {
      rows.filter { $0.model == model && $0.method == method && (k == nil || $0.k == k) }.map { $0.measured[keyPath: c] ?? .nan }
    }
    let ks = stepCounts.filter { k in rows.contains { $0.k == k } }
    var md = "# recovery — the paper's step followed by a recovery phase (open question 1)\n\n"
    md += "Gaussian mixture x = y·μ + ξ (‖μ‖ = \(String(format: "%.3g", meanNorm)), m = \(m), d = \(d), \(testM) test examples), forgetting example 0; \(seeds) seeds. "
    md += "ga-kkt+recover: the paper's step (α = 1) then k loss-normalised GD steps on S∖F; neggrad-plus: k plain gradient steps on L(S∖F) − L(F) with η = c‖θ‖/(k‖∇L(F) − ∇L(S∖F)‖); "
    md += "fine-tune: k loss-normalised GD steps on S∖F at c times the training learning rate; the baselines' c tuned per k on a held-out seed (smallest τ over \(BaselineTuning.gridDescription), MATH.md §10.2; the chosen c in the table, * at the grid's largest). ε/‖θ‖ and δ: κ-audit of θ_U on S∖F (κ = \(kappa)); τ = 1 − cos against the model retrained on S∖F; "
    md += "forget margin: q_0 / min_{S∖F} q (the retrained model's value in the last row); time: wall seconds of the method (retraining: its own); "
    md += "ran: seeds where the method returned a model that could be compared (the others diverged; the reason is in runs.csv, column note).\n\n"
    var verdicts: [String] = []
    var glanceVerdicts: [String] = [], glanceNumbers: [String] = []
    for model in ["linear", "two-layer"] where rows.contains(where: { $0.model == model }) {
      md += "## \(model)\(model == "two-layer" ? " (n = \(n))" : "")\n\n"
      md += "| method | k | c | ran | ε/‖θ‖ | δ | τ | test acc. | forget margin | seconds | speed-up over retrain (median times) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
      for method in Self.methods {
        for k in ks {
          let ran = column(model, method.rawValue, k, \.tauRetrained)
          let scale = BaselineTuning.cell(Set(rows.filter { $0.model == model && $0.method == method.rawValue && $0.k == k }
            .compactMap(\.measured.stepScale)))
          md += "| \(method.rawValue) | \(k) | \(scale) | \(ran.filter(\.isFinite).count)/\(ran.count) | \(Statistics.format(column(model, method.rawValue, k, \.epsilonRelative))) | \(Statistics.format(column(model, method.rawValue, k, \.delta))) | \(Statistics.format(column(model, method.rawValue, k, \.tauRetrained))) | \(Statistics.formatFixed(column(model, method.rawValue, k, \.testAccuracy))) | \(Statistics.formatFixed(column(model, method.rawValue, k, \.forgetMargin), digits: 2)) | \(Statistics.format(column(model, method.rawValue, k, \.secondsMethodValue))) | \(Self.speedup(retrain: column(model, "retrain", nil, \.secondsMethodValue), method: column(model, method.rawValue, k, \.secondsMethodValue))) |\n"
        }
      }
      md += "| retrain | — | — | \(seeds)/\(seeds) | \(Statistics.format(column(model, "retrain", nil, \.epsilonRelative))) | \(Statistics.format(column(model, "retrain", nil, \.delta))) | 0 | \(Statistics.formatFixed(column(model, "retrain", nil, \.testAccuracy))) | \(Statistics.formatFixed(column(model, "retrain", nil, \.forgetMargin), digits: 2)) | \(Statistics.format(column(model, "retrain", nil, \.secondsMethodValue))) | 1× |\n\n"
      // Verdicts: does recovery improve on the bare step, and does it beat the baselines at the same k?
      func meanTau(_ method: UnlearningMethod.Kind, _ k: Int) -> Double { Statistics.mean(column(model, method.rawValue, k, \.tauRetrained)) }
      func meanEps(_ method: UnlearningMethod.Kind, _ k: Int) -> Double { Statistics.mean(column(model, method.rawValue, k, \.epsilonRelative)) }
      /// τ per seed, for paired comparisons.
      func tauBySeed(_ method: UnlearningMethod.Kind, _ k: Int) -> [Int: Double] {
        var out: [Int: Double] = [:]
        for row in rows where row.model == model && row.method == method.rawValue && row.k == k {
          out[row.seed] = row.measured.tauRetrained ?? .nan
        }
        return out
      }
      if let k0 = ks.first, let kMax = ks.last, k0 != kMax {
        // Decided in advance: the largest k against k = 0, seed by seed (no picking the best k after the fact).
        let seedList = Set(rows.map(\.seed)).sorted()
        func paired(_ values: [Int: Double]) -> [Double] { seedList.map { values[$0] ?? .nan } }
        let recovery = PairedComparison(paired(tauBySeed(.gaKKTRecover, kMax)), paired(tauBySeed(.gaKKTRecover, k0)), claim: .below)
        verdicts.append("- \(model): mean τ of ga-kkt+recover \(String(format: "%.2e", meanTau(.gaKKTRecover, k0))) (k = \(k0)) → \(String(format: "%.2e", meanTau(.gaKKTRecover, kMax))) (k = \(kMax)); paired τ(k = \(kMax)) − τ(k = \(k0)) \(recovery.formatted()); ε/‖θ‖ \(String(format: "%.2e", meanEps(.gaKKTRecover, k0))) → \(String(format: "%.2e", meanEps(.gaKKTRecover, kMax))) — recovery lowers τ: \(recovery.verdict.bold)")
        let fineTune = PairedComparison(paired(tauBySeed(.gaKKTRecover, kMax)), paired(tauBySeed(.fineTune, kMax)), claim: .below)
        verdicts.append("- \(model): at k = \(kMax), τ(ga-kkt+recover) − τ(fine-tune) \(fineTune.formatted()) — ga-kkt+recover closer than fine-tune: \(fineTune.verdict.bold)")
        glanceVerdicts.append("\(model): \(recovery.verdict.rawValue)")
        glanceNumbers.append("\(model) τ \(String(format: "%.2g", meanTau(.gaKKTRecover, k0))) → \(String(format: "%.2g", meanTau(.gaKKTRecover, kMax))) after k = \(kMax) steps (\(recovery.seedsAgreeing) seeds lower), closer than fine-tune: \(fineTune.verdict.rawValue)")
        for other in [UnlearningMethod.Kind.fineTune, .negGradPlus] {
          // A k where the other method failed on some seed is not a comparison but a failure of that method.
          let failed = ks.filter { k in column(model, other.rawValue, k, \.tauRetrained).contains { !$0.isFinite } }
          let compared = ks.filter { !failed.contains($0) }
          let wins = compared.filter { meanTau(.gaKKTRecover, $0) < meanTau(other, $0) }.count
          var line = "- \(model): ga-kkt+recover has the lower τ than \(other.rawValue) at \(wins) of \(compared.count) step counts k"
          if !failed.isEmpty {
            line += "; \(other.rawValue) diverged on some seed at k = \(failed.map(String.init).joined(separator: ", "))"
          }
          verdicts.append(line)
        }
      }
    }
    md += "## Verdicts — open question 1: does a recovery phase after the paper's step help?\n\n"
    md += "Rule (fixed before the data): per-seed paired differences of τ with 95 % bootstrap intervals; *held* when the "
    md += "interval lies below 0 (recovery at the largest k against none; ga-kkt+recover against fine-tune at the largest k).\n\n"
    md += verdicts.joined(separator: "\n") + "\n"
    md += "\n" + Glance(claim: "open question 1: a recovery phase after the step lowers τ", experiment: "recovery",
                        verdict: glanceVerdicts.joined(separator: "; "),
                        numbers: "\(Set(rows.map(\.seed)).count) seeds: " + glanceNumbers.joined(separator: "; ")).markdown
    func series(_ model: String, _ method: UnlearningMethod.Kind, _ c: KeyPath<MethodColumns, Double?>) -> FigureSeries {
      FigureSeries(name: "\(method.rawValue)", points: ks.map { k in
        let v = column(model, method.rawValue, k, c)
        return (Double(k + 1), Statistics.mean(v), Statistics.standardDeviation(v))
      })
    }
    func retrainLine(_ model: String, _ c: KeyPath<MethodColumns, Double?>) -> FigureSeries {
      let v = column(model, "retrain", nil, c)
      return FigureSeries(name: "retrain", points: ks.map { (Double($0 + 1), Statistics.mean(v), 0) }, dashed: true)
    }
    let panels = [
      FigurePanel(title: "two-layer: τ against k", x: "k + 1", y: "τ = 1 − cos(θ_U, θ_retrained)", logX: true, logY: true,
                  series: Self.methods.map { series("two-layer", $0, \.tauRetrained) }),
      FigurePanel(title: "two-layer: ε/‖θ‖ of θ_U on S∖F", x: "k + 1", y: "ε/‖θ‖", logX: true, logY: true,
                  series: Self.methods.map { series("two-layer", $0, \.epsilonRelative) } + [retrainLine("two-layer", \.epsilonRelative)]),
      FigurePanel(title: "linear: τ against k", x: "k + 1", y: "τ", logX: true, logY: true,
                  series: Self.methods.map { series("linear", $0, \.tauRetrained) }),
      FigurePanel(title: "two-layer: wall time", x: "k + 1", y: "seconds", logX: true, logY: true,
                  series: Self.methods.map { series("two-layer", $0, \.secondsMethodValue) } + [retrainLine("two-layer", \.secondsMethodValue)]),
    ]
    let figure = FigureBuilder.render(title: "recovery: the paper's step + k GD steps vs NegGrad+ and fine-tuning", panels: panels,
                                      caption: "Mean ± std over \(seeds) seeds; m = \(m), d = \(d), n = \(n); k + 1 on the axis so k = 0 shows.")
    return ExperimentSummary(markdown: md, figure: figure)
  }
}
