import Foundation
import Testing

/// A scratch folder with seeded data (`iso.x.npy`, `iso.y.npy`) and a linear model trained on it, made by the binary.
struct LedgerScratch {
  let root: URL

  init(m: Int, d: Int) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-ledger-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let data = try CLIRunner.run(["make-data", "--setting", "isotropic", "--m", "\(m)", "--d", "\(d)", "--seed", "0",
                                  "--out", path("iso")])
    precondition(data.status == 0, data.stderr)
    let train = try CLIRunner.run(["train", "--x", path("iso.x.npy"), "--y", path("iso.y.npy"), "--model", "linear",
                                   "--out", path("linear.safetensors")])
    precondition(train.status == 0, train.stderr)
  }

  func path(_ name: String) -> String { root.appendingPathComponent(name).path }

  /// `ledger init NAME` on the data and the model.
  func initLedger(_ name: String, _ extra: [String] = []) throws -> CLIRunner.Result {
    try CLIRunner.run(["ledger", "init", path(name), "--model", path("linear.safetensors"), "--x", path("iso.x.npy"),
                       "--y", path("iso.y.npy")] + extra)
  }

  func remove() { try? FileManager.default.removeItem(at: root) }
}

@Suite("unlearn ledger through the binary")
struct LedgerCommandTests {
  @Test("10 deletions by ID: log --json shows 11 versions, verify exits 0, export writes the head")
  func tenDeletions() throws {
    let s = try LedgerScratch(m: 30, d: 100)
    defer { s.remove() }
    let ids = (0..<30).map { "user-\($0)" }.joined(separator: "\n") + "\n"
    try ids.write(toFile: s.path("ids.txt"), atomically: true, encoding: .utf8)
    let created = try s.initLedger("L", ["--ids", s.path("ids.txt")])
    #expect(created.status == 0, "\(created.stderr)")
    for k in 0..<10 {
      let r = try CLIRunner.run(["ledger", "forget", s.path("L"), "--ids", "user-\(3 * k)"])
      #expect(r.status == 0, "\(r.stderr)")
      #expect(r.stdout.hasPrefix("version \(k + 1) (request req-\(k + 1)): forgot [\"user-\(3 * k)\"] with ga-kkt"))
    }
    let log = try CLIRunner.run(["ledger", "log", s.path("L"), "--json"])
    #expect(log.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as! [String: Any]
    let versions = json["versions"] as! [[String: Any]]
    #expect(versions.count == 11)
    for (k, v) in versions.enumerated() {
      #expect(v["version"] as? Int == k)
      for key in ["request_id", "forgotten_ids", "model_sha256", "parent", "certificates", "created_at", "entry_hash", "fallback"] {
        #expect(v.keys.contains(key), "version \(k) lacks \(key)")
      }
    }
    #expect((versions[4]["forgotten_ids"] as? [String]) == ["user-9"])
    let certificate = (versions[10]["certificates"] as! [[String: Any]])[0]
    #expect(certificate["kind"] as? String == "self" && certificate["psi"] is Double && certificate["phi"] is Double)
    let verify = try CLIRunner.run(["ledger", "verify", s.path("L")])
    #expect(verify.status == 0, "\(verify.stderr)")
    #expect(verify.stdout == "verified 11 versions: chain ok, 11 model files ok, 1 certificate recomputed (10 earlier versions' retained data include examples since forgotten; checked through the chain)\n")
    let text = try CLIRunner.run(["ledger", "log", s.path("L")])
    #expect(text.stdout.split(separator: "\n").count == 12)
    let export = try CLIRunner.run(["ledger", "export", s.path("L"), "--out", s.path("head.safetensors")])
    #expect(export.status == 0, "\(export.stderr)")
    let head = versions[10]["model_sha256"] as! String
    #expect(try Data(contentsOf: URL(fileURLWithPath: s.path("head.safetensors"))) ==
            Data(contentsOf: URL(fileURLWithPath: s.path("L/models/\(head).safetensors"))))
    let again = try CLIRunner.run(["ledger", "export", s.path("L"), "--version", "0", "--out", s.path("head.safetensors")])
    #expect(again.status == 74 && again.stderr.contains("already exists; pass --force to overwrite"))
    let original = try CLIRunner.run(["ledger", "export", s.path("L"), "--version", "0", "--out", s.path("v0.safetensors")])
    #expect(original.status == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: s.path("v0.safetensors"))) ==
            Data(contentsOf: URL(fileURLWithPath: s.path("linear.safetensors"))))
  }

  @Test("Exit codes: unknown ID, already forgotten, emptying the set, a request ID reused (65); replay without features, a missing version (64); a locked ledger (69); not a ledger (65/74)")
  func exitCodes() throws {
    let s = try LedgerScratch(m: 6, d: 30)
    defer { s.remove() }
    #expect(try s.initLedger("L").status == 0)
    #expect(try CLIRunner.run(["ledger", "forget", s.path("L"), "--ids", "2", "--request-id", "r1"]).status == 0)
    let cases: [([String], Int32, String)] = [
      (["forget", s.path("L"), "--ids", "9"], 65, "error: unknown example ID \"9\": not in this ledger"),
      (["forget", s.path("L"), "--ids", "2"], 65, "error: example \"2\" was already forgotten at version 1"),
      (["forget", s.path("L"), "--ids", "0,1,3,4,5"], 65, "error: the request would forget all 5 retained examples: nothing would be retained"),
      (["forget", s.path("L"), "--ids", "3", "--request-id", "r1"], 65,
       "error: request \"r1\" was already applied with other contents (it forgot [\"2\"], this one names [\"3\"]); a request ID names one request"),
      (["verify", s.path("L"), "--replay"], 64, "error: --replay re-derives every version"),
      (["export", s.path("L"), "--version", "7", "--out", s.path("x.safetensors")], 64, "error: no version 7 in this ledger (versions 0…1)"),
      (["log", s.path("nothere")], 74, "not a ledger (no "),
      (["forget", s.path("L"), "--ids", "3", "--fallback", "recover"], 64, "--fallback goes with --max-epsilon"),
    ]
    for (arguments, code, message) in cases {
      let r = try CLIRunner.run(["ledger"] + arguments)
      #expect(r.status == code, "\(arguments): \(r.stderr)")
      #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
      #expect(!r.stderr.isEmpty && (code == 64 || r.stderr.split(separator: "\n").count == 1))
    }
    // Nothing changed: still two versions, and they verify.
    let verify = try CLIRunner.run(["ledger", "verify", s.path("L")])
    #expect(verify.status == 0 && verify.stdout.hasPrefix("verified 2 versions"), "\(verify.stderr)")
    // A text file where the database should be.
    try FileManager.default.createDirectory(atPath: s.path("N"), withIntermediateDirectories: true)
    try "not a database\n".write(toFile: s.path("N/ledger.sqlite"), atomically: true, encoding: .utf8)
    let notLedger = try CLIRunner.run(["ledger", "verify", s.path("N")])
    #expect(notLedger.status == 65 && notLedger.stderr.contains("not a ledger database (the file is not an SQLite database)"))
    // A write lock held by another process (python3's sqlite3) for longer than --busy-timeout.
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    holder.arguments = ["python3", "-c", """
      import sqlite3, sys, time
      c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("BEGIN IMMEDIATE"); print("locked", flush=True); sys.stdin.read()
      """, s.path("L/ledger.sqlite")]
    let pipe = Pipe(), input = Pipe()
    holder.standardOutput = pipe
    holder.standardInput = input  // the lock is held until this pipe closes
    try holder.run()
    _ = pipe.fileHandleForReading.availableData  // "locked"
    let locked = try CLIRunner.run(["ledger", "forget", s.path("L"), "--ids", "3", "--busy-timeout", "0.3"])
    try input.fileHandleForWriting.close()
    holder.waitUntilExit()
    #expect(locked.status == 69, "\(locked.stderr)")
    #expect(locked.stderr.contains("error: the ledger is busy: another process held its write lock for the whole busy timeout (0.3 s); retry, or raise --busy-timeout"))
    #expect(try CLIRunner.run(["ledger", "forget", s.path("L"), "--ids", "3"]).status == 0)
  }

  @Test("Two ledger forget processes started at once: both succeed, the log has both, verify passes")
  func concurrentForgets() throws {
    let s = try LedgerScratch(m: 30, d: 100)
    defer { s.remove() }
    #expect(try s.initLedger("L").status == 0)
    for round in 0..<3 {
      // Both processes exist before either starts its work; their stderr goes to files (no pipe to drain).
      let processes = (0..<2).map { k -> Process in
        let p = Process()
        p.executableURL = CLIRunner.binary
        p.arguments = ["ledger", "forget", s.path("L"), "--ids", "\(4 * round + k)", "--request-id", "c\(round)-\(k)"]
        p.standardOutput = FileHandle.nullDevice
        FileManager.default.createFile(atPath: s.path("err\(round)-\(k)"), contents: nil)
        p.standardError = FileHandle(forWritingAtPath: s.path("err\(round)-\(k)"))
        return p
      }
      for p in processes { try p.run() }
      for p in processes { p.waitUntilExit() }
      let results = try (0..<2).map { k in
        (status: processes[k].terminationStatus, stderr: try String(contentsOfFile: s.path("err\(round)-\(k)"), encoding: .utf8))
      }
      for r in results { #expect(r.status == 0, "\(r.stderr)") }
    }
    let log = try CLIRunner.run(["ledger", "log", s.path("L"), "--json"])
    let versions = (try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as! [String: Any])["versions"] as! [[String: Any]]
    #expect(versions.count == 7)
    #expect(Set(versions.dropFirst().map { $0["request_id"] as! String }) == ["c0-0", "c0-1", "c1-0", "c1-1", "c2-0", "c2-1"])
    let verify = try CLIRunner.run(["ledger", "verify", s.path("L")])
    #expect(verify.status == 0, "\(verify.stderr)")
  }

  @Test("Every ledger subcommand's --help teaches: an abstract and an example")
  func help() throws {
    for sub in ["init", "forget", "apply", "log", "verify", "export"] {
      let r = try CLIRunner.run(["ledger", sub, "--help"])
      #expect(r.status == 0)
      #expect(r.stdout.contains("Example:") && r.stdout.contains("unlearn ledger \(sub)"), "\(sub)")
    }
  }
}
