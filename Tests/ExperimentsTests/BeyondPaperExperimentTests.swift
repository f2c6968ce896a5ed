import Experiments
import Foundation
import Testing
import Unlearning

/// The open-question experiments on tiny grids: every row present, every method
/// measured, the verdict written, the same rows twice, no NaN in the figure.
@Suite("Open-question experiments: recovery, privacy, real-data")
struct BeyondPaperExperimentTests {
  let dir: URL

  init() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-beyond-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  /// Runs `name` twice (2 threads, then 1) and returns the table and summary of the first run.
  func run(_ name: String, _ options: ExperimentOptions) throws -> (RunTable, String) {
    func once(_ folder: String, threads: Int) throws -> (RunTable, String) {
      let out = dir.appendingPathComponent(folder)
      try SweepRunner(experiment: try ExperimentCatalog.make(name, options: options), output: out, threads: threads).run()
      let table = try #require(RunTable.parse(try String(contentsOf: out.appendingPathComponent("runs.csv"), encoding: .utf8))?.table)
      let svg = try String(contentsOf: out.appendingPathComponent("figure.svg"), encoding: .utf8)
      #expect(svg.contains("<svg") && !svg.contains("NaN"))
      return (table, try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8))
    }
    let (a, summary) = try once("\(name)-a", threads: 2)
    let (b, _) = try once("\(name)-b", threads: 1)
    func stable(_ t: RunTable) -> [[String: String]] { t.rows.map { $0.filter { !$0.key.hasPrefix("seconds") } } }
    #expect(stable(a) == stable(b), "\(name): the same rows with 1 and 2 threads")
    return (a, summary)
  }

  @Test("recovery: every method at every k, plus retraining, for both models; k = 0 recover is the paper's step")
  func recovery() throws {
    var o = ExperimentOptions(seeds: 1, examples: 8, dimension: 60, width: 10, testExamples: 50, steps: [0, 3])
    o.maxIterations = 3000
    let (table, summary) = try run("recovery", o)
    #expect(table.rows.count == 2 * (1 + 3 * 2))
    for model in ["linear", "two-layer"] {
      for method in ["ga-kkt+recover", "neggrad-plus", "fine-tune"] {
        for k in ["0", "3"] {
          let row = try #require(table.rows.first { $0["model"] == model && $0["method"] == method && $0["k"] == k })
          #expect(RunTable.number(row, "seconds_method") >= 0, "\(model) \(method) \(k)")
        }
      }
      // With k = 0, fine-tune and neggrad-plus leave θ̂ untouched: the same τ.
      let zero = table.rows.filter { $0["model"] == model && $0["k"] == "0" && $0["method"] != "ga-kkt+recover" }
      #expect(Set(zero.map { $0["tau_retrained"]! }).count == 1)
    }
    #expect(summary.contains("## Verdict") && summary.contains("speed-up over retrain"))
  }

  @Test("privacy: each target held by exactly N of 2N models, half in each parity; every held target forgotten by every configuration")
  func privacy() throws {
    var o = ExperimentOptions(examples: 8, dimension: 40, width: 8, alphas: [1], methods: ["fine-tune", "minnorm-og"], populationSize: 4)
    o.maxIterations = 3000
    let (table, summary) = try run("privacy", o)
    for t in 0..<8 {
      let original = table.rows.filter { $0["method"] == "original" && $0["target"] == String(t) }
      #expect(original.count == 8)
      let held = original.filter { $0["member"] == "1" }.compactMap { Int($0["model"]!) }
      #expect(held.count == 4 && held.filter { $0 % 2 == 0 }.count == 2, "target \(t) held by \(held)")
      for label in ["retrained", "ga-kkt α=1.0", "fine-tune", "minnorm-og"] {
        #expect(table.rows.filter { $0["method"] == label && $0["target"] == String(t) }.count == 4, "\(label), target \(t)")
      }
    }
    #expect(summary.contains("U-LiRA AUC") && summary.contains("## Verdict") && summary.contains("p = "))
    // Every attack is defined with two models per side in each half: no undefined cell, no NaN.
    #expect(!summary.lowercased().contains("nan") && !summary.contains("undetermined"))
  }

  @Test("real-data: ψ and φ per set and lift, original/retrain/methods rows for both models")
  func realData() throws {
    var o = ExperimentOptions(seeds: 1, examples: 12, width: 8, forgetSizes: [3], testExamples: 40,
                              methods: ["ga-kkt", "newton"], datasets: ["breast-cancer"], liftDimensions: [0, 64])
    o.maxIterations = 3000
    let (table, summary) = try run("real-data", o)
    #expect(table.rows.count == 2 * 2 * 4)
    for lift in ["0", "64"] {
      let rows = table.rows.filter { $0["lift"] == lift }
      #expect(Set(rows.map { $0["phi"]! }).count == 1 && RunTable.number(rows[0], "phi") > 0)
      #expect(rows[0]["dimension"] == (lift == "0" ? "30" : "64"))
    }
    #expect(summary.contains("## breast-cancer") && summary.contains("MIA AUC") && !summary.lowercased().contains("nan"))
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
