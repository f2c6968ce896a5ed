import Foundation
import Unlearning

/// The ledger's model files, content-addressed: `DIR/models/<sha256>.safetensors`, where the name is the
/// SHA-256 of the file's bytes. Files are written durably (``AtomicFile``: temporary file, `fsync`,
/// link or rename, `fsync` of the folder) before the database commit that references them, so a
/// committed version always finds its file; a file no committed version references (a request
/// interrupted between the two) is an orphan and ``removeOrphans(keeping:)`` deletes it.
package struct ModelStore: Sendable {
  /// `DIR/models`.
  package let folder: URL

  package init(ledger: URL) {
    folder = ledger.appendingPathComponent("models", isDirectory: true)
  }

  /// The file of the model whose bytes hash to `sha256`.
  package func url(of sha256: String) -> URL { folder.appendingPathComponent("\(sha256).safetensors") }

  /// Stores `bytes` under their SHA-256 and returns it. A file of that name already there is kept
  /// when its bytes hash to its name (the same model), replaced otherwise.
  ///
  /// - Complexity: O(bytes), two `fsync`s.
  /// - Throws: ``FileFormatError`` (I/O) when the write fails.
  @discardableResult
  package func store(_ bytes: [UInt8]) throws -> String {
    let sha = ContentHash.sha256Hex(bytes)
    let target = url(of: sha)
    if let existing = try? Data(contentsOf: target), ContentHash.sha256Hex(existing) == sha { return sha }
    try AtomicFile.write(bytes, to: target, overwrite: true)
    return sha
  }

  /// The bytes of the model `sha256`, checked against their name.
  ///
  /// - Complexity: O(file size).
  /// - Throws: ``LedgerError/corrupt(version:_:)`` naming `version` when the file is missing or its
  ///   bytes do not hash to `sha256`.
  package func bytes(of sha256: String, version: Int) throws -> [UInt8] {
    guard let data = try? Data(contentsOf: url(of: sha256)) else {
      throw LedgerError.corrupt(version: version, "model file models/\(sha256).safetensors is missing")
    }
    let got = ContentHash.sha256Hex(data)
    guard got == sha256 else {
      throw LedgerError.corrupt(version: version, "model file sha256 mismatch (models/\(sha256).safetensors now hashes to \(got))")
    }
    return [UInt8](data)
  }

  /// Deletes every file in the folder that is not the model of a committed version: orphans of
  /// interrupted requests and leftover temporary files. Call it only while holding the ledger's write
  /// lock (a writer's file is an orphan until its commit).
  ///
  /// - Returns: the names removed.
  /// - Complexity: O(files in the folder).
  @discardableResult
  package func removeOrphans(keeping referenced: Set<String>) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    var removed: [String] = []
    for name in names {
      let isModel = name.hasSuffix(".safetensors") && !name.hasPrefix(".")
      if isModel, referenced.contains(String(name.dropLast(".safetensors".count))) { continue }
      if (try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))) != nil { removed.append(name) }
    }
    return removed.sorted()
  }
}
