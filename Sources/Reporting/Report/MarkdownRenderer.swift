/// Converts the Markdown subset that experiment summaries use into a
/// well-formed XHTML fragment.
///
/// Blocks: ATX headings (`#` … `######`), paragraphs, bullet lists (`- `,
/// `* `, `+ `) and numbered lists (`1. `) with indented continuation lines,
/// GitHub pipe tables (a header row, a separator row such as `|---|:--:|---:|`
/// giving each column's alignment, then body rows), fenced code blocks
/// (```` ``` ````) and horizontal rules (`---`). Inline: `**bold**`,
/// `` `code` `` and backslash escapes (`\*`, `\|`, …). Everything else is
/// text: all text is escaped, raw HTML is shown as written, never interpreted.
package enum MarkdownRenderer {
  /// The XHTML of `markdown`. Headings move down by `headingOffset` levels
  /// (with 1, `#` becomes `<h2>`; never beyond `<h6>`).
  package static func html(_ markdown: String, headingOffset: Int = 0) -> String {
    let lines = markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    var output: [String] = []
    var paragraph: [String] = []
    var list: (ordered: Bool, items: [String])?

    func flushParagraph() {
      guard !paragraph.isEmpty else { return }
      output.append("<p>" + inline(paragraph.joined(separator: "\n")) + "</p>")
      paragraph = []
    }
    func flushList() {
      guard let current = list else { return }
      let tag = current.ordered ? "ol" : "ul"
      output.append("<\(tag)>" + current.items.map { "<li>" + inline($0) + "</li>" }.joined() + "</\(tag)>")
      list = nil
    }
    func flush() {
      flushParagraph()
      flushList()
    }

    var i = 0
    while i < lines.count {
      let line = lines[i]
      let trimmed = line.trimmingSpaces()
      if trimmed.isEmpty {
        flush()
        i += 1
        continue
      }
      if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
        flush()
        let fence = String(trimmed.prefix(3))
        var code: [String] = []
        i += 1
        while i < lines.count, !lines[i].trimmingSpaces().hasPrefix(fence) {
          code.append(lines[i])
          i += 1
        }
        i += 1
        output.append("<pre><code>" + MarkupEscaping.escape(code.joined(separator: "\n")) + "</code></pre>")
        continue
      }
      if let (level, text) = heading(trimmed) {
        flush()
        let tag = "h\(min(6, max(1, level + headingOffset)))"
        output.append("<\(tag)>" + inline(text) + "</\(tag)>")
        i += 1
        continue
      }
      if trimmed.contains("|"), i + 1 < lines.count, let alignments = separatorRow(lines[i + 1]) {
        let header = cells(trimmed)
        if header.count == alignments.count {
          flush()
          var rows: [[String]] = []
          i += 2
          while i < lines.count {
            let row = lines[i].trimmingSpaces()
            guard !row.isEmpty, row.contains("|") else { break }
            rows.append(cells(row))
            i += 1
          }
          output.append(table(header: header, alignments: alignments, rows: rows))
          continue
        }
      }
      if paragraph.isEmpty, isRule(trimmed) {
        flush()
        output.append("<hr/>")
        i += 1
        continue
      }
      if let (ordered, text) = listItem(trimmed) {
        flushParagraph()
        if list == nil || list?.ordered != ordered {
          flushList()
          list = (ordered, [])
        }
        list?.items.append(text)
        i += 1
        continue
      }
      if list != nil, line.hasPrefix("  ") || line.hasPrefix("\t"), var current = list, !current.items.isEmpty {
        // An indented line continues the last list item.
        current.items[current.items.count - 1] += "\n" + trimmed
        list = current
        i += 1
        continue
      }
      flushList()
      paragraph.append(trimmed)
      i += 1
    }
    flush()
    return output.joined(separator: "\n")
  }

  /// The text of the first heading in `markdown` (any level), without markup,
  /// or `nil` when there is none.
  package static func firstHeading(_ markdown: String) -> String? {
    var inFence = false
    for line in markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      let trimmed = String(line).trimmingSpaces()
      if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle() }
      if !inFence, let (_, text) = heading(trimmed) { return plainText(text) }
    }
    return nil
  }

  /// `text` with inline markup resolved to plain text (bold markers and
  /// backticks removed, escapes resolved), not escaped.
  package static func plainText(_ text: String) -> String {
    tokens(text).map { token -> String in
      switch token {
      case .text(let s), .code(let s): return s
      case .bold: return ""
      }
    }.joined()
  }

  /// The XHTML of one line (or paragraph) of inline Markdown: escaped text
  /// with `<strong>` and `<code>`; newlines become spaces.
  package static func inline(_ text: String) -> String {
    var html = ""
    var open = false
    for token in tokens(text) {
      switch token {
      case .text(let s): html += MarkupEscaping.escape(s.replacingNewlines())
      case .code(let s): html += "<code>" + MarkupEscaping.escape(s.replacingNewlines()) + "</code>"
      case .bold:
        html += open ? "</strong>" : "<strong>"
        open.toggle()
      }
    }
    return html
  }

  /// An inline token: text, a code span, or a bold marker (paired).
  enum Token: Equatable {
    case text(String)
    case code(String)
    case bold
  }

  /// The tokens of `text`: code spans (matched backtick runs), `**` markers
  /// (an unpaired last one becomes text), backslash escapes, text.
  static func tokens(_ text: String) -> [Token] {
    let chars = Array(text)
    var tokens: [Token] = []
    var buffer = ""
    func flushText() {
      if !buffer.isEmpty { tokens.append(.text(buffer)) }
      buffer = ""
    }
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == "\\", i + 1 < chars.count, "\\`*_{}[]()#+-.!|<>~".contains(chars[i + 1]) {
        buffer.append(chars[i + 1])
        i += 2
        continue
      }
      if c == "`" {
        var run = 0
        while i + run < chars.count, chars[i + run] == "`" { run += 1 }
        if let close = closingRun(chars, from: i + run, length: run) {
          var content = String(chars[(i + run)..<close])
          if content.count >= 2, content.first == " ", content.last == " ", content.contains(where: { $0 != " " }) {
            content = String(content.dropFirst().dropLast())
          }
          flushText()
          tokens.append(.code(content))
          i = close + run
        } else {
          buffer += String(repeating: "`", count: run)
          i += run
        }
        continue
      }
      if c == "*", i + 1 < chars.count, chars[i + 1] == "*" {
        flushText()
        tokens.append(.bold)
        i += 2
        continue
      }
      buffer.append(c)
      i += 1
    }
    flushText()
    // An unpaired last marker is literal text.
    let markers = tokens.indices.filter { tokens[$0] == .bold }
    if markers.count % 2 == 1, let last = markers.last { tokens[last] = .text("**") }
    // Merge adjacent text tokens.
    var merged: [Token] = []
    for token in tokens {
      if case .text(let s) = token, case .text(let previous)? = merged.last {
        merged[merged.count - 1] = .text(previous + s)
      } else {
        merged.append(token)
      }
    }
    return merged
  }

  /// The index of the next run of exactly `length` backticks at or after `start`.
  static func closingRun(_ chars: [Character], from start: Int, length: Int) -> Int? {
    var j = start
    while j < chars.count {
      if chars[j] == "`" {
        var run = 0
        while j + run < chars.count, chars[j + run] == "`" { run += 1 }
        if run == length { return j }
        j += run
      } else {
        j += 1
      }
    }
    return nil
  }

  /// `(level, text)` of an ATX heading line (`# Title`, `## Title ##`).
  static func heading(_ line: String) -> (Int, String)? {
    let level = line.prefix(while: { $0 == "#" }).count
    guard (1...6).contains(level) else { return nil }
    let rest = line.dropFirst(level)
    guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
    var text = String(rest).trimmingSpaces()
    // Strip a closing sequence of #s preceded by a space.
    let closing = text.reversed().prefix(while: { $0 == "#" }).count
    if closing > 0, closing == text.count || text.dropLast(closing).last == " " {
      text = String(text.dropLast(closing)).trimmingSpaces()
    }
    return (level, text)
  }

  /// `(ordered, text)` of a list item line (`- x`, `* x`, `+ x`, `1. x`, `1) x`).
  static func listItem(_ line: String) -> (Bool, String)? {
    if let first = line.first, "-*+".contains(first), line.dropFirst().first == " " {
      // "**bold** text" is a paragraph, not a list item.
      return (false, String(line.dropFirst(2)).trimmingSpaces())
    }
    let digits = line.prefix(while: { $0.isASCII && $0.isNumber })
    guard (1...9).contains(digits.count) else { return nil }
    let rest = line.dropFirst(digits.count)
    guard let marker = rest.first, marker == "." || marker == ")", rest.dropFirst().first == " " else { return nil }
    return (true, String(rest.dropFirst(2)).trimmingSpaces())
  }

  /// Whether `line` is a horizontal rule (three or more `-`, `*` or `_`, spaces allowed).
  static func isRule(_ line: String) -> Bool {
    let compact = line.filter { $0 != " " }
    guard compact.count >= 3, let first = compact.first, "-*_".contains(first) else { return false }
    return compact.allSatisfy { $0 == first }
  }

  /// The column alignments of a table separator row (`|---|:---:|--:|`), or
  /// `nil` when `line` is not one.
  static func separatorRow(_ line: String) -> [String?]? {
    let trimmed = line.trimmingSpaces()
    guard trimmed.contains("-"), trimmed.contains("|") || trimmed.hasPrefix(":") || trimmed.hasPrefix("-") else {
      return nil
    }
    let parts = cells(trimmed)
    guard !parts.isEmpty else { return nil }
    var alignments: [String?] = []
    for part in parts {
      let cell = part.trimmingSpaces()
      let left = cell.hasPrefix(":")
      let right = cell.hasSuffix(":")
      let dashes = cell.dropFirst(left ? 1 : 0).dropLast(right && cell.count > 1 ? 1 : 0)
      guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
      alignments.append(left && right ? "center" : right ? "right" : left ? "left" : nil)
    }
    // A lone "---" is a rule, not a table.
    guard trimmed.contains("|") else { return nil }
    return alignments
  }

  /// The cells of a table row: split at `|` outside code spans and not escaped,
  /// without the outer pipes, each trimmed.
  static func cells(_ row: String) -> [String] {
    var text = row.trimmingSpaces()
    if text.hasPrefix("|") { text.removeFirst() }
    if text.hasSuffix("|"), !text.hasSuffix("\\|") { text.removeLast() }
    var cells: [String] = []
    var current = ""
    var inCode = false
    var previous: Character?
    for c in text {
      if c == "`" { inCode.toggle() }
      if c == "|", !inCode, previous != "\\" {
        cells.append(current.trimmingSpaces())
        current = ""
      } else {
        current.append(c)
      }
      previous = c
    }
    cells.append(current.trimmingSpaces())
    return cells
  }

  /// A `<table>` with a header row and body rows padded or cut to the header's width.
  static func table(header: [String], alignments: [String?], rows: [[String]]) -> String {
    let columns = header.count
    func cell(_ tag: String, _ text: String, _ column: Int) -> String {
      let alignment = column < alignments.count ? alignments[column] : nil
      let style = alignment.map { " style=\"text-align:\($0)\"" } ?? ""
      return "<\(tag)\(style)>" + inline(text) + "</\(tag)>"
    }
    var html = "<table>\n<thead><tr>"
    html += header.enumerated().map { cell("th", $0.element, $0.offset) }.joined()
    html += "</tr></thead>\n<tbody>\n"
    for row in rows {
      let padded = (0..<columns).map { $0 < row.count ? row[$0] : "" }
      html += "<tr>" + padded.enumerated().map { cell("td", $0.element, $0.offset) }.joined() + "</tr>\n"
    }
    return html + "</tbody>\n</table>"
  }
}

extension String {
  /// The string without leading and trailing spaces and tabs.
  fileprivate func trimmingSpaces() -> String {
    var slice = Substring(self)
    while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
    return String(slice)
  }

  /// The string with newlines replaced by spaces.
  fileprivate func replacingNewlines() -> String {
    String(map { $0.isNewline ? " " : $0 })
  }
}
