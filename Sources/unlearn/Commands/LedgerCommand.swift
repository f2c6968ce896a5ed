import ArgumentParser
import Foundation
import Ledger
import Unlearning

/// `unlearn ledger`: a certified deletion ledger (init, forget, apply, log, verify, export).
struct LedgerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ledger",
    abstract: "A certified deletion ledger: every deletion request becomes a model version with certificates in a hash chain.",
    discussion: """
      A ledger is a folder: an SQLite database (DIR/ledger.sqlite) with the examples under stable IDs, the \
      versions and their certificates in a SHA-256 hash chain, and the model files (DIR/models/<sha256>.safetensors). \
      Version 0 is the model given at init; each deletion request forgets examples by ID with one gradient-ascent \
      step (MATH.md §5) and adds one version, in one transaction. The forgotten examples' features leave the ledger \
      in that transaction; their IDs stay in the chain. `verify` checks the chain, the model files and the \
      certificates it can still recompute.

      Example:
        unlearn ledger init ledger --model linear.safetensors --x iso.x.npy --y iso.y.npy
        unlearn ledger forget ledger --ids 3,17
        unlearn ledger apply ledger requests.jsonl
        unlearn ledger log ledger
        unlearn ledger verify ledger
        unlearn ledger export ledger --out head.safetensors
      """,
    subcommands: [LedgerInitCommand.self, LedgerForgetCommand.self, LedgerApplyCommand.self, LedgerLogCommand.self,
                  LedgerVerifyCommand.self, LedgerExportCommand.self])
}

/// The ledger folder and the busy timeout, shared by the ledger subcommands.
struct LedgerLocation: ParsableArguments {
  @Argument(help: ArgumentHelp("The ledger folder.", valueName: "dir"))
  var directory: String
  @Option(help: ArgumentHelp("Seconds to wait for another process's write lock on the ledger before failing (exit 69).", valueName: "seconds"))
  var busyTimeout = 60.0

  func validate() throws {
    guard busyTimeout.isFinite, busyTimeout >= 0 else { throw ValidationError("--busy-timeout must be a number ≥ 0 (got \(busyTimeout))") }
  }

  var url: URL { URL(fileURLWithPath: directory) }

  func open() throws -> Ledger { try Ledger(opening: url, busyTimeout: busyTimeout) }
}

extension LedgerPolicy.Fallback: ExpressibleByArgument {}

/// How `ledger forget` and `ledger apply` compute and certify each version.
struct LedgerMethodOptions: ParsableArguments {
  @Option(help: ArgumentHelp("""
    ga-kkt (the paper's step), ga-kkt+recover, retrain, fine-tune, neggrad, neggrad-plus, random-label, newton \
    or minnorm-og (as in unlearn forget).
    """, valueName: "method"))
  var method: UnlearningMethod.Kind = .gaKKT
  @Option(help: "Step-size multiplier α (1 is the paper's step).")
  var alpha = 1.0
  @Option(help: "gradient (the paper's step) or decomposition (F's share of the κ-audit).")
  var step: GradientAscentUnlearning.Step = .gradient
  @Option(help: "k: steps of ga-kkt+recover, fine-tune, neggrad, neggrad-plus, random-label, minnorm-og.")
  var steps = 10
  @Option(help: "η of the loss-normalised steps (ga-kkt+recover, fine-tune, random-label, minnorm-og).")
  var learningRate = 1.0
  @Option(help: ArgumentHelp("Kink tolerance κ of the audits and certificates (default: the ledger's, set at init).", valueName: "κ"))
  var kappa: Double?
  @Option(help: ArgumentHelp("Certificates of each version: any of self,retrained,exact,carried,witness, or none (default self).", valueName: "list"),
          transform: CertificateList.parser)
  var certify = CertificateList([.self])
  @Option(help: ArgumentHelp("""
    The largest acceptable ε/‖θ̃‖ of a version's self certificate; above it (or unavailable) --fallback runs \
    and the entry records why.
    """, valueName: "ε"))
  var maxEpsilon: Double?
  @Option(help: ArgumentHelp("""
    With --max-epsilon: recover (ga-kkt+recover), reaudit (the step with multipliers from a fresh audit of the \
    parent) or retrain (needs the model's recorded initialisation).
    """, valueName: "fallback"))
  var fallback: LedgerPolicy.Fallback?
  @Flag(help: """
    Audit every parent version afresh instead of taking the KKT multipliers carried forward in its model file \
    (slower; for comparison).
    """)
  var freshAudits = false

  func validate() throws {
    guard alpha.isFinite else { throw ValidationError("--alpha must be a finite number (got \(alpha))") }
    if let kappa, !(kappa.isFinite && kappa >= 0) { throw ValidationError("--kappa must be a number ≥ 0 (got \(kappa))") }
    guard steps >= 0 else { throw ValidationError("--steps must be ≥ 0 (got \(steps))") }
    guard learningRate.isFinite, learningRate > 0 else { throw ValidationError("--learning-rate must be a positive number (got \(learningRate))") }
    switch (maxEpsilon, fallback) {
    case (nil, .some): throw ValidationError("--fallback goes with --max-epsilon: it says what to do when a version's ε/‖θ̃‖ exceeds it")
    case (.some(let e), _) where !(e.isFinite && e > 0): throw ValidationError("--max-epsilon must be a positive number (got \(e))")
    default: break
    }
  }

  var settings: LedgerForgetSettings {
    let unlearning: UnlearningMethod
    switch method {
    case .gaKKT: unlearning = .gaKKT(alpha: alpha, step: step)
    case .gaKKTRecover: unlearning = .gaKKTRecover(alpha: alpha, step: step, steps: steps, learningRate: learningRate)
    case .retrain: unlearning = .retrain
    case .fineTune: unlearning = .fineTune(steps: steps, learningRate: learningRate)
    case .negGrad: unlearning = .negGrad(steps: steps)
    case .negGradPlus: unlearning = .negGradPlus(steps: steps)
    case .randomLabel: unlearning = .randomLabel(steps: steps, learningRate: learningRate)
    case .newton: unlearning = .newton()
    case .minNormOG: unlearning = .minNormOG(steps: steps, learningRate: learningRate)
    }
    let policy = maxEpsilon.map { LedgerPolicy(maxEpsilon: $0, fallback: fallback ?? .recover) }
    return LedgerForgetSettings(method: unlearning, kappa: kappa, certify: certify.kinds, policy: policy, freshAudits: freshAudits)
  }
}

/// The text output shared by the ledger subcommands.
enum LedgerText {
  /// A certificates table (kind, ε, ε/‖θ̃‖, δ, τ, ψ, φ).
  static func certificates(_ certificates: [LedgerCertificate], indent: Int = 2) -> String {
    let rows = certificates.map { c in
      [c.kind.rawValue, Format.sci(c.epsilon), Format.sci(c.epsilonRelative), Format.sci(c.delta), Format.sci(c.tau),
       Format.sci(c.psi), Format.sci(c.phi)]
    }
    return Format.table(header: ["kind", "ε", "ε/‖θ̃‖", "δ", "τ", "ψ", "φ"], rows: rows, indent: indent)
  }

  /// `["17", "42"]`.
  static func ids(_ ids: [String]) -> String { "[" + ids.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
}
