import ArgumentParser
import Foundation
import Unlearning
import Workflows

/// `unlearn fold-bias`: a first-layer bias folded into the weights, exactly (MATH.md §8.6).
struct FoldBiasCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fold-bias",
    abstract: "Fold a PyTorch network's first-layer bias into its weights with a constant input feature c.",
    discussion: """
      σ(⟨w, x⟩ + b) = σ(⟨[w, b/c], [x, c]⟩): writes the bias-free network [W | b/c] (same tensor names and \
      dtypes, the bias tensor removed, c and the bias's name in __metadata__) and the inputs [X | c] as .npy. \
      Audit, forget and certify the folded model on the folded inputs, then `unlearn unfold-bias` writes the \
      biased layout again. Only the first layer's bias folds: a hidden layer's or the output's bias makes \
      the network inhomogeneous and is refused. The constant feature is shared by every example, so it changes \
      the data geometry: ψ and φ are reported before and after.

      Default c: the power of two nearest the root-mean-square entry of X (a typical feature's size; a power of \
      two makes folding back exact).

      Example:
        unlearn fold-bias --model biased.safetensors --x data.x.npy --out-model folded.safetensors --out-x folded.x.npy
      """)

  @Option(help: ArgumentHelp("The biased model (.safetensors, PyTorch's layout).", valueName: "file"))
  var model: String
  @Option(help: ArgumentHelp("The inputs X, m×d (.npy or .csv).", valueName: "file"))
  var x: String
  @Option(help: ArgumentHelp("The folded model to write (.safetensors).", valueName: "file"))
  var outModel: String
  @Option(help: ArgumentHelp("The folded inputs [X | c] to write (.npy).", valueName: "file"))
  var outX: String
  @Option(help: ArgumentHelp("The constant feature c > 0 (default: the power of two nearest X's RMS entry).", valueName: "c"))
  var constant: Double?
  @Option(help: ArgumentHelp("The weight tensors, input layer first, when their names do not order them.", valueName: "list"))
  var layers: String?
  @OptionGroup var output: OutputOptions

  func validate() throws {
    if let constant, !(constant.isFinite && constant > 0) { throw ValidationError("--constant must be a positive number (got \(constant))") }
    try ModelLayoutOptions.validateLayers(layers)
  }

  func run() throws {
    try CLIError.reporting {
      try OutputPath.checkWritable(outModel, force: output.force)
      try OutputPath.checkWritable(outX, force: output.force)
      let order = ModelLayoutOptions.layerOrder(layers)
      let s = try BiasFoldingWorkflow.fold(model: URL(fileURLWithPath: model), x: URL(fileURLWithPath: x), constant: constant,
                                           layers: order, outModel: URL(fileURLWithPath: outModel),
                                           outX: URL(fileURLWithPath: outX), overwrite: output.force)
      if output.json {
        print(try JSONOutput.encode(s))
        return
      }
      print("folded \(s.bias) into the first layer with the constant feature c = \(Format.general(s.constant))\(s.constantIsPowerOfTwo ? " (a power of two: unfold-bias restores the bias exactly)" : "")")
      print("  data: m = \(s.examples), d = \(s.dimension) → \(s.dimension + 1)")
      print("  ψ  \(Format.fixed(s.psiBefore, 4)) → \(Format.fixed(s.psiAfter, 4))")
      print("  φ  \(Format.fixed(s.phiBefore, 4)) → \(Format.fixed(s.phiAfter, 4))")
      print("wrote \(s.outModel) and \(s.outX)")
    }
  }
}
