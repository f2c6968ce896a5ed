import LinearAlgebra

/// A model whose gradient-descent training can run in the span of the data
/// (``KernelSpaceSteps`` for the two-layer network with a fixed output layer:
/// `O(m² n)` per step instead of `O(m n d)`). ``Trainer`` uses the steps when
/// the model offers them.
public protocol KernelSpaceTrainable: HomogeneousModel {
  /// The iterates in kernel space.
  associatedtype KernelSteps: TrainingSteps where KernelSteps.Model == Self

  /// Whether kernel-space steps apply to this model and are cheaper on `m` examples in dimension `d`.
  ///
  /// - Complexity: O(1).
  func trainsInKernelSpace(examples m: Int, dimension d: Int) -> Bool
  /// Kernel-space steps starting at `self` on the training inputs `x`
  /// (call only when ``trainsInKernelSpace(examples:dimension:)``).
  ///
  /// - Complexity: O(m² d + m n d) for the two-layer network (`K` and the first `Z`).
  func kernelSpaceSteps(on x: Matrix) -> KernelSteps
}
