import ArgumentParser
import Foundation
import Unlearning
import Workflows

/// `unlearn audit`: how close is a model to a KKT point of P(S)?
struct AuditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "Audit any model's KKT conditions on a data set: ε, ε/‖θ̂‖, δ, multipliers, ψ, φ.",
    discussion: """
      Normalises the model to minimum margin 1 by homogeneity, finds the KKT multipliers λ ≥ 0 \
      (non-negative least squares on the Gram form, MATH.md §4) and reports the stationarity error ε from \
      the explicit residual, at κ = 0 and at --kappa (pairs on the ReLU kink band may take σ' ∈ [0, 1]), \
      δ = max λ_i (q_i − 1), the data geometry ψ and φ, and optionally the ε–δ frontier.

      --attach --out M2 writes the model again with the audit's multipliers stored in it (tensors kkt_*, \
      bound to the model and the data by SHA-256 fingerprints; MATH.md §5.1, §8.2), so that `unlearn forget` \
      on that data needs no audit: use it for a model trained elsewhere (PyTorch, NumPy).

      A file saved by PyTorch (safetensors.torch.save_file(model.state_dict(), …) of a bias-free \
      nn.Sequential of nn.Linear and nn.ReLU) is read as it is: its weights 0.weight [n, d], 2.weight [1, n], … \
      are ordered by the numbers in their names (--layers orders them otherwise), and --attach writes the same \
      names, shapes and dtypes, the multipliers in __metadata__, so that load_state_dict(strict=True) accepts it \
      (MATH.md §8.5).

      Example:
        unlearn audit --model net.safetensors --x data/iso.x.npy --y data/iso.y.npy
        unlearn audit --model net.safetensors --x data/iso.x.npy --y data/iso.y.npy --frontier 0,1e-3,1e-2,0.1 --json
        unlearn audit --model torch-net.safetensors --x data/iso.x.npy --y data/iso.y.npy --attach --out net-kkt.safetensors
      """)

  @Option(help: ArgumentHelp("The model (.safetensors).", valueName: "file"))
  var model: String
  @OptionGroup var data: DataOptions
  @OptionGroup var layout: ModelLayoutOptions
  @Option(help: "Kink tolerance κ (relative; 0 = strict audit only).")
  var kappa = KKTAuditor.defaultKappa
  @Option(help: ArgumentHelp("Slack budgets δ₀ for the ε–δ frontier, comma-separated.", valueName: "list"),
          transform: CommaSeparated<Double>.parser)
  var frontier: CommaSeparated<Double>?
  @Option(help: "Multipliers to list in text mode (largest first; all in JSON).")
  var top = 10
  @Flag(help: "Write the model again, with the audit's multipliers stored in it, to --out.")
  var attach = false
  @Option(help: ArgumentHelp("With --attach: the model file to write (.safetensors).", valueName: "file"))
  var out: String?
  @Flag(help: "With --attach: overwrite --out if it exists.")
  var force = false
  @Flag(help: "Print the results as JSON on stdout (schema in the README).")
  var json = false

  func validate() throws {
    guard kappa.isFinite, kappa >= 0 else { throw ValidationError("--kappa must be a number ≥ 0 (got \(kappa))") }
    if let frontier {
      if let bad = frontier.values.first(where: { $0 < 0 }) { throw ValidationError("--frontier budgets must be ≥ 0 (got \(bad))") }
    }
    guard top >= 0 else { throw ValidationError("--top must be ≥ 0 (got \(top))") }
    if attach, out == nil { throw ValidationError("--attach needs --out FILE: the model file to write with its multipliers") }
    if !attach, out != nil { throw ValidationError("--out is the file --attach writes; add --attach (audit alone writes nothing)") }
  }

  func run() throws {
    try CLIError.reporting {
      if attach, let out { try OutputPath.checkWritable(out, force: force) }
      let (stored, metadata) = try layout.read(model)
      let dataset = try data.load()
      let (summary, multipliers) = try AuditWorkflow.run(stored, on: dataset, kappa: kappa, frontier: frontier?.values)
      if attach, let out {
        var attached = metadata
        attached.multipliers = multipliers
        try ModelFile.write(stored, metadata: attached, to: URL(fileURLWithPath: out), overwrite: force)
        if !json { print("wrote \(out) with the audit's multipliers (κ = \(Format.general(kappa)), data fingerprint \(multipliers.dataFingerprint.prefix(12))…)") }
      }
      if json {
        print(try JSONOutput.encode(summary))
        return
      }
      let k = Format.general(kappa)
      print("audit of \(model) on m = \(summary.examples) examples (\(summary.parameters) parameters, C = \(summary.homogeneityDegree))")
      print("  min margin γ         \(Format.general(summary.minMargin))   (θ̂ = θ/γ^{1/C}, ‖θ̂‖ = \(Format.general(summary.normalizedNorm)))")
      print("  ε/‖θ̂‖ at κ = \(k)\(String(repeating: " ", count: max(0, 8 - k.count)))\(Format.sci(summary.epsilonRelative))   (ε = \(Format.sci(summary.epsilon)), \(summary.bandPairs) band pairs)")
      if stored is any StrictAuditOnly, kappa > 0 {
        print("  (deep network: no kink band, the audit is strict whatever κ; a κ-band audit of a deep net would be a relaxation, not a QP — MATH.md §1)")
      }
      if summary.epsilonAtFloor {
        print("  (ε is at the rounding floor \(Format.sci(summary.epsilonFloor)): zero to double precision, not a measured distance)")
      }
      print("  ε/‖θ̂‖ strict (κ = 0) \(Format.sci(summary.epsilonStrictRelative))   (ε = \(Format.sci(summary.epsilonStrict)))")
      print("  δ                    \(Format.sci(summary.delta))")
      print("  ψ, φ                 \(Format.fixed(summary.psi, 4)), \(Format.fixed(summary.phi, 4))")
      let order = summary.multipliers.indices.sorted { summary.multipliers[$0] > summary.multipliers[$1] }
      let shown = order.prefix(top)
      if !shown.isEmpty {
        print("  largest multipliers λ_i (\(summary.multipliers.filter { $0 > 0 }.count) of \(summary.examples) positive):")
        for i in shown { print("    λ_\(i) = \(Format.sci(summary.multipliers[i]))") }
      }
      if let points = summary.frontier {
        print("  ε–δ frontier (δ₀ → ε/‖θ̂‖):")
        for p in points { print("    δ₀ = \(Format.general(p.deltaBudget))\t ε/‖θ̂‖ = \(Format.sci(p.epsilonRelative))\t δ = \(Format.sci(p.delta))") }
      }
      if summary.solverStatus != "optimal" { print("  warning: the QP solver stopped with status \(summary.solverStatus)") }
    }
  }
}
