import Foundation
import Testing

/// train stores its final audit's multipliers; forget uses them (no audit) when the data match, audits and
/// says why when not; the written model carries S∖F's; audit --attach adds them to a model from elsewhere.
@Suite("unlearn train / forget / audit --attach with stored multipliers")
struct StoredMultipliersCommandTests {
  let dir: URL

  init() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-stored-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

  func json(_ r: CLIRunner.Result) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
  }

  /// The shape of tensor `name` in the safetensors file `file` of this test's folder, from its JSON header.
  func shape(_ name: String, in file: String) throws -> [Int]? {
    let bytes = try Data(contentsOf: dir.appendingPathComponent(file))
    let n = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    let header = try #require(try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + n))) as? [String: Any])
    return (header[name] as? [String: Any])?["shape"] as? [Int]
  }

  /// The raw bytes of tensor `name` in the safetensors file `file` of this test's folder.
  func tensorBytes(_ name: String, in file: String) throws -> Data {
    let bytes = try Data(contentsOf: dir.appendingPathComponent(file))
    let n = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    let header = try #require(try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + n))) as? [String: Any])
    let offsets = try #require((header[name] as? [String: Any])?["data_offsets"] as? [Int])
    return bytes.subdata(in: (8 + n + offsets[0])..<(8 + n + offsets[1]))
  }

  @Test("stored → forget without audit; other data → audit with the reason; audit --attach → stored again")
  func storedMultipliers() throws {
    for (name, seed) in [("a", "5"), ("b", "6")] {
      let made = try CLIRunner.run(["make-data", "--m", "12", "--d", "150", "--seed", seed, "--out", path(name)])
      #expect(made.status == 0, "\(made.stderr)")
    }
    let data = ["--x", path("a.x.npy"), "--y", path("a.y.npy")]
    let trained = try CLIRunner.run(["train"] + data + ["--model", "two-layer", "--width", "16", "--tolerance", "2e-2",
                                                        "--max-iterations", "4000", "--out", path("m.safetensors"), "--json"])
    #expect(trained.status == 0, "\(trained.stderr)")
    #expect(try json(trained)["multipliers_stored"] as? Bool == true)

    let forget = try CLIRunner.run(["forget", "--model", path("m.safetensors")] + data
                                   + ["--forget", "3", "--certify", "self", "--out", path("u.safetensors"), "--json"])
    let f = try json(forget)
    #expect(f["multipliers_source"] as? String == "stored" && f["multipliers_note"] is NSNull)
    #expect(f["multipliers_carried"] as? Bool == true)
    #expect((f["forget_multipliers"] as? [Double])?.count == 1)
    // The two-layer network's pre-activation cache (MATH.md §5.2): [m, n] in the trained file, S∖F's rows after forget.
    #expect(try shape("kkt_preactivations", in: "m.safetensors") == [12, 16])
    #expect(try shape("kkt_preactivations", in: "u.safetensors") == [11, 16])
    // Without the cache (train --no-preactivation-cache): none in the file, none after forget, the same θ_U.
    let bare = try CLIRunner.run(["train"] + data + ["--model", "two-layer", "--width", "16", "--tolerance", "2e-2", "--max-iterations", "4000",
                                                     "--no-preactivation-cache", "--out", path("bare.safetensors"), "--json"])
    #expect(try json(bare)["preactivations_stored"] as? Bool == false && json(trained)["preactivations_stored"] as? Bool == true)
    let bareForget = try CLIRunner.run(["forget", "--model", path("bare.safetensors")] + data
                                       + ["--forget", "3", "--out", path("ub.safetensors"), "--json"])
    #expect(try json(bareForget)["multipliers_source"] as? String == "stored")
    #expect(try shape("kkt_preactivations", in: "bare.safetensors") == nil && shape("kkt_preactivations", in: "ub.safetensors") == nil)
    #expect(try tensorBytes("W", in: "ub.safetensors") == tensorBytes("W", in: "u.safetensors"))

    // The same forget from an audit (decomposition cannot use them; at κ = 0.03 the gradient step's λ are the audit's).
    let audited = try CLIRunner.run(["forget", "--model", path("m.safetensors")] + data
                                    + ["--forget", "3", "--step", "decomposition", "--out", path("d.safetensors"), "--json"])
    let d = try json(audited)
    #expect(d["multipliers_source"] as? String == "audit")
    #expect((d["multipliers_note"] as? String)?.contains("decomposition") == true)
    // λ of the forgotten example: stored and audited agree (the same audit's numbers).
    let stored = try #require((f["forget_multipliers"] as? [Double])?.first)
    let fresh = try #require((d["forget_multipliers"] as? [Double])?.first)
    #expect(abs(stored - fresh) <= 1e-9 * max(1, abs(fresh)))

    // The model against data it was not trained on: no stored multipliers, one line says why.
    let foreign = ["--x", path("b.x.npy"), "--y", path("b.y.npy")]
    let text = try CLIRunner.run(["forget", "--model", path("m.safetensors")] + foreign + ["--forget", "0", "--out", path("x.safetensors")])
    if text.status == 0 {
      #expect(text.stdout.contains("multipliers: audited on S (the stored ones were not used: the data differ"), "\(text.stdout)")
    } else {
      #expect(text.status == 70, "the model need not interpolate other data: then the audit is undefined: \(text.stderr)")
    }

    // A model with no multipliers (as from another tool): audit --attach writes them in; forget then uses them.
    let plain = try CLIRunner.run(["forget", "--model", path("m.safetensors")] + data
                                  + ["--forget", "3", "--method", "fine-tune", "--steps", "0", "--out", path("plain.safetensors"), "--json"])
    #expect(plain.status == 0, "\(plain.stderr)")
    let carriedAfterFineTune = try json(plain)["multipliers_carried"] as? Bool
    #expect(carriedAfterFineTune == false)
    let before = try json(try CLIRunner.run(["forget", "--model", path("plain.safetensors")] + data
                                            + ["--forget", "3", "--out", path("p1.safetensors"), "--json"]))
    #expect(before["multipliers_source"] as? String == "audit" && before["multipliers_note"] is NSNull)
    let attach = try CLIRunner.run(["audit", "--model", path("plain.safetensors")] + data + ["--attach", "--out", path("attached.safetensors")])
    #expect(attach.status == 0 && attach.stdout.contains("with the audit's multipliers"), "\(attach.stderr)")
    let after = try json(try CLIRunner.run(["forget", "--model", path("attached.safetensors")] + data
                                           + ["--forget", "3", "--out", path("p2.safetensors"), "--json"]))
    #expect(after["multipliers_source"] as? String == "stored")
    #expect(try shape("kkt_preactivations", in: "attached.safetensors") == [12, 16])
    // The attached multipliers are the audit's: the same θ_U as forgetting from the audit (to rounding).
    let lambdaAttached = try #require((after["forget_multipliers"] as? [Double])?.first)
    let lambdaAudited = try #require((before["forget_multipliers"] as? [Double])?.first)
    #expect(abs(lambdaAttached - lambdaAudited) <= 1e-9 * max(1, lambdaAudited))

    let noOut = try CLIRunner.run(["audit", "--model", path("plain.safetensors")] + data + ["--attach"])
    #expect(noOut.status == 64 && noOut.stderr.contains("--attach needs --out"), "\(noOut.stderr)")
  }
}
