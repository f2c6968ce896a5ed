/// The reproductions by name.
package enum ExperimentCatalog {
  /// Every experiment's name, in the README's order.
  package static let names = ["step-size", "linear-dimension", "two-layer-dimension", "correlation", "mixture", "forget-set-size",
                              "recovery", "privacy", "depth", "real-data", "sequential", "scaling"]

  /// The experiment `name` built from `options`.
  package static func make(_ name: String, options: ExperimentOptions) throws -> any ReproductionExperiment {
    switch name {
    case "step-size": return StepSizeExperiment(options: options)
    case "linear-dimension": return LinearDimensionExperiment(options: options)
    case "two-layer-dimension": return TwoLayerDimensionExperiment(options: options)
    case "correlation": return CorrelationExperiment(options: options)
    case "mixture": return MixtureExperiment(options: options)
    case "forget-set-size": return ForgetSetSizeExperiment(options: options)
    case "recovery": return RecoveryExperiment(options: options)
    case "privacy": return PrivacyExperiment(options: options)
    case "depth": return DepthExperiment(options: options)
    case "real-data": return RealDataExperiment(options: options)
    case "sequential": return SequentialExperiment(options: options)
    case "scaling": return ScalingExperiment(options: options)
    default:
      throw SweepError.unknownExperiment("unknown experiment \"\(name)\"; the experiments are \(names.joined(separator: ", "))")
    }
  }
}
