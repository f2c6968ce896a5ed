import Foundation
import LinearAlgebra

/// One forward pass of a model over the rows of `X`: the outputs `N(x_i; θ)`
/// and, for ReLU networks, the pre-activations `Z = X Wᵀ` (`Z_ij = ⟨w_j, x_i⟩`)
/// that the gradients, the kink band and the Gram matrix reuse.
public struct ForwardPass: Sendable {
  /// `N(x_i; θ)`, one per row of `X`.
  public var outputs: [Double]
  /// `Z = X Wᵀ`, `m × n` (`nil` for the linear model); the first layer's for a deep network.
  public var preactivations: Matrix?
  /// Deep networks: `Z_1, …, Z_L`, every hidden layer's pre-activations (`nil` otherwise).
  public var layerPreactivations: [Matrix]?

  public init(outputs: [Double], preactivations: Matrix? = nil, layerPreactivations: [Matrix]? = nil) {
    self.outputs = outputs
    self.preactivations = preactivations
    self.layerPreactivations = layerPreactivations
  }

  /// The pass of the model `sθ` of degree C without recomputing it: outputs
  /// scale by `s^C`, first-layer pre-activations by `s` (layer l's by `s^l` in a deep network).
  public func scaled(by s: Double, degree c: Int) -> ForwardPass {
    let factor = Foundation.pow(s, Double(c))
    var z = preactivations
    if z != nil { for k in z!.elements.indices { z!.elements[k] *= s } }
    var layers = layerPreactivations
    if layers != nil {
      var sl = 1.0
      for l in layers!.indices {
        sl *= s
        for k in layers![l].elements.indices { layers![l].elements[k] *= sl }
      }
    }
    return ForwardPass(outputs: outputs.map { $0 * factor }, preactivations: z, layerPreactivations: layers)
  }
}
