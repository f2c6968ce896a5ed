import Foundation

/// The rows of a `runs.csv`: a header and string cells, with typed access for summaries.
///
/// Cells never contain commas, quotes or newlines (experiment values are
/// numbers and short identifiers), so the CSV needs no quoting; ``cell(_:)``
/// enforces this.
public struct RunTable: Sendable, Equatable {
  public var columns: [String]
  public var rows: [[String: String]]

  public init(columns: [String], rows: [[String: String]] = []) {
    self.columns = columns
    self.rows = rows
  }

  /// A value as a CSV cell: the shortest representation that reads back exactly.
  public static func cell(_ value: Double) -> String { value.isFinite ? "\(value)" : (value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf")) }
  public static func cell(_ value: Int) -> String { String(value) }
  public static func cell(_ value: String) -> String {
    String(value.map { $0 == "," || $0 == "\n" || $0 == "\r" || $0 == "\"" ? ";" : $0 })
  }

  /// The CSV header line (with its newline).
  public var headerLine: String { columns.joined(separator: ",") + "\n" }

  /// One row as a CSV line (with its newline); missing cells are empty.
  public func line(_ row: [String: String]) -> String {
    columns.map { row[$0] ?? "" }.joined(separator: ",") + "\n"
  }

  /// The whole table as CSV text.
  public var csv: String { headerLine + rows.map(line).joined() }

  /// Parses CSV text written by ``csv``: complete lines only. Returns the table
  /// and the byte length of the complete part (a torn last line is not included).
  public static func parse(_ text: String) -> (table: RunTable, completeLength: Int)? {
    let bytes = Array(text.utf8)
    guard let headerEnd = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
    let columns = String(decoding: bytes[..<headerEnd], as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    var table = RunTable(columns: columns)
    var start = headerEnd + 1
    var complete = start
    while let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
      let cells = String(decoding: bytes[start..<end], as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
      if cells.count == columns.count {
        var row: [String: String] = [:]
        for (c, v) in zip(columns, cells) { row[c] = String(v) }
        table.rows.append(row)
      }
      start = end + 1
      complete = start
    }
    return (table, complete)
  }

  /// Rows whose `column` equals `value`.
  public func filter(_ column: String, _ value: String) -> [[String: String]] {
    rows.filter { $0[column] == value }
  }

  /// The numeric value of a cell (`nan` when absent or not a number).
  public static func number(_ row: [String: String], _ column: String) -> Double {
    guard let text = row[column] else { return .nan }
    switch text {
    case "inf": return .infinity
    case "-inf": return -.infinity
    default: return Double(text) ?? .nan
    }
  }
}
