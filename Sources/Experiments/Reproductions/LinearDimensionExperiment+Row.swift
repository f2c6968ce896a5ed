extension LinearDimensionExperiment {
  /// One run (seed, d) of `linear-dimension`: the geometry of S, τ of the exact certificate
  /// from the trained model and from the SVM of S, and the self-certificate of θ_U.
  public struct Row: Codable, Sendable, Equatable {
    public var seed: Int
    public var d: Int
    public var m: Int
    public var psi: Double
    public var phi: Double
    public var tauExact: Double
    public var tauExactFromSVM: Double
    public var epsilonRelativeSelf: Double
    public var deltaSelf: Double
    public var cosOriginalSVM: Double
    public var training: TrainingColumns
    /// The self-certificate's method when it is not available (empty otherwise).
    public var note: String
    public var seconds: Rounded

    enum CodingKeys: String, CodingKey {
      case seed, d, m, psi, phi, tauExact = "tau_exact", tauExactFromSVM = "tau_exact_from_svm"
      case epsilonRelativeSelf = "epsilon_relative_self", deltaSelf = "delta_self", cosOriginalSVM = "cos_original_svm"
      case training, note, seconds
    }
  }
}
