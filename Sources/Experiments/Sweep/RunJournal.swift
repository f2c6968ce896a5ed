import Foundation
import Unlearning

/// The append-only `runs.csv` of a sweep. Each finished grid point's rows are
/// appended in one write and flushed to disk (`fsync`) at once, so a killed
/// sweep loses nothing already finished. Reopening with `resume` drops a torn
/// last line and any point with fewer rows than it should have, rewriting the
/// file atomically, and reports the points that are complete.
final class RunJournal: @unchecked Sendable {
  let url: URL
  let table: RunTable
  private let handle: FileHandle
  private let lock = NSLock()

  /// Keys of the points already complete in the journal.
  let completed: Set<String>

  init(url: URL, columns: [String], pointColumns: [String], resume: Bool, force: Bool,
       rowsPerPoint: (GridPoint) -> Int) throws {
    self.url = url
    var kept = RunTable(columns: columns)
    var completed = Set<String>()
    let fm = FileManager.default
    if fm.fileExists(atPath: url.path) {
      if resume {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let (existing, _) = RunTable.parse(text) else {
          throw SweepError.incompatibleJournal("\(url.path): not a runs.csv written by this tool (no header line)")
        }
        guard existing.columns == columns else {
          throw SweepError.incompatibleJournal("\(url.path) has different columns (another experiment or version): it cannot be resumed, only started over")
        }
        var groups: [String: [[String: String]]] = [:]
        var order: [String] = []
        for row in existing.rows {
          let point = GridPoint(row.filter { pointColumns.contains($0.key) })
          let key = point.key(pointColumns)
          if groups[key] == nil { order.append(key) }
          groups[key, default: []].append(row)
        }
        for key in order {
          let rows = groups[key]!
          let point = GridPoint(rows[0].filter { pointColumns.contains($0.key) })
          if rows.count == rowsPerPoint(point) {
            kept.rows += rows
            completed.insert(key)
          }
        }
      } else if !force {
        throw SweepError.outputExists("\(url.path) already exists: resume that sweep or start it over")
      }
    }
    try AtomicFile.write(Array(kept.csv.utf8), to: url, overwrite: true)
    self.table = kept
    self.completed = completed
    self.handle = try FileHandle(forWritingTo: url)
    try handle.seekToEnd()
  }

  deinit { try? handle.close() }

  /// Appends one point's rows and flushes them to disk.
  func append(_ rows: [[String: String]]) throws {
    let text = rows.map(table.line).joined()
    lock.lock()
    defer { lock.unlock() }
    try handle.write(contentsOf: Data(text.utf8))
    try handle.synchronize()
  }
}
