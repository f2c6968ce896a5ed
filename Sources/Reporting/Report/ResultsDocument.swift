import Foundation
import Unlearning

/// `docs/RESULTS.md`, rendered from the committed raw results: the claims table and notes
/// (`docs/results-notes.md`, hand-written prose kept in one place), then one section per experiment folder
/// (`results/<experiment>/`): its command, wall time, `summary.md` (headings demoted one level) and figure.
///
/// Nothing in it depends on the machine that renders it, so the file in the repository can be compared
/// with what its sources render to (`CommittedResultsTests`).
package enum ResultsDocument {
  /// The experiment folders in the order of the document (the README's order; variants after their base).
  package static let order = ["step-size", "step-size-tight", "linear-dimension", "two-layer-dimension", "correlation", "mixture", "mixture-hard", "mixture-bayes15",
                              "forget-set-size", "depth", "depth-hard", "recovery", "privacy", "real-data", "sequential", "scaling"]

  /// The document for the folders of ``order`` present under `results` (a folder counts when it has a
  /// `summary.md`), with `notes` after the introduction.
  ///
  /// - Parameters:
  ///   - results: The folder holding `<experiment>/summary.md`, `command.txt`, `wall-seconds.txt`.
  ///   - notes: The hand-written part (the claims table, what the numbers say), or `nil`.
  ///   - figures: The path of `results` relative to the document (figures link to `<figures>/<experiment>/figure.svg`).
  /// - Complexity: reading the summaries, O(total size).
  /// - Throws: ``ReportError`` when a present summary cannot be read.
  package static func render(results: URL, notes: String?, figures: String = "../results") throws -> String {
    var out = """
      # Results: the paper's claims, measured

      Every section below is rendered from the raw results committed in `results/<experiment>/` (`runs.csv`, one \
      row per seed and setting; `config.json`, the resolved options; `summary.md` and `figure.svg`, which the rows \
      render to; the command and its wall time) by `unlearn report results --markdown docs/RESULTS.md --notes \
      docs/results-notes.md`; `scripts/make-results.sh` reruns the experiments (release build) and then renders it. \
      A test fails when this file, or a summary, differs from what the committed rows render to. \
      `unlearn reproduce <experiment> --config results/<experiment>/config.json --out DIR` reruns one exactly, and \
      `unlearn report results/` shows the same as one HTML page. Tables: mean ± standard deviation over seeds, \
      with paired differences and their bootstrap confidence intervals where a claim compares two things; verdicts \
      are computed from the rows by the code that writes the summary. The formulas behind every column are in \
      [`MATH.md`](MATH.md); "open question 1–4" are the paper's open questions as numbered in MATH.md §14.


      """
    let fm = FileManager.default
    var glances: [Glance] = []
    for name in order {
      let url = results.appendingPathComponent(name).appendingPathComponent("summary.md")
      if let text = try? String(contentsOf: url, encoding: .utf8) { glances += Glance.parse(text) }
    }
    if !glances.isEmpty {
      out += "## The claims at a glance\n\n"
      out += "Generated from each experiment's computed verdicts (the rules are in its section and in MATH.md §10.4.1).\n\n"
      out += "| claim (paper) | experiment | verdict | the numbers |\n|---|---|---|---|\n"
      for g in glances {
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        out += "| \(cell(g.claim)) | \(cell(g.experiment)) | **\(cell(g.verdict))** | \(cell(g.numbers)) |\n"
      }
      out += "\n"
    }
    if let notes {
      out += notes.hasSuffix("\n") ? notes : notes + "\n"
      out += "\n"
    }
    for name in order {
      let folder = results.appendingPathComponent(name)
      let summaryURL = folder.appendingPathComponent("summary.md")
      guard fm.fileExists(atPath: summaryURL.path) else { continue }
      guard let summary = try? String(contentsOf: summaryURL, encoding: .utf8) else {
        throw ReportError.unreadable(summaryURL.path)
      }
      let command = (try? String(contentsOf: folder.appendingPathComponent("command.txt"), encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unlearn reproduce \(name)"
      let wall = (try? String(contentsOf: folder.appendingPathComponent("wall-seconds.txt"), encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
      out += "---\n\nCommand: `\(command)` — wall time \(wall) s\n\n"
      out += demoted(summary)
      out += "\n![\(name)](\(figures)/\(name)/figure.svg)\n\n"
    }
    return out
  }

  /// `summary` with `# ` and `## ` headings one level deeper (the document has its own title).
  static func demoted(_ summary: String) -> String {
    var lines = summary.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      if line.hasPrefix("## ") { return "#" + line }
      if line.hasPrefix("# ") { return "#" + line }
      return String(line)
    }
    if lines.last == "" { lines.removeLast() }
    return lines.joined(separator: "\n") + "\n"
  }
}
