import Foundation
import Unlearning

/// Builds one self-contained HTML page from experiment output folders.
///
/// Every folder holding a `summary.md` under the given folders (searched
/// recursively, hidden folders skipped, ordered by path) becomes one section:
/// the summary rendered from Markdown (``MarkdownRenderer``), the figure
/// (`figure.svg`) inlined, the number of rows of `runs.csv`, and `config.json`
/// in a collapsed block. A table of contents comes first. The page has inline
/// CSS only: no scripts, fonts, images or links to other files, so it works
/// offline and can be mailed as one file. It is well-formed XHTML.
package enum ReportBuilder {
  /// The default title of the page.
  package static let defaultTitle = "Experiment report"
  /// The default file name of the page.
  package static let fileName = "report.html"
  /// The largest part of a `config.json` shown in the page, in characters.
  static let configLimit = 20_000

  /// The experiments under `directories`, ordered by path (each folder once);
  /// with `recursive` false only the given folders themselves. Throws ``ReportError/notADirectory(_:)`` for a missing folder and
  /// ``ReportError/noExperiments(_:)`` when none holds an experiment.
  package static func experiments(under directories: [URL], recursive: Bool = true) throws -> [ExperimentOutput] {
    var found: [(path: String, url: URL, display: String)] = []
    var seen = Set<String>()
    for directory in directories {
      let root = directory.standardizedFileURL
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw ReportError.notADirectory(directory.path)
      }
      let rootName = root.lastPathComponent.isEmpty ? root.path : root.lastPathComponent
      var candidates = [root]
      if recursive, let enumerator = FileManager.default.enumerator(
        at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
      {
        for case let url as URL in enumerator {
          let values = try? url.resourceValues(forKeys: [.isDirectoryKey])
          if values?.isDirectory == true { candidates.append(url.standardizedFileURL) }
        }
      }
      for folder in candidates {
        let summary = folder.appendingPathComponent("summary.md")
        var summaryIsDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: summary.path, isDirectory: &summaryIsDirectory),
          !summaryIsDirectory.boolValue
        else { continue }
        let key = folder.resolvingSymlinksInPath().path
        guard seen.insert(key).inserted else { continue }
        let relative = folder.path.hasPrefix(root.path + "/") ? String(folder.path.dropFirst(root.path.count + 1)) : ""
        found.append((folder.path, folder, relative.isEmpty ? rootName : rootName + "/" + relative))
      }
    }
    guard !found.isEmpty else { throw ReportError.noExperiments(directories.map(\.path)) }
    return try found.sorted { $0.path < $1.path }.map { try ExperimentOutput.load($0.url, displayPath: $0.display) }
  }

  /// The report page for the experiments under `directories`; see
  /// ``experiments(under:)`` for the errors.
  package static func build(directories: [URL], title: String = defaultTitle, recursive: Bool = true) throws -> String {
    html(for: try experiments(under: directories, recursive: recursive), title: title)
  }

  /// Builds the report and writes it atomically to `url` (default:
  /// `report.html` in the first folder). Returns the file written.
  @discardableResult
  package static func write(directories: [URL], to url: URL? = nil, title: String = defaultTitle,
                           overwrite: Bool = true, recursive: Bool = true) throws -> URL {
    let html = try build(directories: directories, title: title, recursive: recursive)
    guard let target = url ?? directories.first?.appendingPathComponent(fileName) else {
      throw ReportError.noExperiments([])
    }
    try AtomicFile.write(Array(html.utf8), to: target, overwrite: overwrite)
    return target
  }

  /// The report page for `experiments`.
  package static func html(for experiments: [ExperimentOutput], title: String = defaultTitle) -> String {
    let e = MarkupEscaping.escape
    var page: [String] = [
      "<!DOCTYPE html>",
      "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">",
      "<head>",
      "<meta charset=\"utf-8\"/>",
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>",
      "<title>\(e(title))</title>",
      "<style>\n\(stylesheet)</style>",
      "</head>",
      "<body>",
      "<main>",
      "<h1>\(e(title))</h1>",
      "<p class=\"meta\">\(experiments.count == 1 ? "1 experiment" : "\(experiments.count) experiments").</p>",
      "<nav class=\"toc\">",
      "<h2>Contents</h2>",
      "<ol>",
    ]
    for (index, experiment) in experiments.enumerated() {
      page.append("<li><a href=\"#\(sectionID(index))\">\(e(experiment.title))</a>"
                    + " <span class=\"path\">\(e(experiment.displayPath))</span></li>")
    }
    page += ["</ol>", "</nav>"]
    for (index, experiment) in experiments.enumerated() {
      page.append(section(experiment, index: index))
    }
    page += ["</main>", "</body>", "</html>"]
    return page.joined(separator: "\n") + "\n"
  }

  /// The id of the section of the experiment at `index`.
  static func sectionID(_ index: Int) -> String { "experiment-\(index + 1)" }

  /// One experiment's section.
  static func section(_ experiment: ExperimentOutput, index: Int) -> String {
    let e = MarkupEscaping.escape
    var parts = ["<section class=\"experiment\" id=\"\(sectionID(index))\">"]
    parts.append("<p class=\"path\">\(e(experiment.displayPath))</p>")
    if MarkdownRenderer.firstHeading(experiment.summary) == nil {
      parts.append("<h2>\(e(experiment.displayPath))</h2>")
    }
    parts.append("<div class=\"summary\">\n" + MarkdownRenderer.html(experiment.summary, headingOffset: 1) + "\n</div>")
    if let figure = experiment.figure {
      if let svg = inlineSVG(figure, idPrefix: "e\(index + 1)") {
        parts.append("<figure class=\"figure\">\n" + svg + "\n</figure>")
      } else {
        parts.append("<p class=\"note\">figure.svg is not an SVG document; it is not shown.</p>")
      }
    } else {
      parts.append("<p class=\"note\">No figure.svg in this folder.</p>")
    }
    if let runs = experiment.runCount {
      parts.append("<p class=\"note\">Raw results: runs.csv in this folder, \(runs == 1 ? "1 row" : "\(runs) rows").</p>")
    } else {
      parts.append("<p class=\"note\">No runs.csv in this folder.</p>")
    }
    if let config = experiment.config {
      let shown = config.count > configLimit ? String(config.prefix(configLimit)) + "\n… (truncated)" : config
      parts.append("<details><summary>config.json</summary><pre><code>" + e(shown) + "</code></pre></details>")
    }
    parts.append("</section>")
    return parts.joined(separator: "\n")
  }

  /// The `<svg>…</svg>` element of an SVG document, ready to inline in the
  /// page: the XML prolog, doctype and comments before it dropped, the SVG
  /// namespace added when missing, and every `id` (with the `url(#…)` and
  /// `href="#…"` references to it) prefixed with `idPrefix` so that ids of
  /// different figures cannot collide. `nil` when there is no `<svg` element.
  package static func inlineSVG(_ document: String, idPrefix: String) -> String? {
    guard let start = document.range(of: "<svg"), let end = document.range(of: "</svg>", options: .backwards),
      start.lowerBound < end.lowerBound
    else { return nil }
    var svg = String(document[start.lowerBound..<end.upperBound])
    if let tagEnd = svg.firstIndex(of: ">"), !svg[..<tagEnd].contains("xmlns=") {
      svg.insert(contentsOf: " xmlns=\"http://www.w3.org/2000/svg\"", at: svg.index(svg.startIndex, offsetBy: 4))
    }
    for (pattern, replacement) in [
      (" id=\"", " id=\"\(idPrefix)-"), (" id='", " id='\(idPrefix)-"), ("url(#", "url(#\(idPrefix)-"),
      ("href=\"#", "href=\"#\(idPrefix)-"), ("href='#", "href='#\(idPrefix)-"),
    ] {
      svg = svg.replacingOccurrences(of: pattern, with: replacement)
    }
    return svg
  }

  /// The page's CSS: system fonts, a centred column, readable tables.
  static let stylesheet = """
    body { margin: 0; background: #fafafa; color: #1a1a1a;
      font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 15px; line-height: 1.5; }
    main { max-width: 1240px; margin: 0 auto; padding: 24px 32px 64px; background: #ffffff; }
    h1 { font-size: 28px; margin: 8px 0 4px; }
    h2 { font-size: 22px; margin: 28px 0 8px; }
    h3 { font-size: 18px; margin: 22px 0 6px; }
    h4, h5, h6 { font-size: 16px; margin: 18px 0 4px; }
    p { margin: 8px 0; }
    .meta, .path, .note { color: #555555; font-size: 13px; }
    .toc { border: 1px solid #e0e0e0; background: #f7f7f7; padding: 4px 20px 12px; margin: 16px 0 8px; }
    .toc h2 { font-size: 17px; margin: 10px 0 4px; }
    .toc ol { margin: 0; padding-left: 22px; }
    .toc .path { margin-left: 6px; }
    a { color: #0057a3; text-decoration: none; }
    a:hover { text-decoration: underline; }
    section.experiment { border-top: 2px solid #d8d8d8; margin-top: 36px; padding-top: 8px; }
    section.experiment > .path { margin: 4px 0 -16px; }
    code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
    code { background: #f1f1f1; padding: 1px 4px; border-radius: 3px; }
    pre { background: #f6f6f6; border: 1px solid #e3e3e3; padding: 10px 12px; overflow-x: auto; }
    pre code { background: none; padding: 0; }
    ul, ol { padding-left: 26px; }
    table { border-collapse: collapse; margin: 12px 0; font-variant-numeric: tabular-nums; display: block;
      overflow-x: auto; max-width: 100%; }
    th, td { border: 1px solid #d4d4d4; padding: 4px 10px; text-align: left; white-space: nowrap; }
    th { background: #f0f0f0; font-weight: 600; }
    tbody tr:nth-child(even) { background: #fafafa; }
    figure.figure { margin: 16px 0; text-align: center; }
    figure.figure svg { max-width: 100%; height: auto; }
    details { margin: 8px 0; }
    summary { cursor: pointer; color: #444444; font-size: 13px; }

    """
}
