import ArgumentParser
import Foundation
import Unlearning
import Reporting

/// `unlearn report`: one self-contained HTML page of experiment results.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Build one self-contained report.html (inline SVG, no network) from experiment output folders.",
    discussion: """
      Finds every experiment under the given folders (folders with a summary.md), and shows its summary \
      table, verdicts and figure.

      With --markdown FILE it writes docs/RESULTS.md-style Markdown instead: the --notes file (the claims \
      table and prose), then every experiment folder of the one results folder given, in the README's \
      order (its command, wall time, summary.md and figure link). The repository's docs/RESULTS.md is \
      exactly this output; a test fails when they differ.

      Examples:
        unlearn report results/ --out results/report.html
        unlearn report results --markdown docs/RESULTS.md --notes docs/results-notes.md
      """)

  @Argument(help: ArgumentHelp("Folders to search for experiment outputs.", valueName: "dir"))
  var directories: [String] = ["results"]
  @Option(help: ArgumentHelp("The HTML file to write.", valueName: "file"))
  var out = "report.html"
  @Flag(inversion: .prefixedNo, help: "Search the folders' subfolders too (--no-recursive: only the folders given, e.g. a sweep without its shards).")
  var recursive = true
  @Option(help: ArgumentHelp("Write the results document (Markdown) to this file instead of the HTML page.", valueName: "file"))
  var markdown: String?
  @Option(help: ArgumentHelp("The hand-written part of the results document (with --markdown).", valueName: "file"))
  var notes: String?

  func validate() throws {
    if markdown != nil, directories.count != 1 {
      throw ValidationError("--markdown renders one results folder (results/); \(directories.count) were given")
    }
    if notes != nil, markdown == nil { throw ValidationError("--notes goes with --markdown FILE") }
  }

  func run() throws {
    try CLIError.reporting {
      if let markdown {
        let notesText = try notes.map { path -> String in
          guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ReportError.unreadable(path) }
          return text
        }
        let results = URL(fileURLWithPath: directories[0])
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: results.path, isDirectory: &isDirectory), isDirectory.boolValue else {
          throw ReportError.notADirectory(results.path)
        }
        let document = try ResultsDocument.render(results: results, notes: notesText)
        try AtomicFile.write(Array(document.utf8), to: URL(fileURLWithPath: markdown), overwrite: true)
        print("wrote \(markdown)")
        return
      }
      try ReportBuilder.write(directories: directories.map { URL(fileURLWithPath: $0) }, to: URL(fileURLWithPath: out), recursive: recursive)
      print("wrote \(out)")
    }
  }
}
