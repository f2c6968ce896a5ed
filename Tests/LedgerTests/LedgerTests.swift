import Foundation
import GRDB
import Testing
import Unlearning
import Workflows
@testable import Ledger

/// A small seeded ledger: isotropic data (m = 24, d = 60), a linear model trained by the training workflow.
struct LedgerFixture {
  let root: URL
  let data: Dataset
  let modelURL: URL

  init(m: Int = 24, d: Int = 60, seed: UInt64 = 3) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    data = try SyntheticData.generate(.isotropic, count: m, dimension: d, seed: seed).0
    let request = TrainingWorkflow.Request(architecture: .linear, configuration: TrainingConfiguration(learningRate: 1, tolerance: 1e-3),
                                           seed: seed)
    let (model, metadata, _) = try TrainingWorkflow.run(request, on: data)
    modelURL = root.appendingPathComponent("model.safetensors")
    try ModelFile.write(model, metadata: metadata, to: modelURL, overwrite: false)
  }

  var ids: [String] { (0..<data.count).map { "user-\($0)" } }

  func ledger(_ name: String = "L", keep: Bool = false) throws -> Ledger {
    try Ledger.create(at: root.appendingPathComponent(name), model: modelURL, data: data, ids: ids, kappa: 3e-2,
                      keepsForgottenFeatures: keep).0
  }

  func remove() { try? FileManager.default.removeItem(at: root) }
}

@Suite("The deletion ledger (library)")
struct LedgerTests {
  @Test("Canonical JSON: sorted keys, round-trip doubles, escapes")
  func canonicalJSON() {
    let value = CanonicalJSON.object(["b": .double(0.1), "a": .array([.int(3), .null, .bool(true)]), "c": .string("x\"\\\n\u{1}é"),
                                      "d": .double(1e-300), "e": .double(.infinity)])
    #expect(value.serialized == #"{"a":[3,null,true],"b":0.1,"c":"x\"\\\n\u0001é","d":1e-300,"e":"inf"}"#)
    for x in [0.1, 1.0 / 3, 5e-324, 1.7976931348623157e308, -2.5e-17] {
      #expect(Double(CanonicalJSON.double(x).serialized) == x)
    }
  }

  @Test("The hash chain: entry_hash = SHA-256(previous ‖ canonical content), linked from 64 zeros")
  func hashChain() throws {
    let f = try LedgerFixture()
    defer { f.remove() }
    let ledger = try f.ledger()
    _ = try ledger.forget(LedgerRequest(id: "r1", forget: ["user-3", "user-7"]), settings: LedgerForgetSettings())
    _ = try ledger.forget(LedgerRequest(id: "r2", forget: ["user-1"]), settings: LedgerForgetSettings())
    let entries = try ledger.entries()
    #expect(entries.map(\.version) == [0, 1, 2])
    #expect(entries[0].previousHash == String(repeating: "0", count: 64))
    for (k, e) in entries.enumerated() {
      #expect(e.entryHash == ContentHash.sha256Hex(Array((e.previousHash + e.canonicalContent).utf8)))
      if k > 0 {
        #expect(e.previousHash == entries[k - 1].entryHash)
        #expect(e.parent == k - 1)
      }
    }
    // The content covers every field: a changed number, ID or reason changes the hash.
    var edited = entries[1]
    edited.certificates[0].epsilon! /= 2
    #expect(edited.computedHash != entries[1].entryHash)
    edited = entries[1]
    edited.forgottenIDs = ["user-3"]
    #expect(edited.computedHash != entries[1].entryHash)
    edited = entries[1]
    edited.fallback = "x"
    #expect(edited.computedHash != entries[1].entryHash)
    #expect(entries[0].canonicalContent.contains(#""data_fingerprint":"\#(LedgerGenesis.fingerprint(f.data, ids: f.ids))""#))
    let verification = try LedgerVerifier.verify(ledger)
    #expect(verification.versions == 3 && verification.certificatesRecomputed == 1 && verification.versionsChainOnly == 2)
  }

