/// One point of the ε–δ frontier (MATH.md §4): the smallest stationarity error
/// with complementary slackness at most `deltaBudget`.
public struct FrontierPoint: Sendable, Codable, Equatable {
  /// The slack budget δ₀.
  public var deltaBudget: Double
  /// `ε(δ₀) = min ‖θ̂ − Jᵀz‖` over `0 ≤ λ_i ≤ δ₀/(q_i − 1)` (and `0 ≤ μ ≤ λ` at κ > 0).
  public var epsilon: Double
  /// `ε(δ₀) / ‖θ̂‖`.
  public var epsilonRelative: Double
  /// The δ of the minimising multipliers, `max_i λ_i (q_i(θ̂) − 1)` (≤ δ₀ up to
  /// the tight examples, whose `q_i − 1 ≤ 10⁻¹²` leaves λ_i unbounded).
  public var delta: Double
}
