import Foundation
import Unlearning

/// The append-only `runs.csv` of a sweep. Each finished grid point's rows are
/// appended in one write and flushed to disk (`fsync`) at once, so a killed
/// sweep loses nothing already finished. Reopening with `resume` drops a torn
/// last line and any point with fewer rows than it should have, rewriting the
/// file atomically, and reports the points that are complete.
final class RunJournal<Row: Codable>: @unchecked Sendable {
  let url: URL
  let codec: RunRowCodec<Row>
  private let handle: FileHandle
  private let lock = NSLock()

  /// Keys of the points already complete in the journal.
  let completed: Set<String>

  /// Opens (or starts) the journal at `url`.
  ///
  /// - Throws: ``SweepError/incompatibleJournal(_:)`` when resuming a file that is no runs.csv of these
  ///   columns; ``SweepError/outputExists(_:)`` when the file exists and neither `resume` nor `force` is set;
  ///   the errors of writing the file.
  init(url: URL, codec: RunRowCodec<Row>, pointColumns: [String], resume: Bool, force: Bool,
       rowsPerPoint: (GridPoint) -> Int) throws {
    self.url = url
    self.codec = codec
    var kept = RunsCSV(columns: codec.columns)
    var completed = Set<String>()
    let fm = FileManager.default
    if fm.fileExists(atPath: url.path) {
      if resume {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let (existing, _) = RunsCSV.parse(text) else {
          throw SweepError.incompatibleJournal("\(url.path): not a runs.csv written by this tool (no header line)")
        }
        guard existing.columns == codec.columns else {
          throw SweepError.incompatibleJournal("\(url.path) has different columns (another experiment or version): it cannot be resumed, only started over")
        }
        for (key, records) in Self.groups(existing, pointColumns: pointColumns)
        where records.count == rowsPerPoint(existing.point(of: records[0], pointColumns)) {
          kept.records += records
          completed.insert(key)
        }
      } else if !force {
        throw SweepError.outputExists("\(url.path) already exists: resume that sweep or start it over")
      }
    }
    try AtomicFile.write(Array(kept.text.utf8), to: url, overwrite: true)
    self.completed = completed
    self.handle = try FileHandle(forWritingTo: url)
    try handle.seekToEnd()
  }

  deinit { try? handle.close() }

  /// The records of `table` grouped by grid point, in the order the points first appear.
  ///
  /// - Complexity: O(records × point columns).
  static func groups(_ table: RunsCSV, pointColumns: [String]) -> [(key: String, records: [[String]])] {
    var groups: [String: [[String]]] = [:]
    var order: [String] = []
    for record in table.records {
      let key = table.point(of: record, pointColumns).key(pointColumns)
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(record)
    }
    return order.map { ($0, groups[$0]!) }
  }

  /// Appends one point's rows and flushes them to disk.
  ///
  /// - Throws: the codec's `EncodingError` for a row with a field that is no column; the errors of writing.
  func append(_ rows: [Row]) throws {
    let text = try codec.lines(rows)
    lock.lock()
    defer { lock.unlock() }
    try handle.write(contentsOf: Data(text.utf8))
    try handle.synchronize()
  }
}
