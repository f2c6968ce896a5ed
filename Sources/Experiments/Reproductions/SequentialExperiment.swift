import Foundation
import LinearAlgebra
import Reporting
import Unlearning

/// `sequential` — T = 1 … T_max single deletions one after another (issue 14): does the
/// paper's step stay certified when it is applied to its own output, and do the multipliers
/// have to be refreshed by an audit between deletions (MATH.md §5.1, §10.5)?
///
/// The examples are deleted in a seeded random order (``deletionOrder(examples:count:seed:)``).
/// Methods, each measured after every deletion T by the κ-audit of its model on S∖F_T:
///
/// - `carried`: the step from the multipliers carried from the previous step (no audit between steps);
/// - `fresh`: the step from a fresh κ-audit of the current model on its current retained set;
/// - `batch`: one step from θ₀ for F_T at once, from θ₀'s audit;
/// - `recover10`: `carried`, with k loss-normalised GD steps on S∖F_T after every 10th deletion
///   and an audit that re-establishes the multipliers;
/// - `retrain` (on the grid of T): training on S∖F_T from the recorded initialisation, the
///   reference of τ; `original`: θ₀ itself, not unlearned (on the grid).
///
/// On the isotropic setting (random labels: test accuracy is chance) and on the Gaussian
/// mixture `x = yμ + ξ` with ‖μ‖ set for a Bayes error of 10 % (``ExperimentDefaults/bayesMeanNorm(dimension:error:)``).
package struct SequentialExperiment: ReproductionExperiment {
  package let name = "sequential"
  package var options: ExperimentOptions
  /// The methods measured after every deletion.
  static let everyT = ["carried", "fresh", "batch", "recover10"]
  /// The methods measured on the retraining grid only.
  static let onGrid = ["retrain", "original"]
  /// `recover10` recovers after every this many deletions.
  static let recoveryInterval = 10
  /// The settings of the grid.
  static let settings = ["isotropic", "mixture"]
  /// Paired differences at most this fraction of the compared mean are rounding, not a difference (the linear
  /// model, whose carried and fresh steps are the same arithmetic up to the order of the sums).
  static let roundingLevel = 1e-8
  /// The T of the paired comparisons of question (b).
  static let comparedT = [10, 25, 50]

  /// The experiment with `options`, its unset fields filled from ``ExperimentDefaults``.
  package init(options: ExperimentOptions) {
    self.options = options.filled(from: try! ExperimentDefaults.options(for: "sequential", given: options))
  }

  /// The T at which the methods are compared with retraining (`--sizes`), ascending; the last is T_max.
  var grid: [Int] { Array(Set(sizes.filter { $0 >= 1 })).sorted() }
  /// The number of deletions T_max.
  var deletions: Int { grid.last ?? 1 }
  /// k of `recover10`'s GD steps (`--steps`, the first).
  var recoverySteps: Int { stepCounts.first ?? 10 }

  package var columns: [String] {
    ["setting", "seed", "model", "t", "method", "forgotten", "epsilon_relative", "delta", "tau_retrained", "test_accuracy",
     "attack_auc", "train_iterations", "train_converged", "note", "seconds_step", "seconds_cumulative", "seconds"]
  }
  package var pointColumns: [String] { ["setting", "seed"] }
  package func points() -> [GridPoint] { GridPoint.seeds(seeds, across: "setting", Self.settings) }
  package func rowsPerPoint(_ point: GridPoint) -> Int { 2 * (Self.everyT.count * deletions + Self.onGrid.count * grid.count) }

  /// The first `count` examples of a seeded random order of `0..<m` (stream 14 of the seed): F_T is its first T.
  ///
  /// - Complexity: O(m).
  package static func deletionOrder(examples m: Int, count: Int, seed: UInt64) -> [Int] {
    var rng = SeededGenerator(seed: seed, stream: 14)
    var order = Array(0..<m)
    rng.shuffle(&order)
    return Array(order.prefix(count))
  }

  /// The data of a setting: the training set, the test split and T_max fresh non-members (drawn after the test split).
  func data(setting: String, seed: UInt64) throws -> (train: Dataset, test: Dataset, nonMembers: Dataset) {
    let kind: SyntheticSetting = setting == "mixture" ? .mixture(xor: false, meanNorm: meanNorm) : .isotropic
    let (train, rest) = try SyntheticData.generate(kind, count: m, dimension: d, testCount: testM + deletions, seed: seed)
    let all = rest!
    return (train, all.subset(Array(0..<testM)), all.subset(Array(testM..<(testM + deletions))))
  }

  package func run(_ point: GridPoint) throws -> [Row] {
    let start = Date()
    let seed = UInt64(point.integer("seed"))
    let setting = point["setting"] ?? "isotropic"
    let (data, test, nonMembers) = try self.data(setting: setting, seed: seed)
    let order = Self.deletionOrder(examples: m, count: deletions, seed: seed)
    let sequence = Deletions(grid: grid, kappa: kappa, recoverySteps: recoverySteps, recoveryInterval: Self.recoveryInterval)
    let linear = try sequence.run(initial: ExperimentModels.linear(dimension: d, seed: seed),
                                  training: ExperimentModels.linearConfiguration(kappa: kappa),
                                  data: data, test: test, nonMembers: nonMembers, order: order)
    let net = try sequence.run(initial: ExperimentModels.twoLayer(width: n, dimension: d, trainOutputLayer: false, seed: seed),
                               training: ExperimentModels.twoLayerConfiguration(tolerance: tolerance, maxIterations: maxIterations, kappa: kappa),
                               data: data, test: test, nonMembers: nonMembers, order: order)
    let elapsed = ExperimentModels.seconds(since: start)
    func rows(_ model: String, _ entries: [Entry]) -> [Row] {
      entries.map {
        Row(setting: setting, seed: point.integer("seed"), model: model, t: $0.t, method: $0.method, forgotten: $0.forgotten,
            epsilonRelative: $0.epsilonRelative, delta: $0.delta, tauRetrained: $0.tau, testAccuracy: $0.testAccuracy,
            attackAUC: $0.attackAUC, trainIterations: $0.trainIterations, trainConverged: $0.trainConverged, note: $0.note,
            secondsStep: Rounded($0.secondsStep, digits: 4), secondsCumulative: Rounded($0.secondsCumulative, digits: 4),
            seconds: elapsed)
      }
    }
    return rows("linear", linear) + rows("two-layer", net)
  }
}

