import Foundation
import GRDB
import Unlearning

/// What `unlearn ledger verify` found when everything checked.
package struct LedgerVerification: Sendable, Equatable {
  /// Versions in the chain (all checked).
  package var versions: Int
  /// Model files whose SHA-256 matched the chain.
  package var modelFiles: Int
  /// Certificates recomputed and matched.
  package var certificatesRecomputed: Int
  /// Versions whose certificates were recomputed.
  package var versionsRecomputed: Int
  /// Versions whose retained data include examples forgotten since (checked through the chain only).
  package var versionsChainOnly: Int
  /// Versions re-derived by `--replay` (`nil`: no replay).
  package var replayed: Int?
  /// Of the replayed versions, those equal to the stored model bit for bit (the others within 1e-9).
  package var replayedBitForBit: Int?

  /// The one-line summary, e.g. `verified 11 versions: chain ok, 11 model files ok, 1 certificate
  /// recomputed (10 earlier versions' retained data include examples since forgotten; checked through the chain)`.
  package var summary: String {
    func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
    var line = "verified \(plural(versions, "version")): chain ok, \(plural(modelFiles, "model file")) ok, "
      + "\(plural(certificatesRecomputed, "certificate")) recomputed"
    if versionsChainOnly > 0 {
      line += " (\(versionsChainOnly) earlier version\(versionsChainOnly == 1 ? "'s" : "s'") retained data include examples since forgotten; checked through the chain)"
    }
    if let replayed, let exact = replayedBitForBit {
      line += "; replay: \(plural(replayed, "version")) re-derived, "
        + (exact == replayed ? "bit for bit" : "\(exact) bit for bit, \(replayed - exact) within 1e-9 relative")
    }
    return line
  }
}

