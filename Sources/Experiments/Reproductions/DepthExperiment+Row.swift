extension DepthExperiment {
  /// One (seed, L) of `depth`: the deep network trained on the mixture, GA-KKT's step (α = 1) and its
  /// baselines (doing nothing, fine-tune, retraining) audited strictly on S∖F, and ε/‖θ̂‖ of θ_U(α) at
  /// each multiplier α of the options (the columns `epsilon_alpha_<α>`).
  public struct Row: Codable, Sendable, Equatable {
    /// Every column but the per-α ones.
    public var values: Values
    /// ε/‖θ̂‖ of θ_U(α) on S∖F by α (an α whose audit is undefined is absent: an empty cell).
    public var epsilonAlpha: [Double: Double]

    public init(values: Values, epsilonAlpha: [Double: Double] = [:]) {
      self.values = values
      self.epsilonAlpha = epsilonAlpha
    }

    /// Reads the fixed columns, then every `epsilon_alpha_<α>` column of the record.
    ///
    /// - Throws: `DecodingError` for a cell that is not a value of its field's type, or a column name whose α is no number.
    public init(from decoder: Decoder) throws {
      values = try Values(from: decoder)
      let container = try decoder.container(keyedBy: ColumnKey.self)
      epsilonAlpha = [:]
      for key in container.allKeys where key.stringValue.hasPrefix(DepthExperiment.alphaColumnPrefix) {
        guard let alpha = Double(key.stringValue.dropFirst(DepthExperiment.alphaColumnPrefix.count)) else {
          throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not a column epsilon_alpha_<α>")
        }
        epsilonAlpha[alpha] = try container.decodeIfPresent(Double.self, forKey: key)
      }
    }

    public func encode(to encoder: Encoder) throws {
      try values.encode(to: encoder)
      var container = encoder.container(keyedBy: ColumnKey.self)
      for (alpha, epsilon) in epsilonAlpha { try container.encode(epsilon, forKey: ColumnKey(DepthExperiment.alphaColumn(alpha))) }
    }
  }

  /// The columns of a `depth` row that do not depend on the options.
  public struct Values: RunColumnGroup, Equatable {
    public var seed: Int
    /// Hidden layers.
    public var L: Int
    public var m: Int
    public var d: Int
    public var n: Int
    public var phi: Double
    public var forgetIndex: Int?
    public var lambdaForget: Double?
    public var training = TrainingColumns()
    public var trainEpsilonRelative: Double?
    public var epsilonRelative: Double?
    public var delta: Double?
    public var minMargin: Double?
    public var forgetMarginUnlearned: Double?
    public var nearKinkFraction: Double?
    public var flipFraction: Double?
    public var epsilonOriginalRelative: Double?
    public var epsilonRetrainedRelative: Double?
    public var epsilonFinetuneRelative: Double?
    public var tauRetrained: Double?
    public var tauOriginal: Double?
    public var tauFinetune: Double?
    public var retrainIterations: Int?
    public var retrainConverged: Bool?
    public var testAccuracyOriginal: Double?
    public var testAccuracyUnlearned: Double?
    public var testAccuracyRetrained: Double?
    public var testAccuracyFinetune: Double?
    public var note = ""
    public var seconds: Rounded?

    /// A run's point and data: every measurement unset (filled in as the run gets to it).
    public init(seed: Int, L: Int, m: Int, d: Int, n: Int, phi: Double) {
      self.seed = seed
      self.L = L
      self.m = m
      self.d = d
      self.n = n
      self.phi = phi
    }

    enum CodingKeys: String, CodingKey {
      case seed, L, m, d, n, phi, forgetIndex = "forget_index", lambdaForget = "lambda_forget", training
      case trainEpsilonRelative = "train_epsilon_relative", epsilonRelative = "epsilon_relative", delta, minMargin = "min_margin"
      case forgetMarginUnlearned = "forget_margin_unlearned", nearKinkFraction = "near_kink_fraction", flipFraction = "flip_fraction"
      case epsilonOriginalRelative = "epsilon_original_relative", epsilonRetrainedRelative = "epsilon_retrained_relative"
      case epsilonFinetuneRelative = "epsilon_finetune_relative", tauRetrained = "tau_retrained", tauOriginal = "tau_original"
      case tauFinetune = "tau_finetune", retrainIterations = "retrain_iterations", retrainConverged = "retrain_converged"
      case testAccuracyOriginal = "test_accuracy_original", testAccuracyUnlearned = "test_accuracy_unlearned"
      case testAccuracyRetrained = "test_accuracy_retrained", testAccuracyFinetune = "test_accuracy_finetune", note, seconds
    }
  }
}
