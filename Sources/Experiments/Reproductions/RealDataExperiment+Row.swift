extension RealDataExperiment {
  /// One (data set, lift, seed, model, method) of `real-data`: the geometry of the training set and a
  /// method measured against retraining (``MethodMeasurement``), with Yeom's membership-inference AUC.
  public struct Row: Codable, Sendable, Equatable {
    public var dataset: String
    /// Random-feature width D of the lift (0: none).
    public var lift: Int
    public var seed: Int
    /// The dimension of the (lifted) inputs.
    public var dimension: Int
    public var model: String
    /// `original`, `retrain`, or a method's `--method` name.
    public var method: String
    public var psi: Double
    public var phi: Double
    public var measured: MethodColumns
    /// Yeom's loss-threshold AUC of the forgotten examples against test examples (`nil` without a model).
    public var miaAUC: Double?
    public var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case dataset, lift, seed, dimension, model, method, psi, phi, measured, miaAUC = "mia_auc", seconds
    }
  }
}
