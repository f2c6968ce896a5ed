/// The (example, unit) pairs on the ReLU kink (MATH.md §4, "Kinks"): pair
/// `(i, j)` is on the band when `|⟨w_j, x_i⟩| ≤ κ ‖w_j‖ ‖x_i‖` (κ > 0; κ = 0
/// means no band). On the band the audit sets `A_ij = 0` and gives the pair
/// its own multiplier `μ_ij ∈ [0, λ_i]`, i.e. a subgradient `σ' ∈ [0, 1]`.
public struct KinkBand: Sendable, Equatable {
  /// The relative tolerance κ.
  public var kappa: Double
  /// Example index `i` of each band pair, in (example, unit) order.
  public var examples: [Int]
  /// Unit index `j` of each band pair.
  public var units: [Int]

  public init(kappa: Double, examples: [Int] = [], units: [Int] = []) {
    precondition(examples.count == units.count)
    self.kappa = kappa
    self.examples = examples
    self.units = units
  }

  /// Number of band pairs.
  public var count: Int { examples.count }

  /// No band at all (the strict audit, or a model without kinks).
  public static func empty(kappa: Double = 0) -> KinkBand { KinkBand(kappa: kappa) }
}
