/// The (example, unit) pairs on the ReLU kink (MATH.md §4, "Kinks"): pair
/// `(i, j)` is on the band when `|⟨w_j, x_i⟩| ≤ κ ‖w_j‖ ‖x_i‖` (κ > 0; κ = 0
/// means no band). On the band the audit sets `A_ij = 0` and gives the pair
/// its own multiplier `μ_ij ∈ [0, λ_i]`, i.e. a subgradient `σ' ∈ [0, 1]`.
///
/// The pairs are stored as two parallel arrays, ``examples`` and ``units``;
/// band pair `t` is `(examples[t], units[t])` and owns QP variable `m + t`
/// (MATH.md §4.6). Models without kinks, and the deep network (strict audit
/// only, MATH.md §1.6), always return an empty band.
public struct KinkBand: Sendable, Equatable {
  /// The relative tolerance κ.
  public var kappa: Double
  /// Example index `i` of each band pair, in (example, unit) order.
  public var examples: [Int]
  /// Unit index `j` of each band pair.
  public var units: [Int]

  /// Creates a band at tolerance `kappa` holding the pairs `(examples[t], units[t])`.
  ///
  /// - Parameters:
  ///   - kappa: The relative tolerance κ ≥ 0.
  ///   - examples: The example index `i` of each pair.
  ///   - units: The unit index `j` of each pair, as many as `examples`.
  /// - Complexity: O(1).
  public init(kappa: Double, examples: [Int] = [], units: [Int] = []) {
    precondition(examples.count == units.count)
    self.kappa = kappa
    self.examples = examples
    self.units = units
  }

  /// Number of band pairs.
  ///
  /// - Complexity: O(1).
  public var count: Int { examples.count }

  /// No band at all (the strict audit, or a model without kinks), recording `kappa`.
  ///
  /// - Complexity: O(1).
  public static func empty(kappa: Double = 0) -> KinkBand { KinkBand(kappa: kappa) }
}
