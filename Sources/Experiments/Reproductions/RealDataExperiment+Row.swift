extension RealDataExperiment {
  /// One (data set, lift, centring, seed, model, method) of `real-data`: the geometry of the training set and a
  /// method measured against retraining (``MethodMeasurement``), with Yeom's membership-inference AUC.
  package struct Row: Codable, Sendable, Equatable {
    package var dataset: String
    /// Random-feature width D of the lift (0: none).
    package var lift: Int
    /// 1 when the lifted features were centred (column means over the whole set removed), 0 otherwise.
    package var centred: Int
    package var seed: Int
    /// The dimension of the (lifted) inputs.
    package var dimension: Int
    package var model: String
    /// `original`, `retrain`, or a method's `--method` name.
    package var method: String
    package var psi: Double
    package var phi: Double
    package var measured: MethodColumns
    /// Yeom's loss-threshold AUC of the forgotten examples against test examples (`nil` without a model).
    package var miaAUC: Double?
    package var seconds: Rounded?

    enum CodingKeys: String, CodingKey {
      case dataset, lift, centred, seed, dimension, model, method, psi, phi, measured, miaAUC = "mia_auc", seconds
    }
  }
}
