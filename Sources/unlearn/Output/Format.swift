import Foundation

/// Number and table formatting for the text output.
enum Format {
  /// `1.23e-04`, or `—` for a missing value.
  static func sci(_ v: Double?) -> String {
    guard let v else { return "—" }
    return String(format: "%.2e", v)
  }

  /// Fixed-point with `digits` decimals.
  static func fixed(_ v: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", v) }

  /// A wall time with its unit, readable at every scale: `2.4041 s`, `0.1877 s`, `0.183 ms`, `42 µs`.
  static func seconds(_ v: Double) -> String {
    if !v.isFinite || v >= 1e-2 { return fixed(v, 4) + " s" }
    if v >= 1e-4 { return fixed(v * 1e3, 3) + " ms" }
    return String(format: "%.0f", v * 1e6) + " µs"
  }

  /// Shortest general form (`%g`).
  static func general(_ v: Double) -> String { String(format: "%g", v) }

  /// `1m05s`, `42s`.
  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "…" }
    let s = Int(seconds.rounded())
    return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
  }

  /// `1:12.5` (ours slower) or `1/12.5` (ours faster) for a ratio ours : peer.
  static func ratio(_ r: Double) -> String {
    r >= 1 ? "\(String(format: "%.2f", r))×" : "1/\(String(format: "%.1f", 1 / r))"
  }

  /// A right-aligned table (first column left-aligned).
  static func table(header: [String], rows: [[String]], indent: Int = 0) -> String {
    let lines = [header] + rows
    let widths = header.indices.map { c in lines.map { $0[c].count }.max() ?? 0 }
    let pad = String(repeating: " ", count: indent)
    return lines.map { line in
      pad + line.enumerated().map { c, cell in
        c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
               : String(repeating: " ", count: widths[c] - cell.count) + cell
      }.joined(separator: "   ")
    }.joined(separator: "\n")
  }
}
