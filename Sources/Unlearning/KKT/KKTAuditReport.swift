import LinearAlgebra

/// What a KKT audit of a model on a data set found (MATH.md §4).
///
/// Every ε is the norm of the explicitly computed stationarity residual of the
/// normalised model `θ̂` (minimum margin exactly 1); the `…Relative` values
/// divide it by `‖θ̂‖`.
public struct KKTAuditReport<Model: HomogeneousModel>: Sendable {
  /// The kink tolerance κ of ``epsilon``, ``delta``, ``multipliers``.
  public var kappa: Double
  /// `ε(κ) = min_{λ ≥ 0, 0 ≤ μ ≤ λ} ‖R‖` (MATH.md §4.6), the norm of the explicit residual.
  public var epsilon: Double
  /// `ε(κ) / ‖θ̂‖`.
  public var epsilonRelative: Double
  /// The strict `ε = ε(0)` (`σ'(z) = 1[z > 0]`, no band).
  public var epsilonStrict: Double
  /// `ε(0) / ‖θ̂‖`.
  public var epsilonStrictRelative: Double
  /// `δ = max_i λ_i (q_i(θ̂) − 1)` for the multipliers at κ.
  public var delta: Double
  /// δ for the strict multipliers.
  public var deltaStrict: Double
  /// `γ = min_i q_i(θ)` of the model as given (before normalisation), > 0.
  public var minMargin: Double
  /// `λ` at κ, one per example in data order.
  public var multipliers: [Double]
  /// `μ_ij`, one per band pair (see ``band``).
  public var kinkShares: [Double]
  /// `λ` of the strict audit.
  public var strictMultipliers: [Double]
  /// The band pairs at κ.
  public var band: KinkBand
  /// `θ̂ = θ / γ^{1/C}`.
  public var normalizedModel: Model
  /// The forward pass of `θ̂` on the audited data.
  public var normalizedPass: Model.Pass
  /// `q_i(θ̂) = q_i(θ)/γ` (minimum exactly 1).
  public var normalizedMargins: [Double]
  /// `‖θ̂‖`.
  public var normalizedNorm: Double
  /// ψ and φ of the audited data (Assumption 2.3).
  public var geometry: DataGeometry
  /// The smallest ε double precision can resolve here (MATH.md §4.4):
  ///
  ///     ε_floor = (N_z + 1) · u · (‖θ̂‖ + Σ_k z_k √G_kk)
  ///
  /// with `N_z` the QP's variables (of the κ-QP when the band is not empty),
  /// `u = 2⁻⁵²` and `√G_kk = ‖J_k‖`: the rounding the explicit residual
  /// `θ̂ − Σ_k z_k J_k` carries.
  public var epsilonFloor: Double
  /// Whether ε is at or below ``epsilonFloor``: it then says "zero to working
  /// precision", not a measured distance.
  ///
  /// - Complexity: O(1).
  public var epsilonAtFloor: Bool { epsilon <= epsilonFloor }
  /// Status of the κ-QP solve (and of the strict one, when it is worse).
  public var solverStatus: ActiveSetQPSolver.Status
  /// Active-set iterations of the κ-QP (of the strict QP when the band is empty).
  public var solverIterations: Int

  /// The homogeneity degree `C` of the model.
  ///
  /// - Complexity: O(1).
  public var homogeneityDegree: Int { normalizedModel.homogeneityDegree }
  /// Number of band pairs at κ.
  ///
  /// - Complexity: O(1).
  public var bandPairs: Int { band.count }
}
