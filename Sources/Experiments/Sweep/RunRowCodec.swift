import Foundation

/// The typed side of `runs.csv`: an experiment's `Row` (a `Codable` struct whose
/// coding keys are the column names) to a record of ``RunsCSV`` cells and back,
/// with the columns in the experiment's order. Doubles are written as
/// ``RunsCSV/cell(_:)`` (the shortest text that reads back to the same bits),
/// Bools as `1`/`0`, `nil` as an empty cell.
package struct RunRowCodec<Row: Codable>: Sendable {
  /// The columns, in the order of `runs.csv`.
  package let columns: [String]
  private let index: [String: Int]

  package init(columns: [String]) {
    self.columns = columns
    self.index = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The cells of `row`, one per column (empty for its `nil` fields).
  ///
  /// - Throws: `EncodingError` when the row has a field that is not a column.
  /// - Complexity: O(number of columns).
  package func cells(_ row: Row) throws -> [String] {
    let encoder = RunRowEncoder(index: index)
    try row.encode(to: encoder)
    return encoder.cells
  }

  /// The row of a record of cells.
  ///
  /// - Throws: `DecodingError` when a cell is not a value of its field's type, or a field has no column.
  /// - Complexity: O(number of columns).
  package func row(_ cells: [String]) throws -> Row {
    try Row(from: RunRowDecoder(index: index, cells: cells))
  }

  /// The CSV lines of `rows` (each with its newline).
  ///
  /// - Throws: as ``cells(_:)``.
  package func lines(_ rows: [Row]) throws -> String {
    try rows.map { RunsCSV.line(try cells($0)) }.joined()
  }

  /// The rows of a table.
  ///
  /// - Throws: ``SweepError/incompatibleJournal(_:)`` when its columns are not ``columns``; as ``row(_:)``.
  package func rows(of table: RunsCSV) throws -> [Row] {
    guard table.columns == columns else {
      throw SweepError.incompatibleJournal("runs.csv has the columns \(table.columns.joined(separator: ",")), not \(columns.joined(separator: ","))")
    }
    return try table.records.map(row)
  }

  /// The rows of `runs.csv` text (its complete lines).
  ///
  /// - Throws: ``SweepError/incompatibleJournal(_:)`` when the text is no runs.csv or has other columns; as ``row(_:)``.
  package func rows(ofText text: String) throws -> [Row] {
    guard let (table, _) = RunsCSV.parse(text) else { throw SweepError.incompatibleJournal("not a runs.csv (no header line)") }
    return try rows(of: table)
  }
}
