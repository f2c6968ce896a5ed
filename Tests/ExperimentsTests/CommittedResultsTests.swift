import Foundation
import Testing
@testable import Experiments
import Reporting

/// The committed results cannot go stale: every `results/<experiment>/summary.md` and `figure.svg` is what
/// its `runs.csv` renders to under its `config.json` with the current code, and `docs/RESULTS.md` is what
/// the folders and `docs/results-notes.md` render to. When one fails, rerun the experiment
/// (`scripts/make-results.sh <experiment>`) or rerender (`ASSEMBLE_ONLY=1 scripts/make-results.sh`).
@Suite("Committed results")
struct CommittedResultsTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let results = root.appendingPathComponent("results")
  static let folders = ResultsDocument.order.filter {
    FileManager.default.fileExists(atPath: results.appendingPathComponent($0).appendingPathComponent("runs.csv").path)
  }

  @Test("Every experiment of the document has committed raw results")
  func everyExperimentIsCommitted() {
    #expect(Self.folders == ResultsDocument.order)
  }

  @Test("Each committed summary and figure is what its runs.csv renders to", arguments: folders)
  func summaryMatchesRows(_ name: String) throws {
    let folder = Self.results.appendingPathComponent(name)
    let rendered = try ExperimentFolder.render(folder)
    let summary = try String(contentsOf: folder.appendingPathComponent("summary.md"), encoding: .utf8)
    let figure = try String(contentsOf: folder.appendingPathComponent("figure.svg"), encoding: .utf8)
    #expect(rendered.markdown == summary, "results/\(name)/summary.md differs from what its runs.csv renders to: \(firstDifference(rendered.markdown, summary))")
    #expect(rendered.figure == figure, "results/\(name)/figure.svg differs from what its runs.csv renders to")
  }

  @Test("docs/RESULTS.md is what the committed results and notes render to")
  func resultsDocumentMatches() throws {
    let notes = try String(contentsOf: Self.root.appendingPathComponent("docs/results-notes.md"), encoding: .utf8)
    let rendered = try ResultsDocument.render(results: Self.results, notes: notes)
    let committed = try String(contentsOf: Self.root.appendingPathComponent("docs/RESULTS.md"), encoding: .utf8)
    #expect(rendered == committed, "docs/RESULTS.md is stale: \(firstDifference(rendered, committed))")
  }

  /// The first line where `a` and `b` differ, for a readable failure.
  func firstDifference(_ a: String, _ b: String) -> String {
    let la = a.split(separator: "\n", omittingEmptySubsequences: false), lb = b.split(separator: "\n", omittingEmptySubsequences: false)
    for k in 0..<max(la.count, lb.count) {
      let x = k < la.count ? String(la[k]) : "<end>", y = k < lb.count ? String(lb[k]) : "<end>"
      if x != y { return "line \(k + 1): rendered \"\(x.prefix(160))\" vs committed \"\(y.prefix(160))\"" }
    }
    return "none"
  }
}
