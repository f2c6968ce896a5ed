import ArgumentParser
import Foundation
import Ledger
import Unlearning

/// `unlearn ledger forget`: one deletion request, one new version.
struct LedgerForgetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forget",
    abstract: "Forget examples by ID: one request becomes one new model version with its certificates, in one transaction.",
    discussion: """
      Takes the ledger's write lock (waiting up to --busy-timeout for another process), reads the head version's \
      model and the retained examples in their init order, and forgets the named IDs with --method (the paper's \
      step by default: θ_U = θ̂ − α Σ_{r∈F} λ_r y_r ∇N(x_r; θ̂), MATH.md §5). The new model is written to \
      DIR/models/<sha256>.safetensors (fsync) before the commit; the commit adds the chain entry, marks the IDs \
      forgotten and deletes their features. An unknown ID, an ID already forgotten, or a request that would forget \
      every retained example fails with one line (exit 65) and changes nothing.

      --max-epsilon E bounds ε/‖θ̃‖ of the new version's self certificate; above it, --fallback (recover, reaudit or \
      retrain) computes the version instead and the entry records why (shown by `ledger log`). A request ID already \
      applied with the same IDs is skipped; with other IDs it is refused (exit 65).

      Example:
        unlearn ledger forget ledger --ids alice,bob --request-id ticket-1042 --max-epsilon 1e-3 --fallback recover
      """)

  @OptionGroup var location: LedgerLocation
  @Option(help: ArgumentHelp("Comma-separated example IDs to forget.", valueName: "list"))
  var ids: String
  @Option(help: ArgumentHelp("The request's ID (default: a fresh one, req-<version>).", valueName: "id"))
  var requestId: String?
  @OptionGroup var options: LedgerMethodOptions
  @Flag(help: "Print the new version's entry as JSON.")
  var json = false

  func validate() throws {
    let parts = ids.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    if let k = parts.firstIndex(where: \.isEmpty) {
      throw ValidationError("--ids: element \(k + 1) is empty (comma-separated example IDs, e.g. 17 or alice,bob)")
    }
    if let requestId, requestId.isEmpty { throw ValidationError("--request-id must not be empty") }
  }

  func run() throws {
    try CLIError.reporting {
      let ledger = try location.open()
      let forget = ids.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      let outcome = try ledger.forget(LedgerRequest(id: requestId, forget: forget), settings: options.settings,
                                      progress: Progress.training)
      Progress.clear()
      if json {
        print(try JSONOutput.encode(LedgerForgetJSON(outcome)))
        return
      }
      LedgerForgetCommand.report(outcome)
    }
  }

  static func report(_ outcome: LedgerForgetOutcome) {
    let e = outcome.entry
    if case .skipped = outcome {
      print("request \(e.requestID) was already applied as version \(e.version): nothing to do")
      return
    }
    print("version \(e.version) (request \(e.requestID)): forgot \(LedgerText.ids(e.forgottenIDs)) with \(e.method?.label ?? "?")")
    if let fallback = e.fallback { print("  fallback: \(fallback)") }
    print("  model models/\(e.modelSHA256).safetensors")
    if !e.certificates.isEmpty {
      print(LedgerText.certificates(e.certificates))
    }
  }
}

/// `ledger forget --json`: the entry and whether it was applied now.
struct LedgerForgetJSON: Encodable {
  var status: String
  var entry: LedgerEntry

  init(_ outcome: LedgerForgetOutcome) {
    if case .skipped = outcome { status = "skipped" } else { status = "applied" }
    entry = outcome.entry
  }
}
