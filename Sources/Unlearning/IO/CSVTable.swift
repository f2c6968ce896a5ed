import Foundation
import LinearAlgebra
import SwiftCSV

/// A numeric CSV table (MATH.md §8): every cell a finite number, every row
/// as long as the header (or the first row).
///
/// Parsing (quotes, delimiters, a leading byte-order mark) is SwiftCSV's; this
/// type adds what SwiftCSV does not check: ragged rows, non-numeric and
/// non-finite cells, each reported with its line and column. Blank lines are
/// skipped; spaces around a number are ignored.
public struct CSVTable: Sendable, Equatable {
  /// The column names from the header row, or `nil` when the file has no header.
  public let header: [String]?
  /// The number of data rows (the header excluded).
  public let rowCount: Int
  /// The number of columns.
  public let columnCount: Int
  /// The cells, row-major: cell `(i, j)` is `values[i * columnCount + j]`.
  public let values: [Double]
  /// The line of the file (1-based) each data row starts on, for messages.
  public let lineNumbers: [Int]

  /// Reads the CSV file at `url`; see ``parse(_:name:hasHeader:delimiter:)``.
  /// The delimiter defaults to a tab for `.tsv` files and a comma otherwise.
  ///
  /// - Throws: ``FileFormatError``: `.io` when the file is missing, a directory
  ///   or unreadable, `.malformed` when it is not UTF-8, and the errors of
  ///   ``parse(_:name:hasHeader:delimiter:)``.
  /// - Complexity: O(file size).
  public static func read(_ url: URL, hasHeader: Bool, delimiter: Character? = nil) throws -> CSVTable {
    let name = FileFormatError.displayName(url)
    let bytes = try FileFormatError.readBytes(url)
    guard let text = String(bytes: bytes, encoding: .utf8) else {
      throw FileFormatError(.malformed, file: name, "not UTF-8 text (is it really a CSV file?)")
    }
    let separator = delimiter ?? (url.pathExtension.lowercased() == "tsv" ? "\t" : ",")
    return try parse(text, name: name, hasHeader: hasHeader, delimiter: separator)
  }

