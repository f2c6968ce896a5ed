extension ModelMetadata {
  /// The metadata of a model unlearned from one with this metadata: the original's
  /// provenance, plus what was forgotten and how (MATH.md §8): `unlearned_forget`
  /// (the forget set's row indices, comma-separated), `unlearned_alpha`,
  /// `unlearned_step`, `unlearned_kappa` and `unlearned_method`.
  ///
  /// - Parameters:
  ///   - forgetSet: the indices of the forgotten rows, in the order given.
  ///   - alpha: the step's scale α.
  ///   - step: the step's form (`gradient` or `decomposition`).
  ///   - kappa: the kink tolerance κ of the audit that sized the step.
  ///   - method: the unlearning method's name.
  /// - Complexity: O(|forgetSet|).
  public func recordingUnlearning(forgetSet: [Int], alpha: Double, step: String, kappa: Double, method: String) -> ModelMetadata {
    var provenance = self
    provenance.extra["unlearned_forget"] = forgetSet.map(String.init).joined(separator: ",")
    provenance.extra["unlearned_alpha"] = String(alpha)
    provenance.extra["unlearned_step"] = step
    provenance.extra["unlearned_kappa"] = String(kappa)
    provenance.extra["unlearned_method"] = method
    return provenance
  }
}
