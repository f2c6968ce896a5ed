import Foundation
import SwiftCSV

/// The text of a `runs.csv` as cells: the header and one record of strings per
/// row. The only reader and writer of the format; typed rows go through
/// ``RunRowCodec``, which turns a row into this type's cells and back.
///
/// The format is RFC 4180 with `\n` line ends: a field containing a comma, a
/// double quote, `\r` or `\n` is written in double quotes, its quotes doubled
/// (``field(_:)``); any other field is written as is. Reading is SwiftCSV's
/// (the parser of the library's `CSVTable`), after ``completeLength(of:)`` has
/// cut off a torn last line.
package struct RunsCSV: Sendable, Equatable {
  /// The column names, in order.
  package var columns: [String]
  /// The rows, each with one cell per column.
  package var records: [[String]]

  package init(columns: [String], records: [[String]] = []) {
    self.columns = columns
    self.records = records
  }

  /// A field as written: in double quotes with its quotes doubled when it contains
  /// a comma, a quote or a line break (RFC 4180 §2.6–2.7), otherwise unchanged.
  ///
  /// - Complexity: O(length of `text`).
  package static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// One record as a CSV line, with its newline.
  package static func line(_ cells: [String]) -> String {
    cells.map(field).joined(separator: ",") + "\n"
  }

  /// The CSV header line (with its newline).
  package var headerLine: String { Self.line(columns) }

  /// The whole table as CSV text.
  package var text: String { headerLine + records.map(Self.line).joined() }

  /// The index of each column by name.
  package var columnIndex: [String: Int] {
    Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The grid point a record belongs to: its cells in `pointColumns`.
  package func point(of record: [String], _ pointColumns: [String]) -> GridPoint {
    let index = columnIndex
    return GridPoint(Dictionary(uniqueKeysWithValues: pointColumns.map { c in (c, index[c].map { record[$0] } ?? "") }))
  }

  /// The byte length of the complete records of `bytes`: everything up to the last
  /// line break outside quotes. What follows it is a torn line (a write cut short).
  ///
  /// - Complexity: O(`bytes.count`).
  package static func completeLength(of bytes: [UInt8]) -> Int {
    var quoted = false
    var complete = 0
    for (k, byte) in bytes.enumerated() {
      if byte == UInt8(ascii: "\"") {
        quoted.toggle()
      } else if byte == UInt8(ascii: "\n"), !quoted {
        complete = k + 1
      }
    }
    return complete
  }

  /// Parses `runs.csv` text: its complete lines only. Returns the table and the byte
  /// length of the complete part (a torn last line is not included); records with
  /// another number of cells than the header are dropped (a journal is append-only,
  /// so only a torn line can be short); `nil` when there is no complete header line
  /// or the quoting is malformed.
  ///
  /// - Complexity: O(length of `text`).
  package static func parse(_ text: String) -> (table: RunsCSV, completeLength: Int)? {
    let bytes = Array(text.utf8)
    let length = completeLength(of: bytes)
    guard length > 0 else { return nil }
    var rows: [[String]] = []
    do {
      let csv = try EnumeratedCSV(string: String(decoding: bytes[..<length], as: UTF8.self), delimiter: .comma,
                                  loadColumns: false, rowLimit: 0)
      try csv.enumerateAsArray(startAt: 0, rowLimit: nil) { rows.append($0) }
    } catch {
      return nil
    }
    guard let header = rows.first else { return nil }
    let table = RunsCSV(columns: header, records: rows.dropFirst().filter { $0.count == header.count })
    return (table, length)
  }

  /// A value as a CSV cell: the shortest representation that reads back exactly
  /// (`nan`, `inf` and `-inf` for the non-finite values).
  package static func cell(_ value: Double) -> String {
    value.isFinite ? "\(value)" : (value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf"))
  }

  /// The value of a cell written by ``cell(_:)-(Double)``; `nil` when it is not a number.
  package static func number(_ text: String) -> Double? {
    switch text {
    case "nan": return .nan
    case "inf": return .infinity
    case "-inf": return -.infinity
    default: return Double(text)
    }
  }
}
