extension LinearDimensionExperiment {
  /// One run (seed, d) of `linear-dimension`: the geometry of S, τ of the exact certificate
  /// from the trained model and from the SVM of S, and the self-certificate of θ_U.
  package struct Row: Codable, Sendable, Equatable {
    package var seed: Int
    package var d: Int
    package var m: Int
    package var psi: Double
    package var phi: Double
    package var tauExact: Double
    package var tauExactFromSVM: Double
    package var epsilonRelativeSelf: Double
    package var deltaSelf: Double
    package var cosOriginalSVM: Double
    package var training: TrainingColumns
    /// The self-certificate's method when it is not available (empty otherwise).
    package var note: String
    package var seconds: Rounded

    enum CodingKeys: String, CodingKey {
      case seed, d, m, psi, phi, tauExact = "tau_exact", tauExactFromSVM = "tau_exact_from_svm"
      case epsilonRelativeSelf = "epsilon_relative_self", deltaSelf = "delta_self", cosOriginalSVM = "cos_original_svm"
      case training, note, seconds
    }
  }
}
