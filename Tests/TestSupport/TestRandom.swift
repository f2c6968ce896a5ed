/// A tiny deterministic generator for test fixtures (splitmix64 + Box–Muller-free polar draws).
public struct TestRandom {
  public var state: UInt64
  public init(_ seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
  /// Approximately standard normal (sum of 12 uniforms − 6): enough for fixtures.
  public mutating func normal() -> Double { (0..<12).reduce(0.0) { s, _ in s + uniform() } - 6 }
}
