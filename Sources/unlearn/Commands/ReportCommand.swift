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

      Example:
        unlearn report results/ --out results/report.html
      """)

  @Argument(help: ArgumentHelp("Folders to search for experiment outputs.", valueName: "dir"))
  var directories: [String] = ["results"]
  @Option(help: ArgumentHelp("The HTML file to write.", valueName: "file"))
  var out = "report.html"
  @Flag(inversion: .prefixedNo, help: "Search the folders' subfolders too (--no-recursive: only the folders given, e.g. a sweep without its shards).")
  var recursive = true

  func run() throws {
    try CLIError.reporting {
      try ReportBuilder.write(directories: directories.map { URL(fileURLWithPath: $0) }, to: URL(fileURLWithPath: out), recursive: recursive)
      print("wrote \(out)")
    }
  }
}