extension SequentialExperiment {
  /// One measurement of a ``Deletions`` (a row without its grid point and model).
  package struct Entry {
    var t: Int
    var method: String
    var forgotten: Int
    var epsilonRelative: Double?
    var delta: Double?
    var tau: Double?
    var testAccuracy: Double?
    var attackAUC: Double?
    var trainIterations: Int?
    var trainConverged: Bool?
    var note = ""
    var secondsStep = 0.0
    var secondsCumulative = 0.0
  }

  /// The state of one sequential method: the model, the multipliers its next step takes
  /// (carried or audited; the audit itself for `fresh`), its clock, and why it stopped.
  struct Chain<M: HomogeneousModel> {
    var model: M
    var stored: StoredMultipliers?
    var audit: KKTAuditReport<M>?
    var seconds: Double
    var stopped: String?
  }

  /// The deletions of one trained model: every method after every deletion, retraining on the grid.
  package struct Deletions {
    var grid: [Int]
    var kappa: Double
    var recoverySteps: Int
    var recoveryInterval: Int

    /// The paper's step for the example at `position` of `data` from multipliers stored with (or carried to)
    /// `model`, and the multipliers carried to θ_U on `data` without it (`nil` when θ_U does not interpolate it).
    ///
    /// - Complexity: one forward pass over the forgotten example, one of θ_U on the retained set, O(m d + p) fingerprints.
    package static func carriedStep<M: HomogeneousModel>(_ model: M, stored: StoredMultipliers, data: Dataset, position: Int,
                                                 retained: Dataset) throws -> (model: M, carried: StoredMultipliers?) {
      let unlearned = try GradientAscentUnlearning().unlearn(model, stored: stored, data: data, forgetSet: [position])
      return (unlearned, stored.carried(to: unlearned, retained: retained, forgetSet: [position]))
    }

    /// The paper's step for the example at `position`, from an audit of the model on `data`.
    package static func freshStep<M: HomogeneousModel>(_ audit: KKTAuditReport<M>, data: Dataset, position: Int) throws -> M {
      try GradientAscentUnlearning().unlearn(audit, data: data, forgetSet: [position])
    }

    /// One step from θ₀'s audit on S for the first `t` examples of `order` at once.
    package static func batchStep<M: HomogeneousModel>(_ audit: KKTAuditReport<M>, data: Dataset, order: [Int], t: Int) throws -> M {
      try GradientAscentUnlearning().unlearn(audit, data: data, forgetSet: Array(order.prefix(t)))
    }

    /// Trains `initial` on `data` and deletes `order` one example after another with every method.
    ///
    /// - Complexity: one training run; per deletion one kernel of S∖F_T and four audits on it
    ///   (one more after a recovery); per grid point one retraining and two audits.
    func run<M: HomogeneousModel>(initial: M, training: TrainingConfiguration, data: Dataset, test: Dataset,
                                  nonMembers: Dataset, order: [Int]) throws -> [Entry] {
      let auditor = KKTAuditor(kappa: kappa)
      let clock = ContinuousClock()
      let trained = try Trainer(training).train(from: initial, on: data)
      let theta0 = trained.model
      var audit0: Result<KKTAuditReport<M>, any Error>! = nil
      let audit0Seconds = clock.measure { audit0 = Result { try auditor.audit(theta0, on: data) } }.inSeconds
      let tMax = order.count
      guard case .success(let a0) = audit0 else {
        // No multipliers without interpolation: every row recorded with the reason, its numbers empty.
        let (_, why) = ExperimentModels.audit(audit0)
        return (1...tMax).flatMap { t in everyTMethods.map { Entry(t: t, method: $0, forgotten: order[t - 1], note: "θ₀: \(why)") } }
          + grid.flatMap { t in onGridMethods.map { Entry(t: t, method: $0, forgotten: order[t - 1], note: "θ₀: \(why)") } }
      }
      let stored0 = StoredMultipliers(audit: a0, model: theta0, data: data, origin: .audit)
      var carried = Chain(model: theta0, stored: stored0, audit: nil, seconds: audit0Seconds)
      var fresh = Chain(model: theta0, stored: nil, audit: a0, seconds: audit0Seconds)
      var recover = carried
      var batchModel = theta0
      var ids = Array(0..<data.count)
      var retained = data
      var entries: [Entry] = []
      var retrainSeconds: [(t: Int, seconds: Double)] = []
      let deleted = data.subset(order)

      /// Test accuracy and (at T_max) the attack AUC of a model.
      func outcome(_ model: M, _ t: Int, _ e: inout Entry) {
        e.testAccuracy = ExperimentModels.accuracy(model, on: test)
        if t == tMax {
          e.attackAUC = AttackCurve(positives: model.margins(on: deleted), negatives: model.margins(on: nonMembers)).auc
        }
      }
      /// ε/‖θ̂‖ and δ of an audit into an entry (the reason when it failed).
      func certificate(_ result: Result<KKTAuditReport<M>, any Error>, _ e: inout Entry) {
        let (a, why) = ExperimentModels.audit(result)
        e.epsilonRelative = a?.epsilonRelative
        e.delta = a?.delta
        if !why.isEmpty { e.note = why }
      }

      for t in 1...tMax {
        let r = order[t - 1]
        let position = ids.firstIndex(of: r)!
        let previous = retained
        ids.remove(at: position)
        retained = try previous.removing([position]).retained
        let kernel = BLAS.rowGram(retained.features)
        func auditNow(_ model: M, from start: StoredMultipliers? = nil) -> Result<KKTAuditReport<M>, any Error> {
          Result {
            if let start { return try auditor.audit(model, on: retained, startingFrom: start, kernel: kernel) }
            return try auditor.audit(model, on: retained, kernel: kernel)
          }
        }
        func tau(_ model: M, _ reference: M?) -> Double? { reference.map { Vector.tau(model.parameters, $0.parameters) } }

        // The reference of τ on the grid: retraining on S∖F_T from the recorded initialisation.
        var reference: M? = nil
        if grid.contains(t) {
          var e = Entry(t: t, method: "retrain", forgotten: r)
          do {
            let result = try Trainer(training).train(from: trained.initialModel, on: retained)
            reference = result.model
            retrainSeconds.append((t, result.seconds))
            e.secondsStep = result.seconds
            e.trainIterations = result.iterations
            e.trainConverged = result.stopReason == .converged
            certificate(auditNow(result.model), &e)
            e.tau = 0
            outcome(result.model, t, &e)
          } catch {
            e.note = "retraining: \(error)"
          }
          entries.append(e)
          var o = Entry(t: t, method: "original", forgotten: r, trainIterations: trained.iterations,
                        trainConverged: trained.stopReason == .converged)
          certificate(auditNow(theta0), &o)
          o.tau = tau(theta0, reference)
          outcome(theta0, t, &o)
          entries.append(o)
        }

        // A sequence of carried steps (carried, recover10): the step, then the certificate, warm-started
        // from the carried multipliers; recover10 recovers and re-audits every `recoveryInterval` deletions.
        func carriedSequence(_ chain: inout Chain<M>, method: String, recovers: Bool) throws {
          var e = Entry(t: t, method: method, forgotten: r)
          guard chain.stopped == nil, let stored = chain.stored else {
            e.note = chain.stopped ?? "no multipliers"
            e.secondsCumulative = chain.seconds
            entries.append(e)
            return
          }
          var step: (model: M, carried: StoredMultipliers?)! = nil
          let took = try clock.measure {
            step = try Self.carriedStep(chain.model, stored: stored, data: previous, position: position, retained: retained)
          }.inSeconds
          chain.seconds += took
          chain.model = step.model
          chain.stored = step.carried
          var audit: Result<KKTAuditReport<M>, any Error>
          var stepSeconds = took
          if recovers, t % recoveryInterval == 0 {
            // k loss-normalised GD steps on S∖F_T (as ga-kkt+recover), then an audit that re-establishes the multipliers.
            var config = TrainingConfiguration(loss: training.loss, learningRate: training.learningRate, tolerance: 0,
                                               maxIterations: recoverySteps)
            config.audits = false
            var recovered: Result<KKTAuditReport<M>, any Error>! = nil
            let more = clock.measure {
              recovered = Result {
                if recoverySteps > 0 { chain.model = try Trainer(config).train(from: chain.model, on: retained).model }
                return try auditor.audit(chain.model, on: retained, startingFrom: step.carried ?? stored, kernel: kernel)
              }
              chain.stored = (try? recovered.get()).map {
                StoredMultipliers(audit: $0, model: chain.model, data: retained, origin: .audit)
              }
            }.inSeconds
            chain.seconds += more
            stepSeconds += more
            audit = recovered
          } else {
            audit = step.carried.map { auditNow(step.model, from: $0) }
              ?? .failure(KKTAuditError.notInterpolating(minMargin: step.model.margins(on: retained).min() ?? .nan,
                                                         nonPositiveMargins: step.model.margins(on: retained).filter { !($0 > 0) }.count,
                                                         examples: retained.count))
          }
          certificate(audit, &e)
          e.tau = tau(chain.model, reference)
          outcome(chain.model, t, &e)
          e.secondsStep = stepSeconds
          e.secondsCumulative = chain.seconds
          if chain.stored == nil {
            chain.stopped = "stopped at T = \(t): θ_U does not interpolate S∖F_T (no multipliers to carry)"
          }
          entries.append(e)
        }
        try carriedSequence(&carried, method: "carried", recovers: false)

        // fresh: the step from the audit of the current model on its current retained set (taken after
        // the previous step, as its certificate, and counted in the method's time).
        do {
          var e = Entry(t: t, method: "fresh", forgotten: r)
          if fresh.stopped == nil, let a = fresh.audit {
            var model: M! = nil
            let took = try clock.measure { model = try Self.freshStep(a, data: previous, position: position) }.inSeconds
            fresh.seconds += took
            fresh.model = model
            var audit: Result<KKTAuditReport<M>, any Error>! = nil
            let auditSeconds = clock.measure { audit = auditNow(model) }.inSeconds
            certificate(audit, &e)
            e.tau = tau(model, reference)
            outcome(model, t, &e)
            e.secondsStep = took
            e.secondsCumulative = fresh.seconds
            // The audit before the next step.
            fresh.seconds += auditSeconds
            fresh.audit = try? audit.get()
            if fresh.audit == nil { fresh.stopped = "stopped at T = \(t): \(e.note)" }
          } else {
            e.note = fresh.stopped ?? "no audit"
            e.secondsCumulative = fresh.seconds
          }
          entries.append(e)
        }

        // batch: one step from θ₀'s audit for F_T.
        do {
          var e = Entry(t: t, method: "batch", forgotten: r)
          let took = try clock.measure { batchModel = try Self.batchStep(a0, data: data, order: order, t: t) }.inSeconds
          certificate(auditNow(batchModel), &e)
          e.tau = tau(batchModel, reference)
          outcome(batchModel, t, &e)
          e.secondsStep = took
          e.secondsCumulative = audit0Seconds + took
          entries.append(e)
        }

        try carriedSequence(&recover, method: "recover10", recovers: true)
      }

      // Retraining after every deletion: its seconds summed up to T, interpolated between the grid's points.
      let perT = Self.interpolated(retrainSeconds, upTo: tMax)
      for k in entries.indices where entries[k].method == "retrain" {
        entries[k].secondsCumulative = perT.prefix(entries[k].t).reduce(0, +)
      }
      return entries
    }

    var everyTMethods: [String] { SequentialExperiment.everyT }
    var onGridMethods: [String] { SequentialExperiment.onGrid }

    /// Values at T = 1…`tMax` from values at some T: linear between known points, constant beyond them (0 with none).
    ///
    /// - Complexity: O(tMax · points).
    static func interpolated(_ known: [(t: Int, seconds: Double)], upTo tMax: Int) -> [Double] {
      guard let first = known.first, let last = known.last else { return [Double](repeating: 0, count: tMax) }
      return (1...max(tMax, 1)).map { t in
        if t <= first.t { return first.seconds }
        if t >= last.t { return last.seconds }
        let k = known.firstIndex { $0.t >= t }!
        let (a, b) = (known[k - 1], known[k])
        return a.seconds + (b.seconds - a.seconds) * Double(t - a.t) / Double(b.t - a.t)
      }
    }
  }
}

