import Foundation
import Reporting
import LinearAlgebra
import Unlearning

/// `depth` — open question 3 (MATH.md §14): does the paper's one-step unlearning
/// (GA-KKT, α = 1) still work for deeper bias-free ReLU networks? Deep nets with
/// L = 1…4 hidden layers of a fixed width (every layer trained, degree L + 1) on
/// the Gaussian mixture `x = y μ + ξ`, forgetting the example with the largest
/// KKT multiplier (a support example); against retraining
/// on S∖F from the same initialisation, ten loss-normalised GD steps on S∖F
/// (fine-tune) and doing nothing (the original model).
///
/// Every audit is strict (κ = 0): the deep network's κ-band audit would be a
/// relaxation, not a QP (MATH.md §1), so L = 1 is audited strictly too, for a
/// like-for-like comparison.
package struct DepthExperiment: ReproductionExperiment {
  package let name = "depth"
  package var options: ExperimentOptions

  /// Init scale of the deep nets: layer l's weights `N(0, s²/fan_in)` with s = 1. The
  /// reproductions' s = 0.01 leaves a degree-(L+1) network at a saddle (outputs ~ s^(L+1)).
  static let initScale = 1.0
  /// η of the decaying normalised step η ∇L / (L ‖θ‖^(C−1)). At init scale 1 the
  /// normalised margins of a deep net are small, so the step is small too: η = 1
  /// left L = 3, 4 at ε/‖θ̂‖ ≈ 0.9 after 40 000 steps, η = 10 reaches ≈ 0.04.
  static let learningRate = 10.0
  /// η of the plain-GD warm-up run until every margin is positive (without it the
  /// normalised step leaves nearly dead examples that never fit at L = 4).
  static let warmUpLearningRate = 0.01

  /// The experiment with `options`, its unset fields filled from ``ExperimentDefaults``.
  package init(options: ExperimentOptions) {
    self.options = options.filled(from: try! ExperimentDefaults.options(for: "depth", given: options))
  }

  /// The column of ε/‖θ̂‖ of θ_U(α) on S∖F.
  static func alphaColumn(_ alpha: Double) -> String { alphaColumnPrefix + "\(alpha)" }
  /// The prefix of the per-α columns.
  static let alphaColumnPrefix = "epsilon_alpha_"


  package var columns: [String] {
    ["seed", "L", "m", "d", "n", "phi", "forget_index", "lambda_forget", "train_iterations", "train_converged", "train_epsilon_relative",
     "epsilon_relative", "delta", "min_margin", "forget_margin_unlearned", "near_kink_fraction", "flip_fraction",
     "epsilon_original_relative", "epsilon_retrained_relative", "epsilon_finetune_relative",
     "tau_retrained", "tau_original", "tau_finetune", "retrain_iterations", "retrain_converged",
     "test_accuracy_original", "test_accuracy_unlearned", "test_accuracy_retrained", "test_accuracy_finetune",
     "note"] + alphas.map(Self.alphaColumn) + ["seconds"]
  }
  package var pointColumns: [String] { ["seed", "L"] }
  package func points() -> [GridPoint] { GridPoint.seeds(seeds, across: "L", depths.map(String.init)) }
  package func rowsPerPoint(_ point: GridPoint) -> Int { 1 }

  static func configuration(tolerance: Double, maxIterations: Int) -> TrainingConfiguration {
    var config = TrainingConfiguration(learningRate: learningRate, tolerance: tolerance, kappa: 0, auditInterval: 200,
                                       maxIterations: maxIterations)
    config.warmUpLearningRate = warmUpLearningRate
    return config
  }

  package func run(_ point: GridPoint) throws -> [Row] {
    let start = Date()
    let seed = UInt64(point.integer("seed")), depth = point.integer("L")
    let (data, testSet) = try SyntheticData.generate(.mixture(xor: false, meanNorm: meanNorm), count: m, dimension: d,
                                                     testCount: max(testM, 1), seed: seed)
    let test = testSet!
    let config = Self.configuration(tolerance: tolerance, maxIterations: maxIterations)
    let initial = DeepReLUNetwork.initialized(depth: depth, width: n, dimension: d, initScale: Self.initScale, seed: seed)
    var row = Row(values: Values(seed: point.integer("seed"), L: depth, m: m, d: d, n: n, phi: DataGeometry(of: data).phi))
    func finish() -> [Row] {
      row.values.seconds = ExperimentModels.seconds(since: start)
      return [row]
    }
    let trained: TrainingResult<DeepReLUNetwork>
    do {
      trained = try Trainer(config).train(from: initial, on: data)
    } catch let error as TrainingError {
      row.values.note = "training failed: \(error)"
      return finish()
    }
    row.values.training = TrainingColumns(trained)
    row.values.trainEpsilonRelative = trained.finalAudit?.epsilonRelative
    row.values.testAccuracyOriginal = ExperimentModels.accuracy(trained.model, on: test)

    let (audit, auditNote) = ExperimentModels.audit(trained.model, on: data, kappa: 0)
    guard let audit else {
      row.values.note = "trained model: \(auditNote) on S"
      return finish()
    }
    // Forget the example with the largest multiplier: a support example, whose removal
    // changes the KKT point (forgetting an example with λ_r = 0 is a no-op for GA-KKT).
    let r = audit.multipliers.indices.max { audit.multipliers[$0] < audit.multipliers[$1] }!
    let forget = [r]
    row.values.forgetIndex = r
    row.values.lambdaForget = audit.multipliers[r]
    // One run, strict throughout: the audit on S (supplied), the kernel of S∖F and the retrained reference
    // are shared by the paper's step at every α, fine-tune and doing nothing.
    let run = try UnlearningRun(model: trained.model, data: data, forgetSet: forget, auditor: KKTAuditor(kappa: 0),
                                initial: initial, training: config, audit: audit)
    let retained = run.retained
    // GA-KKT: the paper's step at α = 1 (strict audit, so gradient = decomposition step).
    let paper = try run.run(.gaKKT())
    let unlearned = paper.model
    let (a, note) = paper.audit.map(ExperimentModels.audit) ?? (nil, "")
    row.values.epsilonRelative = a?.epsilonRelative
    row.values.delta = a?.delta
    row.values.minMargin = unlearned.margins(on: retained).min() ?? .nan
    row.values.forgetMarginUnlearned = unlearned.margins(on: data.subset(forget))[0]
    row.values.testAccuracyUnlearned = ExperimentModels.accuracy(unlearned, on: test)
    var notes = note.isEmpty ? [] : ["unlearned: \(note)"]
    // Diagnostics: hidden (example, unit) pairs of θ̂ on S within 3·10⁻² of the kink (relative), and the
    // pairs of S∖F whose activation the step flips.
    let pairs = Double(data.count * n * depth), retainedPairs = Double(retained.count * n * depth)
    let theta = audit.normalizedModel
    row.values.nearKinkFraction = Double(theta.nearKinkPairs(data.features, pass: audit.normalizedPass, kappa: 3e-2)
      .reduce(0, +)) / pairs
    row.values.flipFraction = Double(DeepReLUNetwork.activationFlips(theta.forward(retained.features),
                                                                               unlearned.forward(retained.features))) / retainedPairs
    // The step-size ablation (the paper's Figure 1) at this depth: ε of θ_U(α) on S∖F.
    for alpha in alphas {
      let u = try run.run(.gaKKT(alpha: alpha))
      row.epsilonAlpha[alpha] = u.audit.map(ExperimentModels.audit)?.0?.epsilonRelative
    }

    // Doing nothing: the original model audited on S∖F.
    let original = run.evaluate(trained.model)
    row.values.epsilonOriginalRelative = original.audit.map(ExperimentModels.audit)?.0?.epsilonRelative

    // Fine-tune: ten loss-normalised steps on S∖F from θ.
    let fineTuned = try run.run(.fineTune(steps: 10, learningRate: Self.learningRate))
    row.values.epsilonFinetuneRelative = fineTuned.audit.map(ExperimentModels.audit)?.0?.epsilonRelative
    row.values.testAccuracyFinetune = ExperimentModels.accuracy(fineTuned.model, on: test)

    // Retrain on S∖F from the same initialisation (the run's reference, behind every τ).
    do {
      if let retrained = try run.retrained(), let tau = paper.tau, let tauOriginal = original.tau, let tauFine = fineTuned.tau {
        row.values.retrainIterations = retrained.iterations
        row.values.retrainConverged = retrained.stopReason == .converged
        row.values.epsilonRetrainedRelative = retrained.finalAudit?.epsilonRelative
        row.values.tauRetrained = tau
        row.values.tauOriginal = tauOriginal
        row.values.tauFinetune = tauFine
        row.values.testAccuracyRetrained = ExperimentModels.accuracy(retrained.model, on: test)
      }
    } catch let error as TrainingError {
      notes.append("retraining failed: \(error)")
    }
    row.values.note = notes.joined(separator: "; ")
    return finish()
  }

  static func format(_ x: Double) -> String { String(format: "%g", x) }

  package func summarize(_ rows: [Row]) -> ExperimentSummary {
    func column(_ depth: Int, _ c: (Row) -> Double?) -> [Double] { rows.filter { $0.values.L == depth }.map { c($0) ?? .nan } }
    func column(_ depth: Int, _ c: KeyPath<Values, Double?>) -> [Double] { column(depth) { $0.values[keyPath: c] } }
    let present = depths.filter { depth in rows.contains { $0.values.L == depth } }
    var md = "# depth — one-step unlearning in deeper ReLU networks (open question 3)\n\n"
    md += "Bias-free ReLU networks with L hidden layers of width n = \(n), every layer trained (degree L + 1), "
    md += "init scale \(Self.initScale) (layer l: N(0, s²/fan_in)), trained with plain GD (η = \(Self.warmUpLearningRate)) until every "
    md += "margin is positive, then the decaying normalised step η∇L/(L‖θ‖^L), η = \(Self.learningRate), to strict "
    md += "ε/‖θ̂‖ ≤ \(tolerance) (at most \(maxIterations) iterations). "
    md += "Gaussian mixture x = y·μ + ξ, ‖μ‖ = \(String(format: "%.3g", meanNorm)), m = \(m), d = \(d), \(testM) test examples, "
    md += "forgetting the example with the largest KKT multiplier λ_r on S (a support example: forgetting one with λ_r = 0 is a no-op); \(seeds) seeds per L. **Every audit is strict (κ = 0)**: for L ≥ 2 the κ-band audit would be "
    md += "only a relaxation (σ' free per pair makes the residual multilinear across layers, not a QP), so L = 1 is audited "
    md += "strictly too. GA-KKT is the paper's step at α = 1; τ = 1 − cos(·, retrained) against the network retrained on S∖F "
    md += "from the same initialisation; the baselines are doing nothing (the original θ) and fine-tune (10 normalised GD steps on S∖F).\n\n"
    md += "| L | hidden pairs near a kink | pairs the step flips | ε/‖θ̂‖ GA-KKT | ε/‖θ̂‖ original | ε/‖θ̂‖ fine-tune | ε/‖θ̂‖ retrained | τ GA-KKT | τ original | τ fine-tune | test acc. GA-KKT | test acc. retrained | test acc. original | converged (train / retrain) |\n"
    md += "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    for depth in present {
      func converged(_ c: (Values) -> Bool?) -> String {
        let v = rows.filter { $0.values.L == depth }.map { c($0.values) }
        return "\(v.filter { $0 == true }.count)/\(v.count)"
      }
      md += "| \(depth) | \(Statistics.formatFixed(column(depth, \.nearKinkFraction))) | \(Statistics.formatFixed(column(depth, \.flipFraction), digits: 4)) | \(Statistics.format(column(depth, \.epsilonRelative))) | \(Statistics.format(column(depth, \.epsilonOriginalRelative))) | \(Statistics.format(column(depth, \.epsilonFinetuneRelative))) | \(Statistics.format(column(depth, \.epsilonRetrainedRelative))) | \(Statistics.format(column(depth, \.tauRetrained))) | \(Statistics.format(column(depth, \.tauOriginal))) | \(Statistics.format(column(depth, \.tauFinetune))) | \(Statistics.formatFixed(column(depth, \.testAccuracyUnlearned))) | \(Statistics.formatFixed(column(depth, \.testAccuracyRetrained))) | \(Statistics.formatFixed(column(depth, \.testAccuracyOriginal))) | \(converged { $0.training.trainConverged }) / \(converged { $0.retrainConverged }) |\n"
    }
    let failures = rows.map(\.values).filter { !$0.note.isEmpty }
    if !failures.isEmpty {
      md += "\nNotes: " + failures.map { "seed \($0.seed), L = \($0.L): \($0.note)" }.joined(separator: "; ") + "\n"
    }
    md += "\nε/‖θ̂‖ of θ_U(α) on S∖F (strict) against the step-size multiplier α (α = 1 is the paper's step):\n\n"
    md += "| L | " + alphas.map { "α = \(Self.format($0))" }.joined(separator: " | ") + " | best α |\n"
    md += "|---:|" + alphas.map { _ in "---:|" }.joined() + "---:|\n"
    for depth in present {
      let means = alphas.map { alpha in Statistics.mean(column(depth) { $0.epsilonAlpha[alpha] }) }
      let best = zip(alphas, means).filter { $0.1.isFinite }.min { $0.1 < $1.1 }?.0
      md += "| \(depth) | " + alphas.map { alpha in Statistics.format(column(depth) { $0.epsilonAlpha[alpha] }) }.joined(separator: " | ")
      md += " | \(best.map(Self.format) ?? "—") |\n"
    }
    md += "\n## Verdicts — question: does GA-KKT still approximate retraining as depth grows?\n\n"
    md += "Rule (fixed before the data): at each L, per-seed paired differences with 95 % bootstrap intervals: GA-KKT − "
    md += "original for ε/‖θ̂‖ and for τ (claim: below 0, the step does better than doing nothing), and test accuracy "
    md += "GA-KKT − retrained (no difference visible, or higher, does not contradict the question). *held* at L when both "
    md += "ε and τ are held and the accuracy difference is not *lower*.\n\n"
    var depthVerdicts: [String] = []
    md += "| L | ε GA-KKT − original: mean [95 % CI], seeds better | τ GA-KKT − original | test acc. GA-KKT − retrained | verdict |\n"
    md += "|---:|---|---|---|---|\n"
    for depth in present {
      let bySeed = rows.map(\.values).filter { $0.L == depth }.sorted { $0.seed < $1.seed }
      func values(_ c: KeyPath<Values, Double?>) -> [Double] { bySeed.map { $0[keyPath: c] ?? .nan } }
      let eps = PairedComparison(values(\.epsilonRelative), values(\.epsilonOriginalRelative), claim: .below)
      let tau = PairedComparison(values(\.tauRetrained), values(\.tauOriginal), claim: .below)
      let accuracy = PairedComparison(values(\.testAccuracyUnlearned), values(\.testAccuracyRetrained), claim: .above, ceiling: 1)
      let verdict = accuracy.verdict == .notHeld ? Verdict.notHeld : Verdict.all([eps.verdict, tau.verdict])
      depthVerdicts.append("L = \(depth): \(verdict.rawValue) (ε \(String(format: "%.3f", Statistics.mean(values(\.epsilonRelative)))) vs \(String(format: "%.3f", Statistics.mean(values(\.epsilonOriginalRelative)))) doing nothing, better on \(eps.seedsAgreeing) seeds)")
      md += "| \(depth) | \(eps.formatted()) | \(tau.formatted()) | \(accuracy.formatted()) (\(accuracy.verdict == .notHeld ? "lower" : accuracy.verdict == .held ? "higher" : accuracy.verdict == .untestable ? "at ceiling" : "no difference visible")) | \(verdict.bold) |\n"
    }
    md += "\n" + Glance(
      claim: "open question 3: one step still approximates retraining in deeper ReLU nets", experiment: "depth, ‖μ‖ = \(String(format: "%.3g", meanNorm))",
      verdict: depthVerdicts.map { String($0.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces) }.joined(separator: "; "),
      numbers: "\(seeds) seeds, strict audits: " + depthVerdicts.joined(separator: "; ")).markdown
    func series(_ c: KeyPath<Values, Double?>, _ name: String) -> FigureSeries {
      FigureSeries(name: name, points: present.map { depth in
        let v = column(depth, c)
        return (Double(depth), Statistics.mean(v), Statistics.standardDeviation(v))
      })
    }
    var panels = [
      FigurePanel(title: "ε/‖θ̂‖ on S∖F (strict)", x: "hidden layers L", y: "ε/‖θ̂‖", logY: true,
                  series: [series(\.epsilonRelative, "GA-KKT"), series(\.epsilonOriginalRelative, "original"),
                           series(\.epsilonFinetuneRelative, "fine-tune"), series(\.epsilonRetrainedRelative, "retrained")]),
      FigurePanel(title: "distance to the retrained model", x: "hidden layers L", y: "τ = 1 − cos", logY: true,
                  series: [series(\.tauRetrained, "GA-KKT"), series(\.tauOriginal, "original"), series(\.tauFinetune, "fine-tune")]),
      FigurePanel(title: "test accuracy", x: "hidden layers L", y: "test accuracy", logY: false,
                  series: [series(\.testAccuracyUnlearned, "GA-KKT"), series(\.testAccuracyRetrained, "retrained"),
                           series(\.testAccuracyOriginal, "original")]),
    ]
    panels.append(FigurePanel(title: "ε/‖θ̂‖ of θ_U(α) on S∖F", x: "step-size multiplier α", y: "ε/‖θ̂‖", logY: true,
                              series: present.map { depth in
                                FigureSeries(name: "L = \(depth)", points: alphas.map { alpha in
                                  let v = column(depth) { $0.epsilonAlpha[alpha] }
                                  return (alpha, Statistics.mean(v), Statistics.standardDeviation(v))
                                })
                              }, referenceX: 1))
    let figure = FigureBuilder.render(title: "depth: one-step unlearning in deep ReLU networks", panels: panels,
                                      caption: "Mean ± std over \(seeds) seeds; width n = \(n), m = \(m), d = \(d), forgetting the example with the largest λ; strict audits (κ = 0).")
    return ExperimentSummary(markdown: md, figure: figure)
  }
}
