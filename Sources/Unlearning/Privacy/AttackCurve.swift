import Foundation

/// The ROC summary of a membership score: `positives` are scores of the examples
/// the attack should flag (members, or forgotten examples), `negatives` those of
/// non-members; a higher score means "member" (MATH.md §11.2).
public struct AttackCurve: Sendable, Equatable {
  /// Area under the ROC curve, `P(s⁺ > s⁻) + ½ P(s⁺ = s⁻)` (the Mann–Whitney
  /// statistic, exact with ties); 0.5 is no better than a coin.
  public var auc: Double
  /// The largest true-positive rate among thresholds whose false-positive rate is
  /// at most ``fprTarget`` (LiRA's "TPR at low FPR").
  public var tprAtLowFPR: Double
  /// The false-positive budget of ``tprAtLowFPR`` (1 % by default).
  public var fprTarget: Double

  /// The curve of `positives` against `negatives` (non-finite scores are dropped);
  /// ``auc`` and ``tprAtLowFPR`` are NaN when either side has no finite score.
  ///
  /// - Parameters:
  ///   - positives: Scores of the examples to flag.
  ///   - negatives: Scores of the examples not to flag.
  ///   - fprTarget: The false-positive budget of the threshold rules "flag s ≥ t".
  /// - Complexity: O((P + N) log(P + N)) for P positives and N negatives.
  public init(positives: [Double], negatives: [Double], fprTarget: Double = 0.01) {
    let pos = positives.filter(\.isFinite).sorted()
    let neg = negatives.filter(\.isFinite).sorted()
    self.fprTarget = fprTarget
    guard !pos.isEmpty, !neg.isEmpty else {
      auc = .nan
      tprAtLowFPR = .nan
      return
    }
    // AUC by a merge over the sorted scores: for each positive, count negatives below and equal.
    var below = 0, equal = 0, j = 0
    var sum = 0.0
    for p in pos {
      while j < neg.count, neg[j] < p { j += 1 }
      below = j
      var k = j
      while k < neg.count, neg[k] == p { k += 1 }
      equal = k - j
      sum += Double(below) + 0.5 * Double(equal)
    }
    auc = sum / (Double(pos.count) * Double(neg.count))
    // Thresholds t: flag s ≥ t. FPR(t) = #{neg ≥ t}/|neg|; scan t over the distinct scores, high to low.
    let thresholds = Array(Set(pos + neg)).sorted(by: >)
    var best = 0.0
    for t in thresholds {
      let fpr = Double(neg.count - Self.countBelow(neg, t)) / Double(neg.count)
      if fpr > fprTarget { break }
      best = max(best, Double(pos.count - Self.countBelow(pos, t)) / Double(pos.count))
    }
    tprAtLowFPR = best
  }

  /// `#{x < t}` in a sorted array.
  static func countBelow(_ sorted: [Double], _ t: Double) -> Int {
    var lo = 0, hi = sorted.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if sorted[mid] < t { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
}
