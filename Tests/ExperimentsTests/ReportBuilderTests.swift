import Foundation
import Testing
import Unlearning

import Experiments
@testable import Reporting

@Suite("HTML report")
struct ReportBuilderTests {
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("report-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static func write(_ text: String, _ url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  /// Two experiments (one nested), a folder without a summary, and a hidden one.
  static func fixture() throws -> URL {
    let root = try temporaryDirectory()
    let plot = Plot(title: "α sweep", xAxis: PlotAxis(label: "α"), yAxis: PlotAxis(label: "ε", scale: .log10),
                    series: [PlotSeries(name: "κ = 0", points: [PlotPoint(x: 0, y: 1, yError: 0.5),
                                                               PlotPoint(x: 1, y: 0.01, yError: 0.02)])])
    let b = root.appendingPathComponent("b-alpha")
    try write("# Step size sweep\n\nVerdict: **reproduced**.\n\n| α | ε |\n|---:|---:|\n| 1 | 1e-4 |\n", b.appendingPathComponent("summary.md"))
    try write(SVGRenderer.render(plot), b.appendingPathComponent("figure.svg"))
    try write("alpha,seed,note\n0.5,1,\"two\nlines\"\n1,1,x\n1,2,y\n", b.appendingPathComponent("runs.csv"))
    try write("{\"seeds\": 10, \"name\": \"<x>\"}", b.appendingPathComponent("config.json"))
    let a = root.appendingPathComponent("a-group/width")
    try write("No heading here, just `text` & <tags>.\n", a.appendingPathComponent("summary.md"))
    try write(SVGRenderer.render(panels: [plot, plot], columns: 2, title: "widths"), a.appendingPathComponent("figure.svg"))
    try write("just,a,header\n", a.appendingPathComponent("runs.csv"))
    try write("not an experiment", root.appendingPathComponent("other/readme.txt"))
    try write("# Hidden\n", root.appendingPathComponent(".hidden/summary.md"))
    return root
  }

  @Test("Finds experiments recursively, ordered by path, skipping hidden folders")
  func discovery() throws {
    let root = try Self.fixture()
    defer { try? FileManager.default.removeItem(at: root) }
    let found = try ReportBuilder.experiments(under: [root, root.appendingPathComponent("b-alpha")])
    let name = root.lastPathComponent
    #expect(found.map(\.displayPath) == ["\(name)/a-group/width", "\(name)/b-alpha"])
    #expect(found.map(\.title) == ["\(name)/a-group/width", "Step size sweep"])
    #expect(found.map(\.runCount) == [0, 3])
    #expect(found[1].config?.contains("seeds") == true)
    #expect(found[0].config == nil)
  }

  @Test("The report has a table of contents, rendered summaries, inlined figures and run counts")
  func report() throws {
    let root = try Self.fixture()
    defer { try? FileManager.default.removeItem(at: root) }
    let html = try ReportBuilder.build(directories: [root], title: "Results & <more>")
    #expect(XMLCheck.error(html) == nil, "\(XMLCheck.error(html) ?? "")")
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\""))
    #expect(html.contains("<title>Results &amp; &lt;more&gt;</title>"))
    #expect(html.contains("<li><a href=\"#experiment-1\">\(root.lastPathComponent)/a-group/width</a>"))
    #expect(html.contains("<li><a href=\"#experiment-2\">Step size sweep</a>"))
    #expect(html.contains("<section class=\"experiment\" id=\"experiment-2\">"))
    #expect(html.contains("<h2>Step size sweep</h2>"))
    #expect(html.contains("<strong>reproduced</strong>"))
    #expect(html.contains("<th style=\"text-align:right\">α</th>"))
    #expect(html.contains("<code>text</code> &amp; &lt;tags&gt;."))
    #expect(html.contains("runs.csv in this folder, 3 rows."))
    #expect(html.contains("runs.csv in this folder, 0 rows."))
    #expect(html.contains("<details><summary>config.json</summary><pre><code>{&quot;seeds&quot;: 10"))
    // Figures inline, without prolog, with ids made unique per figure.
    #expect(!html.contains("<?xml"))
    #expect(html.components(separatedBy: "<svg xmlns=\"http://www.w3.org/2000/svg\"").count - 1 == 2)
    #expect(html.contains("id=\"e1-panel0-area\"") && html.contains("url(#e1-panel1-area)"))
    #expect(html.contains("id=\"e2-plot-area\"") && html.contains("url(#e2-plot-area)"))
    // Self-contained: no scripts, no links to files or the network.
    #expect(!html.contains("<script"))
    #expect(!html.contains("src="))
    let links = html.matches(of: /href="([^"]*)"/).map { String($0.output.1) }
    #expect(links.allSatisfy { $0.hasPrefix("#") })
    #expect(!html.contains("url(http") && !html.contains("@import"))
    #expect(html == (try ReportBuilder.build(directories: [root], title: "Results & <more>")))
  }

  @Test("write puts report.html atomically into the first folder")
  func writes() throws {
    let root = try Self.fixture()
    defer { try? FileManager.default.removeItem(at: root) }
    let url = try ReportBuilder.write(directories: [root])
    #expect(url.lastPathComponent == "report.html")
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text.contains("Step size sweep"))
    #expect(throws: FileFormatError.self) { try ReportBuilder.write(directories: [root], overwrite: false) }
  }

  @Test("No experiment, or a missing folder, is a one-line error")
  func errors() throws {
    let root = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    try Self.write("x", root.appendingPathComponent("sub/runs.csv"))
    #expect(throws: ReportError.noExperiments([root.path])) { try ReportBuilder.build(directories: [root]) }
    let message = "\(ReportError.noExperiments([root.path]))"
    #expect(message.contains("no experiment found under \(root.path)") && !message.contains("\n"))
    let missing = root.appendingPathComponent("missing")
    #expect(throws: ReportError.notADirectory(missing.path)) { try ReportBuilder.build(directories: [missing]) }
  }

  @Test("CSV records are counted outside quotes; SVGs are prepared for inlining")
  func helpers() {
    #expect(ExperimentOutput.countRecords("") == 0)
    #expect(ExperimentOutput.countRecords("a,b\n") == 0)
    #expect(ExperimentOutput.countRecords("a,b\r\n1,2\r\n\r\n3,4") == 2)
    #expect(ExperimentOutput.countRecords("a,b\n\"x\ny\",1\n") == 1)
    #expect(ReportBuilder.inlineSVG("<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg width=\"1\"><g id=\"a\"/></svg>\n",
                                    idPrefix: "p") == "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\"><g id=\"p-a\"/></svg>")
    #expect(ReportBuilder.inlineSVG("<html></html>", idPrefix: "p") == nil)
  }
}

