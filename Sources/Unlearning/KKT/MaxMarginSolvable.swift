import LinearAlgebra

/// A model with an exact max-margin oracle: the KKT point of
/// `min ‖θ‖² s.t. q_i(θ) ≥ 1` on a data set is computable exactly, so an
/// unlearned model can be compared with the exact solution on `S∖F` (the
/// `exact` certificate). The linear model adopts it with the hard-margin SVM.
public protocol MaxMarginSolvable: HomogeneousModel {
  /// The max-margin solution of `data`: `w* = argmin ‖w‖² s.t. y_i ⟨w, x_i⟩ ≥ 1`.
  ///
  /// - Parameters:
  ///   - data: The data set.
  ///   - svm: The solver to use.
  /// - Complexity: that of ``MaxMarginSVM/solve(_:)``: O(m² d) for the Gram
  ///   matrix and a QP over the m dual variables.
  /// - Throws: ``SVMError`` when `data` is not separable or the dual solve fails.
  static func maxMarginSolution(of data: Dataset, svm: MaxMarginSVM) throws -> MaxMarginSVM.Solution
}
