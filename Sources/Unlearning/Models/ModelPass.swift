/// One forward pass of a model over the rows of `X`: the outputs `N(x_i; θ)`
/// and whatever intermediate values that model's gradients, kink band and Gram
/// matrix reuse (each model declares its own ``HomogeneousModel/Pass``).
public protocol ModelPass: Sendable {
  /// `N(x_i; θ)`, one per row of `X`.
  var outputs: [Double] { get }
  /// The pass of the model `sθ` (`s > 0`) of degree `C`, without recomputing it:
  /// outputs scale by `s^C` (MATH.md §1), pre-activations of hidden layer `l` by `s^l`.
  ///
  /// - Complexity: O(size of the pass).
  func scaled(by s: Double, degree c: Int) -> Self
}
