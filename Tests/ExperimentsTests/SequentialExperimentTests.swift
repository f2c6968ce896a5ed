import Experiments
import Foundation
import LinearAlgebra
import Testing
import Unlearning

/// `sequential` on a tiny grid, its steps against each other and against the closed form,
/// and the two summary rules (2× rule, paired bootstrap) on hand-made numbers.
@Suite("sequential: T single deletions, carried vs fresh multipliers")
struct SequentialExperimentTests {
  /// A model trained on small isotropic data, its κ-audit and the multipliers stored from it.
  func trained<M: HomogeneousModel>(_ initial: M, _ data: Dataset, maxIterations: Int = 3000) throws
    -> (model: M, audit: KKTAuditReport<M>, stored: StoredMultipliers) {
    let config = TrainingConfiguration(learningRate: 1, tolerance: 1e-2, kappa: KKTAuditor.defaultKappa, auditInterval: 100, maxIterations: maxIterations)
    let model = try Trainer(config).train(from: initial, on: data).model
    let audit = try KKTAuditor().audit(model, on: data)
    return (model, audit, StoredMultipliers(audit: audit, model: model, data: data, origin: .audit))
  }

  func relativeDistance(_ a: [Double], _ b: [Double]) -> Double {
    BLAS.norm(Vector.difference(a, b)) / max(BLAS.norm(b), .leastNormalMagnitude)
  }

