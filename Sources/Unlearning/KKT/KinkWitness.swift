/// A network moved onto the kinks of its κ-band (MATH.md §6.6), the witness θ̃ of the *witness*
/// certificate: every hidden unit projected by ``KinkProjection`` onto the orthogonal complement of its
/// band rows, the output layer kept, and what the projection did to the activation pattern.
public struct KinkWitness<Model: HomogeneousModel>: Sendable {
  /// θ̃, at the scale of the model it was built from.
  public var model: Model
  /// The band at κ that was projected (pairs of the model it was built from).
  public var band: KinkBand
  /// Band pairs put on their kinks (`band.count`).
  public var projectedPairs: Int
  /// Pairs outside the band whose activation `1[⟨w_j, x_i⟩ > 0]` differs between the model and θ̃.
  public var signChanges: Int
  /// Band rows found dependent on the others of their unit (``KinkProjection/Result/dependentRows``), summed over units.
  public var dependentRows: Int
  /// `max |⟨w̃_j, x_i⟩| / (‖w̃_j‖ ‖x_i‖)` over the band pairs (0 when there are none, or for a zero unit or row):
  /// how exactly the band pairs sit on their kinks after the projection.
  public var largestKinkOffset: Double

  /// Creates a witness from its parts.
  ///
  /// - Complexity: O(1).
  public init(model: Model, band: KinkBand, signChanges: Int, dependentRows: Int, largestKinkOffset: Double) {
    self.model = model
    self.band = band
    self.projectedPairs = band.count
    self.signChanges = signChanges
    self.dependentRows = dependentRows
    self.largestKinkOffset = largestKinkOffset
  }
}
