import Foundation
import Testing

/// `unlearn forget --certify witness [--witness-out FILE]` through the built binary (MATH.md §6.6).
@Suite("unlearn forget --certify witness")
struct WitnessCommandTests {
  let dir: URL

  init() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-witness-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

  func json(_ r: CLIRunner.Result) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  /// make-data and train; returns the data flags.
  func trained(_ model: String, _ extra: [String] = []) throws -> [String] {
    let made = try CLIRunner.run(["make-data", "--setting", "isotropic", "--m", "12", "--d", "200", "--seed", "3", "--out", path("iso")])
    #expect(made.status == 0, "\(made.stderr)")
    let data = ["--x", path("iso.x.npy"), "--y", path("iso.y.npy")]
    let trained = try CLIRunner.run(["train"] + data + ["--model", model, "--out", path("m.safetensors")] + extra)
    #expect(trained.status == 0, "\(trained.stderr)")
    return data
  }

  @Test("Two-layer: the witness certificate has its fields, --witness-out writes a model the CLI reads; bad flag combinations refused")
  func twoLayer() throws {
    let data = try trained("two-layer", ["--width", "16", "--tolerance", "2e-2", "--max-iterations", "4000"])
    let forget = try CLIRunner.run(["forget", "--model", path("m.safetensors")] + data
                                   + ["--forget", "2", "--certify", "self,witness", "--out", path("u.safetensors"),
                                      "--witness-out", path("w.safetensors"), "--json"])
    #expect(forget.status == 0, "\(forget.stderr)")
    let f = try json(forget)
    #expect(f["witness_output"] as? String == path("w.safetensors"))
    let certificates = try #require(f["certificates"] as? [[String: Any]])
    #expect(certificates.map { $0["kind"] as? String } == ["self", "witness"])
    let witness = certificates[1]
    for key in ["epsilon", "epsilon_relative", "delta", "tau", "kappa", "method", "min_margin", "projected_pairs", "sign_changes"] {
      #expect(witness.keys.contains(key), "witness lacks \(key)")
    }
    #expect((witness["projected_pairs"] as? Int ?? 0) > 0 && witness["sign_changes"] is Int)
    let tau = try #require(witness["tau"] as? Double)
    #expect(tau > 0 && tau < 0.05, "τ = \(tau)")
    // Other kinds have the new fields as explicit nulls.
    #expect(certificates[0]["projected_pairs"] is NSNull && certificates[0]["sign_changes"] is NSNull)
    #expect(certificates[0]["min_margin"] is Double)

    // The written witness is a model file the CLI reads (its audit on S may find the forgotten example misclassified: 70).
    let audit = try CLIRunner.run(["audit", "--model", path("w.safetensors")] + data + ["--json"])
    #expect(audit.status == 0 || (audit.status == 70 && audit.stderr.contains("does not interpolate")), "\(audit.stderr)")
    let text = try CLIRunner.run(["forget", "--model", path("w.safetensors")] + data + ["--forget", "2", "--certify", "witness",
                                                                                      "--out", path("ww.safetensors")])
    #expect(text.status == 0 && text.stdout.contains("witness:") && text.stdout.contains("projected pairs"), "\(text.stderr)")

    // Refusals: an existing witness file without --force (74); --witness-out without witness (64); the same file twice (64).
    let again = try CLIRunner.run(["forget", "--model", path("m.safetensors")] + data
                                  + ["--forget", "2", "--certify", "witness", "--out", path("u2.safetensors"), "--witness-out", path("w.safetensors")])
    #expect(again.status == 74 && again.stderr.contains("already exists; pass --force to overwrite"), "\(again.stderr)")
    #expect(!FileManager.default.fileExists(atPath: path("u2.safetensors")), "nothing is written when an output is refused")
    let without = try CLIRunner.run(["forget", "--model", path("m.safetensors")] + data
                                    + ["--forget", "2", "--out", path("u3.safetensors"), "--witness-out", path("w3.safetensors")])
    #expect(without.status == 64 && without.stderr.contains("--witness-out writes the witness of --certify witness"), "\(without.stderr)")
    let same = try CLIRunner.run(["forget", "--model", path("m.safetensors")] + data
                                 + ["--forget", "2", "--certify", "witness", "--out", path("u4.safetensors"), "--witness-out", path("u4.safetensors")])
    #expect(same.status == 64 && same.stderr.contains("the same file"), "\(same.stderr)")
  }

  @Test("Linear: the witness is the model itself (τ = 0, no pairs, the self certificate's ε)")
  func linear() throws {
    let data = try trained("linear")
    let forget = try CLIRunner.run(["forget", "--model", path("m.safetensors")] + data
                                   + ["--forget", "2", "--certify", "self,witness", "--out", path("u.safetensors"), "--json"])
    #expect(forget.status == 0, "\(forget.stderr)")
    let f = try json(forget)
    #expect(f["witness_output"] is NSNull)
    let c = try #require(f["certificates"] as? [[String: Any]])
    #expect(c[1]["kind"] as? String == "witness" && c[1]["tau"] as? Double == 0 && c[1]["projected_pairs"] as? Int == 0
            && c[1]["sign_changes"] as? Int == 0)
    let selfEpsilon = try #require(c[0]["epsilon_relative"] as? Double), witnessEpsilon = try #require(c[1]["epsilon_relative"] as? Double)
    // Both are the strict audit of θ_U on S∖F; self's QP is warm-started from the carried multipliers, so they agree
    // to the QP's tolerance, not to the bit.
    #expect(abs(selfEpsilon - witnessEpsilon) <= 1e-9 * max(selfEpsilon, 1e-12) + 1e-15, "\(selfEpsilon) vs \(witnessEpsilon)")
  }

  @Test("Deep network: the witness certificate is unavailable with the reason; --witness-out is refused (64)")
  func deep() throws {
    let made = try CLIRunner.run(["make-data", "--setting", "mixture", "--m", "12", "--d", "40", "--seed", "1", "--out", path("mix")])
    #expect(made.status == 0, "\(made.stderr)")
    let data = ["--x", path("mix.x.npy"), "--y", path("mix.y.npy")]
    let trained = try CLIRunner.run(["train"] + data + ["--model", "deep-relu", "--depth", "2", "--width", "16", "--tolerance", "5e-2",
                                                       "--max-iterations", "20000", "--out", path("deep.safetensors")])
    #expect(trained.status == 0, "\(trained.stderr)")
    let forget = try CLIRunner.run(["forget", "--model", path("deep.safetensors")] + data
                                   + ["--forget", "3", "--certify", "witness", "--out", path("du.safetensors"), "--json"])
    #expect(forget.status == 0, "\(forget.stderr)")
    let c = try #require(try json(forget)["certificates"] as? [[String: Any]])
    #expect(c.count == 1 && c[0]["kind"] as? String == "witness" && c[0]["epsilon"] is NSNull && c[0]["tau"] is NSNull)
    #expect((c[0]["method"] as? String ?? "").contains("unavailable: witness certificates exist for linear and two-layer models"))
    let out = try CLIRunner.run(["forget", "--model", path("deep.safetensors")] + data
                                + ["--forget", "3", "--certify", "witness", "--out", path("du2.safetensors"), "--witness-out", path("dw.safetensors")])
    #expect(out.status == 64 && out.stderr.contains("--witness-out: a deep network has no witness to write"), "\(out.stderr)")
    #expect(!FileManager.default.fileExists(atPath: path("du2.safetensors")))
  }
}