  @Test("Runs on a tiny grid: every row of every method, every column, T = 1 of carried = fresh = batch, recover10 differs at T = 10")
  func runs() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-sequential-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    var o = ExperimentOptions(seeds: 1, examples: 30, dimension: 300, width: 8, forgetSizes: [1, 2, 5, 10], testExamples: 40, steps: [3])
    o.maxIterations = 3000
    let experiment = try ExperimentCatalog.make("sequential", options: o)
    try SweepRunner(experiment: experiment, output: dir, threads: 2).run()
    let text = try String(contentsOf: dir.appendingPathComponent("runs.csv"), encoding: .utf8)
    let table = try #require(RunsCSV.parse(text)?.table)
    #expect(table.columns == experiment.columns)
    let rows = try RunRowCodec<SequentialExperiment.Row>(columns: experiment.columns).rows(of: table)
    // 2 settings × 2 models × (4 methods × 10 deletions + 2 × 4 grid points).
    #expect(rows.count == 2 * 2 * (4 * 10 + 2 * 4))
    let order = SequentialExperiment.deletionOrder(examples: 30, count: 10, seed: 0)
    #expect(order != Array(0..<10) && Set(order).count == 10)
    for setting in ["isotropic", "mixture"] {
      for model in ["linear", "two-layer"] {
        let mine = rows.filter { $0.setting == setting && $0.model == model }
        for method in ["carried", "fresh", "batch", "recover10"] {
          let sequence = mine.filter { $0.method == method }.sorted { $0.t < $1.t }
          #expect(sequence.map(\.t) == Array(1...10), "\(setting) \(model) \(method)")
          #expect(sequence.map(\.forgotten) == order)
          for row in sequence {
            #expect(row.epsilonRelative != nil && row.delta != nil && row.testAccuracy != nil, "\(setting) \(model) \(method) \(row.t): \(row.note)")
            #expect((row.tauRetrained != nil) == [1, 2, 5, 10].contains(row.t))
            #expect((row.attackAUC != nil) == (row.t == 10))
            #expect((row.secondsCumulative?.value ?? -1) >= 0)
          }
        }
        for method in ["retrain", "original"] {
          #expect(mine.filter { $0.method == method }.map(\.t).sorted() == [1, 2, 5, 10])
        }
        func row(_ method: String, _ t: Int) throws -> SequentialExperiment.Row {
          try #require(mine.first { $0.method == method && $0.t == t })
        }
        // T = 1: the same step from the same multipliers (audited once), so the same certificate and τ.
        let c = try row("carried", 1), f = try row("fresh", 1), b = try row("batch", 1)
        for other in [f, b] {
          #expect(abs(c.epsilonRelative! - other.epsilonRelative!) <= 1e-6 * c.epsilonRelative!)
          #expect(abs(c.tauRetrained! - other.tauRetrained!) <= 1e-6 * max(c.tauRetrained!, 1e-12))
        }
        // recover10 is carried until its first recovery.
        #expect(try row("recover10", 9).epsilonRelative == row("carried", 9).epsilonRelative)
        #expect(try row("recover10", 10).epsilonRelative != row("carried", 10).epsilonRelative)
        #expect(try row("retrain", 10).tauRetrained == 0)
      }
    }
    let summary = try String(contentsOf: dir.appendingPathComponent("summary.md"), encoding: .utf8)
    #expect(summary.contains("## Answer (a)") && summary.contains("## Answer (b)") && summary.contains("## Timing"))
    let svg = try String(contentsOf: dir.appendingPathComponent("figure.svg"), encoding: .utf8)
    #expect(svg.contains("<svg") && !svg.contains("NaN"))
  }

  @Test("T = 1: the carried step (stored multipliers), the fresh step (audit) and the batch step coincide to 1e-10, linear and two-layer")
  func firstStepsCoincide() throws {
    let (data, _) = try SyntheticData.generate(.isotropic, count: 30, dimension: 300, seed: 3)
    let order = SequentialExperiment.deletionOrder(examples: 30, count: 5, seed: 3)
    let retained = try data.removing([order[0]]).retained
    func check<M: HomogeneousModel>(_ initial: M) throws {
      let (model, audit, stored) = try trained(initial, data)
      let (carried, multipliers) = try SequentialExperiment.Deletions.carriedStep(model, stored: stored, data: data, position: order[0],
                                                                                  retained: retained)
      let fresh = try SequentialExperiment.Deletions.freshStep(audit, data: data, position: order[0])
      let batch = try SequentialExperiment.Deletions.batchStep(audit, data: data, order: order, t: 1)
      #expect(relativeDistance(carried.parameters, fresh.parameters) <= 1e-10)
      #expect(relativeDistance(batch.parameters, fresh.parameters) <= 1e-10)
      let carriedMultipliers = try #require(multipliers)
      #expect(carriedMultipliers.values.count == 29 && carriedMultipliers.origin == .carried && carriedMultipliers.carriedSteps == 1)
    }
    try check(LinearModel.initialized(dimension: 300, initScale: 0.01, seed: 3))
    try check(TwoLayerReLUNetwork.initialized(width: 8, dimension: 300, trainsOutputLayer: false, initScale: 0.01, seed: 3))
  }

  @Test("batch at T is one step with the first T examples: θ̂ − Σ_{r ∈ F_T} λ_r y_r x_r for a linear model")
  func batchIsOneStep() throws {
    let (data, _) = try SyntheticData.generate(.isotropic, count: 30, dimension: 300, seed: 5)
    let order = SequentialExperiment.deletionOrder(examples: 30, count: 5, seed: 5)
    let (_, audit, _) = try trained(LinearModel.initialized(dimension: 300, initScale: 0.01, seed: 5), data)
    for t in 1...5 {
      var expected = audit.normalizedModel.parameters
      for r in order.prefix(t) {
        let x = data.features.row(r)
        for j in 0..<300 { expected[j] -= audit.multipliers[r] * data.labels[r] * x[j] }
      }
      let batch = try SequentialExperiment.Deletions.batchStep(audit, data: data, order: order, t: t)
      #expect(relativeDistance(batch.parameters, expected) <= 1e-12, "T = \(t)")
    }
  }

  @Test("2× rule: the largest T with ε(T′) ≤ 2 ε(1) for every T′ ≤ T")
  func twoTimesRule() {
    #expect(SequentialExperiment.stepsWithinFactor([1, 1.5, 2, 2.5, 1]) == 3)
    #expect(SequentialExperiment.stepsWithinFactor([1, 1, 1]) == 3)
    #expect(SequentialExperiment.stepsWithinFactor([1, 3, 1]) == 1)
    #expect(SequentialExperiment.stepsWithinFactor([1, 2, .nan, 1]) == 2)
    #expect(SequentialExperiment.stepsWithinFactor([0, 0]) == 0)
    #expect(SequentialExperiment.stepsWithinFactor([]) == 0)
    #expect(SequentialExperiment.stepsWithinFactor([2, 4, 6.1], factor: 3) == 2)
  }

  @Test("Bootstrap interval: a constant gives itself; {0, 1} gives [0, 1]; ordered, seeded, inside the range")
  func bootstrap() {
    let constant = Statistics.bootstrapMeanInterval([0.25, 0.25, 0.25])
    #expect(constant.lower == 0.25 && constant.upper == 0.25)
    // Means of two draws from {0, 1}: 0, ½, 1 with probabilities ¼, ½, ¼ — the 2.5 % and 97.5 % quantiles are 0 and 1.
    let coin = Statistics.bootstrapMeanInterval([0, 1])
    #expect(coin.lower == 0 && coin.upper == 1)
    let x = [0.3, -0.1, 0.8, 0.5, 0.2]
    let a = Statistics.bootstrapMeanInterval(x), b = Statistics.bootstrapMeanInterval(x)
    #expect(a.lower == b.lower && a.upper == b.upper)
    #expect(a.lower < Statistics.mean(x) && Statistics.mean(x) < a.upper)
    #expect(a.lower >= -0.1 && a.upper <= 0.8)
    #expect(Statistics.bootstrapMeanInterval([]).lower.isNaN)
    // All differences positive: the interval excludes 0.
    #expect(Statistics.bootstrapMeanInterval([0.1, 0.2, 0.15, 0.3, 0.12]).lower > 0)
  }

  @Test("The mixture's default ‖μ‖ gives a Bayes error of 10 %: Φ(−‖μ‖√d) = 0.1")
  func bayesError() {
    for d in [300, 2000] {
      let mu = ExperimentDefaults.bayesMeanNorm(dimension: d)
      #expect(abs(0.5 * erfc(mu * Double(d).squareRoot() / 2.0.squareRoot()) - 0.1) < 1e-12)
      #expect(abs(mu * Double(d).squareRoot() - 1.2815515655446004) < 1e-9)
    }
  }
}
