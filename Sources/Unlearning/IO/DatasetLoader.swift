import Foundation
import LinearAlgebra

/// Loads and saves data sets as files other tools exchange (MATH.md §8):
/// features `X` (`m × d`) and labels `y` (±1, or 0/1 when asked) as NumPy
/// `.npy` files or CSV.
///
/// The file type is taken from the extension (`.npy`; `.csv` or `.txt`
/// comma-separated; `.tsv` tab-separated), or from the NumPy magic bytes when
/// the extension is none of these. Every failure is a ``FileFormatError``
/// naming the file.
public enum DatasetLoader {
  /// Which CSV column holds the labels.
  public enum LabelColumn: Sendable, Equatable {
    /// The column with this header name (needs a header row).
    case name(String)
    /// The column at this 0-based index.
    case index(Int)
    /// The last column.
    case last
  }

  // MARK: Loading

  /// The data set in `x` (features, or features and labels for a CSV) and `y` (labels).
  ///
  /// - `x` an `.npy`: a 2-D `m × d` array; `y` is required, an `.npy` vector of
  ///   length `m` (shape `(m,)` or `(m, 1)`) or a CSV (one column, or the
  ///   `labelColumn` of several).
  /// - `x` a CSV and `y` nil: the labels are `x`'s `labelColumn`, the features
  ///   all the other columns. With `y` given, every column of `x` is a feature.
  ///
  /// `hasHeader` says whether the CSV files involved start with a header row.
  /// Labels must be −1 or +1; with `zeroOneLabels` they must be 0 or 1 instead
  /// and map to −1 and +1. Throws on a row-count mismatch, a non-finite feature
  /// (with its position), a bad label (with its position, suggesting
  /// remedy ``FileFormatError/Remedy/zeroOneLabels`` when the labels are 0/1), or an empty data set.
  ///
  /// - Parameters:
  ///   - x: The features file (`.npy` or CSV), or a CSV with the labels too.
  ///   - y: The labels file, or `nil` to take them from `x`'s `labelColumn`.
  ///   - labelColumn: The CSV label column; the last by default.
  ///   - hasHeader: Whether the CSV files start with a header row.
  ///   - zeroOneLabels: Whether labels are 0/1 (mapped to −1/+1) instead of ±1.
  /// - Throws: ``FileFormatError`` naming the file: `.io`, the format kinds of
  ///   ``NpyFormat`` and ``CSVTable``, `.unsupported` for an unknown file type,
  ///   `.invalidContents` for the problems above.
  /// - Complexity: O(file sizes) = O(md).
  public static func load(
    x: URL, y: URL?, labelColumn: LabelColumn = .last, hasHeader: Bool = false, zeroOneLabels: Bool = false
  ) throws -> Dataset {
    let xName = FileFormatError.displayName(x)
    guard let y else {
      guard try kind(of: x) != .npy else {
        throw FileFormatError(
          .invalidContents, file: xName,
          "an .npy file holds no labels: give the labels as a second file (y), or use a CSV with a label column")
      }
      return try loadCSV(x, hasHeader: hasHeader, labelColumn: labelColumn, zeroOneLabels: zeroOneLabels)
    }
    let features = try loadFeatures(x, hasHeader: hasHeader)
    let labels = try loadLabels(y, hasHeader: hasHeader, labelColumn: labelColumn, zeroOneLabels: zeroOneLabels)
    let yName = FileFormatError.displayName(y)
    guard labels.count == features.rows else {
      throw FileFormatError(
        .invalidContents, file: yName,
        "\(labels.count) \(labels.count == 1 ? "label" : "labels") but \(xName) has \(features.rows) \(features.rows == 1 ? "row" : "rows")")
    }
    return try dataset(features, labels, file: xName)
  }

  /// The data set in one CSV file (comma-separated, tab-separated for `.tsv`):
  /// labels from `labelColumn`, features from every other column.
  ///
  /// Throws for the CSV errors of ``CSVTable/parse(_:name:hasHeader:delimiter:)``,
  /// an unknown label column name, a label column index out of range, a file
  /// with fewer than two columns, and bad labels (see ``load(x:y:labelColumn:hasHeader:zeroOneLabels:)``).
  ///
  /// - Throws: ``FileFormatError`` naming the file.
  /// - Complexity: O(file size) = O(md).
  public static func loadCSV(
    _ url: URL, hasHeader: Bool, labelColumn: LabelColumn = .last, zeroOneLabels: Bool = false
  ) throws -> Dataset {
    let name = FileFormatError.displayName(url)
    let table = try CSVTable.read(url, hasHeader: hasHeader)
    guard table.columnCount >= 2 else {
      throw FileFormatError(
        .invalidContents, file: name,
        "the file has \(table.columnCount) column: need at least one feature column and a label column")
    }
    let j = try resolve(labelColumn, in: table, file: name)
    let labels = try validatedLabels(
      table.column(j), file: name, zeroOneLabels: zeroOneLabels,
      position: { "line \(table.lineNumbers[$0]), \(table.describeColumn(j)): label" })
    return try dataset(table.matrix(removingColumn: j), labels, file: name)
  }

