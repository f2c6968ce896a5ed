import Foundation
import TestSupport
import Testing
import Unlearning

/// The membership-inference measures against hand counts and closed forms.
@Suite("Membership inference and forgetting scores")
struct PrivacyTests {
  /// AUC by the definition: the fraction of (positive, negative) pairs ordered correctly, ties counted ½.
  static func pairAUC(_ p: [Double], _ n: [Double]) -> Double {
    var s = 0.0
    for a in p { for b in n { s += a > b ? 1 : (a == b ? 0.5 : 0) } }
    return s / Double(p.count * n.count)
  }

  @Test("AUC equals the pair count exactly, ties included; 1 when separated, ½ for identical samples")
  func auc() {
    var rng = TestRandom(71)
    for _ in 0..<20 {
      // Scores on a coarse grid so that ties occur.
      let p = (0..<13).map { _ in (rng.normal() * 2 + 0.7).rounded() }
      let n = (0..<9).map { _ in (rng.normal() * 2).rounded() }
      #expect(AttackCurve(positives: p, negatives: n).auc == Self.pairAUC(p, n))
    }
    #expect(AttackCurve(positives: [3, 4, 5], negatives: [0, 1, 2]).auc == 1)
    #expect(AttackCurve(positives: [1, 2, 2], negatives: [1, 2, 2]).auc == 0.5)
    #expect(AttackCurve(positives: [], negatives: [1]).auc.isNaN)
  }

  @Test("TPR at low FPR: the best threshold whose false-positive rate stays under the target")
  func tprAtLowFPR() {
    // 100 negatives 0..<100, positives 95..<195: flagging s ≥ 99 gives FPR 1/100, TPR 96/100.
    let negatives = (0..<100).map(Double.init)
    let positives = (95..<195).map(Double.init)
    let curve = AttackCurve(positives: positives, negatives: negatives, fprTarget: 0.01)
    #expect(curve.tprAtLowFPR == 0.96)
    #expect(AttackCurve(positives: [0, 1], negatives: [5, 6], fprTarget: 0.01).tprAtLowFPR == 0)
  }

  @Test("Gaussian KL against its closed form and 0 for equal fits; the likelihood ratio is the log-density difference")
  func gaussians() {
    let a = GaussianFit(mean: 1, variance: 4), b = GaussianFit(mean: -0.5, variance: 1)
    // ½ [4/1 + (1.5)²/1 − 1 − ln 4]
    #expect(abs(a.divergence(from: b) - 0.5 * (4 + 2.25 - 1 - Foundation.log(4.0))) < 1e-15)
    #expect(a.divergence(from: a) == 0)
    let fit = GaussianFit([1, 2, 3, 4])!
    #expect(fit.mean == 2.5 && abs(fit.variance - 5.0 / 3) < 1e-15)
    #expect(GaussianFit([1]) == nil)
    let attack = LikelihoodRatioAttack(inside: [2, 3, 4], outside: [-1, 0, 1])!
    #expect(attack.score(3) > 0 && attack.score(0) < 0)
    #expect(abs(attack.score(0.7) - (attack.inside.logDensity(0.7) - attack.outside.logDensity(0.7))) < 1e-15)
  }

  @Test("Forgetting score: ε̂ from the best threshold by hand; a perfect separation is ε̂ = ∞ (score 0); identical populations score 1")
  func forgettingScore() {
    let score = ForgettingScore(delta: 0)
    // Unlearned {1, 2, 3, 5}, retrained {4, 6, 7, 8}. "Flag q < 4" catches 3 of 4 unlearned (FNR 1/4) and no retrained
    // (FPR 0): skipped. "Flag q < 5" (t = 5, mirror): FNR 1/4, FPR 1/4 → log((1 − 1/4)/(1/4)) = log 3, the best.
    #expect(abs(score.epsilon(unlearned: [1, 2, 3, 5], retrained: [4, 6, 7, 8]) - Foundation.log(3.0)) < 1e-15)
    #expect(score.exampleScore(Foundation.log(3.0)) == 0.25)  // ⌊1.0986/0.5⌋ = 2
    #expect(score.epsilon(unlearned: [1, 2, 3], retrained: [4, 5, 6]) == .infinity)
    #expect(score.exampleScore(.infinity) == 0)
    let same = [1.0, 2, 3, 4, 5, 6, 7, 8]
    #expect(score.epsilon(unlearned: same, retrained: same) == 0)
    let mean: Double = (1 + 1 + 0.25 + 0) / 4
    let epsilons: [Double] = [0, 0.2, Foundation.log(3.0), .infinity]
    #expect(score.score(epsilons: epsilons) == mean)
    #expect(score.epsilon(unlearned: [], retrained: [1]).isNaN)
  }
}
