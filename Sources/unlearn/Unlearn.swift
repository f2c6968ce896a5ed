import ArgumentParser
import LinearAlgebra

@main
struct Unlearn: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unlearn",
    abstract: "Provable machine unlearning by one gradient-ascent step (Melamed, Yehudai & Vardi, arXiv 2510.14844).",
    version: "0.4.0",
    subcommands: [DemoCommand.self, MakeDataCommand.self, TrainCommand.self, AuditCommand.self, ForgetCommand.self, FoldBiasCommand.self, UnfoldBiasCommand.self, ReproduceCommand.self, MergeCommand.self, SweepCommand.self, LedgerCommand.self, ReportCommand.self, BenchCommand.self],
    defaultSubcommand: nil)

  static func main() {
    FastKernels.ensure()
    Self.main(nil)
  }
}
