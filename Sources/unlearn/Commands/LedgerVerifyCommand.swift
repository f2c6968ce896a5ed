import ArgumentParser
import Foundation
import Ledger
import Unlearning

/// `unlearn ledger verify`: the chain, the model files and the certificates.
struct LedgerVerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check a ledger: the hash chain, every model file's SHA-256, and every certificate it can recompute.",
    discussion: """
      Exit 0 only if everything checks; otherwise exit 65 with one line naming the first bad entry, e.g. \
      `error: ledger version 3: model file sha256 mismatch (…)`. Checked: each entry_hash = SHA-256(previous_hash ‖ \
      canonical content) from the stored fields, the chain's order and parents; every model file against its \
      SHA-256; the examples table against the chain (forgotten features gone); and the certificates of every \
      version whose retained data are all still present — always the head; every version with \
      --keep-forgotten-features — recomputed by a κ-audit on those data and compared to the stored numbers \
      (relative 1e-9). Earlier versions' retained data include examples forgotten since, whose features have \
      left the ledger: those versions are checked through the chain. Before checking, verify removes model \
      files no committed version references (left by an interrupted request); it takes the write lock for that, \
      waiting for a running forget or apply up to --busy-timeout.

      --replay (a ledger created with --keep-forgotten-features) re-derives every version from version 0 and the \
      recorded requests and compares the model files' SHA-256: bit for bit on one machine; across machines (other \
      BLAS kernels) the parameters agree to 1e-9 relative, and verify accepts that.

      Example:
        unlearn ledger verify ledger
        unlearn ledger verify ledger --replay
      """)

  @OptionGroup var location: LedgerLocation
  @Flag(help: "Re-derive every version from version 0 and the requests (needs --keep-forgotten-features at init).")
  var replay = false

  func run() throws {
    try CLIError.reporting {
      let ledger = try location.open()
      try ledger.removeOrphans()
      let result = try LedgerVerifier.verify(ledger, replay: replay)
      print(result.summary)
    }
  }
}
