import Unlearning

/// The resolved settings of a reproduction, read from its (filled) options; a field the
/// experiment has no default for reads ``ExperimentDefaults/fallback``.
extension ReproductionExperiment {
  var seeds: Int { options.seeds ?? ExperimentDefaults.fallback.seeds! }
  var m: Int { options.examples ?? ExperimentDefaults.fallback.examples! }
  var d: Int { options.dimension ?? ExperimentDefaults.fallback.dimension! }
  var n: Int { options.width ?? ExperimentDefaults.fallback.width! }
  var trainOutputLayer: Bool { options.trainOutputLayer ?? ExperimentDefaults.fallback.trainOutputLayer! }
  var alphas: [Double] { options.alphas ?? ExperimentDefaults.fallback.alphas! }
  var kappas: [Double] { options.kappas ?? ExperimentDefaults.fallback.kappas! }
  /// The κ of experiments with one audit tolerance: the first of ``kappas``.
  var kappa: Double { kappas.first ?? KKTAuditor.defaultKappa }
  var dimensions: [Int] { options.dimensions ?? ExperimentDefaults.fallback.dimensions! }
  var rhos: [Double] { options.rhos ?? ExperimentDefaults.fallback.rhos! }
  var sizes: [Int] { options.forgetSizes ?? ExperimentDefaults.fallback.forgetSizes! }
  var testM: Int { options.testExamples ?? ExperimentDefaults.fallback.testExamples! }
  var meanNorm: Double { options.meanNorm ?? ExperimentDefaults.meanNorm(dimension: d) }
  var xor: Bool { options.xor ?? ExperimentDefaults.fallback.xor! }
  var tolerance: Double { options.tolerance ?? ExperimentDefaults.fallback.tolerance! }
  var maxIterations: Int { options.maxIterations ?? ExperimentDefaults.fallback.maxIterations! }
  var stepCounts: [Int] { options.steps ?? ExperimentDefaults.fallback.steps! }
  var methodNames: [String] { options.methods ?? ExperimentDefaults.fallback.methods! }
  var populationSize: Int { options.populationSize ?? ExperimentDefaults.fallback.populationSize! }
  var datasetNames: [String] { options.datasets ?? ExperimentDefaults.fallback.datasets! }
  var liftDimensions: [Int] { options.liftDimensions ?? ExperimentDefaults.fallback.liftDimensions! }
  var depths: [Int] { options.depths ?? ExperimentDefaults.fallback.depths! }
}
