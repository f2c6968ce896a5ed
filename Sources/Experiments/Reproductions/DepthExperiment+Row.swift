extension DepthExperiment {
  /// One (seed, L) of `depth`: the deep network trained on the mixture, GA-KKT's step (α = 1) and its
  /// baselines (doing nothing, fine-tune, retraining) audited strictly on S∖F, and ε/‖θ̂‖ of θ_U(α) at
  /// each multiplier α of the options (the columns `epsilon_alpha_<α>`).
  package struct Row: Codable, Sendable, Equatable {
    /// Every column but the per-α ones.
    package var values: Values
    /// ε/‖θ̂‖ of θ_U(α) on S∖F by α (an α whose audit is undefined is absent: an empty cell).
    package var epsilonAlpha: [Double: Double]

    package init(values: Values, epsilonAlpha: [Double: Double] = [:]) {
      self.values = values
      self.epsilonAlpha = epsilonAlpha
    }

    /// Reads the fixed columns, then every `epsilon_alpha_<α>` column of the record.
    ///
    /// - Throws: `DecodingError` for a cell that is not a value of its field's type, or a column name whose α is no number.
    package init(from decoder: Decoder) throws {
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

    package func encode(to encoder: Encoder) throws {
      try values.encode(to: encoder)
      var container = encoder.container(keyedBy: ColumnKey.self)
      for (alpha, epsilon) in epsilonAlpha { try container.encode(epsilon, forKey: ColumnKey(DepthExperiment.alphaColumn(alpha))) }
    }
  }

  /// The columns of a `depth` row that do not depend on the options.
  package struct Values: RunColumnGroup, Equatable {
    package var seed: Int
    /// Hidden layers.
    package var L: Int
    package var m: Int
    package var d: Int
    package var n: Int
    package var phi: Double
    package var forgetIndex: Int?
    package var lambdaForget: Double?
    package var training = TrainingColumns()
    package var trainEpsilonRelative: Double?
    package var epsilonRelative: Double?
    package var delta: Double?
    package var minMargin: Double?
    package var forgetMarginUnlearned: Double?
    package var nearKinkFraction: Double?
    package var flipFraction: Double?
    package var epsilonOriginalRelative: Double?
    package var epsilonRetrainedRelative: Double?
    package var epsilonFinetuneRelative: Double?
    package var tauRetrained: Double?
    package var tauOriginal: Double?
    package var tauFinetune: Double?
    package var retrainIterations: Int?
    package var retrainConverged: Bool?
    package var testAccuracyOriginal: Double?
    package var testAccuracyUnlearned: Double?
    package var testAccuracyRetrained: Double?
    package var testAccuracyFinetune: Double?
    package var note = ""
    package var seconds: Rounded?

    /// A run's point and data: every measurement unset (filled in as the run gets to it).
    package init(seed: Int, L: Int, m: Int, d: Int, n: Int, phi: Double) {
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
