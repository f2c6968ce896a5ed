import Foundation
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
/// and Spearman's rank correlation between the methods' (ε, δ, τ) and their leakage.
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
    ["model", "target", "member", "method", "margin", "epsilon_relative", "delta", "tau_retrained", "note", "seconds_method", "seconds"]
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
        let method = MethodMeasurement.configured(c.method, alpha: c.alpha, steps: Self.methodSteps, run: run, training: training)
        let (measured, unlearned) = MethodMeasurement.measure(method, in: run, test: nil)
        rows.append(Row(model: j, target: t, member: true, method: c.label, margin: unlearned.map { Self.normalizedMargin($0, targets, t) },
                        epsilonRelative: measured.epsilonRelative, delta: measured.delta, tauRetrained: measured.tauRetrained,
                        note: measured.note, secondsMethod: measured.secondsMethod))
      }
    }
    let elapsed = ExperimentModels.seconds(since: start)
    return rows.map { var r = $0; r.seconds = elapsed; return r }
  }

  /// The leakage measures of one method label (see the type's documentation).
  struct Leakage {
    var yeomAUC = Double.nan
    var lira = AttackCurve(positives: [], negatives: [])
    var klom = Double.nan
    var forgetting = Double.nan
  }

  func leakage(_ rows: [Row], method: String) -> Leakage {
    func margins(_ t: Int, _ method: String, member: Bool, parity: Int?) -> [Double] {
      rows.filter { $0.target == t && $0.method == method && $0.member == member
        && (parity == nil || $0.model % 2 == parity!) }.map { $0.margin ?? .nan }
    }
    var result = Leakage()
    var positives: [Double] = [], negatives: [Double] = []
    var yeomPositives: [Double] = [], yeomNegatives: [Double] = []
    var divergences: [Double] = [], epsilons: [Double] = []
    for t in 0..<Self.targetCount {
      let outside = margins(t, "original", member: false, parity: nil)
      let inside = margins(t, method, member: true, parity: nil)
      yeomPositives += inside
      yeomNegatives += outside
      if let attack = LikelihoodRatioAttack(inside: margins(t, method, member: true, parity: 0),
                                            outside: margins(t, "original", member: false, parity: 0)) {
        positives += margins(t, method, member: true, parity: 1).map(attack.score)
        negatives += margins(t, "original", member: false, parity: 1).map(attack.score)
      }
      if let u = GaussianFit(inside), let r = GaussianFit(outside) { divergences.append(u.divergence(from: r)) }
      if !inside.isEmpty, !outside.isEmpty { epsilons.append(ForgettingScore().epsilon(unlearned: inside, retrained: outside)) }
    }
    result.yeomAUC = AttackCurve(positives: yeomPositives, negatives: yeomNegatives).auc
    result.lira = AttackCurve(positives: positives, negatives: negatives, fprTarget: 0.01)
    result.klom = Statistics.mean(divergences)
    result.forgetting = ForgettingScore().score(epsilons: epsilons)
    return result
  }

  /// `p = 0.12`, or `p < 0.01` below what 10 000 permutations resolve well.
  static func pValue(_ p: Double) -> String { p < 0.01 ? "p < 0.01" : String(format: "p = %.2f", p) }

  /// A number for the tables, `—` when it is undefined (too few models on a side).
  static func cell(_ v: Double, _ format: String = "%.3f") -> String { v.isFinite ? String(format: format, v) : "—" }

  package func summarize(_ rows: [Row]) -> ExperimentSummary {
    let labels = ["original", "retrained"] + configurations.map(\.label)
    let models = Set(rows.map(\.model)).count
    var md = "# privacy — (ε, δ, τ) against membership inference (open question 2)\n\n"
    md += "A population of \(models) two-layer networks (n = \(n), fixed output layer; m = \(m), d = \(d), Gaussian mixture ‖μ‖ = \(String(format: "%.3g", meanNorm))); "
    md += "each of \(Self.targetCount) target examples is in the training set of half of them. Every model forgets each target it holds with each method "
    md += "(step methods: k = \(Self.methodSteps); neggrad, neggrad-plus: η so that the k steps are as long as the paper's step). Scores use the target's normalised margin q_t/‖θ‖. "
    md += "\"Never seen\" = the target under the models that did not hold it. Yeom AUC: global threshold, forgotten vs never seen. "
    md += "U-LiRA: per-target Gaussians fitted on the even models, scored on the odd ones. KLoM: KL(unlearned ∥ never seen), Gaussian fits, mean over targets. "
    md += "Forgetting score: NeurIPS 2023 challenge-style, δ = 1e-5, bins of 0.5 (1 = indistinguishable, 0 = perfectly separated). ε/‖θ‖, δ: κ-audit of θ_U on S∖{t} (κ = \(kappa)) and τ against the retrained model, for the first target of each model.\n\n"
    md += "| method | ε/‖θ‖ | δ | τ | Yeom AUC | U-LiRA AUC | TPR @ 1% FPR | KLoM | forgetting score |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    var perMethod: [(label: String, eps: Double, delta: Double, tau: Double, leak: Leakage)] = []
    for label in labels {
      let selected = rows.filter { $0.method == label }
      guard !selected.isEmpty else { continue }
      let leak = leakage(rows, method: label)
      let eps = selected.map { $0.epsilonRelative ?? .nan }, delta = selected.map { $0.delta ?? .nan }
      let tau = selected.map { $0.tauRetrained ?? .nan }
      md += "| \(label) | \(Statistics.format(eps)) | \(Statistics.format(delta)) | \(Statistics.format(tau)) | \(Self.cell(leak.yeomAUC)) | \(Self.cell(leak.lira.auc)) | \(Self.cell(leak.lira.tprAtLowFPR)) | \(Self.cell(leak.klom, "%.3g")) | \(Self.cell(leak.forgetting)) |\n"
      if label != "original" && label != "retrained" {
        perMethod.append((label, Statistics.mean(eps), Statistics.mean(delta), Statistics.mean(tau), leak))
      }
    }
    md += "\n(original: the attack against models that still hold the target — the leakage unlearning must remove. retrained: the same attacks against models retrained without the target, the gold standard; "
    md += "its distance from 0.5 / 0 / 1 is the sampling floor of \(models / 2) models per side — the best threshold among many overfits, so its forgetting score sits well below 1. "
    md += "A Yeom AUC below 0.5 leaks too: the forgotten targets' margins fall below never-seen ones (over-unlearning), so the correlations use |AUC − 0.5|.)\n"
    md += "\n## Verdict — open question 2: does a smaller (ε, δ, τ) mean less leakage?\n\n"
    md += "Spearman rank correlation across the \(perMethod.count) methods of their mean certificate errors with their leakage "
    md += "(positive: smaller error, less leakage), with its two-sided permutation p-value (10 000 shuffles). "
    md += "The four α values of the paper's step are not independent methods, so read p as optimistic.\n\n"
    md += "A Yeom or U-LiRA leak is |AUC − 0.5| (an AUC below 0.5 leaks too).\n\n"
    md += "| certificate | vs Yeom leak | vs U-LiRA leak | vs KLoM | vs 1 − forgetting score |\n|---|---:|---:|---:|---:|\n"
    let leakages: [(Leakage) -> Double] = [{ abs($0.yeomAUC - 0.5) }, { abs($0.lira.auc - 0.5) }, { $0.klom }, { 1 - $0.forgetting }]
    for (name, key) in [("ε/‖θ‖", 0), ("δ", 1), ("τ", 2)] {
      let x = perMethod.map { key == 0 ? $0.eps : (key == 1 ? $0.delta : $0.tau) }
      let cells = leakages.map { leak -> String in
        let y = perMethod.map { leak($0.leak) }
        let rho = Statistics.spearman(x, y)
        return rho.isFinite ? String(format: "%+.2f", rho) + " (\(Self.pValue(Statistics.spearmanPValue(x, y))))" : "—"
      }
      md += "| \(name) | " + cells.joined(separator: " | ") + " |\n"
    }
    let tauX = perMethod.map(\.tau), liraY = perMethod.map { abs($0.leak.lira.auc - 0.5) }
    let tauRho = Statistics.spearman(tauX, liraY), tauP = Statistics.spearmanPValue(tauX, liraY)
    md += "\n- τ against |U-LiRA AUC − 0.5|: ρ = \(tauRho.isFinite ? String(format: "%+.2f", tauRho) + ", \(Self.pValue(tauP))" : "—") — "
    if !tauRho.isFinite {
      md += "**undetermined** (too few models per side for the attack; raise the population size).\n"
    } else if tauRho > 0 && tauP < 0.05 {
      md += "**yes**: methods closer to retraining leak less.\n"
    } else if tauRho > 0 && tauP < 0.2 {
      md += "**suggestive, not significant**: methods closer to retraining tend to leak less.\n"
    } else {
      md += "**no evidence**: closeness to retraining does not order the methods' leakage.\n"
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
    let scatter = { (x: KeyPath<(label: String, eps: Double, delta: Double, tau: Double, leak: Leakage), Double>, y: (Leakage) -> Double) in
      perMethod.map { FigureSeries(name: $0.label, points: [($0[keyPath: x], y($0.leak), 0)]) }
    }
    let panels = [
      FigurePanel(title: "U-LiRA AUC against τ", x: "τ (vs retrained)", y: "U-LiRA AUC", logX: true, logY: false,
                  series: scatter(\.tau, { $0.lira.auc })),
      FigurePanel(title: "KLoM against ε/‖θ‖", x: "ε/‖θ‖ on S∖{t}", y: "KLoM", logX: true, logY: true,
                  series: scatter(\.eps, { $0.klom })),
    ]
    let figure = FigureBuilder.render(title: "privacy: certificate errors against membership-inference leakage", panels: panels,
                                      caption: "One point per method; \(models) models, \(Self.targetCount) targets; m = \(m), d = \(d), n = \(n).")
    return ExperimentSummary(markdown: md, figure: figure)
  }
}