  /// The feature matrix in `url`: a 2-D `.npy` array, or every column of a CSV.
  ///
  /// Throws when an `.npy` is not 2-D or holds a non-finite value (naming
  /// `X[i, j]`), and for the CSV errors.
  ///
  /// - Throws: ``FileFormatError`` naming the file.
  /// - Complexity: O(file size) = O(md).
  public static func loadFeatures(_ url: URL, hasHeader: Bool = false) throws -> Matrix {
    let name = FileFormatError.displayName(url)
    switch try kind(of: url) {
    case .npy:
      let array = try NpyFormat.read(url, allowNonFinite: true)
      guard let matrix = array.matrix else {
        throw FileFormatError(
          .invalidContents, file: name,
          "X must be a 2-D m×d matrix, but the file holds a 1-D array of length \(array.count)")
      }
      if let k = matrix.elements.firstIndex(where: { !$0.isFinite }) {
        throw FileFormatError(
          .invalidContents, file: name,
          "X[\(k / matrix.columns), \(k % matrix.columns)] is \(NumPyArray.describeNonFinite(matrix.elements[k])); features must be finite")
      }
      return matrix
    case .csv(let delimiter):
      return try CSVTable.read(url, hasHeader: hasHeader, delimiter: delimiter).matrix
    }
  }

  /// The labels in `url`: an `.npy` vector (shape `(m,)` or `(m, 1)`), or a CSV
  /// with one column (or several and `labelColumn`), validated as in
  /// ``load(x:y:labelColumn:hasHeader:zeroOneLabels:)`` and mapped to ±1.
  ///
  /// - Throws: ``FileFormatError`` naming the file.
  /// - Complexity: O(file size) = O(m).
  public static func loadLabels(
    _ url: URL, hasHeader: Bool = false, labelColumn: LabelColumn = .last, zeroOneLabels: Bool = false
  ) throws -> [Double] {
    let name = FileFormatError.displayName(url)
    switch try kind(of: url) {
    case .npy:
      let array = try NpyFormat.read(url, allowNonFinite: true)
      guard array.shape.count == 1 || array.shape[1] == 1 else {
        throw FileFormatError(
          .invalidContents, file: name,
          "y must be a vector of labels (shape (m,) or (m, 1)), but the file holds a \(array.shape[0])×\(array.shape[1]) matrix")
      }
      return try validatedLabels(array.values, file: name, zeroOneLabels: zeroOneLabels, position: { "label \($0)" })
    case .csv(let delimiter):
      let table = try CSVTable.read(url, hasHeader: hasHeader, delimiter: delimiter)
      let j = table.columnCount == 1 ? 0 : try resolve(labelColumn, in: table, file: name)
      return try validatedLabels(
        table.column(j), file: name, zeroOneLabels: zeroOneLabels,
        position: { "line \(table.lineNumbers[$0]), \(table.describeColumn(j)): label" })
    }
  }

  // MARK: Saving

  /// Writes `dataset` as `PREFIX.x.npy` (`m × d`) and `PREFIX.y.npy` (length
  /// `m`, ±1), both float64, each atomically, and returns their URLs.
  ///
  /// When `overwrite` is false and either file exists, throws before writing
  /// anything ("… already exists", ``FileFormatError/Kind/fileExists``).
  ///
  /// - Parameters:
  ///   - dataset: The data set to write.
  ///   - prefix: The path prefix of the two files.
  ///   - overwrite: Whether existing files may be replaced.
  /// - Throws: ``FileFormatError``: `.fileExists`, or `.io` when a write fails
  ///   (the first file may then already be written).
  /// - Complexity: O(md).
  @discardableResult
  public static func save(_ dataset: Dataset, prefix: String, overwrite: Bool) throws -> (x: URL, y: URL) {
    let xURL = URL(fileURLWithPath: prefix + ".x.npy")
    let yURL = URL(fileURLWithPath: prefix + ".y.npy")
    if !overwrite {
      for url in [xURL, yURL] where FileManager.default.fileExists(atPath: url.path) {
        throw FileFormatError(.fileExists, file: FileFormatError.displayName(url), "already exists")
      }
    }
    try NpyFormat.write(NumPyArray(dataset.features), to: xURL, overwrite: overwrite)
    try NpyFormat.write(NumPyArray(vector: dataset.labels), to: yURL, overwrite: overwrite)
    return (xURL, yURL)
  }