  @Test("Forget by ID: the retained examples in init order go through ForgetWorkflow; the same bits as the workflow on them")
  func forgetByID() throws {
    let f = try LedgerFixture()
    defer { f.remove() }
    let ledger = try f.ledger()
    let outcome = try ledger.forget(LedgerRequest(id: nil, forget: ["user-5", "user-2"]), settings: LedgerForgetSettings())
    guard case .applied(let entry) = outcome else { Issue.record("not applied"); return }
    #expect(entry.requestID == "req-1")
    #expect(entry.forgottenIDs == ["user-5", "user-2"])
    // The same step by hand: positions 5 and 2 of the full set.
    let (model, metadata) = try ModelFile.read(f.modelURL)
    let result = try ForgetWorkflow.run(model, metadata: metadata, on: f.data,
                                        ForgetWorkflow.Request(forgetSet: [5, 2], certify: [.self]))
    let (unlearned, summary) = (result.model, result.summary)
    // The model file is the workflow's: θ_U with its metadata (the multipliers of S∖F carried forward).
    #expect(try ledger.modelBytes(version: 1).1 == ModelFile.encode(result.model, metadata: result.metadata).encode(dtype: .f64))
    #expect(result.metadata.multipliers != nil)
    let (_, bytes) = try ledger.modelBytes(version: 1)
    let (stored, _) = try ModelFile.decode(try SafetensorsFile.parse(bytes, name: "v1"))
    #expect(stored.parameters == unlearned.parameters)
    #expect(entry.certificates[0].epsilon == summary.certificates[0].epsilon)
    #expect(entry.certificates[0].delta == summary.certificates[0].delta)
    let geometry = DataGeometry(of: try f.data.removing([5, 2]).retained)
    #expect(entry.certificates[0].psi == geometry.psi && entry.certificates[0].phi == geometry.phi)
    // A second request works on the 22 retained examples.
    let second = try ledger.forget(LedgerRequest(id: nil, forget: ["user-0"]), settings: LedgerForgetSettings())
    #expect(second.entry.version == 2 && second.entry.requestID == "req-2")
    // The same request ID again: skipped; with other IDs: refused.
    let again = try ledger.forget(LedgerRequest(id: "req-1", forget: ["user-5", "user-2"]), settings: LedgerForgetSettings())
    #expect(again == .skipped(entry))
    #expect(throws: LedgerError.requestConflict(id: "req-1", stored: ["user-5", "user-2"], given: ["user-9"])) {
      try ledger.forget(LedgerRequest(id: "req-1", forget: ["user-9"]), settings: LedgerForgetSettings())
    }
  }

  @Test("Witness certificates: issued per version (linear: the model itself, τ = 0), recomputed by verify; two-layer through LedgerCertifier")
  func witnessCertificates() throws {
    let f = try LedgerFixture()
    defer { f.remove() }
    let ledger = try f.ledger()
    let outcome = try ledger.forget(LedgerRequest(id: nil, forget: ["user-4"]), settings: LedgerForgetSettings(certify: [.self, .witness]))
    let witness = outcome.entry.certificates[1]
    #expect(witness.kind == .witness && witness.tau == 0 && witness.epsilon != nil)
    let verification = try LedgerVerifier.verify(ledger)
    #expect(verification.versions == 2 && verification.certificatesRecomputed >= 1)
    // A two-layer model on a retained set: the ledger's witness is the certifier's.
    let data = try SyntheticData.generate(.isotropic, count: 10, dimension: 80, seed: 2).0
    let net = try Trainer(TrainingConfiguration(learningRate: 1, tolerance: 0, auditInterval: 400, maxIterations: 400))
      .train(from: TwoLayerReLUNetwork.initialized(width: 12, dimension: 80, trainsOutputLayer: false, initScale: 0.01, seed: 4), on: data).model
    let issued = try LedgerCertifier.certificates(for: net, metadata: ModelMetadata(), retained: data, kinds: [.witness], kappa: 3e-2)
    let direct = try Certifier(auditor: KKTAuditor(kappa: 3e-2)).witnessCertificate(net, retained: data).0
    #expect(issued[0].kind == .witness && issued[0].epsilon == direct.epsilon && issued[0].tau == direct.tau)
    #expect(issued[0].method.contains("projected onto their kinks"))
  }

  @Test("Bad requests: unknown, already forgotten, repeated, empty, emptying the set — one error each, nothing changes")
  func badRequests() throws {
    let f = try LedgerFixture(m: 6, d: 40)
    defer { f.remove() }
    let ledger = try f.ledger()
    _ = try ledger.forget(LedgerRequest(id: "r1", forget: ["user-1"]), settings: LedgerForgetSettings())
    let before = try ledger.entries()
    let files = try FileManager.default.contentsOfDirectory(atPath: ledger.models.folder.path).sorted()
    let cases: [([String], LedgerError)] = [
      (["user-2", "nobody"], .unknownID("nobody")),
      (["user-1"], .alreadyForgotten(id: "user-1", version: 1)),
      (["user-2", "user-2"], .repeatedID("user-2")),
      ([], .emptyRequest),
      (["user-0", "user-2", "user-3", "user-4", "user-5"], .wouldEmpty(retained: 5)),
    ]
    for (ids, error) in cases {
      #expect(throws: error) { try ledger.forget(LedgerRequest(id: "bad", forget: ids), settings: LedgerForgetSettings()) }
      #expect(error.failureClass == .data)
    }
    #expect(try ledger.entries() == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: ledger.models.folder.path).sorted() == files)
    #expect(LedgerError.locked(seconds: 1).failureClass == .external)
    #expect(throws: LedgerError.invalidIDs("the ID \"a\" is given to examples 0 and 2; IDs must be unique")) {
      try Ledger.checkIDs(["a", "b", "a"], examples: 3)
    }
    #expect(throws: LedgerError.invalidIDs("the ID of example 1 is empty; IDs must be non-empty")) {
      try Ledger.checkIDs(["a", "", "c"], examples: 3)
    }
  }

  @Test("A forgotten example's features leave the database (its ID stays, marked forgotten); kept with keepsForgottenFeatures")
  func featuresDeleted() throws {
    let f = try LedgerFixture()
    defer { f.remove() }
    let ledger = try f.ledger()
    _ = try ledger.forget(LedgerRequest(id: "r1", forget: ["user-4", "user-11"]), settings: LedgerForgetSettings())
    let path = f.root.appendingPathComponent("L/ledger.sqlite").path
    let raw = try DatabaseQueue(path: path)
    let (positions, forgotten, count) = try raw.read { db in
      (try Int.fetchAll(db, sql: "SELECT position FROM features ORDER BY position"),
       try Row.fetchAll(db, sql: "SELECT id, forgotten_at FROM examples WHERE forgotten_at IS NOT NULL ORDER BY position")
         .map { "\($0["id"] as String)@\($0["forgotten_at"] as Int)" },
       try Int.fetchOne(db, sql: "SELECT count(*) FROM examples")!)
    }
    #expect(!positions.contains(4) && !positions.contains(11) && positions.count == 22)
    #expect(forgotten == ["user-4@1", "user-11@1"])
    #expect(count == 24)
    try raw.close()
    let kept = try f.ledger("K", keep: true)
    _ = try kept.forget(LedgerRequest(id: "r1", forget: ["user-4"]), settings: LedgerForgetSettings())
    let rawKept = try DatabaseQueue(path: f.root.appendingPathComponent("K/ledger.sqlite").path)
    #expect(try rawKept.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM features") } == 24)
    try rawKept.close()
    let verification = try LedgerVerifier.verify(kept, replay: true)
    #expect(verification.certificatesRecomputed == 2 && verification.versionsChainOnly == 0)
    #expect(verification.replayed == 1 && verification.replayedBitForBit == 1)
  }

  @Test("No version's model file keeps the pre-activation cache (projections of every example's features): stripped at init and after each step, the same θ_U")
  func preactivationCacheStripped() throws {
    let f = try LedgerFixture()
    defer { f.remove() }
    let request = TrainingWorkflow.Request(architecture: .twoLayer(width: 12, trainOutputLayer: false),
                                           configuration: TrainingConfiguration(learningRate: 1, tolerance: 2e-2, auditInterval: 100, maxIterations: 4000),
                                           seed: 5)
    let (net, metadata, _) = try TrainingWorkflow.run(request, on: f.data)
    #expect(metadata.multipliers?.preactivations?.rows == f.data.count, "the trainer stores the cache")
    let url = f.root.appendingPathComponent("net.safetensors")
    try ModelFile.write(net, metadata: metadata, to: url, overwrite: false)
    let ledger = try Ledger.create(at: f.root.appendingPathComponent("N"), model: url, data: f.data, ids: f.ids, kappa: 3e-2,
                                   keepsForgottenFeatures: true).0
    _ = try ledger.forget(LedgerRequest(id: "r1", forget: ["user-3"]), settings: LedgerForgetSettings())
    for version in 0...1 {
      let file = try SafetensorsFile.parse(try ledger.modelBytes(version: version).1, name: "v\(version)")
      #expect(file.tensors["kkt_preactivations"] == nil, "version \(version)")
      let (_, meta) = try ModelFile.decode(file)
      #expect(meta.multipliers != nil && meta.multipliers?.preactivations == nil, "version \(version): multipliers kept, cache dropped")
    }
    // θ_U is the step's with or without the cache (MATH.md §5.2).
    let direct = try ForgetWorkflow.run(net, metadata: metadata, on: f.data, ForgetWorkflow.Request(forgetSet: [3], certify: [.self]))
    let (stored, _) = try ModelFile.decode(try SafetensorsFile.parse(try ledger.modelBytes(version: 1).1, name: "v1"))
    #expect(stored.parameters == direct.model.parameters)
    #expect(try LedgerVerifier.verify(ledger, replay: true).replayedBitForBit == 1)
  }

  @Test("secure_delete: a forgotten example's feature bytes are gone from the database and WAL files after a checkpoint")
  func bytesGone() throws {
    let f = try LedgerFixture()
    defer { f.remove() }
    let ledger = try f.ledger()
    let row = Array(f.data.features.elements[(7 * 60)..<(8 * 60)])
    let needle = [UInt8](LedgerDatabase.blob(row[...]))
    let folder = f.root.appendingPathComponent("L")
    func contains() throws -> Bool {
      for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasPrefix("ledger.sqlite") {
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
        if bytes.count >= needle.count, (0...(bytes.count - needle.count)).contains(where: { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }) {
          return true
        }
      }
      return false
    }
    #expect(try contains())
    _ = try ledger.forget(LedgerRequest(id: "r1", forget: ["user-7"]), settings: LedgerForgetSettings())
    #expect(try !contains())
  }

  @Test("Orphans: a model file and a temporary file no committed version references are removed on the next write")
  func orphanCleanup() throws {
    let f = try LedgerFixture()
    defer { f.remove() }
    let ledger = try f.ledger()
    let orphan = ledger.models.url(of: String(repeating: "ab", count: 32))
    try Data([1, 2, 3]).write(to: orphan)
    let temporary = ledger.models.folder.appendingPathComponent(".x.safetensors.tmp-1-2")
    try Data([4]).write(to: temporary)
    let removed = try ledger.removeOrphans()
    #expect(removed == [".x.safetensors.tmp-1-2", orphan.lastPathComponent])
    let head = try ledger.entries()[0].modelSHA256
    #expect(try FileManager.default.contentsOfDirectory(atPath: ledger.models.folder.path) == ["\(head).safetensors"])
  }

  @Test("Tamper: a flipped byte in a model file fails verify naming the version")
  func flippedByte() throws {
    let f = try LedgerFixture()
    defer { f.remove() }
    let ledger = try f.ledger()
    let entry = try ledger.forget(LedgerRequest(id: "r1", forget: ["user-3"]), settings: LedgerForgetSettings()).entry
    _ = try ledger.forget(LedgerRequest(id: "r2", forget: ["user-8"]), settings: LedgerForgetSettings())
    let url = ledger.models.url(of: entry.modelSHA256)
    var bytes = [UInt8](try Data(contentsOf: url))
    bytes[bytes.count - 5] ^= 0x10
    try Data(bytes).write(to: url)
    do {
      _ = try LedgerVerifier.verify(ledger)
      Issue.record("verify passed a tampered model file")
    } catch let error as LedgerError {
      guard case .corrupt(let version, let why) = error else { Issue.record("\(error)"); return }
      #expect(version == 1)
      #expect(why.hasPrefix("model file sha256 mismatch"))
      #expect(error.failureClass == .data)
    }
  }

  @Test("Tamper: an ε halved in the database with raw SQL fails verify (the chain, and the recomputed certificate)")
  func halvedEpsilon() throws {
    let f = try LedgerFixture()
    defer { f.remove() }
    let ledger = try f.ledger()
    _ = try ledger.forget(LedgerRequest(id: "r1", forget: ["user-3"]), settings: LedgerForgetSettings())
    let head = try ledger.entries()[1]
    let epsilon = head.certificates[0].epsilon!
    let raw = try DatabaseQueue(path: f.root.appendingPathComponent("L/ledger.sqlite").path)
    try raw.write { db in
      try db.execute(sql: "UPDATE versions SET certificates = replace(certificates, ?, ?) WHERE version = 1",
                     arguments: ["\(epsilon)", "\(epsilon / 2)"])
      #expect(db.changesCount == 1)
    }
    #expect(throws: LedgerError.corrupt(version: 1, "entry hash mismatch (stored \(head.entryHash), content hashes to \({ var e = head; e.certificates[0].epsilon = epsilon / 2; return e.computedHash }())): the entry was changed after it was committed")) {
      try LedgerVerifier.verify(ledger)
    }
    // Re-hashing the edited entry (a forger who knows the scheme) still fails: the certificate recomputes.
    try raw.write { db in
      var e = head
      e.certificates[0].epsilon = epsilon / 2
      try db.execute(sql: "UPDATE versions SET entry_hash = ? WHERE version = 1", arguments: [e.computedHash])
    }
    do {
      _ = try LedgerVerifier.verify(ledger)
      Issue.record("verify passed a re-hashed forgery")
    } catch LedgerError.corrupt(let version, let why) {
      #expect(version == 1)
      #expect(why.contains("certificate does not recompute: self ε stored"))
    }
    try raw.close()
  }

  @Test("Not a ledger: a text file where the database should be (65), a missing database (74), a foreign model at init (65)")
  func notALedger() throws {
    let f = try LedgerFixture()
    defer { f.remove() }
    let folder = f.root.appendingPathComponent("N")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    #expect(throws: LedgerError.missingLedger(folder.path)) { try Ledger(opening: folder) }
    try Data("hello, not SQLite\n".utf8).write(to: folder.appendingPathComponent("ledger.sqlite"))
    #expect(throws: LedgerError.notALedger(folder.appendingPathComponent("ledger.sqlite").path, "the file is not an SQLite database")) {
      try Ledger(opening: folder)
    }
    let other = try SyntheticData.generate(.isotropic, count: 24, dimension: 30, seed: 1).0
    do {
      _ = try Ledger.create(at: f.root.appendingPathComponent("F"), model: f.modelURL, data: other, ids: f.ids, kappa: 3e-2,
                            keepsForgottenFeatures: false)
      Issue.record("a foreign model was accepted")
    } catch let error as LedgerError {
      #expect(error == .foreignModel("\(f.modelURL.path) takes inputs of dimension 60 but the data have 30 features"))
      #expect(error.failureClass == .data)
    }
    #expect(!FileManager.default.fileExists(atPath: f.root.appendingPathComponent("F").path))
  }

  @Test("init: into a new or empty folder, built aside and renamed into place; a non-empty folder is refused and left as it was")
  func initIntoFolder() throws {
    let f = try LedgerFixture()
    defer { f.remove() }
    let empty = f.root.appendingPathComponent("E")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let ledger = try Ledger.create(at: empty, model: f.modelURL, data: f.data, ids: f.ids, kappa: 3e-2, keepsForgottenFeatures: false).0
    #expect(try LedgerVerifier.verify(ledger).versions == 1)
    #expect(try Set(FileManager.default.contentsOfDirectory(atPath: empty.path)).isSuperset(of: ["ledger.sqlite", "models"]))
    #expect(throws: LedgerError.notEmpty(empty.path)) {
      try Ledger.create(at: empty, model: f.modelURL, data: f.data, ids: f.ids, kappa: 3e-2, keepsForgottenFeatures: false)
    }
    #expect(try LedgerVerifier.verify(Ledger(opening: empty)).versions == 1)
    // No staging folder is left behind.
    #expect(try FileManager.default.contentsOfDirectory(atPath: f.root.path).filter { $0.hasPrefix(".") }.isEmpty)
  }

  @Test("Policy: a bound no step meets sends the request through the fallback, and the entry says why")
  func policyFallback() throws {
    let f = try LedgerFixture()
    defer { f.remove() }
    let ledger = try f.ledger(keep: true)
    for (k, fallback) in LedgerPolicy.Fallback.allCases.enumerated() {
      let settings = LedgerForgetSettings(certify: [], policy: LedgerPolicy(maxEpsilon: 1e-12, fallback: fallback))
      let entry = try ledger.forget(LedgerRequest(id: "r\(k)", forget: ["user-\(k)"]), settings: settings).entry
      #expect(entry.fallback?.contains("fell back to \(fallback.rawValue)") == true)
      #expect(entry.certificates.map(\.kind) == [.self])
      #expect(entry.method?.method == [.gaKKTRecover, .gaKKT, .retrain][k])
    }
    let loose = try ledger.forget(LedgerRequest(id: "loose", forget: ["user-9"]),
                                  settings: LedgerForgetSettings(policy: LedgerPolicy(maxEpsilon: 1, fallback: .retrain))).entry
    #expect(loose.fallback == nil && loose.method?.method == .gaKKT)
    let verification = try LedgerVerifier.verify(ledger, replay: true)
    #expect(verification.replayedBitForBit == 4)
  }

  @Test("Requests files: JSON Lines, blank lines skipped, duplicates of a line collapsed, bad lines named")
  func requestsFile() throws {
    let text = "{\"request_id\": \"r1\", \"forget\": [\"17\", \"42\"]}\n\n{\"request_id\": \"r2\", \"forget\": [\"3\"]}\n{\"request_id\": \"r1\", \"forget\": [\"17\", \"42\"]}\n"
    #expect(try LedgerRequestsFile.parse(text) == [LedgerRequest(id: "r1", forget: ["17", "42"]), LedgerRequest(id: "r2", forget: ["3"])])
    #expect(throws: LedgerError.malformedRequest(file: nil, line: 2, "not a request; each line is {\"request_id\": \"r1\", \"forget\": [\"17\", \"42\"]}")) {
      try LedgerRequestsFile.parse("{\"request_id\": \"r1\", \"forget\": []}\n{\"forget\": [\"1\"]}\n")
    }
    #expect(try LedgerRequestsFile.parse("{\"request_id\": \"a\", \"forget\": [\"1\"]}\r\n{\"request_id\": \"b\", \"forget\": [\"2\"]}\r\n").count == 2)
    #expect(ExampleIDs.firstField("\"a,\"\"b\",c") == "a,\"b")
  }

  @Test("Example IDs: one per line (CRLF, trailing blank line), or a CSV whose first column is the ID; empty IDs refused")
  func exampleIDs() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-ids-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = folder.appendingPathComponent("ids.txt"), csv = folder.appendingPathComponent("ids.csv")
    try "alice\r\nbob \r\ncarol\n\n".write(to: text, atomically: true, encoding: .utf8)
    #expect(try ExampleIDs.read(text) == ["alice", "bob", "carol"])
    try "id,age\nalice,30\n\"smith, bob\",41\n".write(to: csv, atomically: true, encoding: .utf8)
    #expect(try ExampleIDs.read(csv) == ["alice", "smith, bob"])
    try "alice\n\ncarol\n".write(to: text, atomically: true, encoding: .utf8)
    #expect(throws: LedgerError.invalidIDs("\(text.path): line 2 has an empty ID; IDs must be non-empty")) { try ExampleIDs.read(text) }
    #expect(ExampleIDs.rowNumbers(3) == ["0", "1", "2"])
  }
}
