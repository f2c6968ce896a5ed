import LinearAlgebra

/// Gradient-descent iterates of a model carried in a representation other than
/// `θ` itself (e.g. ``KernelSpaceSteps``), formed into a model only when asked.
///
/// A step is `θ ← θ + s Σ_i v_i ∇_θ N(x_i; θ)` on the fixed training inputs
/// `X` (MATH.md §2); mathematically the same iterates as
/// ``HomogeneousModel/addOutputGradientCombination(_:pass:coefficients:scaledBy:)``.
public protocol TrainingSteps<Model> {
  /// The model being trained.
  associatedtype Model: HomogeneousModel
  /// The forward pass of the current iterate on `X`.
  ///
  /// - Complexity: O(mn) for ``KernelSpaceSteps``.
  func pass() -> Model.Pass
  /// `θ ← θ + s Σ_i v_i ∇_θ N(x_i; θ)`.
  ///
  /// - Parameters:
  ///   - v: One coefficient per example, length m.
  ///   - s: The step factor.
  /// - Complexity: O(m²n) for ``KernelSpaceSteps``.
  mutating func step(coefficients v: [Double], scaledBy s: Double)
  /// The current iterate as a model.
  ///
  /// - Complexity: O(mnd) for ``KernelSpaceSteps`` (forming W).
  mutating func model() -> Model
}
