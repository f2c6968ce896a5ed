import Foundation

/// Tick positions and labels: "nice" 1-2-5 steps on linear axes, the decades
/// 10^k (with 2…9 × 10^k as minor ticks) on log axes.
package enum NiceTicks {
  /// The 1-2-5 step (1, 2 or 5 times a power of ten) that cuts `span` into
  /// about `targetCount` intervals; 1 for an empty or non-finite span.
  package static func step(span: Double, targetCount: Int) -> Double {
    guard span > 0, span.isFinite else { return 1 }
    let raw = span / Double(max(1, targetCount))
    let magnitude = pow(10, floor(log10(raw)))
    guard magnitude > 0, magnitude.isFinite else { return 1 }
    let fraction = raw / magnitude
    // Round to the nearest of 1, 2, 5, 10 on a log scale (geometric midpoints).
    let nice: Double = fraction < 2.0.squareRoot() ? 1 : fraction < 10.0.squareRoot() ? 2 : fraction < 50.0.squareRoot() ? 5 : 10
    return nice * magnitude
  }

  /// The multiples of ``step(span:targetCount:)`` that lie in `range`
  /// (about `targetCount` + 1 of them), exactly 0 where a multiple is 0.
  package static func linearValues(_ range: ClosedRange<Double>, targetCount: Int) -> (values: [Double], step: Double) {
    let span = range.upperBound - range.lowerBound
    let step = step(span: span, targetCount: targetCount)
    let first = ceil(range.lowerBound / step - 1e-9)
    let last = floor(range.upperBound / step + 1e-9)
    guard first.isFinite, last.isFinite, last >= first, last - first <= 1000 else { return ([], step) }
    let values = stride(from: first, through: last, by: 1).map { k -> Double in
      let v = k * step
      return abs(v) < step * 1e-9 ? 0 : v
    }
    return (values, step)
  }

  /// Labelled ticks at nice 1-2-5 multiples in `range`.
  package static func linear(_ range: ClosedRange<Double>, targetCount: Int = 6) -> [AxisTick] {
    let (values, step) = linearValues(range, targetCount: targetCount)
    return values.map { AxisTick(value: $0, label: label($0, step: step)) }
  }

  /// The exponents k with 10^k in `range` (which must be positive), ascending.
  package static func decades(_ range: ClosedRange<Double>) -> [Int] {
    guard range.lowerBound > 0, range.upperBound.isFinite else { return [] }
    let low = ceil(log10(range.lowerBound) - 1e-9)
    let high = floor(log10(range.upperBound) + 1e-9)
    guard low <= high, low > -400, high < 400 else { return [] }
    return Array(Int(low)...Int(high))
  }

  /// Ticks for a log axis over the positive `range`: the decades 10^k as major
  /// ticks, labelled "10^k" (every `n`-th decade when more than `maxLabels`
  /// would be labelled, the others becoming minor ticks), and 2…9 × 10^k as
  /// unlabelled minor ticks when the range spans at most six decades.
  ///
  /// A range of at most about two decades within 10⁻³…10⁵ instead labels 1, 2
  /// and 5 × 10^k in plain numbers ("1", "2", "5", "10", "20") when that gives
  /// from three to `maxLabels` labels; a range holding fewer than two decades
  /// otherwise gets linear 1-2-5 ticks.
  package static func logarithmic(_ range: ClosedRange<Double>, maxLabels: Int = 8) -> [AxisTick] {
    let exponents = decades(range)
    let lowLog = log10(range.lowerBound)
    let highLog = log10(range.upperBound)
    if highLog - lowLog <= 2.05, range.lowerBound >= 1e-3 * (1 - 1e-9), range.upperBound <= 1e5 {
      // A short log axis: label 1, 2 and 5 × 10^k in plain numbers.
      var ticks: [AxisTick] = []
      for k in Int(floor(lowLog))...Int(ceil(highLog)) {
        let decade = pow(10, Double(k))
        for m in 1...9 {
          let v = Double(m) * decade
          guard v >= range.lowerBound * (1 - 1e-12), v <= range.upperBound * (1 + 1e-12) else { continue }
          let labelled = m == 1 || m == 2 || m == 5
          ticks.append(AxisTick(value: v, label: labelled ? label(v, step: decade) : "", isMajor: labelled))
        }
      }
      let labelled = ticks.filter(\.isMajor).count
      if labelled >= 3, labelled <= max(3, maxLabels) { return ticks }
    }
    if exponents.count < 2 {
      let ticks = linear(range, targetCount: max(2, min(maxLabels, 5))).filter { $0.value > 0 }
      return ticks.count >= 2 ? ticks : exponents.map { AxisTick(value: pow(10, Double($0)), label: decadeLabel($0)) }
    }
    let every = max(1, Int((Double(exponents.count) / Double(max(1, maxLabels))).rounded(.up)))
    var ticks = exponents.map { k -> AxisTick in
      let labelled = ((k % every) + every) % every == 0
      return AxisTick(value: pow(10, Double(k)), label: labelled ? decadeLabel(k) : "", isMajor: labelled)
    }
    if highLog - lowLog <= 6 {
      for k in Int(floor(lowLog))...Int(ceil(highLog)) {
        for m in 2...9 {
          let v = Double(m) * pow(10, Double(k))
          if v >= range.lowerBound * (1 - 1e-12), v <= range.upperBound * (1 + 1e-12) {
            ticks.append(AxisTick(value: v, label: "", isMajor: false))
          }
        }
      }
    }
    return ticks.sorted { $0.value < $1.value }
  }

  /// Ticks for `scale` over `range` with about `maxLabels` labels.
  package static func ticks(scale: PlotAxis.Scale, range: ClosedRange<Double>, maxLabels: Int) -> [AxisTick] {
    switch scale {
    case .linear: return linear(range, targetCount: max(1, maxLabels - 1))
    case .log10: return logarithmic(range, maxLabels: maxLabels)
    }
  }

  /// The label of the decade 10^k: "10" followed by k in superscript digits,
  /// e.g. "10⁻³", "10⁰", "10²".
  package static func decadeLabel(_ exponent: Int) -> String {
    let superscripts: [Character: Character] = [
      "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻",
    ]
    return "10" + String(String(exponent).map { superscripts[$0] ?? $0 })
  }

  /// The label of a tick at `value` on a linear axis with tick spacing `step`:
  /// as many decimals as the step needs, the same for every tick of the axis
  /// ("0.05", "1.0" and "1.5" for a step 0.5, "20"), or scientific notation with
  /// the digits the step needs ("2e-5", "1.5e6", "1.0e6" for a step 2e5) for
  /// very small steps or large values. Never "-0".
  package static func label(_ value: Double, step: Double) -> String {
    guard value.isFinite else { return "" }
    let stepExponent = step > 0 && step.isFinite ? Int(floor(log10(step) + 1e-9)) : 0
    let decimals = max(0, -stepExponent)
    if abs(value) >= 1e5 || decimals > 4 {
      if value == 0 { return "0" }
      var exponent = Int(floor(log10(abs(value)) + 1e-12))
      let digits = min(6, max(0, exponent - stepExponent))
      var mantissa = value / pow(10, Double(exponent))
      let scale = pow(10, Double(digits))
      if abs((mantissa * scale).rounded() / scale) >= 10 {
        exponent += 1
        mantissa = value / pow(10, Double(exponent))
      }
      return trimmed(String(format: "%.\(digits)f", mantissa)) + "e\(exponent)"
    }
    return trimmed(String(format: "%.\(decimals)f", value))
  }

  /// `text` without a minus sign on a zero ("-0.00" → "0.00").
  static func trimmed(_ text: String) -> String {
    if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(text.dropFirst()) }
    return text
  }
}
