import Foundation
import LinearAlgebra

extension DeepReLUNetwork {
  /// The forward pass of a deep network: the outputs and every hidden layer's
  /// pre-activations `Z_l = A_{l−1} W_lᵀ` (`A_0 = X`, `A_l = σ(Z_l)`).
  public struct Pass: ModelPass {
    /// `N(x_i) = A_L[i] v`, one per row of `X`.
    public var outputs: [Double]
    /// `Z_1, …, Z_L`; `Z_l` is `m × n_l`.
    public var layerPreactivations: [Matrix]

    /// Creates a pass from its outputs and the pre-activations of every hidden layer (at least one).
    public init(outputs: [Double], layerPreactivations: [Matrix]) {
      precondition(!layerPreactivations.isEmpty, "deep network pass: at least one hidden layer")
      self.outputs = outputs
      self.layerPreactivations = layerPreactivations
    }

    /// `Z_1 = X W_1ᵀ`, the first layer's pre-activations.
    public var preactivations: Matrix { layerPreactivations[0] }

    /// Outputs times `s^C`, layer l's pre-activations times `s^l`.
    ///
    /// - Complexity: O(m Σ_l n_l).
    public func scaled(by s: Double, degree c: Int) -> Pass {
      let factor = Foundation.pow(s, Double(c))
      var layers = layerPreactivations
      var sl = 1.0
      for l in layers.indices {
        sl *= s
        for k in layers[l].elements.indices { layers[l].elements[k] *= sl }
      }
      return Pass(outputs: outputs.map { $0 * factor }, layerPreactivations: layers)
    }
  }
}
