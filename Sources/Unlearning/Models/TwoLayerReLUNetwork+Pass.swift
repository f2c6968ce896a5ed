import Foundation
import LinearAlgebra

extension TwoLayerReLUNetwork {
  /// The forward pass of a two-layer network: the outputs and the
  /// pre-activations `Z = X Wᵀ` (`Z_ij = ⟨w_j, x_i⟩`) that the gradients, the
  /// kink band and the Gram matrix reuse.
  public struct Pass: ModelPass {
    /// `N(x_i) = Σ_j u_j σ(Z_ij)`, one per row of `X`.
    public var outputs: [Double]
    /// `Z = X Wᵀ`, `m × n`.
    public var preactivations: Matrix

    /// Creates a pass from its outputs and pre-activations.
    public init(outputs: [Double], preactivations: Matrix) {
      self.outputs = outputs
      self.preactivations = preactivations
    }

    /// Outputs times `s^C`, `Z` times `s`.
    ///
    /// - Complexity: O(m n).
    public func scaled(by s: Double, degree c: Int) -> Pass {
      let factor = Foundation.pow(s, Double(c))
      var z = preactivations
      for k in z.elements.indices { z.elements[k] *= s }
      return Pass(outputs: outputs.map { $0 * factor }, preactivations: z)
    }
  }
}
