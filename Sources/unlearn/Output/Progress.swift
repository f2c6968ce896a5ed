import Foundation
import Unlearning

/// Training progress on stderr, only when it is a terminal.
enum Progress {
  /// A progress callback for ``Trainer``.
  static let training: @Sendable (TrainingProgress) -> Void = { p in
    let eps = p.epsilonRelative.map { String(format: "%.2e", $0) } ?? "—"
    Terminal.status("iteration \(p.iteration)/\(p.maxIterations)  log L = \(String(format: "%.2f", p.logLoss))  ε/‖θ̂‖ = \(eps) (target \(p.tolerance))")
  }

  /// Clears the progress line.
  static func clear() { Terminal.status("") }
}
