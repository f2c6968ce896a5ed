import Foundation
import GRDB
import LinearAlgebra
import Unlearning

/// The ledger's SQLite database (`DIR/ledger.sqlite`, through GRDB): WAL journal, `synchronous = FULL`
/// (a commit is on disk when it returns), `secure_delete = ON` (freed pages, such as a forgotten
/// example's features, are overwritten with zeros), a busy timeout for the write lock.
///
/// Tables:
/// - `ledger_info(key, value)`: `format` = `unlearn-ledger-v1`;
/// - `examples(position, id, forgotten_at)`: every example ever given, by init order; `forgotten_at` is
///   the version that forgot it (`NULL`: retained);
/// - `features(position, label, x)`: the label and the features (`d` little-endian float64) of every
///   retained example — a forgotten example's row is deleted in the transaction that forgets it, unless
///   the ledger keeps forgotten features;
/// - `versions(version, parent, request_id, forgotten_ids, method, model_sha256, certificates, fallback,
///   created_at, genesis, previous_hash, entry_hash)`: the hash chain (``LedgerEntry``), JSON in the
///   list and object columns.
package final class LedgerDatabase: @unchecked Sendable {
  package static let format = "unlearn-ledger-v1"
  let queue: DatabaseQueue
  let path: String
  /// The database file as the user named it (in messages).
  let displayName: String
  package let busyTimeout: Double

  /// Opens (or creates) the database at `path`.
  ///
  /// - Throws: ``LedgerError/notALedger(_:_:)`` when the file is not an SQLite database,
  ///   ``LedgerError/locked(seconds:)`` when the lock stays held, ``LedgerError/io(_:)`` otherwise.
  package init(_ url: URL, busyTimeout: Double) throws {
    let path = url.path
    let displayName = FileFormatError.displayName(url)
    self.path = path
    self.displayName = displayName
    self.busyTimeout = busyTimeout
    var configuration = Configuration()
    configuration.journalMode = .wal
    configuration.busyMode = .timeout(busyTimeout)
    configuration.label = "unlearn-ledger"
    queue = try Self.mapping(path: displayName, busyTimeout: busyTimeout) {
      let q = try DatabaseQueue(path: path, configuration: configuration)
      // After GRDB's WAL set-up (which chooses NORMAL): every commit reaches the disk before it returns.
      try q.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA synchronous = FULL")
        try db.execute(sql: "PRAGMA secure_delete = ON")
      }
      return q
    }
  }

  /// Runs `body` in a `BEGIN IMMEDIATE` transaction (the write lock is taken before anything is read) and
  /// commits; a thrown error rolls everything back.
  ///
  /// - Throws: `body`'s errors; database errors mapped to ``LedgerError``.
  package func write<T>(_ body: (Database) throws -> T) throws -> T {
    try transaction(.immediate, body)
  }

  /// Runs `body` in a read transaction (a consistent snapshot; writers are not blocked).
  package func read<T>(_ body: (Database) throws -> T) throws -> T {
    try transaction(.deferred, body)
  }

  /// `body` in one transaction of `kind`, committed; a thrown error rolls it back.
  private func transaction<T>(_ kind: Database.TransactionKind, _ body: (Database) throws -> T) throws -> T {
    try Self.mapping(path: displayName, busyTimeout: busyTimeout) {
      try queue.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction(kind) {
          result = try body(db)
          return .commit
        }
        return result!
      }
    }
  }

  /// Closes the connection (checkpointing the WAL into the database file).
  package func close() throws {
    try Self.mapping(path: displayName, busyTimeout: busyTimeout) { try queue.close() }
  }

  /// Copies the WAL into the database file and truncates the WAL to zero bytes, so that pages written
  /// before a deletion (a forgotten example's features) do not linger in `ledger.sqlite-wal`.
  /// Readers still using old frames make it a partial checkpoint; the next one finishes the job.
  ///
  /// - Complexity: O(pages in the WAL).
  package func checkpoint() throws {
    try Self.mapping(path: displayName, busyTimeout: busyTimeout) {
      try queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }
  }

  static func mapping<T>(path: String, busyTimeout: Double, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as DatabaseError {
      switch error.resultCode {
      case .SQLITE_BUSY, .SQLITE_LOCKED: throw LedgerError.locked(seconds: busyTimeout)
      case .SQLITE_NOTADB: throw LedgerError.notALedger(path, "the file is not an SQLite database")
      case .SQLITE_CORRUPT: throw LedgerError.corrupt(version: nil, "the database file is damaged (\(error.message ?? "SQLITE_CORRUPT"))")
      default: throw LedgerError.io("\(path): \(error.message ?? "\(error.resultCode)")")
      }
    }
  }

  // MARK: Schema

  /// Creates the tables (in the caller's transaction).
  package static func createSchema(_ db: Database) throws {
    try db.execute(sql: """
      CREATE TABLE ledger_info (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
      CREATE TABLE examples (position INTEGER PRIMARY KEY NOT NULL, id TEXT NOT NULL UNIQUE, forgotten_at INTEGER);
      CREATE TABLE features (position INTEGER PRIMARY KEY NOT NULL REFERENCES examples(position), label REAL NOT NULL, x BLOB NOT NULL);
      CREATE TABLE versions (
        version INTEGER PRIMARY KEY NOT NULL, parent INTEGER, request_id TEXT NOT NULL UNIQUE,
        forgotten_ids TEXT NOT NULL, method TEXT, model_sha256 TEXT NOT NULL, certificates TEXT NOT NULL,
        fallback TEXT, created_at TEXT NOT NULL, genesis TEXT, previous_hash TEXT NOT NULL, entry_hash TEXT NOT NULL);
      """)
    try db.execute(sql: "INSERT INTO ledger_info (key, value) VALUES ('format', ?)", arguments: [format])
  }

  /// Checks that the database is a ledger of this format.
  ///
  /// - Throws: ``LedgerError/notALedger(_:_:)`` otherwise.
  package static func checkFormat(_ db: Database, path: String) throws {
    guard try db.tableExists("ledger_info"), try db.tableExists("versions"), try db.tableExists("examples"),
          try db.tableExists("features") else {
      throw LedgerError.notALedger(path, "an SQLite database without the ledger's tables")
    }
    let format = try String.fetchOne(db, sql: "SELECT value FROM ledger_info WHERE key = 'format'")
    guard format == Self.format else {
      throw LedgerError.notALedger(path, "format \(format.map { "\"\($0)\"" } ?? "missing"), expected \"\(Self.format)\"")
    }
  }

  // MARK: Versions

  private static let encoder: JSONEncoder = {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return e
  }()

  static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }

  static func decode<T: Decodable>(_ type: T.Type, _ text: String?, version: Int, column: String) throws -> T? {
    guard let text else { return nil }
    do {
      return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    } catch {
      throw LedgerError.corrupt(version: version, "the \(column) column is not valid (\(text.prefix(60)))")
    }
  }

  /// Appends `entry` to the chain.
  package static func insert(_ entry: LedgerEntry, _ db: Database) throws {
    try db.execute(sql: """
      INSERT INTO versions (version, parent, request_id, forgotten_ids, method, model_sha256, certificates, fallback,
                            created_at, genesis, previous_hash, entry_hash)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """, arguments: [entry.version, entry.parent, entry.requestID, try json(entry.forgottenIDs),
                       try entry.method.map(json), entry.modelSHA256, try json(entry.certificates), entry.fallback,
                       entry.createdAt, try entry.genesis.map(json), entry.previousHash, entry.entryHash])
  }

  private static let columns = "version, parent, request_id, forgotten_ids, method, model_sha256, certificates, fallback, created_at, genesis, previous_hash, entry_hash"

  static func entry(_ row: Row) throws -> LedgerEntry {
    let version: Int = row["version"]
    var e = LedgerEntry(
      version: version, parent: row["parent"], requestID: row["request_id"],
      forgottenIDs: try decode([String].self, row["forgotten_ids"], version: version, column: "forgotten_ids") ?? [],
      modelSHA256: row["model_sha256"],
      method: try decode(LedgerMethod.self, row["method"], version: version, column: "method"),
      certificates: try decode([LedgerCertificate].self, row["certificates"], version: version, column: "certificates") ?? [],
      fallback: row["fallback"], createdAt: row["created_at"],
      genesis: try decode(LedgerGenesis.self, row["genesis"], version: version, column: "genesis"),
      previousHash: row["previous_hash"])
    e.entryHash = row["entry_hash"]
    return e
  }

  /// Every version, in order.
  package static func entries(_ db: Database) throws -> [LedgerEntry] {
    try Row.fetchAll(db, sql: "SELECT \(columns) FROM versions ORDER BY version").map(entry)
  }

  /// The newest version.
  package static func head(_ db: Database) throws -> LedgerEntry {
    guard let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM versions ORDER BY version DESC LIMIT 1") else {
      throw LedgerError.corrupt(version: nil, "no version 0 (the ledger was never initialised completely)")
    }
    return try entry(row)
  }

  /// The version that applied request `id`, if any.
  package static func entry(request id: String, _ db: Database) throws -> LedgerEntry? {
    try Row.fetchOne(db, sql: "SELECT \(columns) FROM versions WHERE request_id = ?", arguments: [id]).map(entry)
  }

  /// The SHA-256 of every committed version's model.
  package static func referencedModels(_ db: Database) throws -> Set<String> {
    Set(try String.fetchAll(db, sql: "SELECT model_sha256 FROM versions"))
  }

  // MARK: Examples

  /// One example's row: position (init order), ID, the version that forgot it.
  package struct ExampleRow: Sendable, Equatable {
    package var position: Int
    package var id: String
    package var forgottenAt: Int?
  }

  package static func examples(_ db: Database) throws -> [ExampleRow] {
    try Row.fetchAll(db, sql: "SELECT position, id, forgotten_at FROM examples ORDER BY position").map {
      ExampleRow(position: $0["position"], id: $0["id"], forgottenAt: $0["forgotten_at"])
    }
  }

  /// The labels and features of the examples at `positions` (in that order) as a data set.
  ///
  /// - Throws: ``LedgerError/corrupt(version:_:)`` when a row is missing or malformed.
  package static func dataset(_ db: Database, positions: [Int], dimension: Int, version: Int?) throws -> Dataset {
    var features = [Double](), labels = [Double]()
    features.reserveCapacity(positions.count * dimension)
    let rows = try Row.fetchAll(db, sql: "SELECT position, label, x FROM features ORDER BY position")
    var byPosition: [Int: Row] = [:]
    for row in rows { byPosition[row["position"]] = row }
    for p in positions {
      guard let row = byPosition[p] else { throw LedgerError.corrupt(version: version, "the features of example position \(p) are missing") }
      let blob: Data = row["x"]
      guard blob.count == dimension * 8 else {
        throw LedgerError.corrupt(version: version, "the features of example position \(p) hold \(blob.count) bytes, not \(dimension) float64")
      }
      blob.withUnsafeBytes { raw in
        for k in 0..<dimension { features.append(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)))) }
      }
      labels.append(row["label"])
    }
    do {
      return try Dataset(features: Matrix(rows: positions.count, columns: dimension, elements: features), labels: labels)
    } catch {
      throw LedgerError.corrupt(version: version, "the stored examples are not a valid data set (\(error))")
    }
  }

  /// The positions whose feature rows are present.
  package static func featurePositions(_ db: Database) throws -> Set<Int> {
    Set(try Int.fetchAll(db, sql: "SELECT position FROM features"))
  }

  /// A feature row's bytes: `d` little-endian float64.
  package static func blob(_ row: ArraySlice<Double>) -> Data {
    var data = Data(capacity: row.count * 8)
    for v in row { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    return data
  }
}
