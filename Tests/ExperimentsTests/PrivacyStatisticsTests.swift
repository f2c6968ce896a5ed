import Foundation
import Testing
@testable import Experiments

/// The statistics of the privacy experiment's verdict (open question 2) on hand-made per-method numbers:
/// the paper's step counted once, one Holm family of 12 correlations, the verdict rule.
@Suite("privacy: correlation family, α counted once, Holm, verdicts")
struct PrivacyStatisticsTests {
  typealias Family = PrivacyExperiment.CorrelationFamily

  /// Eight methods: ε orders every leakage the same way (ρ = +1 on two measures), δ the opposite way,
  /// τ is noise; plus three extra α values of the paper's step that would spoil every correlation.
  static func methods() -> [Family.Method] {
    let l0: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
    let l1: [Double] = [3, 1, 2, 6, 4, 5, 8, 7]
    let l2: [Double] = [5, 3, 8, 1, 7, 2, 6, 4]
    let tau: [Double] = [2, 7, 4, 1, 8, 3, 6, 5]
    let labels = ["ga-kkt α=1.0", "ga-kkt+recover", "fine-tune", "neggrad", "neggrad-plus", "random-label", "newton", "minnorm-og"]
    var methods = labels.indices.map { i in
      Family.Method(label: labels[i], certificates: [Double(i + 1), Double(8 - i), tau[i]],
                    leakages: [l0[i], l1[i], l2[i], 10 * l0[i]])
    }
    for (k, alpha) in ["0.5", "1.5", "2.0"].enumerated() {
      // Smallest errors, largest leakage: counted as methods, they would break ε's perfect order.
      methods.insert(Family.Method(label: "ga-kkt α=\(alpha)", certificates: [0.1 * Double(k), 100, 0.1 * Double(k)],
                                   leakages: [100, 100, 100, 100]), at: k)
    }
    return methods
  }

  @Test("The paper's step enters once, at α = 1 (or the α closest to 1); every other method stays")
  func alphaCountedOnce() {
    let (kept, alpha) = Family.countingAlphaOnce(Self.methods())
    #expect(alpha == 1)
    #expect(kept.map(\.label) == ["ga-kkt α=1.0", "ga-kkt+recover", "fine-tune", "neggrad", "neggrad-plus", "random-label", "newton", "minnorm-og"])
    let withoutOne = Self.methods().filter { $0.label != "ga-kkt α=1.0" }
    let (keptWithout, alphaWithout) = Family.countingAlphaOnce(withoutOne)
    #expect(alphaWithout == 1.5 || alphaWithout == 0.5)
    #expect(keptWithout.filter { $0.label.hasPrefix("ga-kkt α=") }.count == 1 && keptWithout.count == 8)
    let noStep = Self.methods().filter { Family.alphaOfLabel($0.label) == nil }
    #expect(Family.countingAlphaOnce(noStep).alpha == nil && Family.countingAlphaOnce(noStep).methods.count == 7)
    #expect(Family.alphaOfLabel("ga-kkt+recover") == nil && Family.alphaOfLabel("ga-kkt α=0.5") == 0.5)
  }

  @Test("The verdict rule: held / not held only with Holm-adjusted p < 0.05, by the sign of ρ")
  func verdictRule() {
    #expect(Family.verdict(rho: 0.8, holm: 0.049) == .held)
    #expect(Family.verdict(rho: -0.8, holm: 0.049) == .notHeld)
    #expect(Family.verdict(rho: 0.99, holm: 0.05) == .notVisible)
    #expect(Family.verdict(rho: -0.99, holm: 0.5) == .notVisible)
    #expect(Family.verdict(rho: .nan, holm: .nan) == .untestable)
    #expect(Family.combined([.held, .notVisible, .notVisible, .notVisible]) == .held)
    #expect(Family.combined([.held, .notHeld, .notVisible, .notVisible]) == .notHeld)
    #expect(Family.combined([.notVisible, .untestable, .notVisible, .notVisible]) == .notVisible)
    #expect(Family.combined([.untestable, .untestable]) == .untestable)
  }

  @Test("Twelve correlations over the eight methods, Holm-adjusted as one family; verdicts follow the rule")
  func family() {
    let family = Family(Self.methods())
    #expect(family.methods.count == 8 && family.paperAlpha == 1)
    #expect(family.cells.count == 12)
    // ρ is over the eight methods only: ε orders Yeom and the forgetting score perfectly.
    #expect(family.cells[0].rho == 1 && family.cells[3].rho == 1)
    #expect(family.cells[4].rho == -1 && family.cells[7].rho == -1)
    let kept = family.methods
    for cell in family.cells {
      let x = kept.map { $0.certificates[cell.certificate] }, y = kept.map { $0.leakages[cell.leakage] }
      #expect(cell.rho == Statistics.spearman(x, y))
      #expect(cell.p == Statistics.spearmanPValue(x, y))
      #expect(cell.verdict == Family.verdict(rho: cell.rho, holm: cell.holm))
    }
    #expect(family.cells.map(\.holm) == Statistics.holmAdjusted(family.cells.map(\.p)))
    // The correction matters: some raw p below 0.05 does not survive it.
    #expect(family.cells.contains { $0.p < 0.05 && $0.holm >= 0.05 && $0.verdict == .notVisible })
    #expect(family.verdict(certificate: 0) == .held)
    #expect(family.verdict(certificate: 1) == .notHeld)
    #expect(family.verdict(certificate: 2) == .notVisible)
    #expect(family.strongest(certificate: 0)?.leakage == 0)
  }
}
