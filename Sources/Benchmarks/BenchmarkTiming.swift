import Foundation

/// Repeated timings of one piece of work: min and median seconds.
package struct BenchmarkTiming: Sendable, Codable, Equatable {
  package var runs: [Double]
  package var min: Double { runs.min() ?? .nan }
  package var median: Double {
    let s = runs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
  }

  package init(runs: [Double]) { self.runs = runs }

  /// Runs `body` `repeats` times and records the wall time of each.
  package static func measure(repeats: Int, _ body: () throws -> Void) rethrows -> BenchmarkTiming {
    var runs: [Double] = []
    for _ in 0..<max(1, repeats) {
      let start = DispatchTime.now().uptimeNanoseconds
      try body()
      runs.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }
    return BenchmarkTiming(runs: runs)
  }

  enum CodingKeys: String, CodingKey { case runs, min, median }
  package func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(runs, forKey: .runs)
    try c.encode(min, forKey: .min)
    try c.encode(median, forKey: .median)
  }
  package init(from decoder: Decoder) throws {
    runs = try decoder.container(keyedBy: CodingKeys.self).decode([Double].self, forKey: .runs)
  }
}
