import Unlearning

/// The resolved settings of a reproduction, read from its (filled) options.
extension ReproductionExperiment {
  var seeds: Int { options.seeds ?? 5 }
  var m: Int { options.examples ?? 20 }
  var d: Int { options.dimension ?? 1000 }
  var n: Int { options.width ?? 100 }
  var trainOutputLayer: Bool { options.trainOutputLayer ?? false }
  var alphas: [Double] { options.alphas ?? [] }
  var kappas: [Double] { options.kappas ?? [KKTAuditor.defaultKappa] }
  /// The κ of experiments with one audit tolerance: the first of ``kappas``.
  var kappa: Double { kappas.first ?? KKTAuditor.defaultKappa }
  var dimensions: [Int] { options.dimensions ?? [] }
  var rhos: [Double] { options.rhos ?? [] }
  var sizes: [Int] { options.forgetSizes ?? [] }
  var testM: Int { options.testExamples ?? 0 }
  var meanNorm: Double { options.meanNorm ?? 1 / Double(d).squareRoot().squareRoot() }
  var xor: Bool { options.xor ?? false }
  var tolerance: Double { options.tolerance ?? 1e-2 }
  var maxIterations: Int { options.maxIterations ?? 20_000 }
  var stepCounts: [Int] { options.steps ?? [] }
  var methodNames: [String] { options.methods ?? [] }
  var populationSize: Int { options.populationSize ?? 0 }
  var datasetNames: [String] { options.datasets ?? [] }
  var liftDimensions: [Int] { options.liftDimensions ?? [] }
}