// MARK: - Summary

extension SequentialExperiment {
  /// Question (a) for one seed: the largest T such that `values[T′ − 1] ≤ factor · values[0]` for every
  /// T′ ≤ T, where `values[T − 1]` is ε/‖θ̂‖ after T deletions (0 when `values[0]` is not a positive
  /// finite number; a missing value, NaN, ends the run).
  ///
  /// - Complexity: O(T).
  package static func stepsWithinFactor(_ values: [Double], factor: Double = 2) -> Int {
    guard let first = values.first, first.isFinite, first > 0 else { return 0 }
    var t = 0
    while t < values.count, values[t].isFinite, values[t] <= factor * first { t += 1 }
    return t
  }

  package func summarize(_ rows: [Row]) -> ExperimentSummary {
    let tMax = deletions
    let settings = Self.settings.filter { s in rows.contains { $0.setting == s } }
    let models = ["linear", "two-layer"].filter { m in rows.contains { $0.model == m } }
    let seedsPresent = Array(Set(rows.map(\.seed))).sorted()
    func select(_ s: String, _ model: String, _ method: String, _ t: Int) -> [Row] {
      rows.filter { $0.setting == s && $0.model == model && $0.method == method && $0.t == t }
    }
    func values(_ s: String, _ model: String, _ method: String, _ t: Int, _ c: KeyPath<Row, Double?>) -> [Double] {
      select(s, model, method, t).map { $0[keyPath: c] ?? .nan }
    }
    /// The value of one seed (NaN when missing).
    func value(_ s: String, _ model: String, _ method: String, _ t: Int, _ seed: Int, _ c: KeyPath<Row, Double?>) -> Double {
      select(s, model, method, t).first { $0.seed == seed }?[keyPath: c] ?? .nan
    }
    func cumulative(_ s: String, _ model: String, _ method: String, _ t: Int) -> [Double] {
      select(s, model, method, t).map { $0.secondsCumulative?.value ?? .nan }
    }
    let bayes = 0.5 * erfc(meanNorm * Double(d).squareRoot() / 2.0.squareRoot())
    var md = "# sequential — T single deletions one after another\n\n"
    md += "T = 1 … \(tMax) deletions, one example at a time in a seeded random order (column `forgotten`), from a linear model and a two-layer network "
    md += "(n = \(n), fixed output layer) trained on m = \(m) examples in d = \(d); \(seedsPresent.count) seeds; two settings: isotropic "
    md += "(random labels: test accuracy is chance) and the Gaussian mixture x = yμ + ξ with ‖μ‖ = \(String(format: "%.4g", meanNorm)) "
    md += "(Bayes error Φ(−‖μ‖√d) = \(String(format: "%.3g", bayes))); test split \(testM) examples. "
    md += "Methods: **carried** — the paper's step from the multipliers carried from the previous step (no audit between steps); "
    md += "**fresh** — the step from a fresh κ-audit of the current model on its retained set; **batch** — one step from θ₀ for all T examples at once; "
    md += "**recover10** — carried, with \(recoverySteps) loss-normalised GD steps on S∖F_T and an audit after every \(Self.recoveryInterval)th deletion; "
    md += "**retrain** — training on S∖F_T from the recorded initialisation (the reference of τ); **original** — θ₀, not unlearned. "
    md += "ε/‖θ̂‖, δ: κ-audit (κ = \(kappa)) of the model on S∖F_T; τ = 1 − cos(θ, θ_retrained(T)), at T = \(grid.map(String.init).joined(separator: ", ")); "
    md += "seconds: cumulative wall time of the method from θ₀ to T (θ₀'s audit counted for carried, fresh, batch and recover10; retrain: retraining after every deletion, "
    md += "interpolated between the grid's retrainings). Tables: mean ± standard deviation over seeds.\n\n"

    var answersA: [String] = [], answersB: [String] = [], timing: [String] = []
    /// Per model: the paired comparisons carried − fresh at T = T_max (ε, τ), over the settings; and the 2×-rule medians.
    var refreshVerdicts: [String: [(String, PairedComparison)]] = [:]
    var withinFactor: [String: [Double]] = [:]
    var costRatios: [String: [Double]] = [:]
    let shownT = [1, 2, 5, 10, 20, 30, 40, 50].filter { $0 < tMax && grid.contains($0) } + [tMax]
    for s in settings {
      for model in models {
        md += "## \(s), \(model)\n\n"
        md += "| T | ε/‖θ̂‖ carried | ε/‖θ̂‖ fresh | ε/‖θ̂‖ batch | ε/‖θ̂‖ recover10 | ε/‖θ̂‖ retrain | τ carried | τ fresh | τ batch | τ recover10 | τ original |\n"
        md += "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for t in shownT {
          let eps = ["carried", "fresh", "batch", "recover10", "retrain"].map { Statistics.format(values(s, model, $0, t, \.epsilonRelative)) }
          let taus = ["carried", "fresh", "batch", "recover10", "original"].map { Statistics.format(values(s, model, $0, t, \.tauRetrained)) }
          md += "| \(t) | " + (eps + taus).joined(separator: " | ") + " |\n"
        }
        md += "\nAt T = \(tMax):\n\n| method | ε/‖θ̂‖ | δ | τ | test acc. | attack AUC (deleted vs fresh) | seconds (cumulative) |\n|---|---:|---:|---:|---:|---:|---:|\n"
        for method in Self.everyT + Self.onGrid {
          md += "| \(method) | \(Statistics.format(values(s, model, method, tMax, \.epsilonRelative))) | \(Statistics.format(values(s, model, method, tMax, \.delta))) | "
          md += "\(Statistics.format(values(s, model, method, tMax, \.tauRetrained))) | \(Statistics.formatFixed(values(s, model, method, tMax, \.testAccuracy))) | "
          md += "\(Statistics.formatFixed(values(s, model, method, tMax, \.attackAUC))) | \(method == "original" ? "0" : Statistics.format(cumulative(s, model, method, tMax))) |\n"
        }
        md += "\n"

        // (a) How many sequential steps keep the certificate within 2× of the first?
        for method in ["carried", "fresh", "recover10", "batch"] {
          let counts = seedsPresent.map { seed in
            Double(Self.stepsWithinFactor((1...tMax).map { value(s, model, method, $0, seed, \.epsilonRelative) }))
          }
          let all = counts.allSatisfy { $0 == Double(tMax) }
          if method == "carried" { withinFactor[model, default: []].append(Statistics.median(counts)) }
          answersA.append("| \(s) | \(model) | \(method) | \(Statistics.median(counts).formatted0)\(all ? " (all T)" : "") | \(counts.min()?.formatted0 ?? "—")–\(counts.max()?.formatted0 ?? "—") |")
        }

        // (b) Does refreshing the multipliers matter? Paired per-seed differences carried − fresh.
        for t in Self.comparedT.filter({ $0 <= tMax }) {
          for (label, c, needsGrid) in [("ε/‖θ̂‖", \Row.epsilonRelative, false), ("τ", \Row.tauRetrained, true)] {
            if needsGrid, !grid.contains(t) { continue }
            let carried = seedsPresent.map { value(s, model, "carried", t, $0, c) }
            let fresh = seedsPresent.map { value(s, model, "fresh", t, $0, c) }
            // The claim tested (fixed before the data): refreshing lowers the error, i.e. carried − fresh > 0.
            let comparison = PairedComparison(carried, fresh, claim: .above, resolution: Self.roundingLevel)
            let diffs = comparison.differences
            let (lower, upper) = (comparison.lower, comparison.upper)
            let meanC = Statistics.mean(carried), meanF = Statistics.mean(fresh)
            var verdict = comparison.verdict.bold
            if comparison.withinResolution { verdict += " (identical to rounding: every |difference| ≤ 1e-8 of the values)" }
            if t == tMax { refreshVerdicts[model, default: []].append((label, comparison)) }
            let relative = meanF != 0 ? Statistics.mean(diffs) / abs(meanF) : .nan
            answersB.append("| \(s) | \(model) | \(label) | \(t) | \(String(format: "%.3e", meanC)) | \(String(format: "%.3e", meanF)) | \(String(format: "%.2e", Statistics.mean(diffs))) (\(relative.isFinite ? String(format: "%+.1f %%", 100 * relative) : "—")) | [\(String(format: "%.2e", lower)), \(String(format: "%.2e", upper))] | \(diffs.count) | \(verdict) |")
          }
        }

        // Timing at T_max: medians over seeds.
        let c = Statistics.median(cumulative(s, model, "carried", tMax)), f = Statistics.median(cumulative(s, model, "fresh", tMax))
        let b = Statistics.median(cumulative(s, model, "batch", tMax)), r10 = Statistics.median(cumulative(s, model, "recover10", tMax))
        let rt = Statistics.median(cumulative(s, model, "retrain", tMax))
        let once = Statistics.median(select(s, model, "retrain", tMax).map { $0.secondsStep?.value ?? .nan })
        if f.isFinite, c.isFinite, c > 0 { costRatios[model, default: []].append(f / c) }
        func ratio(_ x: Double, _ y: Double) -> String { x.isFinite && y.isFinite && y > 0 ? String(format: "%.1f×", x / y) : "—" }
        timing.append("| \(s) | \(model) | \(String(format: "%.3g", c)) | \(String(format: "%.3g", f)) | \(String(format: "%.3g", b)) | \(String(format: "%.3g", r10)) | \(String(format: "%.3g", once)) | \(String(format: "%.3g", rt)) | \(ratio(f, c)) | \(ratio(rt, c)) | \(ratio(rt, f)) |")
      }
    }
    md += "## Answer (a) — how many sequential steps keep the certificate within 2× of the first?\n\n"
    md += "Per seed: the largest T with ε/‖θ̂‖(T′) ≤ 2 · ε/‖θ̂‖(1) for every T′ ≤ T (T′ = 1 … \(tMax)); median and range over seeds "
    md += "(batch: the one step for F_T against the one step for F_1, for comparison).\n\n"
    md += "| setting | model | method | median T | range |\n|---|---|---|---:|---:|\n" + answersA.joined(separator: "\n") + "\n\n"
    md += "## Answer (b) — does refreshing the multipliers matter?\n\n"
    md += "Paired per-seed differences carried − fresh at T ∈ {\(Self.comparedT.filter { $0 <= tMax }.map(String.init).joined(separator: ", "))}: "
    md += "their mean (and relative to fresh's mean), and a 95 % seed-bootstrap percentile interval of the mean (2000 resamples, seeded); "
    md += "rule (fixed before the data, MATH.md §10.4.1): the claim *refreshing lowers the error* (carried − fresh > 0) is *held* when the interval lies above 0, "
    md += "*not held* when it lies below (carried is better), *not visible* when it contains 0 or when every difference is below 1e-8 of the values (rounding).\n\n"
    md += "| setting | model | measure | T | carried (mean) | fresh (mean) | carried − fresh (rel.) | 95 % CI | seeds | verdict |\n|---|---|---|---:|---:|---:|---:|---:|---:|---|\n"
    md += answersB.joined(separator: "\n") + "\n\n"
    md += "## Timing — T = \(tMax) deletions, median wall seconds over seeds\n\n"
    md += "| setting | model | carried | fresh | batch | recover10 | retrain once (S∖F_T) | retrain after every deletion | fresh / carried | retrain / carried | retrain / fresh |\n"
    md += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" + timing.joined(separator: "\n") + "\n"

