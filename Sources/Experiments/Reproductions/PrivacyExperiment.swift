import Foundation
import Reporting
import LinearAlgebra
import Unlearning

/// `privacy` — open question 2: does a smaller (ε, δ, τ) mean less membership
/// leakage? A population of 2N two-layer networks (fixed output layer) is
/// trained on random data sets; each of T = 8 fixed target examples is in the
/// training set of exactly N of them (a seeded permutation per target), the rest
/// of each set is fresh data. Every model that holds a target forgets it with
/// every method (and the paper's step over α); the target's normalised margin
/// `q_t / ‖θ‖^C` is recorded under the original, unlearned and retrained models;
/// (ε, δ) of θ_U on S∖{t} and τ against the retrained model are measured for the
/// first target of each model (one audit per method and model), and every held
/// target is also retrained away (the gold-standard population). The summary computes, per method:
///
/// - **loss threshold** (Yeom et al. 2018): one global threshold on the margin
///   (equivalently the loss), AUC of forgotten targets against the same targets
///   under models that never saw them (fresh non-members from the same distribution);
/// - **U-LiRA** (Hayes et al. 2025): per-target Gaussians fitted on the even-indexed
///   models (unlearned vs never-seen), likelihood-ratio scores on the odd-indexed
///   ones; AUC and TPR at 1 % FPR, pooled over targets (``LikelihoodRatioAttack``);
/// - **KLoM** (Georgiev et al., arXiv 2410.23232): `KL(unlearned ∥ never-seen)` of
///   the target's margin distribution, Gaussian fits (``GaussianFit``), mean over targets;
/// - **forgetting score** of the NeurIPS 2023 challenge at δ = 1e-5 (``ForgettingScore``);
///
/// and Spearman's rank correlation between the methods' (ε, δ, τ) and their leakage, the paper's step
/// counted once, Holm-adjusted over the 12 correlations, with verdicts by a fixed rule (``CorrelationFamily``).
package struct PrivacyExperiment: ReproductionExperiment {
  package let name = "privacy"
  package var options: ExperimentOptions
  /// Target examples.
  static let targetCount = 8
  /// k of the step-based methods.
  static let methodSteps = 10

  /// The experiment with `options`, its unset fields filled from ``ExperimentDefaults``.
  package init(options: ExperimentOptions) {
    self.options = options.filled(from: try! ExperimentDefaults.options(for: "privacy", given: options))
  }

  package var columns: [String] {
    ["model", "target", "member", "method", "margin", "epsilon_relative", "delta", "tau_retrained", "step_scale", "note", "seconds_method", "seconds"]
  }
  package var pointColumns: [String] { ["model"] }
  package func points() -> [GridPoint] { (0..<(2 * populationSize)).map { GridPoint(["model": String($0)]) } }

  /// The unlearning configurations: the paper's step at each α, then the other methods.
  var configurations: [(label: String, method: UnlearningMethod.Kind, alpha: Double)] {
    alphas.map { ("ga-kkt α=\(RunsCSV.cell($0))", UnlearningMethod.Kind.gaKKT, $0) }
      + methodNames.compactMap { UnlearningMethod.Kind(rawValue: $0) }.filter { $0 != .gaKKT && $0 != .retrain }.map { ($0.rawValue, $0, 1.0) }
  }

  /// Whether target `t` is in model `j`'s training set. The models split into two
  /// halves by the parity of j (U-LiRA fits on one, scores on the other); in each
  /// half a seeded permutation puts the target into ⌈N/2⌉ or ⌊N/2⌋ models
  /// (alternating with t), N in all, so every half has at least two models with
  /// and two without each target once N ≥ 4.
  func holds(_ j: Int, _ t: Int) -> Bool {
    let half = j % 2
    let members = half == t % 2 ? (populationSize + 1) / 2 : populationSize / 2
    var rng = SeededGenerator(seed: 0x5EED_7A26 &+ UInt64(t), stream: 9 &+ UInt64(half))
    var order = Array(0..<populationSize)  // positions within the half: model j sits at j / 2
    rng.shuffle(&order)
    return order.firstIndex(of: j / 2)! < members
  }

  func targetsHeld(by j: Int) -> [Int] { (0..<Self.targetCount).filter { holds(j, $0) } }

  package func rowsPerPoint(_ point: GridPoint) -> Int {
    let held = targetsHeld(by: point.integer("model")).count
    return Self.targetCount + held * (configurations.count + 1)
  }

  /// `q_t / ‖θ‖^C`, comparable across models of different norms.
  static func normalizedMargin<M: HomogeneousModel>(_ model: M, _ x: Dataset, _ i: Int) -> Double {
    model.margins(on: x.subset([i]))[0] / Foundation.pow(model.parameterNorm, Double(model.homogeneityDegree))
  }

  package func run(_ point: GridPoint) throws -> [Row] {
    let start = Date()
    let j = point.integer("model")
    let setting = SyntheticSetting.mixture(xor: xor, meanNorm: meanNorm)
    let (targets, _) = try SyntheticData.generate(setting, count: Self.targetCount, dimension: d, seed: 0x7A26_E75)
    let held = targetsHeld(by: j)
    let (fresh, _) = try SyntheticData.generate(setting, count: m - held.count, dimension: d, seed: UInt64(j))
    // S_j: the held targets first (rows 0..<held.count), then fresh examples.
    var features = [Double](), labels = [Double]()
    for t in held { features += targets.features.row(t); labels.append(targets.labels[t]) }
    features += fresh.features.elements
    labels += fresh.labels
    let data = try Dataset(features: Matrix(rows: m, columns: d, elements: features), labels: labels)
    let training = ExperimentModels.twoLayerConfiguration(tolerance: tolerance, maxIterations: maxIterations, kappa: kappa)
    let initial = ExperimentModels.twoLayer(width: n, dimension: d, trainOutputLayer: trainOutputLayer, seed: UInt64(j))
    let trained = try Trainer(training).train(from: initial, on: data).model
    /// A population model's setting drawn with the held-out seed (fresh examples only), for ``BaselineTuning``.
    func heldOut() throws -> UnlearningRun<TwoLayerReLUNetwork>? {
      let (data, _) = try SyntheticData.generate(setting, count: m, dimension: d, seed: BaselineTuning.heldOutSeed)
      let initial = ExperimentModels.twoLayer(width: n, dimension: d, trainOutputLayer: trainOutputLayer, seed: BaselineTuning.heldOutSeed)
      let trained = try Trainer(training).train(from: initial, on: data).model
      return try UnlearningRun(model: trained, data: data, forgetSet: [0], auditor: KKTAuditor(kappa: kappa), initial: initial,
                               training: training)
    }
    let tuningKey = "privacy|m=\(m)|d=\(d)|mu=\(meanNorm)|xor=\(xor)|n=\(n)|out=\(trainOutputLayer)|tol=\(tolerance)|it=\(maxIterations)|kappa=\(kappa)"
    // One audit on S_j serves the paper's step for every target and α.
    let audit = try? KKTAuditor(kappa: kappa).audit(trained, on: data)
    var rows: [Row] = []
    for t in 0..<Self.targetCount {
      rows.append(Row(model: j, target: t, member: holds(j, t), method: "original", margin: Self.normalizedMargin(trained, targets, t),
                      note: ""))
    }
    for (slot, t) in held.enumerated() {
      let forget = [slot]
      // The retrained model of every held target (the "retrained" population); τ and (ε, δ) for the first target only.
      // One run per target: the audit on S_j is shared by every target and α (supplied), the retrained model
      // is the "retrained" population's; τ and (ε, δ) for the first target only.
      let run = try UnlearningRun(model: trained, data: data, forgetSet: forget, auditor: KKTAuditor(kappa: kappa),
                                  initial: initial, training: training, audit: audit, certifies: slot == 0,
                                  comparesToRetrained: slot == 0)
      guard let retrained = try run.retrained() else { throw UnlearningError.missingInitialization }
      rows.append(Row(model: j, target: t, member: true, method: "retrained", margin: Self.normalizedMargin(retrained.model, targets, t),
                      note: "", secondsMethod: Rounded(retrained.seconds, digits: 6)))
      for c in configurations {
        let scale = BaselineTuning.shared.multiplier(c.method, steps: Self.methodSteps, key: tuningKey, training: training,
                                                     heldOut: heldOut)
        let method = MethodMeasurement.configured(c.method, alpha: c.alpha, steps: Self.methodSteps, run: run, training: training,
                                                  multiplier: scale)
        let (measured, unlearned) = MethodMeasurement.measure(method, in: run, test: nil)
        rows.append(Row(model: j, target: t, member: true, method: c.label, margin: unlearned.map { Self.normalizedMargin($0, targets, t) },
                        epsilonRelative: measured.epsilonRelative, delta: measured.delta, tauRetrained: measured.tauRetrained,
                        stepScale: scale, note: measured.note, secondsMethod: measured.secondsMethod))
      }
    }
    let elapsed = ExperimentModels.seconds(since: start)
    return rows.map { var r = $0; r.seconds = elapsed; return r }
  }

  /// The leakage measures of one method label (see the type's documentation).
  struct Leakage {
    var yeomAUC = Double.nan
    var lira = AttackCurve(positives: [], negatives: [])
    /// The finite U-LiRA scores behind ``lira``: unlearned (odd half) and never seen (odd half).
    var liraPositives = 0, liraNegatives = 0
    var klom = Double.nan
    var forgetting = Double.nan

    /// |Yeom AUC − 0.5|, |U-LiRA AUC − 0.5|, KLoM, 1 − forgetting score (``CorrelationFamily/leakages``).
    var measures: [Double] { [abs(yeomAUC - 0.5), abs(lira.auc - 0.5), klom, 1 - forgetting] }
  }

  /// The rows of each method label, and the never-seen (`original`, non-member) rows, grouped once.
  func leakage(_ rows: [Row], method: String) -> Leakage {
    let own = rows.filter { $0.method == method && $0.member }
    let never = rows.filter { $0.method == "original" && !$0.member }
    func margins(_ rows: [Row], _ t: Int, parity: Int?) -> [Double] {
      rows.filter { $0.target == t && (parity == nil || $0.model % 2 == parity!) }.map { $0.margin ?? .nan }
    }
    var result = Leakage()
    var positives: [Double] = [], negatives: [Double] = []
    var yeomPositives: [Double] = [], yeomNegatives: [Double] = []
    var divergences: [Double] = [], epsilons: [Double] = []
    for t in 0..<Self.targetCount {
      let outside = margins(never, t, parity: nil)
      let inside = margins(own, t, parity: nil)
      yeomPositives += inside
      yeomNegatives += outside
      if let attack = LikelihoodRatioAttack(inside: margins(own, t, parity: 0), outside: margins(never, t, parity: 0)) {
        positives += margins(own, t, parity: 1).map(attack.score)
        negatives += margins(never, t, parity: 1).map(attack.score)
      }
      if let u = GaussianFit(inside), let r = GaussianFit(outside) { divergences.append(u.divergence(from: r)) }
      if !inside.isEmpty, !outside.isEmpty { epsilons.append(ForgettingScore().epsilon(unlearned: inside, retrained: outside)) }
    }
    result.yeomAUC = AttackCurve(positives: yeomPositives, negatives: yeomNegatives).auc
    result.lira = AttackCurve(positives: positives, negatives: negatives, fprTarget: 0.01)
    result.liraPositives = positives.filter(\.isFinite).count
    result.liraNegatives = negatives.filter(\.isFinite).count
    result.klom = Statistics.mean(divergences)
    result.forgetting = ForgettingScore().score(epsilons: epsilons)
    return result
  }

  /// Negatives below which a TPR at 1 % FPR rests on fewer than 10 false positives.
  package static let negativesForLowFPR = 1000

  /// A p-value with two significant digits (`0.0001`, `0.049`, `0.72`; `1` for 1), `—` when undefined.
  static func pDigits(_ p: Double) -> String {
    guard p.isFinite else { return "—" }
    return p >= 1 ? "1" : String(format: "%.2g", p)
  }

  /// A number for the tables, `—` when it is undefined (too few models on a side).
  static func cell(_ v: Double, _ format: String = "%.3f") -> String { v.isFinite ? String(format: format, v) : "—" }

  package func summarize(_ rows: [Row]) -> ExperimentSummary {
    let labels = ["original", "retrained"] + configurations.map(\.label)
    let models = Set(rows.map(\.model)).count
    var md = "# privacy — (ε, δ, τ) against membership inference (open question 2)\n\n"
    md += "A population of \(models) two-layer networks (n = \(n), fixed output layer; m = \(m), d = \(d), Gaussian mixture ‖μ‖ = \(String(format: "%.3g", meanNorm))); "
    md += "each of \(Self.targetCount) target examples is in the training set of half of them. Every model forgets each target it holds with each method "
    md += "(step methods: k = \(Self.methodSteps); the baselines' step-size multiplier c, in the table, tuned on a held-out seed over \(BaselineTuning.gridDescription), MATH.md §10.2; * at the grid's largest). Scores use the target's normalised margin q_t/‖θ‖^C (C = \(trainOutputLayer ? 2 : 1) here). "
    md += "\"Never seen\" = the target under the models that did not hold it. Yeom AUC: global threshold, forgotten vs never seen. "
    md += "U-LiRA: per-target Gaussians fitted on the even models, scored on the odd ones; its AUC and TPR at 1 % FPR pool the odd models' scores over targets "
    md += "(positives: forgotten targets, negatives: never-seen targets; counts in the table). KLoM: KL(unlearned ∥ never seen), Gaussian fits, mean over targets. "
    md += "Forgetting score: NeurIPS 2023 challenge-style, δ = 1e-5, bins of 0.5 (1 = indistinguishable, 0 = perfectly separated). ε/‖θ‖, δ: κ-audit of θ_U on S∖{t} (κ = \(kappa)) and τ against the retrained model, for the first target of each model.\n\n"
    md += "| method | c | ε/‖θ‖ | δ | τ | Yeom AUC | U-LiRA AUC | TPR @ 1% FPR | U-LiRA positives / negatives | KLoM | forgetting score |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    var perMethod: [(label: String, eps: Double, delta: Double, tau: Double, leak: Leakage)] = []
    var fewestNegatives = Int.max
    for label in labels {
      let selected = rows.filter { $0.method == label }
      guard !selected.isEmpty else { continue }
      let leak = leakage(rows, method: label)
      let eps = selected.map { $0.epsilonRelative ?? .nan }, delta = selected.map { $0.delta ?? .nan }
      let tau = selected.map { $0.tauRetrained ?? .nan }
      fewestNegatives = min(fewestNegatives, leak.liraNegatives)
      md += "| \(label) | \(BaselineTuning.cell(Set(selected.compactMap(\.stepScale)))) | \(Statistics.format(eps)) | \(Statistics.format(delta)) | \(Statistics.format(tau)) | \(Self.cell(leak.yeomAUC)) | \(Self.cell(leak.lira.auc)) | \(Self.cell(leak.lira.tprAtLowFPR)) | \(leak.liraPositives) / \(leak.liraNegatives) | \(Self.cell(leak.klom, "%.3g")) | \(Self.cell(leak.forgetting)) |\n"
      if label != "original" && label != "retrained" {
        perMethod.append((label, Statistics.mean(eps), Statistics.mean(delta), Statistics.mean(tau), leak))
      }
    }
    md += "\n(original: the attack against models that still hold the target — the leakage unlearning must remove. retrained: the same attacks against models retrained without the target, the gold standard; "
    md += "its distance from 0.5 / 0 / 1 is the sampling floor of \(models / 2) models per side — the best threshold among many overfits, so its forgetting score sits well below 1. "
    md += "A Yeom AUC below 0.5 leaks too: the forgotten targets' margins fall below never-seen ones (over-unlearning), so the correlations use |AUC − 0.5|.)\n"
    if fewestNegatives == Int.max { fewestNegatives = 0 }
    md += "\nTPR @ 1% FPR counts the forgotten targets flagged at a threshold that flags at most 1 % of the negatives: "
    if fewestNegatives >= Self.negativesForLowFPR {
      md += "with at least \(fewestNegatives) negatives per method, that is at least \(fewestNegatives / 100) false positives.\n"
    } else {
      md += "**only \(fewestNegatives) negatives** for some method (fewer than \(Self.negativesForLowFPR)), so 1 % of them is \(String(format: "%.2g", Double(fewestNegatives) / 100)) false positives "
      md += "and the TPR is coarse; raise `--population` (negatives = 4N for N = \(populationSize)).\n"
    }
    let family = CorrelationFamily(perMethod.map {
      CorrelationFamily.Method(label: $0.label, certificates: [$0.eps, $0.delta, $0.tau], leakages: $0.leak.measures)
    })
    let alphaText = family.paperAlpha.map { "the paper's step counted once, at α = \(RunsCSV.cell($0)), since its other α values are variants of one method" }
      ?? "the paper's step not run"
    md += "\n## Verdict — open question 2: does a smaller (ε, δ, τ) mean less leakage?\n\n"
    md += "Rule (fixed before the data): across the \(family.methods.count) methods (\(alphaText)), Spearman's rank correlation ρ of each mean certificate error "
    md += "with each leakage measure (a Yeom or U-LiRA leak is |AUC − 0.5|; positive ρ: smaller error, less leakage) and its two-sided permutation p-value (10 000 shuffles); "
    md += "the \(family.cells.count) p-values form one family, Holm-adjusted. A correlation is **held** when its Holm-adjusted p < \(Self.pDigits(CorrelationFamily.level)) with ρ > 0, "
    md += "**not held** when Holm-adjusted p < \(Self.pDigits(CorrelationFamily.level)) with ρ < 0, **not visible** otherwise. A certificate is *not held* when any of its four correlations is, "
    md += "*held* when any is held and none is not held, *not visible* otherwise. With \(family.methods.count) methods, a raw p below about \(Self.pDigits(CorrelationFamily.level / Double(max(family.cells.count, 1)))) "
    md += "is needed to survive the correction on its own.\n\n"
    md += "Each cell: ρ (raw p; Holm-adjusted p) → verdict.\n\n"
    md += "| certificate | " + CorrelationFamily.leakages.map { "vs \($0)" }.joined(separator: " | ") + " | certificate verdict |\n"
    md += "|---|" + CorrelationFamily.leakages.map { _ in "---:|" }.joined() + "---|\n"
    for c in CorrelationFamily.certificates.indices {
      let cells = family.cells.filter { $0.certificate == c }.map { cell -> String in
        cell.rho.isFinite ? String(format: "%+.2f", cell.rho) + " (\(Self.pDigits(cell.p)); \(Self.pDigits(cell.holm))) → \(cell.verdict.rawValue)" : "—"
      }
      md += "| \(CorrelationFamily.certificates[c]) | " + cells.joined(separator: " | ") + " | \(family.verdict(certificate: c).bold) |\n"
    }
    md += "\n"
    var glanceNumbers: [String] = []
    for c in CorrelationFamily.certificates.indices {
      let name = CorrelationFamily.certificates[c]
      guard let s = family.strongest(certificate: c) else {
        md += "- \(name): \(family.verdict(certificate: c).bold) (no correlation defined; raise the population size).\n"
        continue
      }
      let numbers = "\(name) vs \(CorrelationFamily.leakages[s.leakage]) ρ = \(String(format: "%+.2f", s.rho)), p = \(Self.pDigits(s.p)), Holm \(Self.pDigits(s.holm))"
      glanceNumbers.append(numbers)
      md += "- \(name): \(family.verdict(certificate: c).bold); strongest correlation \(numbers).\n"
    }
    let ranked = perMethod.filter { $0.leak.lira.auc.isFinite }
    if let best = ranked.min(by: { abs($0.leak.lira.auc - 0.5) < abs($1.leak.lira.auc - 0.5) }) {
      md += "- Least leakage by U-LiRA: \(best.label) (AUC \(String(format: "%.3f", best.leak.lira.auc)), τ \(String(format: "%.2e", best.tau))).\n"
    }
    if let paper = ranked.first(where: { $0.label == "ga-kkt α=1.0" }) {
      let better = ranked.filter { abs($0.leak.lira.auc - 0.5) < abs(paper.leak.lira.auc - 0.5) - 0.01 }.map(\.label)
      md += "- The paper's step (α = 1): U-LiRA AUC \(String(format: "%.3f", paper.leak.lira.auc)), KLoM \(String(format: "%.3g", paper.leak.klom)); "
      md += better.isEmpty ? "no method leaks clearly less (|AUC − 0.5| smaller by > 0.01).\n" : "leaks more than \(better.joined(separator: ", ")) (|AUC − 0.5| smaller by > 0.01).\n"
    }
    let verdicts = CorrelationFamily.certificates.indices.map { "\(CorrelationFamily.certificates[$0]): \(family.verdict(certificate: $0).rawValue)" }
    let paperNote = family.paperAlpha.map { ", paper's step once at α = \(RunsCSV.cell($0))" } ?? ""
    md += "\n" + Glance(
      claim: "open question 2: smaller (ε, δ, τ) means less leakage", experiment: "privacy",
      verdict: verdicts.joined(separator: "; "),
      numbers: "\(models) models, \(family.methods.count) methods\(paperNote); Spearman, Holm over \(family.cells.count): "
        + (glanceNumbers.isEmpty ? "none defined" : glanceNumbers.joined(separator: "; "))
        + "; U-LiRA TPR @ 1 % FPR on ≥ \(fewestNegatives) negatives").markdown
    let counted = Set(family.methods.map(\.label))
    let scatter = { (x: KeyPath<(label: String, eps: Double, delta: Double, tau: Double, leak: Leakage), Double>, y: (Leakage) -> Double) in
      // The methods the verdict counts (the paper's step once); its other α values are in the table.
      perMethod.filter { counted.contains($0.label) }.map { FigureSeries(name: $0.label, points: [($0[keyPath: x], y($0.leak), 0)]) }
    }
    let panels = [
      FigurePanel(title: "U-LiRA AUC against τ", x: "τ (vs retrained)", y: "U-LiRA AUC", logX: true, logY: false,
                  series: scatter(\.tau, { $0.lira.auc })),
      FigurePanel(title: "KLoM against ε/‖θ‖", x: "ε/‖θ‖ on S∖{t}", y: "KLoM", logX: true, logY: true,
                  series: scatter(\.eps, { $0.klom })),
    ]
    let figure = FigureBuilder.render(title: "privacy: certificate errors against membership-inference leakage", panels: panels,
                                      caption: "One point per method the verdict counts (the paper's step at α = \(family.paperAlpha.map { RunsCSV.cell($0) } ?? "—"); its other α values are in the table); \(models) models, \(Self.targetCount) targets; m = \(m), d = \(d), n = \(n).")
    return ExperimentSummary(markdown: md, figure: figure)
  }
}
