import Unlearning

/// One version of the ledger: a model, the request that produced it, its certificates, and its link in
/// the hash chain
///
///     entry_hash(v) = SHA-256( entry_hash(v − 1) ‖ canonical(v) ),   entry_hash(−1) = "0" × 64,
///
/// over the hexadecimal previous hash and the ``CanonicalJSON`` of the entry's content (version, parent,
/// request ID, forgotten IDs, model SHA-256, method, certificates with every number, fallback, creation
/// time, and for version 0 the ``LedgerGenesis`` with the fingerprint of the initial data). Editing any of
/// them, or reordering, inserting or dropping an entry, breaks every later link.
package struct LedgerEntry: Sendable, Equatable {
  /// The version number: 0 for the model given at `init`, then 1, 2, … in commit order.
  package var version: Int
  /// The version this one was derived from (`nil` for version 0).
  package var parent: Int?
  /// The deletion request's ID (`init` for version 0).
  package var requestID: String
  /// The example IDs forgotten by this version, in the request's order (empty for version 0).
  package var forgottenIDs: [String]
  /// SHA-256 of the model file's bytes (`models/<model_sha256>.safetensors`).
  package var modelSHA256: String
  /// The method that produced the model (`nil` for version 0).
  package var method: LedgerMethod?
  /// The certificates of the model w.r.t. this version's retained set.
  package var certificates: [LedgerCertificate]
  /// Why the policy's fallback ran (`nil` when it did not).
  package var fallback: String?
  /// When the version was committed (ISO 8601, UTC).
  package var createdAt: String
  /// What version 0 started from (`nil` for later versions).
  package var genesis: LedgerGenesis?
  /// The previous entry's hash (64 zeros for version 0).
  package var previousHash: String
  /// `SHA-256(previousHash ‖ canonicalContent)`.
  package var entryHash: String

  /// The hash before the first entry.
  package static let zeroHash = String(repeating: "0", count: 64)

  /// The canonical content the chain hashes.
  ///
  /// - Complexity: O(size of the entry).
  package var canonicalContent: String {
    CanonicalJSON.object([
      "format": .string("unlearn-ledger-entry-v1"),
      "version": .int(version),
      "parent": parent.map(CanonicalJSON.int) ?? .null,
      "request_id": .string(requestID),
      "forgotten_ids": .array(forgottenIDs.map(CanonicalJSON.string)),
      "model_sha256": .string(modelSHA256),
      "method": method?.canonical ?? .null,
      "certificates": .array(certificates.map(\.canonical)),
      "fallback": .text(fallback),
      "created_at": .string(createdAt),
      "genesis": genesis?.canonical ?? .null,
    ]).serialized
  }

  /// `SHA-256(previousHash ‖ canonicalContent)` in hexadecimal, from the fields as they are now.
  ///
  /// - Complexity: O(size of the entry).
  package var computedHash: String {
    ContentHash.sha256Hex(Array(previousHash.utf8) + Array(canonicalContent.utf8))
  }

  /// An entry linked after `previousHash`, its ``entryHash`` computed.
  package init(version: Int, parent: Int?, requestID: String, forgottenIDs: [String], modelSHA256: String,
               method: LedgerMethod?, certificates: [LedgerCertificate], fallback: String?, createdAt: String,
               genesis: LedgerGenesis?, previousHash: String) {
    self.version = version
    self.parent = parent
    self.requestID = requestID
    self.forgottenIDs = forgottenIDs
    self.modelSHA256 = modelSHA256
    self.method = method
    self.certificates = certificates
    self.fallback = fallback
    self.createdAt = createdAt
    self.genesis = genesis
    self.previousHash = previousHash
    self.entryHash = ""
    self.entryHash = computedHash
  }
}

/// What version 0 of a ledger started from: the fingerprint of the initial data,
///
///     SHA-256( "unlearn-ledger-data-v1\n" ‖ fingerprint(X, y) ‖ "\n" ‖ id_1 ‖ "\n" ‖ … ‖ id_m ‖ "\n" ),
///
/// with `fingerprint(X, y)` the training-set fingerprint of MATH.md §8.4, its size, the κ of the
/// certificates, and whether forgotten features are kept.
package struct LedgerGenesis: Sendable, Equatable, Codable {
  package var dataFingerprint: String
  package var examples: Int
  package var dimension: Int
  package var kappa: Double
  package var keepsForgottenFeatures: Bool

  enum CodingKeys: String, CodingKey {
    case dataFingerprint = "data_fingerprint", examples, dimension, kappa, keepsForgottenFeatures = "keep_forgotten_features"
  }

  /// The fingerprint of the initial data and IDs.
  ///
  /// - Complexity: O(m d).
  package static func fingerprint(_ data: Dataset, ids: [String]) -> String {
    var text = "unlearn-ledger-data-v1\n" + ContentHash.fingerprint(data) + "\n"
    for id in ids { text += id + "\n" }
    return ContentHash.sha256Hex(Array(text.utf8))
  }

  package var canonical: CanonicalJSON {
    .object(["data_fingerprint": .string(dataFingerprint), "examples": .int(examples), "dimension": .int(dimension),
             "kappa": .double(kappa), "keep_forgotten_features": .bool(keepsForgottenFeatures)])
  }
}

extension LedgerEntry: Encodable {
  enum CodingKeys: String, CodingKey {
    case version, parent, requestID = "request_id", forgottenIDs = "forgotten_ids", modelSHA256 = "model_sha256", method
    case certificates, fallback, createdAt = "created_at", genesis, previousHash = "previous_hash", entryHash = "entry_hash"
  }

  /// Every key always present (`null` when absent), as `ledger log --json` prints it.
  package func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(version, forKey: .version)
    try c.encode(parent, forKey: .parent)
    try c.encode(requestID, forKey: .requestID)
    try c.encode(forgottenIDs, forKey: .forgottenIDs)
    try c.encode(modelSHA256, forKey: .modelSHA256)
    try c.encode(method, forKey: .method)
    try c.encode(certificates, forKey: .certificates)
    try c.encode(fallback, forKey: .fallback)
    try c.encode(createdAt, forKey: .createdAt)
    try c.encode(genesis, forKey: .genesis)
    try c.encode(previousHash, forKey: .previousHash)
    try c.encode(entryHash, forKey: .entryHash)
  }
}
