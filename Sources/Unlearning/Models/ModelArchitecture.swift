/// The architectures a model file can hold (MATH.md §1, §8), with what it
/// takes to build a fresh initialisation of each.
public enum ModelArchitecture: Sendable, Equatable {
  /// `N(x; w) = ⟨w, x⟩`.
  case linear
  /// `N(x; θ) = Σ_j u_j σ(⟨w_j, x⟩)` with `width` hidden units; `u` fixed at
  /// `±1/√n` (C = 1) or trained (C = 2).
  case twoLayer(width: Int, trainOutputLayer: Bool)
  /// `N(x; θ) = vᵀσ(W_L … σ(W_1 x))`: `depth` = L hidden layers of `width` units, every layer trained (C = L + 1).
  case deep(depth: Int, width: Int)

  /// The `architecture` metadata value of MATH.md §8.2: `linear`, `two-layer-relu`
  /// or `deep-relu`.
  ///
  /// - Complexity: O(1).
  public var metadataName: String {
    switch self {
    case .linear: return "linear"
    case .twoLayer: return "two-layer-relu"
    case .deep: return "deep-relu"
    }
  }

  /// A seeded initialisation (MATH.md §1.5: entries `N(0, s²/fan_in)`, stream 2 of `seed`).
  ///
  /// - Parameters:
  ///   - d: The input dimension.
  ///   - s: The init scale `s`.
  ///   - seed: The seed.
  /// - Returns: A fresh model of this architecture.
  /// - Complexity: O(p) draws.
  public func initialModel(dimension d: Int, initScale s: Double, seed: UInt64) -> any HomogeneousModel {
    switch self {
    case .linear:
      return LinearModel.initialized(dimension: d, initScale: s, seed: seed)
    case .twoLayer(let n, let trained):
      return TwoLayerReLUNetwork.initialized(width: n, dimension: d, trainsOutputLayer: trained, initScale: s, seed: seed)
    case .deep(let depth, let n):
      return DeepReLUNetwork.initialized(depth: depth, width: n, dimension: d, initScale: s, seed: seed)
    }
  }

  /// The architecture of a model: ``HomogeneousModel/architecture``.
  ///
  /// - Complexity: O(1).
  public static func of(_ model: any HomogeneousModel) -> ModelArchitecture { model.architecture }

  /// The `architecture` metadata values a model file can hold, in the order error messages list them.
  public static let metadataNames = ["linear", "two-layer-relu", "deep-relu"]

  /// The model type that reads model files whose `architecture` metadata is `name`
  /// (``HomogeneousModel/init(tensors:metadata:)``), or `nil` for an unknown name.
  ///
  /// - Complexity: O(1).
  public static func modelType(named name: String) -> (any HomogeneousModel.Type)? {
    switch name {
    case "linear": return LinearModel.self
    case "two-layer-relu": return TwoLayerReLUNetwork.self
    case "deep-relu": return DeepReLUNetwork.self
    default: return nil
    }
  }
}
