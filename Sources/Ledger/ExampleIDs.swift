import Foundation
import Unlearning

/// The example IDs of `ledger init --ids FILE`: a text file with one ID per line, or (a `.csv` file) a
/// CSV table with a header whose first column is the ID. Without a file, row k's ID is `"k"`.
package enum ExampleIDs {
  /// `"0"`, `"1"`, …, `"m−1"`.
  package static func rowNumbers(_ count: Int) -> [String] { (0..<count).map(String.init) }

  /// The IDs in `url`: one per line (a trailing empty line ignored, `\r\n` accepted, surrounding spaces
  /// kept out); for a `.csv` file the first field of each line after the header (double quotes around a
  /// field removed, `""` inside it read as `"`).
  ///
  /// - Complexity: O(file size).
  /// - Throws: ``LedgerError/io(_:)`` for an unreadable file, ``LedgerError/invalidIDs(_:)`` for an
  ///   empty ID or a CSV without rows (the uniqueness and count checks are ``Ledger/checkIDs(_:examples:)``'s).
  package static func read(_ url: URL) throws -> [String] {
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw LedgerError.io("\(FileFormatError.displayName(url)): no such file or not readable as UTF-8 text")
    }
    // "\r\n" is one Character in Swift: split on it and on "\n".
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
    while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
    let isCSV = url.pathExtension.lowercased() == "csv"
    if isCSV {
      guard !lines.isEmpty else { throw LedgerError.invalidIDs("\(FileFormatError.displayName(url)): no header line; a CSV of IDs needs a header and one row per example") }
      lines.removeFirst()
    }
    var ids: [String] = []
    for (k, line) in lines.enumerated() {
      let id = (isCSV ? firstField(line) : line).trimmingCharacters(in: .whitespaces)
      guard !id.isEmpty else {
        throw LedgerError.invalidIDs("\(FileFormatError.displayName(url)): line \(k + (isCSV ? 2 : 1)) has an empty ID; IDs must be non-empty")
      }
      ids.append(id)
    }
    return ids
  }

  /// The first field of a CSV line (RFC 4180 quoting).
  static func firstField(_ line: String) -> String {
    guard line.hasPrefix("\"") else { return String(line.prefix { $0 != "," }) }
    var out = "", rest = line.dropFirst()
    while let c = rest.first {
      rest = rest.dropFirst()
      if c == "\"" {
        if rest.first == "\"" {
          out.append("\"")
          rest = rest.dropFirst()
        } else {
          break
        }
      } else {
        out.append(c)
      }
    }
    return out
  }
}
