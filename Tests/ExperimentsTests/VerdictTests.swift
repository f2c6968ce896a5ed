import Foundation
import Testing
@testable import Experiments
import Unlearning

/// The rules that turn rows into verdicts, on hand-made numbers whose answer is known.
@Suite("Verdicts: paired comparisons, slopes, Holm")
struct VerdictTests {
  @Test("A paired difference whose interval excludes 0 decides the claim either way")
  func pairedDecides() {
    let a = (0..<20).map { 1.0 + 0.01 * Double($0 % 3) }
    let b = a.map { $0 + 0.1 }  // a is below b by 0.1 on every seed
    let below = PairedComparison(a, b, claim: .below)
    #expect(below.verdict == .held)
    #expect(abs(below.mean + 0.1) < 1e-12 && below.upper < 0)
    #expect(below.seedsAgreeing == "20/20")
    #expect(PairedComparison(a, b, claim: .above).verdict == .notHeld)
    #expect(PairedComparison(b, a, claim: .above).verdict == .held)
  }

  @Test("A flat comparison is not visible; one at a bound is untestable; nothing measured is untestable")
  func flatAndCeiling() {
    let a = (0..<20).map { Double($0) }
    let b = (0..<20).map { Double($0) + ($0 % 2 == 0 ? 1 : -1) }  // differences ±1, mean 0
    let flat = PairedComparison(a, b, claim: .below)
    #expect(flat.verdict == .notVisible && flat.lower < 0 && flat.upper > 0)
    let ones = [Double](repeating: 1, count: 5)
    #expect(PairedComparison(ones, ones, claim: .below, ceiling: 1).verdict == .untestable)
    #expect(PairedComparison(ones, ones, claim: .below).verdict == .notVisible, "without a bound, equal is flat")
    #expect(PairedComparison([.nan], [1], claim: .below).verdict == .untestable)
    #expect(PairedComparison([1, 2], [3, 4], claim: .below).verdict == .untestable, "two seeds: no interval")
    #expect(PairedComparison([1, 2, 3], [3, 4, 5], claim: .below).verdict == .held)
  }

  @Test("Differences within the resolution are rounding: not visible, even when their interval excludes 0")
  func resolution() {
    let a = (0..<20).map { 1e-2 * (1 + Double($0)) }
    let b = a.map { $0 * (1 + 1e-14) }  // b above a by 1e-14 relative on every seed
    #expect(PairedComparison(a, b, claim: .below).verdict == .held, "without a resolution the residue decides")
    let rounded = PairedComparison(a, b, claim: .below, resolution: 1e-8)
    #expect(rounded.withinResolution && rounded.verdict == .notVisible)
    let real = PairedComparison(a, a.map { $0 * 1.01 }, claim: .below, resolution: 1e-8)
    #expect(!real.withinResolution && real.verdict == .held)
  }

  @Test("The same rows give the same interval (seeded bootstrap)")
  func deterministic() {
    let a = (0..<12).map { sin(Double($0)) }, b = (0..<12).map { cos(Double($0)) }
    #expect(PairedComparison(a, b, claim: .below) == PairedComparison(a, b, claim: .below))
  }

  @Test("A power law's slope and its seed-bootstrap interval")
  func slope() {
    // y = c_s x^−1 with a per-seed factor c_s: the log–log slope is exactly −1 on every resample.
    var rows: [(seed: Int, x: Double, y: Double)] = []
    for s in 0..<20 {
      for x in [100.0, 300, 1000, 3000, 10_000] { rows.append((s, x, (1 + 0.1 * Double(s % 4)) / x)) }
    }
    let exact = SlopeEstimate(rows, claim: .below)
    #expect(abs(exact.slope + 1) < 1e-12 && abs(exact.lower + 1) < 1e-12 && abs(exact.upper + 1) < 1e-12)
    #expect(exact.verdict == .held)
    #expect(SlopeEstimate(rows, claim: .above).verdict == .notHeld)
    // Noise around a flat law: the interval contains 0.
    var flat: [(seed: Int, x: Double, y: Double)] = []
    var rng = SeededGenerator(seed: 4, stream: 1)
    for s in 0..<20 {
      for x in [1.0, 2, 4, 8] { flat.append((s, x, 1 + Double(rng.next() % 1000) / 1000)) }
    }
    let f = SlopeEstimate(flat, claim: .above)
    #expect(f.lower < 0 && f.upper > 0 && f.verdict == .notVisible)
    #expect(SlopeEstimate([(0, 1, 1), (0, 2, 2)], claim: .above).verdict == .untestable, "one seed: no interval")
  }

  @Test("Holm's adjustment on a worked example")
  func holm() {
    // Sorted 0.005, 0.01, 0.03, 0.04 → 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06.
    let adjusted = Statistics.holmAdjusted([0.01, 0.04, 0.03, 0.005])
    let expected = [0.03, 0.06, 0.06, 0.02]
    for (x, y) in zip(adjusted, expected) { #expect(abs(x - y) < 1e-15) }
    #expect(Statistics.holmAdjusted([0.9, 0.8]) == [1, 1])
    #expect(Statistics.holmAdjusted([.nan, 0.01])[0].isNaN && Statistics.holmAdjusted([.nan, 0.01])[1] == 0.01)
  }

  @Test("A claim of several parts holds only when every part does")
  func combined() {
    #expect(Verdict.all([.held, .held]) == .held)
    #expect(Verdict.all([.held, .notVisible]) == .notVisible)
    #expect(Verdict.all([.held, .notHeld, .untestable]) == .notHeld)
    #expect(Verdict.all([.held, .untestable]) == .untestable)
    #expect(Verdict.all([]) == .untestable)
  }
}
