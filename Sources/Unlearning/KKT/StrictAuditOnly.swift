import LinearAlgebra

/// A model whose KKT audit is strict only (κ = 0 whatever κ is asked): its
/// ``HomogeneousModel/kinkBand(_:pass:kappa:)`` is always empty because a
/// κ-band audit would not be a convex QP, only a relaxation (the deep network,
/// MATH.md §1). It still reports how many pairs a band would hold.
public protocol StrictAuditOnly: HomogeneousModel {
  /// Per hidden layer, the number of (example, unit) pairs with
  /// `|Z_l[i,j]| ≤ κ ‖W_l[j]‖ ‖A_{l−1}[i]‖` (diagnostic only).
  ///
  /// - Complexity: O(m (d + Σ_l n_l) + p) for the deep network.
  func nearKinkPairs(_ x: Matrix, pass: Pass, kappa: Double) -> [Int]
}
