import Foundation
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import GRDB
import LinearAlgebra
import Unlearning
import Workflows

/// A certified deletion ledger in a folder `DIR`: the database `DIR/ledger.sqlite` (``LedgerDatabase``)
/// and the model files `DIR/models/<sha256>.safetensors` (``ModelStore``).
///
/// Version 0 is the model given at ``create(at:model:data:ids:kappa:keepsForgottenFeatures:busyTimeout:)``
/// with its self certificate on the full data. Each deletion request (``forget(_:settings:progress:)``)
/// adds one version in one transaction: under the write lock (`BEGIN IMMEDIATE`, taken before the head is
/// read) it derives the model from the head's (``VersionDerivation``), writes the model file durably, then
/// commits the entry of the hash chain (``LedgerEntry``), marks the examples forgotten and deletes their
/// features. A process killed at any moment leaves the last committed state plus at most an orphan model
/// file, which the next writer removes.
package final class Ledger: @unchecked Sendable {
  /// The database file's name in the ledger folder.
  package static let databaseName = "ledger.sqlite"
  package let folder: URL
  package let database: LedgerDatabase
  package let models: ModelStore

  private init(folder: URL, database: LedgerDatabase) {
    self.folder = folder
    self.database = database
    self.models = ModelStore(ledger: folder)
  }

  /// Opens the ledger in `folder`.
  ///
  /// - Complexity: O(1).
  /// - Throws: ``LedgerError/missingLedger(_:)`` (I/O) without `ledger.sqlite`; ``LedgerError/notALedger(_:_:)``
  ///   (data) for a file that is not a ledger database; ``LedgerError/locked(seconds:)``.
  package convenience init(opening folder: URL, busyTimeout: Double = 60) throws {
    let url = folder.appendingPathComponent(Self.databaseName)
    guard FileManager.default.fileExists(atPath: url.path) else { throw LedgerError.missingLedger(FileFormatError.displayName(folder)) }
    let database = try LedgerDatabase(url, busyTimeout: busyTimeout)
    self.init(folder: folder, database: database)
    try database.read { db in try LedgerDatabase.checkFormat(db, path: FileFormatError.displayName(url)) }
  }

  /// A model file's bytes without the stored multipliers' pre-activation cache (tensor `kkt_preactivations`,
  /// or its `_base64` key in a PyTorch-layout file; MATH.md §5.2), the same bytes when it has none. The cache
  /// holds θ̂'s first-layer pre-activations `Ŵ x_i`, a projection of every training example's features, so a
  /// ledger keeping it in a version's file would keep features of examples forgotten after that version;
  /// without it the paper's step carries the multipliers by a forward pass, the same θ_U.
  ///
  /// - Parameters:
  ///   - file: `bytes` parsed.
  ///   - bytes: the file's bytes, returned as they are when there is no cache.
  /// - Complexity: O(file size) to re-encode when the cache is present, O(1) otherwise.
  /// - Throws: ``FileFormatError`` when the file cannot be encoded again (it was just parsed, so it can).
  package static func withoutPreactivationCache(_ file: SafetensorsFile, bytes: [UInt8]) throws -> [UInt8] {
    var file = file
    let key = "kkt_preactivations"
    guard file.tensors[key] != nil || file.metadata[key + "_base64"] != nil else { return bytes }
    file.tensors[key] = nil
    file.metadata[key + "_base64"] = nil
    return try file.encode(dtype: nil)
  }

  /// Creates a ledger in `folder` (which must not exist or be empty): the examples with their IDs, and
  /// version 0, the model in `model` (its bytes as given, less a pre-activation cache:
  /// ``withoutPreactivationCache(_:bytes:)``) with its self certificate at κ on all of `data`.
  /// The ledger is built in a hidden sibling folder and renamed to `folder` when complete, so an
  /// interrupted `init` leaves no half-made ledger.
  ///
  /// - Parameters:
  ///   - ids: one unique, non-empty ID per row of `data` (no line breaks).
  ///   - keepsForgottenFeatures: keep forgotten examples' features (marked forgotten) so that every
  ///     certificate stays recomputable and `verify --replay` works; by default they are deleted.
  /// - Complexity: O(m d) to store the data, one κ-audit on S, O(m² d) for ψ and φ.
  /// - Throws: ``LedgerError`` `.notEmpty`, `.invalidIDs`, `.foreignModel`; ``FileFormatError`` for an
  ///   unreadable model; the audit's errors.
  @discardableResult
  package static func create(at folder: URL, model: URL, data: Dataset, ids: [String], kappa: Double,
                             keepsForgottenFeatures: Bool, busyTimeout: Double = 60) throws -> (Ledger, LedgerEntry) {
    try checkIDs(ids, examples: data.count)
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    if fm.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue, (try? fm.contentsOfDirectory(atPath: folder.path))?.isEmpty == true else {
        throw LedgerError.notEmpty(FileFormatError.displayName(folder))
      }
    }
    let bytes: [UInt8]
    do {
      bytes = [UInt8](try Data(contentsOf: model))
    } catch {
      throw FileFormatError(.io, file: FileFormatError.displayName(model), "no such file or not readable")
    }
    let file = try SafetensorsFile.parse(bytes, name: FileFormatError.displayName(model))
    let (decoded, metadata) = try ModelFile.decode(file)
    guard decoded.inputDimension == data.dimension else {
      throw LedgerError.foreignModel("\(FileFormatError.displayName(model)) takes inputs of dimension \(decoded.inputDimension) but the data have \(data.dimension) features")
    }
    var certificates = try LedgerCertifier.certificates(for: decoded, metadata: metadata, retained: data, kinds: [.self], kappa: kappa)
    for k in certificates.indices {  // version 0 is certified on all of S
      certificates[k].method = certificates[k].method.replacingOccurrences(of: "the unlearned model normalised on S∖F", with: "the model normalised on S")
    }
    // Built in a hidden sibling folder and renamed into place: a ledger folder is complete or absent.
    let staging = folder.deletingLastPathComponent()
      .appendingPathComponent(".\(folder.lastPathComponent).init-\(ProcessInfo.processInfo.processIdentifier)")
    try? fm.removeItem(at: staging)
    do {
      try fm.createDirectory(at: staging.appendingPathComponent("models"), withIntermediateDirectories: true)
    } catch {
      throw LedgerError.io("\(FileFormatError.displayName(folder)): cannot create the ledger folder (\(error.localizedDescription))")
    }
    var completed = false
    defer { if !completed { try? fm.removeItem(at: staging) } }
    let ledger = Ledger(folder: staging, database: try LedgerDatabase(staging.appendingPathComponent(databaseName),
                                                                       busyTimeout: busyTimeout))
    let sha = try ledger.models.store(try withoutPreactivationCache(file, bytes: bytes))
    let genesis = LedgerGenesis(dataFingerprint: LedgerGenesis.fingerprint(data, ids: ids), examples: data.count,
                                dimension: data.dimension, kappa: kappa, keepsForgottenFeatures: keepsForgottenFeatures)
    let entry = LedgerEntry(version: 0, parent: nil, requestID: "init", forgottenIDs: [], modelSHA256: sha, method: nil,
                            certificates: certificates, fallback: nil, createdAt: timestamp(), genesis: genesis,
                            previousHash: LedgerEntry.zeroHash)
    try ledger.database.write { db in
      try LedgerDatabase.createSchema(db)
      let d = data.dimension
      for (k, id) in ids.enumerated() {
        try db.execute(sql: "INSERT INTO examples (position, id, forgotten_at) VALUES (?, ?, NULL)", arguments: [k, id])
        try db.execute(sql: "INSERT INTO features (position, label, x) VALUES (?, ?, ?)",
                       arguments: [k, data.labels[k], LedgerDatabase.blob(data.features.elements[(k * d)..<((k + 1) * d)])])
      }
      try LedgerDatabase.insert(entry, db)
    }
    try ledger.database.close()
    if fm.fileExists(atPath: folder.path) { _ = rmdir(folder.path) }  // an empty folder given as DIR
    guard rename(staging.path, folder.path) == 0 else {
      throw LedgerError.io("\(FileFormatError.displayName(folder)): cannot move the new ledger into place (\(String(cString: strerror(errno))))")
    }
    completed = true
    let parent = open(folder.deletingLastPathComponent().path, O_RDONLY)  // make the rename durable
    if parent >= 0 {
      _ = fsync(parent)
      _ = close(parent)
    }
    return (try Ledger(opening: folder, busyTimeout: busyTimeout), entry)
  }

  /// Checks init IDs: one per example, non-empty, unique, without line breaks.
  ///
  /// - Throws: ``LedgerError/invalidIDs(_:)`` naming the first problem.
  package static func checkIDs(_ ids: [String], examples: Int) throws {
    guard ids.count == examples else {
      throw LedgerError.invalidIDs("\(ids.count) example IDs for \(examples) examples: give one ID per row")
    }
    var seen: [String: Int] = [:]
    for (k, id) in ids.enumerated() {
      guard !id.isEmpty else { throw LedgerError.invalidIDs("the ID of example \(k) is empty; IDs must be non-empty") }
      guard !id.contains(where: \.isNewline) else { throw LedgerError.invalidIDs("the ID of example \(k) contains a line break") }
      if let first = seen[id] { throw LedgerError.invalidIDs("the ID \"\(id)\" is given to examples \(first) and \(k); IDs must be unique") }
      seen[id] = k
    }
  }

  /// The current time, ISO 8601 in UTC with milliseconds.
  static func timestamp() -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    f.timeZone = TimeZone(identifier: "UTC")
    return f.string(from: Date())
  }

  // MARK: Reading

  /// Every version, in order.
  package func entries() throws -> [LedgerEntry] {
    try database.read { db in try LedgerDatabase.entries(db) }
  }

  /// Version 0's genesis record.
  package func genesis(_ db: Database) throws -> LedgerGenesis {
    guard let row = try Row.fetchOne(db, sql: "SELECT genesis FROM versions WHERE version = 0"),
          let genesis = try LedgerDatabase.decode(LedgerGenesis.self, row["genesis"], version: 0, column: "genesis") else {
      throw LedgerError.corrupt(version: 0, "no genesis record (data fingerprint, κ) in version 0")
    }
    return genesis
  }

  /// The model file of `version` (default: the head), checked against the chain.
  ///
  /// - Throws: ``LedgerError/noSuchVersion(_:head:)`` (usage); ``LedgerError/corrupt(version:_:)`` for a
  ///   missing or altered file.
  package func modelBytes(version: Int?) throws -> (LedgerEntry, [UInt8]) {
    let entry = try database.read { db -> LedgerEntry in
      let head = try LedgerDatabase.head(db)
      guard let version else { return head }
      guard let entry = try LedgerDatabase.entries(db).first(where: { $0.version == version }) else {
        throw LedgerError.noSuchVersion(version, head: head.version)
      }
      return entry
    }
    return (entry, try models.bytes(of: entry.modelSHA256, version: entry.version))
  }

  // MARK: Forgetting

  /// Applies one deletion request: one new version, in one transaction (see the type's discussion).
  /// A request ID already applied with the same IDs is skipped.
  ///
  /// - Complexity: reading the retained set, O(m d); the derivation (``VersionDerivation``); writing
  ///   the model, O(p) and two `fsync`s; the commit, one `fsync` of the WAL.
  /// - Throws: ``LedgerError`` `.unknownID`, `.alreadyForgotten`, `.repeatedID`, `.emptyRequest`,
  ///   `.wouldEmpty`, `.requestConflict` (data) — nothing changes; `.locked` after the busy timeout; the
  ///   derivation's errors (also rolled back).
  package func forget(_ request: LedgerRequest, settings: LedgerForgetSettings,
                      progress: ((TrainingProgress) -> Void)? = nil) throws -> LedgerForgetOutcome {
    let outcome = try apply(request, settings: settings, progress: progress)
    if case .applied = outcome {
      // The forgotten features' old pages leave the WAL too (best effort: a busy checkpoint is retried next time).
      try? database.checkpoint()
    }
    return outcome
  }

  private func apply(_ request: LedgerRequest, settings: LedgerForgetSettings,
                     progress: ((TrainingProgress) -> Void)?) throws -> LedgerForgetOutcome {
    try database.write { db in
      models.removeOrphans(keeping: try LedgerDatabase.referencedModels(db))
      let head = try LedgerDatabase.head(db)
      guard !request.forget.isEmpty else { throw LedgerError.emptyRequest }
      if let id = request.id, let existing = try LedgerDatabase.entry(request: id, db) {
        guard existing.forgottenIDs == request.forget else {
          throw LedgerError.requestConflict(id: id, stored: existing.forgottenIDs, given: request.forget)
        }
        return .skipped(existing)
      }
      let genesis = try self.genesis(db)
      let examples = try LedgerDatabase.examples(db)
      var byID: [String: LedgerDatabase.ExampleRow] = [:]
      for e in examples { byID[e.id] = e }
      var named = Set<String>()
      for id in request.forget {
        guard let e = byID[id] else { throw LedgerError.unknownID(id) }
        if let v = e.forgottenAt { throw LedgerError.alreadyForgotten(id: id, version: v) }
        guard named.insert(id).inserted else { throw LedgerError.repeatedID(id) }
      }
      let retained = examples.filter { $0.forgottenAt == nil }
      guard named.count < retained.count else { throw LedgerError.wouldEmpty(retained: retained.count) }
      let positions = retained.map(\.position)
      let indexOf = Dictionary(uniqueKeysWithValues: positions.enumerated().map { ($1, $0) })
      let forget = request.forget.map { indexOf[byID[$0]!.position]! }
      let data = try LedgerDatabase.dataset(db, positions: positions, dimension: genesis.dimension, version: head.version)
      let parentBytes = try models.bytes(of: head.modelSHA256, version: head.version)
      let derived = try VersionDerivation.derive(parentBytes: parentBytes, parentVersion: head.version, retained: data,
                                                 forget: forget, settings: settings, kappa: settings.kappa ?? genesis.kappa,
                                                 progress: progress)
      let sha = try models.store(derived.modelBytes)
      let version = head.version + 1
      var requestID = request.id ?? "req-\(version)"
      if request.id == nil {
        var k = 1
        while try LedgerDatabase.entry(request: requestID, db) != nil {
          requestID = "req-\(version)-\(k)"
          k += 1
        }
      }
      let entry = LedgerEntry(version: version, parent: head.version, requestID: requestID, forgottenIDs: request.forget,
                              modelSHA256: sha, method: derived.method, certificates: derived.certificates,
                              fallback: derived.fallback, createdAt: Self.timestamp(), genesis: nil, previousHash: head.entryHash)
      try LedgerDatabase.insert(entry, db)
      let forgottenPositions = request.forget.map { byID[$0]!.position }
      for p in forgottenPositions {
        try db.execute(sql: "UPDATE examples SET forgotten_at = ? WHERE position = ?", arguments: [version, p])
        if !genesis.keepsForgottenFeatures {
          try db.execute(sql: "DELETE FROM features WHERE position = ?", arguments: [p])
        }
      }
      return .applied(entry)
    }
  }

  /// Removes orphan model files and leftover temporary files under the write lock.
  ///
  /// - Returns: the names removed.
  @discardableResult
  package func removeOrphans() throws -> [String] {
    try database.write { db in models.removeOrphans(keeping: try LedgerDatabase.referencedModels(db)) }
  }
}