  // MARK: Helpers

  private enum FileKind: Equatable {
    case npy
    case csv(delimiter: Character)
  }

  /// The file type from the extension, or from the NumPy magic when the extension says nothing.
  private static func kind(of url: URL) throws -> FileKind {
    switch url.pathExtension.lowercased() {
    case "npy": return .npy
    case "csv", "txt": return .csv(delimiter: ",")
    case "tsv": return .csv(delimiter: "\t")
    default:
      let bytes = try FileFormatError.readBytes(url)
      if bytes.starts(with: NpyFormat.magic) { return .npy }
      let shown = url.pathExtension.isEmpty ? "no extension" : "extension '.\(url.pathExtension)'"
      throw FileFormatError(
        .unsupported, file: FileFormatError.displayName(url),
        "unknown file type (\(shown)): expected .npy, .csv or .tsv")
    }
  }

  /// The 0-based index of `column` in `table`.
  private static func resolve(_ column: LabelColumn, in table: CSVTable, file: String) throws -> Int {
    switch column {
    case .last:
      return table.columnCount - 1
    case .index(let j):
      guard j >= 0, j < table.columnCount else {
        throw FileFormatError(
          .invalidContents, file: file,
          "label column index \(j) is out of range: the file has \(table.columnCount) columns (indices 0–\(table.columnCount - 1))")
      }
      return j
    case .name(let name):
      guard let header = table.header else {
        throw FileFormatError(
          .invalidContents, file: file,
          "label column '\(name)' is given by name but the file is read without a header row")
      }
      let matches = header.indices.filter { header[$0] == name }
      guard let j = matches.first else {
        let known = header.map { "'\($0)'" }.joined(separator: ", ")
        throw FileFormatError(
          .invalidContents, file: file, "no column named '\(name)' (the header has \(shortened(known)))")
      }
      guard matches.count == 1 else {
        throw FileFormatError(
          .invalidContents, file: file,
          "the header has \(matches.count) columns named '\(name)' (columns \(matches.map { String($0 + 1) }.joined(separator: ", ")))")
      }
      return j
    }
  }

  /// `raw` as ±1 labels: ±1 as they are, or 0/1 mapped to −1/+1 when `zeroOneLabels`.
  private static func validatedLabels(
    _ raw: [Double], file: String, zeroOneLabels: Bool, position: (Int) -> String
  ) throws -> [Double] {
    if zeroOneLabels {
      if let i = raw.firstIndex(where: { $0 != 0 && $0 != 1 }) {
        throw FileFormatError(
          .invalidContents, file: file,
          "\(position(i)) is \(format(raw[i])); with 0/1 labels requested, labels must be 0 or 1")
      }
      return raw.map { $0 == 1 ? 1 : -1 }
    }
    if let i = raw.firstIndex(where: { $0 != 1 && $0 != -1 }) {
      let problem = "\(position(i)) is \(format(raw[i])); labels must be −1 or +1"
      if raw.allSatisfy({ $0 == 0 || $0 == 1 }) {
        throw FileFormatError(.invalidContents, file: file, problem + " (these labels are 0/1, which can be read as −1/+1)",
                              remedy: .zeroOneLabels)
      }
      throw FileFormatError(.invalidContents, file: file, problem)
    }
    return raw
  }

  /// The validated data set, `DatasetError`s reported against `file`.
  private static func dataset(_ features: Matrix, _ labels: [Double], file: String) throws -> Dataset {
    do {
      return try Dataset(features: features, labels: labels)
    } catch let error as DatasetError {
      throw FileFormatError(.invalidContents, file: file, error.description)
    }
  }

  /// A label value as people write it: `0`, `2`, `0.5`, `NaN`.
  private static func format(_ x: Double) -> String {
    if !x.isFinite { return NumPyArray.describeNonFinite(x) }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return "\(x)"
  }

  private static func shortened(_ text: String) -> String {
    text.count > 100 ? String(text.prefix(97)) + "..." : text
  }
}
