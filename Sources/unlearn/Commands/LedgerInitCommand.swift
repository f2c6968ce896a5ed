import ArgumentParser
import Foundation
import Ledger
import Unlearning

/// `unlearn ledger init`: a new ledger with version 0.
struct LedgerInitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Create a deletion ledger: the data under stable IDs and version 0 (the given model) with its self certificate.",
    discussion: """
      DIR must not exist or be empty. The examples are copied into DIR/ledger.sqlite, each under a stable string ID: \
      from --ids (a text file with one ID per line, or a .csv with a header whose first column is the ID), else the \
      row number ("0", "1", …). IDs must be unique and non-empty. Version 0 is the model file as given, stored as \
      DIR/models/<sha256>.safetensors, with its self certificate: the κ-audit on all the data (MATH.md §4), with ψ \
      and φ of the data (MATH.md §4.8). Its chain entry records the fingerprint of X, y and the IDs.

      By default a forgotten example's features are deleted from the ledger when it is forgotten; then only the \
      head's certificates can be recomputed by `verify`. --keep-forgotten-features keeps them (marked forgotten), \
      so that every certificate can be recomputed and `verify --replay` can re-derive every version.

      Example:
        unlearn ledger init ledger --model linear.safetensors --x iso.x.npy --y iso.y.npy --ids users.txt
      """)

  @OptionGroup var location: LedgerLocation
  @Option(help: ArgumentHelp("The trained model, version 0 (.safetensors).", valueName: "file"))
  var model: String
  @OptionGroup var data: DataOptions
  @Option(help: ArgumentHelp("The example IDs: one per line, or a .csv whose first column is the ID (default: row numbers).", valueName: "file"))
  var ids: String?
  @Option(help: ArgumentHelp("Kink tolerance κ of the ledger's audits and certificates.", valueName: "κ"))
  var kappa = KKTAuditor.defaultKappa
  @Flag(help: "Keep forgotten examples' features (marked forgotten): every certificate stays recomputable, --replay works.")
  var keepForgottenFeatures = false
  @Flag(help: "Print version 0's entry as JSON.")
  var json = false

  func validate() throws {
    guard kappa.isFinite, kappa >= 0 else { throw ValidationError("--kappa must be a number ≥ 0 (got \(kappa))") }
  }

  func run() throws {
    try CLIError.reporting {
      let dataset = try data.load()
      let names = try ids.map { try ExampleIDs.read(URL(fileURLWithPath: $0)) } ?? ExampleIDs.rowNumbers(dataset.count)
      let (_, entry) = try Ledger.create(at: location.url, model: URL(fileURLWithPath: model), data: dataset, ids: names,
                                         kappa: kappa, keepsForgottenFeatures: keepForgottenFeatures,
                                         busyTimeout: location.busyTimeout)
      if json {
        print(try JSONOutput.encode(entry))
        return
      }
      print("created ledger \(location.directory): \(dataset.count) examples (d = \(dataset.dimension)), κ = \(Format.general(kappa))"
            + (keepForgottenFeatures ? ", forgotten features kept" : ""))
      print("version 0: \(model) as models/\(entry.modelSHA256).safetensors")
      print("certificates w.r.t. S (\(dataset.count) examples):")
      print(LedgerText.certificates(entry.certificates))
      for c in entry.certificates { print("  \(c.kind.rawValue): \(c.method)") }
    }
  }
}