/// `unlearn ledger verify`: checks a ledger from its own contents and stops at the first bad entry.
///
/// 1. The hash chain: versions 0, 1, … without gaps, each `parent` the previous version, each
///    `previous_hash` the previous `entry_hash` (64 zeros for version 0), each `entry_hash` equal to
///    `SHA-256(previous_hash ‖ canonical content)` recomputed from the stored fields (``LedgerEntry``).
/// 2. Every model file's SHA-256 against the chain.
/// 3. The examples table against the chain (each forgotten ID forgotten by the version that names it),
///    the features of forgotten examples gone (unless kept), and when every example's features are
///    present the fingerprint of the initial data.
/// 4. Every certificate of every version whose retained set is still complete (always the head; every
///    version with `--keep-forgotten-features`), recomputed by ``LedgerCertifier`` on that set at the
///    stored κ and compared to the stored numbers to a relative 1e-9 (``LedgerCertificate/firstDifference(from:relativeTolerance:)``).
/// 5. With `replay`: every version re-derived from version 0 and the recorded requests
///    (``VersionDerivation/replay(parentBytes:parentVersion:retained:forget:method:certify:kappa:)``) and its
///    model file's SHA-256 compared (bit for bit on one machine; parameters to 1e-9 relative across machines).
package enum LedgerVerifier {
  /// The tolerance of recomputed certificates and replayed parameters.
  package static let relativeTolerance = 1e-9

  /// Verifies `ledger`.
  ///
  /// - Complexity: O(versions · m) for the chain and tables, O(file sizes) for the hashes, one audit per
  ///   recomputed certificate (a retraining for *retrained*), one derivation per replayed version.
  /// - Throws: ``LedgerError/corrupt(version:_:)`` naming the first bad entry; ``LedgerError/replayNeedsFeatures``
  ///   for `replay` on a ledger that deleted forgotten features.
  package static func verify(_ ledger: Ledger, replay: Bool = false) throws -> LedgerVerification {
    // One snapshot of the database (a concurrent writer commits after or before it, never inside).
    let (entries, examples, present) = try ledger.database.read { db in
      (try LedgerDatabase.entries(db), try LedgerDatabase.examples(db), try LedgerDatabase.featurePositions(db))
    }
    // 1. The chain.
    guard !entries.isEmpty else { throw LedgerError.corrupt(version: nil, "no version 0") }
    var previous = LedgerEntry.zeroHash
    for (k, entry) in entries.enumerated() {
      guard entry.version == k else { throw LedgerError.corrupt(version: k, "missing from the chain (found version \(entry.version) next)") }
      guard entry.parent == (k == 0 ? nil : k - 1) else {
        throw LedgerError.corrupt(version: k, "parent is \(entry.parent.map(String.init) ?? "none"), expected \(k == 0 ? "none" : String(k - 1))")
      }
      guard entry.previousHash == previous else {
        throw LedgerError.corrupt(version: k, "previous_hash \(entry.previousHash) is not version \(k - 1)'s entry_hash \(previous)")
      }
      let computed = entry.computedHash
      guard computed == entry.entryHash else {
        throw LedgerError.corrupt(version: k, "entry hash mismatch (stored \(entry.entryHash), content hashes to \(computed)): the entry was changed after it was committed")
      }
      guard (k == 0) == (entry.genesis != nil) else {
        throw LedgerError.corrupt(version: k, k == 0 ? "no genesis record" : "a genesis record outside version 0")
      }
      previous = entry.entryHash
    }
    let genesis = entries[0].genesis!

    // 2. Model files.
    var bytesOf: [Int: [UInt8]] = [:]
    for entry in entries { bytesOf[entry.version] = try ledger.models.bytes(of: entry.modelSHA256, version: entry.version) }

    // 3. Examples and features against the chain.
    guard examples.count == genesis.examples else {
      throw LedgerError.corrupt(version: 0, "the ledger holds \(examples.count) examples but version 0 recorded \(genesis.examples)")
    }
    var byID: [String: LedgerDatabase.ExampleRow] = [:]
    for e in examples { byID[e.id] = e }
    var forgottenBy: [String: Int] = [:]
    for entry in entries.dropFirst() {
      for id in entry.forgottenIDs {
        guard let e = byID[id] else { throw LedgerError.corrupt(version: entry.version, "forgets ID \"\(id)\", which the examples table does not hold") }
        guard forgottenBy[id] == nil else { throw LedgerError.corrupt(version: entry.version, "forgets \"\(id)\" again (version \(forgottenBy[id]!) forgot it)") }
        guard e.forgottenAt == entry.version else {
          throw LedgerError.corrupt(version: entry.version, "forgets \"\(id)\" but the examples table says \(e.forgottenAt.map { "version \($0)" } ?? "retained")")
        }
        forgottenBy[id] = entry.version
      }
    }
    for e in examples {
      if let v = e.forgottenAt {
        guard forgottenBy[e.id] == v else { throw LedgerError.corrupt(version: v, "the examples table marks \"\(e.id)\" forgotten here but the entry does not name it") }
        if !genesis.keepsForgottenFeatures, present.contains(e.position) {
          throw LedgerError.corrupt(version: v, "the features of forgotten example \"\(e.id)\" are still stored")
        }
      } else if !present.contains(e.position) {
        throw LedgerError.corrupt(version: nil, "the features of retained example \"\(e.id)\" are missing")
      }
    }
    if present.count == examples.count {
      let all = try ledger.database.read { db in
        try LedgerDatabase.dataset(db, positions: examples.map(\.position), dimension: genesis.dimension, version: 0)
      }
      guard LedgerGenesis.fingerprint(all, ids: examples.map(\.id)) == genesis.dataFingerprint else {
        throw LedgerError.corrupt(version: 0, "the stored examples do not match the initial data's fingerprint \(genesis.dataFingerprint)")
      }
    }

    // 4. Certificates of the versions whose retained set is complete.
    func retainedPositions(after version: Int) -> [Int] {
      examples.filter { e in e.forgottenAt.map { $0 > version } ?? true }.map(\.position)
    }
    var recomputed = 0, versionsRecomputed = 0, chainOnly = 0
    for entry in entries {
      let positions = retainedPositions(after: entry.version)
      guard positions.allSatisfy(present.contains) else {
        chainOnly += 1
        continue
      }
      guard !entry.certificates.isEmpty else { continue }
      let data = try ledger.database.read { db in
        try LedgerDatabase.dataset(db, positions: positions, dimension: genesis.dimension, version: entry.version)
      }
      let (model, metadata) = try decode(bytesOf[entry.version]!, version: entry.version)
      guard model.inputDimension == genesis.dimension else {
        throw LedgerError.corrupt(version: entry.version, "foreign model: inputs of dimension \(model.inputDimension), the data have \(genesis.dimension)")
      }
      var fresh: [LedgerCertificate] = []
      for certificate in entry.certificates {
        fresh += try LedgerCertifier.certificates(for: model, metadata: metadata, retained: data, kinds: [certificate.kind],
                                                  kappa: certificate.kappa)
      }
      for (stored, again) in zip(entry.certificates, fresh) {
        if let difference = stored.firstDifference(from: again, relativeTolerance: relativeTolerance) {
          throw LedgerError.corrupt(version: entry.version, "certificate does not recompute: \(difference)")
        }
      }
      recomputed += entry.certificates.count
      versionsRecomputed += 1
    }
    var result = LedgerVerification(versions: entries.count, modelFiles: entries.count, certificatesRecomputed: recomputed,
                                    versionsRecomputed: versionsRecomputed, versionsChainOnly: chainOnly)

    // 5. Replay.
    if replay {
      guard genesis.keepsForgottenFeatures else { throw LedgerError.replayNeedsFeatures }
      var parentBytes = bytesOf[0]!
      var exact = 0
      for entry in entries.dropFirst() {
        let positions = retainedPositions(after: entry.version - 1)
        let data = try ledger.database.read { db in
          try LedgerDatabase.dataset(db, positions: positions, dimension: genesis.dimension, version: entry.version)
        }
        let index = Dictionary(uniqueKeysWithValues: positions.enumerated().map { ($1, $0) })
        let forget = entry.forgottenIDs.map { index[byID[$0]!.position]! }
        guard let method = entry.method else { throw LedgerError.corrupt(version: entry.version, "no method recorded") }
        let again = try VersionDerivation.replay(parentBytes: parentBytes, parentVersion: entry.version - 1, retained: data,
                                                 forget: forget, method: method, certify: entry.certificates.map(\.kind),
                                                 kappa: entry.certificates.first?.kappa ?? genesis.kappa)
        let sha = ContentHash.sha256Hex(again.modelBytes)
        if sha == entry.modelSHA256 {
          exact += 1
        } else {
          let stored = try decode(bytesOf[entry.version]!, version: entry.version).0.parameters
          let replayed = try decode(again.modelBytes, version: entry.version).0.parameters
          let scale = max(stored.map(abs).max() ?? 0, replayed.map(abs).max() ?? 0)
          guard stored.count == replayed.count,
                zip(stored, replayed).allSatisfy({ abs($0 - $1) <= relativeTolerance * scale }) else {
            throw LedgerError.corrupt(version: entry.version, "replay gives a different model (sha256 \(sha), the chain has \(entry.modelSHA256))")
          }
        }
        parentBytes = again.modelBytes
      }
      result.replayed = entries.count - 1
      result.replayedBitForBit = exact
    }
    return result
  }

  static func decode(_ bytes: [UInt8], version: Int) throws -> (any HomogeneousModel, ModelMetadata) {
    do {
      return try ModelFile.decode(try SafetensorsFile.parse(bytes, name: "version \(version)"))
    } catch {
      throw LedgerError.corrupt(version: version, "the model file does not decode (\(error))")
    }
  }
}