    var glanceVerdicts: [String] = [], glanceNumbers: [String] = []
    for model in models {
      let parts = refreshVerdicts[model] ?? []
      let measures = parts.map(\.0).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
      glanceVerdicts.append("\(model): " + measures.map { m in
        "\(m) " + Verdict.all(parts.filter { $0.0 == m }.map(\.1.verdict)).rawValue
      }.joined(separator: ", "))
      let medians = withinFactor[model] ?? [], ratios = costRatios[model] ?? []
      let span = { (v: [Double]) in v.isEmpty ? "—" : v.min()! == v.max()! ? v[0].formatted0 : "\(v.min()!.formatted0)–\(v.max()!.formatted0)" }
      glanceNumbers.append("\(model): carried − fresh at T = \(tMax) " + parts.map { "\($0.0) \($0.1.formatted())" }.joined(separator: ", ")
        + "; 2× rule median T \(span(medians)); fresh costs \(ratios.isEmpty ? "—" : String(format: "%.1f–%.1f×", ratios.min()!, ratios.max()!)) the carried chain")
    }
    md += "\n" + Glance(claim: "issue 14: refreshing the multipliers before each sequential deletion lowers the error (carried − fresh > 0)",
                        experiment: "sequential", verdict: glanceVerdicts.joined(separator: "; "),
                        numbers: "\(seedsPresent.count) seeds, m = \(m), T = \(tMax), both settings: " + glanceNumbers.joined(separator: "; ")).markdown

