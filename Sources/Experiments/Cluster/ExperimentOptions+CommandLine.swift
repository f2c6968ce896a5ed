extension ExperimentOptions {
  /// The `unlearn reproduce` options that give these options back, as `--flag=value`
  /// words (unset fields are left out; the `=` form keeps negative numbers values).
  /// Doubles are written in their shortest exact form, so they parse back to the same bits.
  public var commandLineArguments: [String] {
    func numbers(_ v: [Double]) -> String { v.map { "\($0)" }.joined(separator: ",") }
    func integers(_ v: [Int]) -> String { v.map(String.init).joined(separator: ",") }
    var words: [String] = []
    if let seeds { words.append("--seeds=\(seeds)") }
    if let examples { words.append("--m=\(examples)") }
    if let dimension { words.append("--d=\(dimension)") }
    if let width { words.append("--width=\(width)") }
    if trainOutputLayer == true { words.append("--train-output-layer") }
    if let alphas { words.append("--alphas=\(numbers(alphas))") }
    if let kappas { words.append("--kappas=\(numbers(kappas))") }
    if let dimensions { words.append("--dimensions=\(integers(dimensions))") }
    if let rhos { words.append("--rhos=\(numbers(rhos))") }
    if let forgetSizes { words.append("--sizes=\(integers(forgetSizes))") }
    if let testExamples { words.append("--test-m=\(testExamples)") }
    if let meanNorm { words.append("--mean-norm=\(meanNorm)") }
    if xor == true { words.append("--xor") }
    if let tolerance { words.append("--tolerance=\(tolerance)") }
    if let maxIterations { words.append("--max-iterations=\(maxIterations)") }
    if let steps { words.append("--steps=\(integers(steps))") }
    if let methods { words.append("--methods=\(methods.joined(separator: ","))") }
    if let populationSize { words.append("--population=\(populationSize)") }
    if let datasets { words.append("--datasets=\(datasets.joined(separator: ","))") }
    if let liftDimensions { words.append("--lifts=\(integers(liftDimensions))") }
    return words
  }
}
