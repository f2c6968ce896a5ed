import Experiments
import Foundation
import Reporting
import Testing
import Unlearning

/// The open-question experiments on tiny grids: every row present, every method
/// measured, the verdict written, the same rows twice, no NaN in the figure.
@Suite("Open-question experiments: recovery, privacy, real-data, scaling")
struct BeyondPaperExperimentTests {
  let dir: URL

  init() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-beyond-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  /// Runs `name` twice (2 threads, then 1) and returns the rows and summary of the first run.
  func run<Row: Codable>(_ name: String, _ options: ExperimentOptions, as type: Row.Type) throws -> ([Row], String) {
    /// The rows, the summary, and the cells of runs.csv without its timing columns.
    func once(_ folder: String, threads: Int) throws -> ([Row], String, [[String]]) {
      let out = dir.appendingPathComponent(folder)
      let experiment = try ExperimentCatalog.make(name, options: options)
      try SweepRunner(experiment: experiment, output: out, threads: threads).run()
      let text = try String(contentsOf: out.appendingPathComponent("runs.csv"), encoding: .utf8)
      let table = try #require(RunsCSV.parse(text)?.table)
      let rows = try RunRowCodec<Row>(columns: experiment.columns).rows(of: table)
      let stable = table.columns.indices.filter { !table.columns[$0].hasPrefix("seconds") }
      let svg = try String(contentsOf: out.appendingPathComponent("figure.svg"), encoding: .utf8)
      #expect(svg.contains("<svg") && !svg.contains("NaN"))
      return (rows, try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8),
              table.records.map { r in stable.map { r[$0] } })
    }
    let (a, summary, stableA) = try once("\(name)-a", threads: 2)
    let (_, _, stableB) = try once("\(name)-b", threads: 1)
    #expect(stableA == stableB, "\(name): the same rows with 1 and 2 threads")
    return (a, summary)
  }

  @Test("scaling: every m of the halving grid, both models, the largest- and smallest-λ example forgotten")
  func scaling() throws {
    let options = ExperimentOptions(seeds: 3, examples: 16, dimension: 200, width: 10, tolerance: 1e-2, maxIterations: 4000)
    let (rows, summary) = try run("scaling", options, as: ScalingExperiment.Row.self)
    // m = 16/8 → 4 (at least 4), 16/4 = 4, 8, 16: the distinct sizes 4, 8, 16.
    #expect(Set(rows.map(\.m)) == [4, 8, 16])
    #expect(rows.count == 3 * 3 * 4)
    for r in rows {
      #expect(abs(r.mPhi - Double(r.m) * r.phi) <= 1e-12 * r.mPhi)
      #expect(r.forgetIndex != nil && (r.lambdaForget ?? 0) > 0, "a support example is forgotten")
    }
    // Per (seed, m, model) the largest-λ example has λ at least the smallest positive one's.
    for r in rows where r.forgotten == "max-lambda" {
      let other = try #require(rows.first { $0.seed == r.seed && $0.m == r.m && $0.model == r.model && $0.forgotten == "min-lambda" })
      #expect(r.lambdaForget! >= other.lambdaForget!)
    }
    #expect(summary.contains("## Verdicts") && summary.contains("<!-- glance "))
  }

  @Test("recovery: every method at every k, plus retraining, for both models; k = 0 recover is the paper's step")
  func recovery() throws {
    var o = ExperimentOptions(seeds: 1, examples: 8, dimension: 60, width: 10, testExamples: 50, steps: [0, 3])
    o.maxIterations = 3000
    let (rows, summary) = try run("recovery", o, as: RecoveryExperiment.Row.self)
    #expect(rows.count == 2 * (1 + 3 * 2))
    for model in ["linear", "two-layer"] {
      for method in ["ga-kkt+recover", "neggrad-plus", "fine-tune"] {
        for k in [0, 3] {
          let row = try #require(rows.first { $0.model == model && $0.method == method && $0.k == k })
          #expect((row.measured.secondsMethodValue ?? -1) >= 0, "\(model) \(method) \(k)")
        }
      }
      // With k = 0, fine-tune and neggrad-plus leave θ̂ untouched: the same τ.
      let zero = rows.filter { $0.model == model && $0.k == 0 && $0.method != "ga-kkt+recover" }
      #expect(zero.count == 2 && Set(zero.map { $0.measured.tauRetrained }).count == 1)
    }
    #expect(summary.contains("## Verdict") && summary.contains("speed-up over retrain"))
  }

  @Test("privacy: each target held by exactly N of 2N models, half in each parity; every held target forgotten by every configuration")
  func privacy() throws {
    var o = ExperimentOptions(examples: 8, dimension: 40, width: 8, alphas: [1], methods: ["fine-tune", "minnorm-og"], populationSize: 4)
    o.maxIterations = 3000
    let (rows, summary) = try run("privacy", o, as: PrivacyExperiment.Row.self)
    for t in 0..<8 {
      let original = rows.filter { $0.method == "original" && $0.target == t }
      #expect(original.count == 8)
      let held = original.filter(\.member).map(\.model)
      #expect(held.count == 4 && held.filter { $0 % 2 == 0 }.count == 2, "target \(t) held by \(held)")
      for label in ["retrained", "ga-kkt α=1.0", "fine-tune", "minnorm-og"] {
        #expect(rows.filter { $0.method == label && $0.target == t }.count == 4, "\(label), target \(t)")
      }
    }
    #expect(summary.contains("U-LiRA AUC") && summary.contains("## Verdict") && summary.contains("p = "))
    // The paper's step once (only α = 1 was run here): 3 methods, 12 correlations, Holm, the counts.
    #expect(summary.contains("across the 3 methods") && summary.contains("Holm-adjusted") && summary.contains("positives / negatives"))
    // 8 targets × 2 never-seen models in the odd half: 16 negatives (fewer when a method fails), flagged as too few.
    #expect(summary.contains("| 16 / 16 |") && summary.contains("**only ") && summary.contains("(fewer than 1000)"))
    #expect(summary.contains("| certificate | vs Yeom leak | vs U-LiRA leak | vs KLoM | vs 1 − forgetting score | certificate verdict |"))
    let glance = try #require(Glance.parse(summary).first)
    #expect(glance.experiment == "privacy" && glance.claim == "open question 2: smaller (ε, δ, τ) means less leakage")
    #expect(glance.verdict.hasPrefix("ε/‖θ‖: ") && glance.verdict.contains("; τ: "))
    // Every attack is defined with two models per side in each half: no undefined cell, no NaN.
    #expect(!summary.lowercased().contains("nan") && !summary.contains("undetermined"))
  }

  @Test("real-data: ψ and φ per set and lift, original/retrain/methods rows for both models")
  func realData() throws {
    var o = ExperimentOptions(seeds: 1, examples: 12, width: 8, forgetSizes: [3], testExamples: 40,
                              methods: ["ga-kkt", "newton"], datasets: ["breast-cancer"], liftDimensions: [0, 64])
    o.maxIterations = 3000
    let (all, summary) = try run("real-data", o, as: RealDataExperiment.Row.self)
    // raw, D = 64 and D = 64 centred; 2 models × (original, retrain, 2 methods).
    #expect(all.count == 3 * 2 * 4)
    for (lift, centred) in [(0, 0), (64, 0), (64, 1)] {
      let rows = all.filter { $0.lift == lift && $0.centred == centred }
      #expect(rows.count == 8)
      #expect(Set(rows.map(\.phi)).count == 1 && rows[0].phi > 0)
      #expect(rows[0].dimension == (lift == 0 ? 30 : 64))
    }
    #expect(all.filter { $0.lift == 0 }.allSatisfy { $0.centred == 0 })
    #expect(summary.contains("## breast-cancer") && summary.contains("MIA AUC") && !summary.lowercased().contains("nan"))
    #expect(summary.contains("| D = 64 centred |") && summary.contains("the step moves toward retraining: **"))
    let glance = try #require(Glance.parse(summary).first)
    #expect(glance.experiment == "real-data" && glance.verdict.hasPrefix("toward retraining "))
  }

  @Test("real-data: an m that does not fit the bundled set is an option error (usage), not a data-set error")
  func realDataOptionsThatDoNotFit() throws {
    let o = ExperimentOptions(seeds: 1, examples: 100_000, forgetSizes: [3], datasets: ["breast-cancer"], liftDimensions: [0])
    let experiment = try ExperimentCatalog.make("real-data", options: o)
    let point = try #require(experiment.points().first)
    do {
      _ = try experiment.run(point)
      Issue.record("expected SweepError.invalidOption")
    } catch let error as SweepError {
      guard case .invalidOption(let message) = error else { Issue.record("\(error)"); return }
      #expect(message.contains("do not fit the") && message.contains("breast-cancer"))
      #expect(error.failureClass == .usage)
    }
  }
}
