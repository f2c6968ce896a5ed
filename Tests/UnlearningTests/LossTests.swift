import Foundation
import Testing
import TestSupport
import Unlearning

@Suite("Losses")
struct LossTests {
  @Test("Stable at |q| = 1e4: log value, log derivative and normalised weights are finite", arguments: Loss.allCases)
  func extremeMargins(loss: Loss) {
    for q in [-1e4, -800, -1, 0, 1, 800, 1e4] {
      #expect(loss.logValue(q).isFinite)
      #expect(loss.logNegativeDerivative(q).isFinite)
      #expect(!loss.derivative(q).isNaN)
    }
    let (w, logL) = loss.normalizedDerivativeWeights([-1e4, 0, 1e4])
    #expect(logL.isFinite)
    #expect(w.allSatisfy { $0.isFinite && $0 >= 0 })
  }

  @Test("Closed forms at moderate margins")
  func closedForms() {
    for q in stride(from: -30.0, through: 30, by: 0.7) {
      #expect(abs(Loss.exponential.value(q) - exp(-q)) <= 1e-15 * exp(-q))
      #expect(abs(Loss.exponential.derivative(q) + exp(-q)) <= 1e-15 * exp(-q))
      // Reference in its accurate form (log(1 + e^{−q}) itself loses digits for large q).
      let logistic = q > 0 ? log1p(exp(-q)) : -q + log1p(exp(q))
      #expect(abs(Loss.logistic.value(q) - logistic) <= 1e-14 * logistic)
      #expect(abs(Loss.logistic.derivative(q) + 1 / (1 + exp(q))) <= 1e-15)
      #expect(isClose(Loss.logistic.logValue(q), log(logistic), tolerance: 1e-13))
    }
    // Exactly representable extremes.
    #expect(Loss.exponential.logValue(1e4) == -1e4)
    #expect(Loss.logistic.value(-1e4) == 1e4)
    #expect(abs(Loss.logistic.logValue(1e4) + 1e4) <= 1e-12 * 1e4)
  }

  @Test("Exponential-loss weights −ℓ'(q_i)/L sum to 1; the loss is L in log space")
  func exponentialWeightsSumToOne() {
    let q = [-900.0, -3, 0.5, 2, 700]
    let (w, logL) = Loss.exponential.normalizedDerivativeWeights(q)
    #expect(abs(w.reduce(0, +) - 1) <= 1e-15 * 4)
    #expect(abs(logL - 900) <= 1e-12 * 900)
  }
}
