import Foundation
import Unlearning

/// The files one experiment wrote to its output folder: `summary.md`
/// (required), `figure.svg`, `runs.csv` and `config.json` (each optional).
package struct ExperimentOutput: Sendable, Equatable {
  /// The folder.
  package var directory: URL
  /// The folder as shown in the report: the searched folder's name followed by
  /// the path below it, e.g. `results/alpha-sweep`.
  package var displayPath: String
  /// The Markdown summary.
  package var summary: String
  /// The SVG figure, when there is one.
  package var figure: String?
  /// The number of data rows of `runs.csv` (header excluded), when there is one.
  package var runCount: Int?
  /// The text of `config.json`, when there is one.
  package var config: String?

  /// The section title: the summary's first heading, or else the display path.
  package var title: String {
    MarkdownRenderer.firstHeading(summary).flatMap { $0.isEmpty ? nil : $0 } ?? displayPath
  }

  /// An experiment from its parts.
  package init(directory: URL, displayPath: String, summary: String, figure: String? = nil, runCount: Int? = nil,
              config: String? = nil) {
    self.directory = directory
    self.displayPath = displayPath
    self.summary = summary
    self.figure = figure
    self.runCount = runCount
    self.config = config
  }

  /// Reads the experiment in `directory`. Throws ``FileFormatError`` (`.io`)
  /// when `summary.md` or a present optional file cannot be read.
  package static func load(_ directory: URL, displayPath: String) throws -> ExperimentOutput {
    let summary = try readText(directory.appendingPathComponent("summary.md"))
    let figure = try readTextIfPresent(directory.appendingPathComponent("figure.svg"))
    let runs = try readTextIfPresent(directory.appendingPathComponent("runs.csv"))
    let config = try readTextIfPresent(directory.appendingPathComponent("config.json"))
    return ExperimentOutput(directory: directory, displayPath: displayPath, summary: summary, figure: figure,
                            runCount: runs.map(countRecords), config: config)
  }

  /// The text of the file at `url` (invalid UTF-8 replaced), or `nil` when it
  /// does not exist.
  static func readTextIfPresent(_ url: URL) throws -> String? {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
      return nil
    }
    return try readText(url)
  }

  /// The text of the file at `url`, invalid UTF-8 replaced.
  static func readText(_ url: URL) throws -> String {
    do {
      let data = try Data(contentsOf: url)
      return String(decoding: data, as: UTF8.self)
    } catch {
      throw FileFormatError(.io, file: url.path, "cannot read (\(error.localizedDescription))")
    }
  }

  /// The number of data records of a CSV text: records are separated by line
  /// breaks outside double quotes; blank lines and the header are not counted.
  package static func countRecords(_ csv: String) -> Int {
    var records = 0
    var inQuotes = false
    var recordHasContent = false
    for scalar in csv.unicodeScalars {
      switch scalar {
      case "\"":
        inQuotes.toggle()
        recordHasContent = true
      case "\n" where !inQuotes:
        if recordHasContent { records += 1 }
        recordHasContent = false
      case "\r" where !inQuotes, " " where !inQuotes, "\t" where !inQuotes, "\u{FEFF}":
        break
      default:
        recordHasContent = true
      }
    }
    if recordHasContent { records += 1 }
    return max(0, records - 1)
  }
}
