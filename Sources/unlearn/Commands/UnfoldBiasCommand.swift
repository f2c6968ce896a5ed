import ArgumentParser
import Foundation
import Unlearning
import Workflows

/// `unlearn unfold-bias`: the folded first layer back to a weight and a bias (MATH.md §8.6).
struct UnfoldBiasCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unfold-bias",
    abstract: "Fold a bias back out of a model written by fold-bias (e.g. after forget): PyTorch's biased layout.",
    discussion: """
      b = c · (the first layer's last column), W = the other columns; the bias tensor gets its recorded name \
      and dtype, so load_state_dict(strict=True) accepts the result. c is read from the file's __metadata__ \
      (written by fold-bias); --constant is needed only for a file that does not record it.

      Example:
        unlearn unfold-bias --model folded-forgot.safetensors --out-model forgot.safetensors
      """)

  @Option(help: ArgumentHelp("The folded model (.safetensors).", valueName: "file"))
  var model: String
  @Option(help: ArgumentHelp("The biased model to write (.safetensors).", valueName: "file"))
  var outModel: String
  @Option(help: ArgumentHelp("c, for a file that does not record it (must agree with a recorded one).", valueName: "c"))
  var constant: Double?
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if let constant, !(constant.isFinite && constant > 0) { throw ValidationError("--constant must be a positive number (got \(constant))") }
  }

  func run() throws {
    try CLIError.reporting {
      try OutputPath.checkWritable(outModel, force: output.force)
      let s = try BiasFoldingWorkflow.unfold(model: URL(fileURLWithPath: model), constant: constant,
                                             outModel: URL(fileURLWithPath: outModel), overwrite: output.force)
      if output.json {
        print(try JSONOutput.encode(s))
        return
      }
      print("unfolded \(s.bias) with c = \(Format.general(s.constant)); wrote \(s.outModel)")
    }
  }
}
