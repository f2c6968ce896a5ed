import ArgumentParser
import Foundation
import Ledger
import Unlearning

/// `unlearn ledger log`: the versions.
struct LedgerLogCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    abstract: "List the ledger's versions: request, forgotten IDs, method, certificates, model hash, fallback.",
    discussion: """
      One row per version: its request ID, the IDs it forgot, the method, its self certificate (ε/‖θ̃‖ and δ at κ) \
      with ψ and φ of its retained set (the paper's regime needs φ ≲ 1/m), the first 12 hex digits of its model's \
      SHA-256 and when it was committed; a fallback's reason below its row. --json prints every stored field: \
      {"versions": [{version, parent, request_id, forgotten_ids, model_sha256, method, certificates, fallback, \
      created_at, genesis, previous_hash, entry_hash}, …]}.

      Example:
        unlearn ledger log ledger
        unlearn ledger log ledger --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["versions"]))'
      """)

  @OptionGroup var location: LedgerLocation
  @Flag(help: "Print every version as JSON.")
  var json = false

  struct Log: Encodable {
    var versions: [LedgerEntry]
  }

  func run() throws {
    try CLIError.reporting {
      let entries = try location.open().entries()
      if json {
        print(try JSONOutput.encode(Log(versions: entries)))
        return
      }
      var rows: [[String]] = []
      var notes: [String] = []
      for e in entries {
        let own = e.certificates.first { $0.kind == .self }
        let forgotten = e.forgottenIDs.count <= 3 ? e.forgottenIDs.joined(separator: ",")
          : e.forgottenIDs.prefix(3).joined(separator: ",") + ",… (\(e.forgottenIDs.count))"
        rows.append([String(e.version), e.requestID, forgotten.isEmpty ? "—" : forgotten, e.method?.label ?? "—",
                     Format.sci(own?.epsilonRelative), Format.sci(own?.delta), Format.sci(own?.psi), Format.sci(own?.phi),
                     String(e.modelSHA256.prefix(12)), e.createdAt])
        if let fallback = e.fallback { notes.append("  version \(e.version): \(fallback)") }
      }
      print(Format.table(header: ["version", "request", "forgotten", "method", "ε/‖θ̃‖", "δ", "ψ", "φ", "model", "created"],
                         rows: rows))
      for note in notes { print(note) }
    }
  }
}
