import Foundation

/// One row of the results document's "claims at a glance" table, written by an experiment's summary
/// from its computed verdicts and read back by ``ResultsDocument``, so the table cannot contradict them.
///
/// In `summary.md` it is one HTML comment line, invisible when rendered:
/// `<!-- glance {"claim": …, "experiment": …, "verdict": …, "numbers": …} -->`.
package struct Glance: Codable, Sendable, Equatable {
  /// The claim, in the paper's words.
  package var claim: String
  /// The experiment folder it comes from.
  package var experiment: String
  /// The computed verdict (`held`, `not held`, …; several joined when the claim has variants).
  package var verdict: String
  /// The numbers behind it, one line.
  package var numbers: String

  package init(claim: String, experiment: String, verdict: String, numbers: String) {
    self.claim = claim
    self.experiment = experiment
    self.verdict = verdict
    self.numbers = numbers
  }

  static let prefix = "<!-- glance "
  static let suffix = " -->"

  /// The comment line (with its newline) for a summary.
  package var markdown: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let json = String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    // "--" cannot appear inside an HTML comment.
    return Self.prefix + json.replacingOccurrences(of: "--", with: "-\\u002d") + Self.suffix + "\n"
  }

  /// Every glance line of `summary`, in order (malformed lines are skipped).
  ///
  /// - Complexity: O(length of `summary`).
  package static func parse(_ summary: String) -> [Glance] {
    summary.split(separator: "\n").compactMap { line in
      guard line.hasPrefix(prefix), line.hasSuffix(suffix) else { return nil }
      let json = line.dropFirst(prefix.count).dropLast(suffix.count)
      return try? JSONDecoder().decode(Glance.self, from: Data(json.utf8))
    }
  }
}
