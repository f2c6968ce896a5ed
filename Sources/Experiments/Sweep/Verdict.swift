/// What the data say about one of the paper's claims, computed from the rows by a rule fixed before the
/// data (``PairedComparison``, ``SlopeEstimate``) — never written by hand.
package enum Verdict: String, Sendable, Equatable, CaseIterable {
  /// The 95 % interval excludes the opposite of the claim.
  case held = "held"
  /// The 95 % interval excludes the claim: the opposite holds.
  case notHeld = "not held"
  /// The interval contains "no effect": the curve is flat at this resolution.
  case notVisible = "not visible"
  /// No outcome of the test could have contradicted the claim (both sides at a bound), or nothing was measured.
  case untestable = "untestable at this setting"

  /// The verdict in bold, as the summaries print it.
  package var bold: String { "**\(rawValue)**" }

  /// The verdict of a claim that needs every part to hold: *held* when all parts are held, *not held* when
  /// any part is not held, *untestable* when any is untestable and none is not held, else *not visible*.
  ///
  /// - Complexity: O(parts).
  package static func all(_ parts: [Verdict]) -> Verdict {
    if parts.isEmpty { return .untestable }
    if parts.contains(.notHeld) { return .notHeld }
    if parts.contains(.untestable) { return .untestable }
    return parts.allSatisfy { $0 == .held } ? .held : .notVisible
  }
}
