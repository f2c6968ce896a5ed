/// One independent unit of work of a sweep (typically one seed at one setting):
/// the values of the experiment's grid columns, which every row it produces repeats.
package struct GridPoint: Sendable, Hashable {
  /// Column name → value, for the experiment's ``ReproductionExperiment/pointColumns``.
  package var values: [String: String]

  package init(_ values: [String: String]) {
    self.values = values
  }

  /// `seed=3;d=1000` in the given column order: the identity used by resume and merge.
  package func key(_ columns: [String]) -> String {
    columns.map { "\($0)=\(values[$0] ?? "")" }.joined(separator: ";")
  }

  package subscript(_ column: String) -> String? { values[column] }

  /// Seeds `0..<seeds` at every value of `column`, value-major (the grid of the sweeps over d or ρ).
  package static func seeds(_ seeds: Int, across column: String, _ settings: [String]) -> [GridPoint] {
    settings.flatMap { v in (0..<seeds).map { GridPoint(["seed": String($0), column: v]) } }
  }

  /// The value of a column as a number.
  package func number(_ column: String) -> Double { Double(values[column] ?? "") ?? .nan }
  /// The value of a column as an integer.
  package func integer(_ column: String) -> Int { Int(values[column] ?? "") ?? 0 }
}
