/// A seeded pseudo-random generator that gives the same bytes on every
/// machine for the same seed (MATH.md §7.2).
///
/// The stream is xoshiro256** (Blackman & Vigna) with its state filled by
/// splitmix64 from the seed. Gaussian draws use Marsaglia's polar method with
/// ``DeterministicMath/log(_:)`` and the correctly rounded square root, so no
/// platform `libm` enters the numbers.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: (UInt64, UInt64, UInt64, UInt64)
  private var spareGaussian: Double? = nil

  /// A generator for `seed`: the xoshiro256** state is four splitmix64 outputs of the seed.
  ///
  /// - Complexity: O(1).
  public init(seed: UInt64) {
    var s = seed
    func splitmix() -> UInt64 {
      s &+= 0x9E37_79B9_7F4A_7C15
      var z = s
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (splitmix(), splitmix(), splitmix(), splitmix())
  }

  /// A generator for one named stream of a seed, so that independent
  /// quantities (data, initialisation) never share draws: seeded with
  /// `seed XOR (stream · 0xD1B54A32D192ED03)` (wrapping product; the streams
  /// are listed in MATH.md §7.4).
  ///
  /// - Complexity: O(1).
  public init(seed: UInt64, stream: UInt64) {
    self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
  }

  @inline(__always)
  private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// The next 64 random bits (xoshiro256**).
  ///
  /// - Complexity: O(1).
  public mutating func next() -> UInt64 {
    let result = Self.rotl(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = Self.rotl(state.3, 45)
    return result
  }

  /// Shuffles `elements` in place (Fisher–Yates, `next() % (i + 1)` from the end): the same
  /// order on every platform, unlike the standard library's `shuffle(using:)`, which promises none.
  ///
  /// - Complexity: O(n) for n elements.
  public mutating func shuffle<T>(_ elements: inout [T]) {
    for i in stride(from: elements.count - 1, to: 0, by: -1) { elements.swapAt(i, Int(next() % UInt64(i + 1))) }
  }

  /// A uniform draw from `[0, 1)`: the top 53 bits times `2⁻⁵³`.
  ///
  /// - Complexity: O(1).
  public mutating func nextUniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform sign: `+1` when the top bit is 0, else `−1`.
  ///
  /// - Complexity: O(1).
  public mutating func nextSign() -> Double {
    next() >> 63 == 0 ? 1 : -1
  }

  /// A standard normal draw (Marsaglia's polar method, MATH.md §7.2): both
  /// `u·f` and `v·f` of an accepted pair are used, the second on the next call.
  ///
  /// - Complexity: O(1) expected (a pair is accepted with probability π/4).
  public mutating func nextGaussian() -> Double {
    if let spare = spareGaussian {
      spareGaussian = nil
      return spare
    }
    while true {
      let u = 2 * nextUniform() - 1
      let v = 2 * nextUniform() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        let factor = (-2 * DeterministicMath.log(s) / s).squareRoot()
        spareGaussian = v * factor
        return u * factor
      }
    }
  }

  /// `count` independent `N(0, standardDeviation²)` draws.
  ///
  /// - Complexity: O(`count`).
  public mutating func gaussians(_ count: Int, standardDeviation: Double = 1) -> [Double] {
    (0..<count).map { _ in nextGaussian() * standardDeviation }
  }
}
