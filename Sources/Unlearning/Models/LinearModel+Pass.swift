import Foundation

extension LinearModel {
  /// The forward pass of a linear model: only the outputs `N(x_i; w) = ⟨w, x_i⟩`.
  public struct Pass: ModelPass {
    /// `X w`, one per row of `X`.
    public var outputs: [Double]

    /// Creates a pass from its outputs.
    public init(outputs: [Double]) {
      self.outputs = outputs
    }

    /// Outputs times `s^C`.
    ///
    /// - Complexity: O(m).
    public func scaled(by s: Double, degree c: Int) -> Pass {
      let factor = Foundation.pow(s, Double(c))
      return Pass(outputs: outputs.map { $0 * factor })
    }
  }
}
