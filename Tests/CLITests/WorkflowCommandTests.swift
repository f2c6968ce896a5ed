import Foundation
import Testing

/// make-data → train → audit → forget through the built binary, in a temporary folder.
@Suite("unlearn make-data / train / audit / forget")
struct WorkflowCommandTests {
  let dir: URL

  init() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

  func json(_ r: CLIRunner.Result) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  @Test("The whole session runs end to end for a linear and a two-layer model", arguments: ["linear", "two-layer"])
  func session(model: String) throws {
    let made = try CLIRunner.run(["make-data", "--setting", "isotropic", "--m", "12", "--d", "200", "--seed", "3", "--out", path("iso")])
    #expect(made.status == 0, "\(made.stderr)")
    #expect(FileManager.default.fileExists(atPath: path("iso.x.npy")) && FileManager.default.fileExists(atPath: path("iso.y.npy")))
    let data = ["--x", path("iso.x.npy"), "--y", path("iso.y.npy")]
    var train = ["train"] + data + ["--model", model, "--out", path("m.safetensors"), "--json"]
    if model == "two-layer" { train += ["--width", "16", "--tolerance", "2e-2", "--max-iterations", "4000"] }
    let trained = try CLIRunner.run(train)
    #expect(trained.status == 0, "\(trained.stderr)")
    #expect(try json(trained)["output"] as? String == path("m.safetensors"))

    let audit = try CLIRunner.run(["audit", "--model", path("m.safetensors")] + data + ["--frontier", "0,1e-3,1", "--json"])
    #expect(audit.status == 0, "\(audit.stderr)")
    let a = try json(audit)
    for key in ["kappa", "epsilon", "epsilon_relative", "epsilon_strict", "epsilon_strict_relative", "band_pairs", "delta",
                "min_margin", "psi", "phi", "multipliers", "homogeneity_degree", "frontier"] {
      #expect(a[key] != nil, "audit JSON lacks \(key)")
    }
    #expect((a["multipliers"] as? [Double])?.count == 12)
    let frontier = try #require(a["frontier"] as? [[String: Any]])
    #expect(frontier.count == 3 && frontier[0]["delta_budget"] as? Double == 0 && frontier[0]["epsilon"] is Double)

    let forget = try CLIRunner.run(["forget", "--model", path("m.safetensors")] + data
                                   + ["--forget", "2,5", "--certify", "self,retrained,exact", "--out", path("u.safetensors"), "--json"])
    #expect(forget.status == 0, "\(forget.stderr)")
    let f = try json(forget)
    #expect(f["method"] as? String == "ga-kkt" && f["alpha"] as? Double == 1 && (f["forget"] as? [Int]) == [2, 5])
    #expect(f["output"] as? String == path("u.safetensors"))
    let certificates = try #require(f["certificates"] as? [[String: Any]])
    #expect(certificates.map { $0["kind"] as? String } == ["self", "retrained", "exact"])
    for c in certificates { for key in ["epsilon", "epsilon_relative", "delta", "tau"] { #expect(c.keys.contains(key)) } }
    if model == "linear" {
      let tau = try #require(certificates[2]["tau"] as? Double)
      #expect(tau < 0.05)
    } else {
      #expect(certificates[2]["tau"] is NSNull)  // exact: linear models only
    }
    // The text mode shows a table; re-running without --force refuses to overwrite.
    let again = try CLIRunner.run(["forget", "--model", path("m.safetensors")] + data + ["--forget", "2", "--out", path("u.safetensors")])
    #expect(again.status == 74 && again.stderr.contains("already exists; pass --force to overwrite"), "\(again.stderr)")
    let text = try CLIRunner.run(["forget", "--model", path("m.safetensors")] + data
                                 + ["--forget", "2", "--out", path("u.safetensors"), "--force"])
    #expect(text.status == 0 && text.stdout.contains("certificates w.r.t. S∖F"))
    // The baselines run through the same command.
    // The ga-kkt run above issued the retrained certificate, so it timed retraining: the speed-up is reported.
    #expect((f["retrain_seconds"] as? Double ?? -1) > 0 && (f["speedup_over_retrain"] as? Double ?? -1) > 0)
    for method in ["fine-tune", "ga-kkt+recover", "neggrad-plus", "retrain", "newton", "minnorm-og"] {
      let b = try CLIRunner.run(["forget", "--model", path("m.safetensors")] + data
                                + ["--forget", "2", "--method", method, "--steps", "5", "--out", path("b.safetensors"), "--force", "--json"])
      #expect(b.status == 0, "\(method): \(b.stderr)")
      let j = try json(b)
      #expect(j["method"] as? String == method)
      // Without the retrained certificate the keys are present and null (a stable schema).
      if method != "retrain" { #expect(j["retrain_seconds"] is NSNull && j["speedup_over_retrain"] is NSNull, "\(method)") }
    }
  }

  @Test("A bundled real data set by name: a seeded subset trains to interpolation, audits and forgets; bad combinations refused")
  func bundledDataset() throws {
    let data = ["--dataset", "breast-cancer", "--subset", "20", "--subset-seed", "3"]
    let trained = try CLIRunner.run(["train"] + data + ["--model", "linear", "--out", path("bc.safetensors"), "--json"])
    #expect(trained.status == 0, "\(trained.stderr)")
    #expect(try json(trained)["stop_reason"] as? String == "converged")
    let audit = try CLIRunner.run(["audit", "--model", path("bc.safetensors")] + data + ["--json"])
    #expect(audit.status == 0, "\(audit.stderr)")
    #expect((try json(audit)["multipliers"] as? [Double])?.count == 20)
    for method in ["ga-kkt", "newton", "minnorm-og"] {
      let forget = try CLIRunner.run(["forget", "--model", path("bc.safetensors")] + data
                                     + ["--forget", "0,1", "--method", method, "--out", path("bcu.safetensors"), "--force", "--json"])
      #expect(forget.status == 0, "\(method): \(forget.stderr)")
      #expect(try json(forget)["retained_examples"] as? Int == 18)
    }
    for bad in [["--x", path("bc.safetensors")] + data, data + ["--zero-one-labels"], ["--x", path("a.npy"), "--subset", "5"],
                ["--dataset", "digits", "--subset", "0"]] {
      let r = try CLIRunner.run(["audit", "--model", path("bc.safetensors")] + bad)
      #expect(r.status == 64, "\(bad): \(r.stderr)")
    }
  }

  @Test("Bad inputs: one line, the right exit code", arguments: [
    (["audit", "--model", "/nonexistent/m.safetensors", "--x", "/nonexistent/x.npy", "--y", "/nonexistent/y.npy"], Int32(74), "m.safetensors"),
    (["forget", "--model", "m", "--x", "x", "--forget", "1,a", "--out", "o"], Int32(64), "'--forget <list>': \"a\" is not an integer"),
    (["forget", "--model", "m", "--x", "x", "--forget", "1", "--certify", "magic", "--out", "o"], Int32(64), "'--certify <list>': unknown certificate \"magic\"; the certificates are self, retrained, exact"),
    (["make-data", "--setting", "correlated", "--out", "x"], Int32(64), "needs --rho"),
    (["audit", "--model", "m", "--x", "x", "--frontier", "0,-1"], Int32(64), "--frontier budgets must be ≥ 0"),
  ])
  func badInputs(arguments: [String], code: Int32, message: String) throws {
    let r = try CLIRunner.run(arguments)
    #expect(r.status == code, "exit \(r.status), stderr: \(r.stderr)")
    #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
    #expect(!r.stderr.contains("Fatal error"))
  }

  @Test("A model that does not interpolate the data: a clear numerical error, exit 70")
  func nonInterpolating() throws {
    _ = try CLIRunner.run(["make-data", "--m", "10", "--d", "50", "--seed", "1", "--out", path("a")])
    _ = try CLIRunner.run(["make-data", "--m", "10", "--d", "50", "--seed", "2", "--out", path("b")])
    let trained = try CLIRunner.run(["train", "--x", path("a.x.npy"), "--y", path("a.y.npy"), "--model", "linear", "--out", path("a.safetensors")])
    #expect(trained.status == 0, "\(trained.stderr)")
    let r = try CLIRunner.run(["audit", "--model", path("a.safetensors"), "--x", path("b.x.npy"), "--y", path("b.y.npy")])
    #expect(r.status == 70 && r.stderr.contains("does not interpolate"), "\(r.stderr)")
  }

  @Test("A deep network (deep-relu, L = 2) trains, audits strictly and forgets through the CLI; the file holds W1, W2, v")
  func deepSession() throws {
    let made = try CLIRunner.run(["make-data", "--setting", "mixture", "--m", "12", "--d", "40", "--seed", "1", "--out", path("mix")])
    #expect(made.status == 0, "\(made.stderr)")
    let data = ["--x", path("mix.x.npy"), "--y", path("mix.y.npy")]
    let trained = try CLIRunner.run(["train"] + data + ["--model", "deep-relu", "--depth", "2", "--width", "16", "--tolerance", "5e-2",
                                                       "--max-iterations", "20000", "--out", path("deep.safetensors"), "--json"])
    #expect(trained.status == 0, "\(trained.stderr)")
    let t = try json(trained)
    #expect(t["architecture"] as? String == "deep-relu" && t["homogeneity_degree"] as? Int == 3)
    #expect(t["stop_reason"] as? String == "converged")
    // The safetensors header names the tensors and the architecture.
    let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent("deep.safetensors")))
    let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
    for needle in ["\"W1\"", "\"W2\"", "\"v\"", "\"deep-relu\""] { #expect(header.contains(needle), "header: \(header)") }

    let audit = try CLIRunner.run(["audit", "--model", path("deep.safetensors")] + data + ["--json"])
    #expect(audit.status == 0, "\(audit.stderr)")
    let a = try json(audit)
    #expect(a["band_pairs"] as? Int == 0, "deep networks are audited strictly")
    #expect((a["multipliers"] as? [Double])?.count == 12)

    let forget = try CLIRunner.run(["forget", "--model", path("deep.safetensors")] + data
                                   + ["--forget", "3", "--certify", "self,retrained", "--out", path("du.safetensors"), "--json"])
    #expect(forget.status == 0, "\(forget.stderr)")
    let certificates = try #require(try json(forget)["certificates"] as? [[String: Any]])
    #expect(certificates.map { $0["kind"] as? String } == ["self", "retrained"])
    #expect(certificates[1]["tau"] is Double, "the retrained certificate reproduces the recorded deep initialisation")
    let reaudit = try CLIRunner.run(["audit", "--model", path("du.safetensors")] + data + ["--json"])
    #expect(reaudit.status == 0 || reaudit.status == 70, "\(reaudit.stderr)")
  }
}