    // The figure: ε/‖θ̂‖ and τ against T (isotropic), test accuracy against T (mixture).
    func series(_ s: String, _ model: String, _ method: String, _ c: KeyPath<Row, Double?>, at ts: [Int], positive: Bool) -> FigureSeries {
      FigureSeries(name: method, points: ts.compactMap { t in
        let v = values(s, model, method, t, c)
        let mean = Statistics.mean(v)
        guard mean.isFinite, !positive || mean > 0 else { return nil }
        return (Double(t), mean, Statistics.standardDeviation(v))
      }, dashed: method == "retrain" || method == "original")
    }
    let every = Array(1...tMax)
    var panels: [FigurePanel] = []
    for model in models.reversed() where settings.contains("isotropic") {
      panels.append(FigurePanel(title: "isotropic, \(model): ε/‖θ̂‖ on S∖F_T", x: "deletions T", y: "ε/‖θ̂‖", logY: true,
                                series: Self.everyT.map { series("isotropic", model, $0, \.epsilonRelative, at: every, positive: true) }
                                  + [series("isotropic", model, "retrain", \.epsilonRelative, at: grid, positive: true)]))
      panels.append(FigurePanel(title: "isotropic, \(model): τ against retraining", x: "deletions T", y: "τ = 1 − cos", logY: true,
                                series: (Self.everyT + ["original"]).map { series("isotropic", model, $0, \.tauRetrained, at: grid, positive: true) }))
    }
    for model in models.reversed() where settings.contains("mixture") {
      panels.append(FigurePanel(title: "mixture, \(model): test accuracy", x: "deletions T", y: "test accuracy", logY: false,
                                series: (Self.everyT + Self.onGrid).map {
                                  series("mixture", model, $0, \.testAccuracy, at: Self.onGrid.contains($0) ? grid : every, positive: false)
                                }))
    }
    let figure = FigureBuilder.render(title: "sequential: T single deletions, carried vs fresh multipliers", panels: panels,
                                      caption: "Mean ± std over \(seedsPresent.count) seeds; m = \(m), d = \(d), n = \(n), κ = \(kappa); retrain and original dashed.")
    return ExperimentSummary(markdown: md, figure: figure)
  }
}

extension Double {
  /// `12` for a whole number, `12.5` otherwise; `—` when not finite.
  fileprivate var formatted0: String {
    guard isFinite else { return "—" }
    return self == rounded() ? String(format: "%.0f", self) : String(format: "%.1f", self)
  }
}
