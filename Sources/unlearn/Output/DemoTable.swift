import Foundation
import Workflows

/// The human-readable tables of `unlearn demo`.
enum DemoTable {
  static func sci(_ v: Double?) -> String {
    guard let v else { return "—" }
    return String(format: "%.2e", v)
  }

  static func render(_ r: DemoReport) -> String {
    let s = r.settings
    var out: [String] = []
    out.append("Seeded isotropic data: m = \(s.examples), d = \(s.dimension), seed \(s.seed); ψ = \(String(format: "%.3f", r.psi)), φ = \(String(format: "%.3f", r.phi)). Forget set F = \(s.forget).")
    out.append("")
    let kappa = String(format: "%g", s.kappa)
    for m in r.models {
      out.append("\(m.model): \(m.parameterCount) parameters, C = \(m.homogeneityDegree); trained \(m.trainingIterations) iterations (\(m.trainingConverged ? "converged" : "iteration limit"), \(String(format: "%.2f", m.trainingSeconds)) s)")
      let header = ["", "ε/‖θ̂‖ κ=0", "ε/‖θ̂‖ κ=\(kappa)", "δ", "band", "min margin"]
      var lines = [header]
      for row in m.rows {
        if let note = row.note {
          lines.append([row.label, "undefined", "undefined", "—", "—", String(format: "%.3g", row.minMargin) + "  (\(note.prefix(40))…)"])
        } else {
          lines.append([row.label, sci(row.epsilonStrictRelative), sci(row.epsilonRelative), sci(row.delta),
                        row.bandPairs.map(String.init) ?? "—", String(format: "%.3g", row.minMargin)])
        }
      }
      let widths = (0..<header.count).map { c in lines.map { $0[c].count }.max()! }
      for line in lines {
        out.append("  " + line.enumerated().map { c, cell in
          c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                 : String(repeating: " ", count: widths[c] - cell.count) + cell
        }.joined(separator: "   "))
      }
      out.append(String(format: "  cos(unlearned, retrained) = %.6f   cos(decomposition, retrained) = %.6f   cos(original, retrained) = %.6f",
                        m.cosUnlearnedRetrained, m.cosDecompositionRetrained, m.cosOriginalRetrained))
      let speedup = m.unlearningSeconds > 0 ? m.retrainingSeconds / m.unlearningSeconds : .infinity
      out.append(String(format: "  unlearning %.4f s vs retraining %.3f s (%d iterations%@): %.0f× faster",
                        m.unlearningSeconds, m.retrainingSeconds, m.retrainingIterations,
                        m.retrainingConverged ? "" : ", iteration limit", speedup))
      out.append("")
    }
    out.append("""
      ε/‖θ̂‖ κ=0   stationarity error of the normalised model θ̂ (min margin 1), strict σ'(z) = 1[z > 0], over ‖θ̂‖
      ε/‖θ̂‖ κ=\(kappa)  the same with pairs |⟨w_j,x_i⟩| ≤ κ‖w_j‖‖x_i‖ treated as on the ReLU kink (σ' ∈ [0,1]; MATH.md §4)
      δ             complementary slackness max_i λ_i (q_i(θ̂) − 1) of the multipliers at κ
      band          number of (example, unit) pairs on the kink band at κ
      min margin    min_i y_i N(x_i; θ) of the model as given (the audit needs it > 0)
      unlearned     θ_U = θ̂ − Σ_{r∈F} λ_r y_r ∇N(x_r; θ̂), the paper's step at α = 1; decomposition: F's share of the κ-audit
      cos           cosine similarity of the flattened parameter vectors; timings: audit + step vs retraining to tolerance
      """)
    return out.joined(separator: "\n")
  }
}
