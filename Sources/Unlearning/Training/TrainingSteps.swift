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
  func pass() -> Model.Pass
  /// `θ ← θ + s Σ_i v_i ∇_θ N(x_i; θ)`.
  mutating func step(coefficients v: [Double], scaledBy s: Double)
  /// The current iterate as a model.
  mutating func model() -> Model
}