  /// Parses CSV `text` from the file `name` (used in messages only).
  ///
  /// Throws when the text has no rows (or only a header), a row has more or
  /// fewer fields than the header (or, without a header, the first row), a
  /// cell is empty or not a number, a number is NaN or infinite, or the
  /// quoting is malformed. Lines and columns in messages are 1-based.
  ///
  /// - Parameters:
  ///   - text: The file's contents.
  ///   - name: The file name for messages.
  ///   - hasHeader: Whether the first non-blank row is a header.
  ///   - delimiter: The field separator.
  /// - Throws: ``FileFormatError`` (`.malformed` or `.invalidContents`) naming `name`,
  ///   the line and the column.
  /// - Complexity: O(length of `text`).
  public static func parse(_ text: String, name: String, hasHeader: Bool, delimiter: Character = ",") throws -> CSVTable {
    func fail(_ kind: FileFormatError.Kind, _ problem: String) -> FileFormatError {
      FileFormatError(kind, file: name, problem)
    }
    guard delimiter != "\"", !delimiter.isNewline else {
      throw fail(.unsupported, "the delimiter cannot be a quote or a line break")
    }
    var content = text
    // SwiftCSV drops an empty last field when the text does not end with a line break.
    if let last = content.last, !last.isNewline { content.append("\n") }

    // Every row as SwiftCSV splits it, with the line it starts on; blank lines skipped.
    var rows: [(line: Int, fields: [String])] = []
    var line = 1
    do {
      let csv = try EnumeratedCSV(string: content, delimiter: .character(delimiter), loadColumns: false, rowLimit: 0)
      try csv.enumerateAsArray(startAt: 0, rowLimit: nil) { fields in
        let isBlank = fields.count == 1 && fields[0].allSatisfy(\.isWhitespace)
        if !isBlank { rows.append((line, fields)) }
        line += 1 + fields.reduce(0) { $0 + $1.reduce(0) { $0 + ($1.isNewline ? 1 : 0) } }
      }
    } catch let error as CSVParseError {
      let message: String
      switch error {
      case .generic(let m), .quotation(let m): message = m
      }
      throw fail(.malformed, "malformed CSV on or after line \(line): \(message)")
    }

    guard !rows.isEmpty else { throw fail(.invalidContents, "empty file: no rows") }
    var header: [String]? = nil
    var dataRows = rows[...]
    if hasHeader {
      header = rows[0].fields.map { $0.trimmingCharacters(in: .whitespaces) }
      dataRows = rows.dropFirst()
      guard !dataRows.isEmpty else { throw fail(.invalidContents, "no data rows after the header (line \(rows[0].line))") }
    }
    let columnCount = header?.count ?? dataRows.first!.fields.count
    let reference = hasHeader ? "the header (line \(rows[0].line)) has \(columnCount)" : "line \(dataRows.first!.line) has \(columnCount)"

    func columnLabel(_ j: Int) -> String {
      if let header, j < header.count, !header[j].isEmpty { return "column \(j + 1) ('\(header[j])')" }
      return "column \(j + 1)"
    }

    var values: [Double] = []
    values.reserveCapacity(dataRows.count * columnCount)
    for (lineNumber, fields) in dataRows {
      guard fields.count == columnCount else {
        throw fail(
          .invalidContents,
          "ragged rows: line \(lineNumber) has \(fields.count) \(fields.count == 1 ? "field" : "fields") but \(reference)")
      }
      for (j, field) in fields.enumerated() {
        let cell = field.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !cell.isEmpty else {
          throw fail(.invalidContents, "line \(lineNumber), \(columnLabel(j)): empty cell")
        }
        guard let x = Double(cell) else {
          var hint = ""
          if !hasHeader, lineNumber == rows[0].line { hint = " (line \(lineNumber) looks like a header row: load the file with a header)" }
          throw fail(.invalidContents, "line \(lineNumber), \(columnLabel(j)): \(quoted(cell)) is not a number\(hint)")
        }
        guard x.isFinite else {
          throw fail(.invalidContents, "line \(lineNumber), \(columnLabel(j)): \(quoted(cell)) is not a finite number")
        }
        values.append(x)
      }
    }
    return CSVTable(
      header: header, rowCount: dataRows.count, columnCount: columnCount, values: values,
      lineNumbers: dataRows.map(\.line))
  }

  /// The cells of column `j` (0-based), top to bottom; empty when `j` is out of range.
  ///
  /// - Complexity: O(`rowCount`).
  public func column(_ j: Int) -> [Double] {
    guard j >= 0, j < columnCount else { return [] }
    return (0..<rowCount).map { values[$0 * columnCount + j] }
  }

  /// The `rowCount × (columnCount − 1)` matrix of every column but `j` (0-based);
  /// the whole table when `j` is out of range.
  ///
  /// - Complexity: O(`rowCount · columnCount`).
  public func matrix(removingColumn j: Int) -> Matrix {
    var elements: [Double] = []
    elements.reserveCapacity(rowCount * max(0, columnCount - 1))
    for i in 0..<rowCount {
      for k in 0..<columnCount where k != j { elements.append(values[i * columnCount + k]) }
    }
    return Matrix(rows: rowCount, columns: (0..<columnCount).contains(j) ? columnCount - 1 : columnCount, elements: elements)
  }

  /// The whole table as a `rowCount × columnCount` matrix.
  ///
  /// - Complexity: O(1) (the storage is shared).
  public var matrix: Matrix {
    Matrix(rows: rowCount, columns: columnCount, elements: values)
  }

  /// How column `j` (0-based) is named in messages: `column 3 ('x2')` (1-based,
  /// with the header name when there is one).
  ///
  /// - Complexity: O(1).
  public func describeColumn(_ j: Int) -> String {
    if let header, j >= 0, j < header.count, !header[j].isEmpty { return "column \(j + 1) ('\(header[j])')" }
    return "column \(j + 1)"
  }

  /// A cell's text in double quotes, shortened for messages.
  private static func quoted(_ cell: String) -> String {
    let shown = cell.count > 40 ? String(cell.prefix(37)) + "..." : cell
    return "\"" + shown + "\""
  }
}
