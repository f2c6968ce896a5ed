import ArgumentParser
import Foundation
import Ledger
import Unlearning

/// `unlearn ledger export`: a version's model file.
struct LedgerExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write out one version's model (default: the head) as a safetensors file.",
    discussion: """
      Copies DIR/models/<sha256>.safetensors of the version, after checking its bytes against the chain's \
      SHA-256, to --out (atomically: temporary file, fsync, rename). The file carries the provenance of every step \
      in its metadata (unlearned_forget: the positions forgotten in the parent's retained set, unlearned_method, …).

      Example:
        unlearn ledger export ledger --out head.safetensors
        unlearn ledger export ledger --version 0 --out original.safetensors
      """)

  @OptionGroup var location: LedgerLocation
  @Option(help: ArgumentHelp("The version to write (default: the head).", valueName: "v"))
  var version: Int?
  @Option(help: ArgumentHelp("The model file to write (.safetensors).", valueName: "file"))
  var out: String
  @Flag(help: "Overwrite an existing output file.")
  var force = false

  func run() throws {
    try CLIError.reporting {
      try OutputPath.checkWritable(out, force: force)
      let (entry, bytes) = try location.open().modelBytes(version: version)
      try AtomicFile.write(bytes, to: URL(fileURLWithPath: out), overwrite: force)
      print("wrote \(out) (version \(entry.version), sha256 \(entry.modelSHA256))")
    }
  }
}
