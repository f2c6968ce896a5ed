/// One forward pass of a model over the rows of `X`: the outputs `N(x_i; θ)`
/// and whatever intermediate values that model's gradients, kink band and Gram
/// matrix reuse (each model declares its own ``HomogeneousModel/Pass``).
public protocol ModelPass: Sendable {
  /// The outputs `N(x_i; θ)`, one per row of `X` (length m).
  var outputs: [Double] { get }
  /// The pass of the model `sθ` (`s > 0`) of degree `C`, without recomputing it:
  /// outputs scale by `s^C` (MATH.md §1), pre-activations of hidden layer `l` by `s^l`.
  ///
  /// This is how the audit normalises (MATH.md §4.1): `θ̂ = θ / γ^{1/C}` has the
  /// pass of `θ` scaled by `s = γ^{−1/C}`.
  ///
  /// - Parameters:
  ///   - s: The scale factor, positive.
  ///   - c: The model's homogeneity degree `C`.
  /// - Complexity: O(size of the pass): O(m) for a linear model, O(mn) for a
  ///   two-layer network, O(m Σ_l n_l) for a deep one.
  func scaled(by s: Double, degree c: Int) -> Self
}