/// Writes a realistic sample report to `$REPORT_SAMPLE_DIR` for looking at in a
/// browser (skipped unless the variable is set).
@Suite("HTML report sample")
struct ReportSampleTests {
  static let directory = ProcessInfo.processInfo.environment["REPORT_SAMPLE_DIR"]

  @Test("Sample report: a 3-panel, a 1-panel and a 4-panel stress figure", .enabled(if: directory != nil))
  func sample() throws {
    let root = URL(fileURLWithPath: try #require(Self.directory))
    let alphas = stride(from: 0.0, through: 2.0, by: 0.125).map { $0 }
    let widths = [10, 50, 100, 500, 1000]
    func wiggle(_ i: Int, _ j: Int) -> Double { 1 + 0.15 * sin(Double(7 * i + 13 * j)) }
    func series(_ f: (Double, Int, Int) -> (Double, Double)) -> [PlotSeries] {
      widths.enumerated().map { j, n in
        PlotSeries(name: "n = \(n)", points: alphas.enumerated().map { i, a in
          let (y, e) = f(a, j, i)
          return PlotPoint(x: a, y: y, yError: e)
        }, dashed: j >= 3)
      }
    }
    let epsilon = Plot(
      title: "(a) stationarity ε/‖θ̂‖", xAxis: PlotAxis(label: "step size α"),
      yAxis: PlotAxis(label: "ε/‖θ̂‖ on S∖F", scale: .log10),
      series: series { a, j, i in
        let y = (1e-4 + 0.2 * pow(abs(a - 1), 1.5)) * pow(2, Double(j)) * wiggle(i, j)
        return (y, 0.6 * y)
      },
      referenceLines: [.vertical(x: 1, label: "α = 1")], width: 420, height: 360)
    let delta = Plot(
      title: "(b) complementary slackness δ", xAxis: PlotAxis(label: "step size α"),
      yAxis: PlotAxis(label: "δ", scale: .log10),
      series: series { a, j, i in
        let y = (0.01 + 0.3 * a * a) / Double(j + 1) * wiggle(i, j)
        return (y, 0.3 * y)
      },
      referenceLines: [.vertical(x: 1, label: "α = 1")], width: 420, height: 360)
    let cosine = Plot(
      title: "(c) agreement with retraining", xAxis: PlotAxis(label: "step size α"),
      yAxis: PlotAxis(label: "cos(θ_U, θ_retrained)"),
      series: series { a, j, i in
        (0.999 - 0.02 * pow(a - 1, 2) - 0.004 * Double(j) * wiggle(i, j), 0.003 * wiggle(j, i))
      },
      referenceLines: [.vertical(x: 1, label: "α = 1")], width: 420, height: 360)
    let grid = PlotGrid(
      panels: [epsilon, delta, cosine], columns: 3, title: "Unlearning by one gradient-ascent step, two-layer ReLU network",
      caption: "Mean ± std over 10 seeds of the κ-audit (κ = 0.03) of the unlearned model on the retained set S∖F, "
        + "against the step size α (α = 1 is the paper's step), for hidden widths n = 10 … 1000; m = 20, d = 1000.")
    let sweep = root.appendingPathComponent("results/alpha-sweep")
    try ReportBuilderTests.write("""
      # Step size sweep: ε, δ and cos against α

      Forget one example with the step **α · λ_r y_r ∇N(x_r; θ̂)** for α ∈ [0, 2], 10 seeds, widths `n` ∈ {10, 50, 100, 500, 1000}.

      ## Verdict

      - **Reproduced**: ε/‖θ̂‖ is smallest at α = 1 for every width (Theorem 4.1).
      - δ grows like α², as the O(φ) term predicts.
      - cos with the retrained model peaks at α = 1 (0.999 for n = 10).

      ## Results at α = 1

      | n | ε/‖θ̂‖ (mean ± std) | δ | cos(θ_U, θ_R) | runs |
      |---:|---:|---:|---:|---:|
      | 10 | 1.0e-4 ± 6e-5 | 3.1e-1 | 0.999 | 10 |
      | 50 | 2.0e-4 ± 1e-4 | 1.6e-1 | 0.995 | 10 |
      | 100 | 4.0e-4 ± 2e-4 | 1.0e-1 | 0.991 | 10 |
      | 500 | 8.0e-4 ± 5e-4 | 7.8e-2 | 0.987 | 10 |
      | 1000 | 1.6e-3 ± 1e-3 | 6.2e-2 | 0.983 | 10 |

      ### Reproduce

      ```
      unlearn reproduce alpha-sweep --seeds 10 --out results/alpha-sweep
      ```
      """, sweep.appendingPathComponent("summary.md"))
    try ReportBuilderTests.write(SVGRenderer.render(grid), sweep.appendingPathComponent("figure.svg"))
    try ReportBuilderTests.write("alpha,width,seed,epsilon\n" + (0..<850).map { "\($0),1,1,0.1" }.joined(separator: "\n"),
                                 sweep.appendingPathComponent("runs.csv"))
    try ReportBuilderTests.write("{\n  \"seeds\": 10,\n  \"alphas\": [0, 0.125, 2],\n  \"widths\": [10, 50, 100, 500, 1000]\n}\n",
                                 sweep.appendingPathComponent("config.json"))

    let sizes = [1, 2, 4, 8, 16]
    let forget = Plot(
      title: "Forgetting a set F: unlearned vs retrained", caption: "ε/‖θ̂‖ on S∖F against |F| (mean ± std over 10 seeds); linear model, m = 50, d = 500.",
      xAxis: PlotAxis(label: "forget-set size |F|", scale: .log10, range: 1...20),
      yAxis: PlotAxis(label: "ε/‖θ̂‖"),
      series: [
        PlotSeries(name: "unlearned (gradient step, α = 1)", points: sizes.map {
          PlotPoint(x: Double($0), y: 1e-3 * Double($0), yError: 3e-4 * Double($0)) }),
        PlotSeries(name: "retrained", points: sizes.map { PlotPoint(x: Double($0), y: 1e-3, yError: 1e-4) },
                   style: .lineAndMarkers, dashed: true),
      ],
      referenceLines: [.horizontal(y: 1e-2, label: "tolerance 1e-2")])
    let sets = root.appendingPathComponent("results/forget-sets")
    try ReportBuilderTests.write("""
      # Forget sets of growing size

      The step for a set F adds the per-example steps. ε grows linearly in |F| while retraining stays at its tolerance.

      | \\|F\\| | unlearned ε/‖θ̂‖ | retrained ε/‖θ̂‖ |
      |---:|---:|---:|
      | 1 | 1e-3 | 1e-3 |
      | 16 | 1.6e-2 | 1e-3 |
      """, sets.appendingPathComponent("summary.md"))
    try ReportBuilderTests.write(SVGRenderer.render(forget), sets.appendingPathComponent("figure.svg"))
    try ReportBuilderTests.write("size,seed,eps\n1,1,0.001\n", sets.appendingPathComponent("runs.csv"))
    // Stress: per-panel legends, many series, long names, large and negative values, NaNs.
    let many = (0..<10).map { j in
      PlotSeries(name: "series \(j) with a rather long descriptive name", points: (0..<20).map { i in
        PlotPoint(x: Double(i) * 5e4, y: Double(j) * 1e6 + sin(Double(i + j)) * 4e5, yError: 1e5)
      }, style: j % 3 == 0 ? .scatter : j % 3 == 1 ? .line : .lineAndMarkers, dashed: j % 2 == 1)
    }
    let stress = PlotGrid(panels: [
      Plot(title: "ten series, large values", xAxis: PlotAxis(label: "x"), yAxis: PlotAxis(label: "y"), series: many,
           width: 560, height: 420),
      Plot(title: "negative values, NaN gaps, explicit range", xAxis: PlotAxis(label: "t", range: -1...1),
           yAxis: PlotAxis(label: "signal", range: -2...2),
           series: [PlotSeries(name: "sin", points: (0...40).map { i in
             let t = Double(i) / 20 - 1
             return PlotPoint(x: t, y: i % 9 == 4 ? .nan : 2.5 * sin(6 * t))
           }, style: .line), PlotSeries(name: "cos", points: [], style: .line)],
           referenceLines: [.horizontal(y: 0, label: "zero"), .vertical(x: 0.95, label: "a label near the right edge")],
           width: 560, height: 420),
      Plot(title: "", xAxis: PlotAxis(label: "tiny x", scale: .log10), yAxis: PlotAxis(label: "tiny y"),
           series: [PlotSeries(name: "tiny", points: (1...6).map { PlotPoint(x: pow(10, -Double($0) * 2), y: 1e-6 * Double($0)) })],
           width: 560, height: 420),
      Plot(title: "empty", xAxis: PlotAxis(label: "x"), yAxis: PlotAxis(label: "y", scale: .log10),
           series: [PlotSeries(name: "nothing", points: [PlotPoint(x: 1, y: -1)])], width: 560, height: 420),
    ], columns: 2, title: "Stress test", caption: "Four panels with their own legends.")
    let stressDir = root.appendingPathComponent("results/zz-stress")
    try ReportBuilderTests.write("# Stress test\n\nEdge cases.", stressDir.appendingPathComponent("summary.md"))
    try ReportBuilderTests.write(SVGRenderer.render(stress), stressDir.appendingPathComponent("figure.svg"))
    try ReportBuilder.write(directories: [root.appendingPathComponent("results")])
  }
}
