import Foundation
import LinearAlgebra
import Testing
import Unlearning

/// PyTorch's layout end to end through the built binary (MATH.md §8.5, §8.6): files written in the names,
/// shapes and dtypes `safetensors.torch.save_file(model.state_dict(), …)` writes for a bias-free
/// `nn.Sequential(nn.Linear(d, n, bias=False), nn.ReLU(), nn.Linear(n, 1, bias=False))` (by this package's
/// own safetensors writer: no torch in CI), audited, forgotten, folded and unfolded without renaming.
@Suite("PyTorch-layout files through the CLI")
struct PyTorchLayoutCommandTests {
  let dir: URL

  init() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("unlearn-pytorch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
  func url(_ name: String) -> URL { dir.appendingPathComponent(name) }

  func json(_ r: CLIRunner.Result) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  /// make-data and a two-layer network trained by `unlearn train`, returned as (W [n, d], u [n]).
  func trainedNetwork() throws -> (w: SafetensorsTensor, u: SafetensorsTensor) {
    let made = try CLIRunner.run(["make-data", "--m", "12", "--d", "40", "--seed", "3", "--out", path("d")])
    #expect(made.status == 0, "\(made.stderr)")
    let trained = try CLIRunner.run(["train", "--x", path("d.x.npy"), "--y", path("d.y.npy"), "--model", "two-layer", "--width", "8",
                                     "--tolerance", "2e-2", "--max-iterations", "4000", "--out", path("ours.safetensors")])
    #expect(trained.status == 0, "\(trained.stderr)")
    let ours = try SafetensorsFile.read(url("ours.safetensors"))
    return (try #require(ours.tensors["W"]), try #require(ours.tensors["u"]))
  }

  /// A tensor of `values` stored as `dtype` (values rounded to it first, as torch holds them).
  func tensor(_ shape: [Int], _ values: [Double], _ dtype: SafetensorsTensor.DType) throws -> SafetensorsTensor {
    try SafetensorsTensor(shape: shape, values: dtype == .f32 ? values.map { Double(Float($0)) } : values, dtype: dtype)
  }

  /// Names, shapes and dtypes of a file's tensors, read from its header.
  func header(_ name: String) throws -> [String: String] {
    try SafetensorsFile.read(url(name)).tensors.mapValues { "\($0.shape) \($0.dtype.rawValue)" }
  }

  @Test("audit, audit --attach and forget --certify self,retrained --init keep 0.weight/2.weight, their shapes and dtype",
        arguments: [SafetensorsTensor.DType.f64, .f32])
  func sequential(dtype: SafetensorsTensor.DType) throws {
    let (w, u) = try trainedNetwork()
    let n = w.shape[0], d = w.shape[1]
    try SafetensorsFile(tensors: ["0.weight": try tensor([n, d], w.values, dtype), "2.weight": try tensor([1, n], u.values, dtype)])
      .write(to: url("torch.safetensors"), dtype: dtype, overwrite: false)
    let initial = (0..<(n * d + n)).map { sin(Double($0)) * 1e-3 }
    try SafetensorsFile(tensors: ["0.weight": try tensor([n, d], Array(initial[..<(n * d)]), dtype),
                                  "2.weight": try tensor([1, n], Array(initial[(n * d)...]), dtype)])
      .write(to: url("init.safetensors"), dtype: dtype, overwrite: false)
    let data = ["--x", path("d.x.npy"), "--y", path("d.y.npy")]

    let audit = try CLIRunner.run(["audit", "--model", path("torch.safetensors")] + data + ["--json"])
    #expect(audit.status == 0, "\(audit.stderr)")
    #expect(try json(audit)["parameters"] as? Int == n * d)  // the output layer is fixed (no train_output_layer in the file)
    let attach = try CLIRunner.run(["audit", "--model", path("torch.safetensors")] + data + ["--attach", "--out", path("att.safetensors")])
    #expect(attach.status == 0, "\(attach.stderr)")
    #expect(try header("att.safetensors") == header("torch.safetensors"))
    #expect(try SafetensorsFile.read(url("att.safetensors")).metadata["kkt_multipliers_base64"] != nil)

    let forget = try CLIRunner.run(["forget", "--model", path("att.safetensors")] + data
                                   + ["--forget", "2", "--certify", "self,retrained", "--init", path("init.safetensors"),
                                      "--out", path("u.safetensors"), "--json"])
    #expect(forget.status == 0, "\(forget.stderr)")
    let f = try json(forget)
    #expect(f["multipliers_source"] as? String == "stored")
    let certificates = try #require(f["certificates"] as? [[String: Any]])
    #expect(certificates.map { $0["kind"] as? String } == ["self", "retrained"])
    #expect(certificates[1]["tau"] is Double, "the retrained certificate is available with --init: \(certificates[1])")
    #expect((certificates[1]["method"] as? String)?.contains("from the given initialisation (--init)") == true)
    // The strict round trip: the written θ_U has exactly the input's tensors, shapes and dtypes, nothing else.
    #expect(try header("u.safetensors") == header("torch.safetensors"))
    let written = try SafetensorsFile.read(url("u.safetensors"))
    #expect(written.metadata["pytorch_layers"] == "0.weight,2.weight")
    #expect(written.metadata["unlearned_forget"] == "2")
    // θ_U is read back as it was written, and audited on S∖F.
    let again = try CLIRunner.run(["audit", "--model", path("u.safetensors")] + data + ["--json"])
    #expect(again.status == 0 || again.status == 70, "\(again.stderr)")

    // Without --init the retrained certificate is unavailable and says how to make it available.
    let noInit = try CLIRunner.run(["forget", "--model", path("torch.safetensors")] + data
                                   + ["--forget", "2", "--certify", "retrained", "--out", path("v.safetensors"), "--json"])
    #expect(noInit.status == 0, "\(noInit.stderr)")
    let method = try #require((try json(noInit)["certificates"] as? [[String: Any]])?.first?["method"] as? String)
    #expect(method.contains("--init FILE"))
  }

  @Test("The ledger keeps torch's names and shapes (F64, so verify recomputes the certificates) from an F32 file")
  func ledger() throws {
    let (w, u) = try trainedNetwork()
    let n = w.shape[0], d = w.shape[1]
    try SafetensorsFile(tensors: ["0.weight": try tensor([n, d], w.values, .f32), "2.weight": try tensor([1, n], u.values, .f32)])
      .write(to: url("torch.safetensors"), dtype: .f32, overwrite: false)
    let initialised = try CLIRunner.run(["ledger", "init", path("led"), "--model", path("torch.safetensors"),
                                         "--x", path("d.x.npy"), "--y", path("d.y.npy")])
    #expect(initialised.status == 0, "\(initialised.stderr)")
    let forgot = try CLIRunner.run(["ledger", "forget", path("led"), "--ids", "3"])
    #expect(forgot.status == 0, "\(forgot.stderr)")
    let verified = try CLIRunner.run(["ledger", "verify", path("led")])
    #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
    let exported = try CLIRunner.run(["ledger", "export", path("led"), "--out", path("head.safetensors")])
    #expect(exported.status == 0, "\(exported.stderr)")
    #expect(try header("head.safetensors") == ["0.weight": "[\(n), \(d)] F64", "2.weight": "[1, \(n)] F64"])
  }

  @Test("Bad inputs: an --init of other shapes, an ambiguous layer order (resolved by --layers), a bias, a hidden bias")
  func errors() throws {
    let (w, u) = try trainedNetwork()
    let n = w.shape[0], d = w.shape[1]
    let data = ["--x", path("d.x.npy"), "--y", path("d.y.npy")]
    try SafetensorsFile(tensors: ["0.weight": try tensor([n, d], w.values, .f64), "2.weight": try tensor([1, n], u.values, .f64)])
      .write(to: url("torch.safetensors"), overwrite: false)
    try SafetensorsFile(tensors: ["0.weight": try tensor([2, d], Array(repeating: 0.1, count: 2 * d), .f64),
                                  "2.weight": try tensor([1, 2], [1, 1], .f64)]).write(to: url("bad-init.safetensors"), overwrite: false)
    let badInit = try CLIRunner.run(["forget", "--model", path("torch.safetensors")] + data
                                    + ["--forget", "1", "--certify", "retrained", "--init", path("bad-init.safetensors"), "--out", path("x.safetensors")])
    #expect(badInit.status == 65)
    #expect(badInit.stderr.contains("the initial weights do not match the model: tensor 0.weight is [2, 40] in the initialisation but [8, 40] in the model"), "\(badInit.stderr)")

    // Two identity layers between: the same function, but the names do not say which comes first.
    let identity = Matrix.identity(n).elements
    try SafetensorsFile(tensors: ["in.weight": w, "mid.weight": try tensor([n, n], identity, .f64),
                                  "mix.weight": try tensor([n, n], identity, .f64), "head.weight": try tensor([1, n], u.values, .f64)])
      .write(to: url("deep.safetensors"), overwrite: false)
    let ambiguous = try CLIRunner.run(["audit", "--model", path("deep.safetensors")] + data)
    #expect(ambiguous.status == 65)
    #expect(ambiguous.stderr.contains("ambiguous layer order") && ambiguous.stderr.contains("--layers"), "\(ambiguous.stderr)")
    let ordered = try CLIRunner.run(["audit", "--model", path("deep.safetensors")] + data
                                    + ["--layers", "in.weight,mid.weight,mix.weight,head.weight", "--json"])
    #expect(ordered.status == 0, "\(ordered.stderr)")

    try SafetensorsFile(tensors: ["0.weight": w, "0.bias": try tensor([n], Array(repeating: 0, count: n), .f64),
                                  "2.weight": try tensor([1, n], u.values, .f64)]).write(to: url("biased.safetensors"), overwrite: false)
    let biased = try CLIRunner.run(["audit", "--model", path("biased.safetensors")] + data)
    #expect(biased.status == 65 && biased.stderr.contains("unlearn fold-bias"), "\(biased.stderr)")
    try SafetensorsFile(tensors: ["0.weight": w, "2.weight": try tensor([n, n], identity, .f64),
                                  "2.bias": try tensor([n], Array(repeating: 0, count: n), .f64),
                                  "4.weight": try tensor([1, n], u.values, .f64)]).write(to: url("hidden.safetensors"), overwrite: false)
    let hidden = try CLIRunner.run(["fold-bias", "--model", path("hidden.safetensors"), "--x", path("d.x.npy"),
                                    "--out-model", path("h2.safetensors"), "--out-x", path("h2.npy")])
    #expect(hidden.status == 65 && hidden.stderr.contains("a hidden layer's bias"), "\(hidden.stderr)")
  }

  @Test("fold-bias → forget → unfold-bias gives a biased nn.Sequential again; fold then unfold is the identity")
  func biasFolding() throws {
    let (w, u) = try trainedNetwork()
    let n = w.shape[0], d = w.shape[1]
    let bias = (0..<n).map { 0.01 * sin(Double($0) + 1) }
    try SafetensorsFile(tensors: ["0.weight": w, "0.bias": try tensor([n], bias, .f64), "2.weight": try tensor([1, n], u.values, .f64)])
      .write(to: url("biased.safetensors"), overwrite: false)
    let fold = try CLIRunner.run(["fold-bias", "--model", path("biased.safetensors"), "--x", path("d.x.npy"),
                                  "--out-model", path("folded.safetensors"), "--out-x", path("folded.x.npy"), "--json"])
    #expect(fold.status == 0, "\(fold.stderr)")
    let s = try json(fold)
    for key in ["constant", "psi_before", "phi_before", "psi_after", "phi_after"] { #expect(s[key] is Double, "\(key)") }
    #expect(s["constant_is_power_of_two"] as? Bool == true)
    let text = try CLIRunner.run(["fold-bias", "--model", path("biased.safetensors"), "--x", path("d.x.npy"),
                                  "--out-model", path("folded.safetensors"), "--out-x", path("folded.x.npy"), "--force"])
    #expect(text.status == 0 && text.stdout.contains("ψ ") && text.stdout.contains("φ "), "\(text.stdout)")
    #expect(try header("folded.safetensors") == ["0.weight": "[\(n), \(d + 1)] F64", "2.weight": "[1, \(n)] F64"])

    let unfold = try CLIRunner.run(["unfold-bias", "--model", path("folded.safetensors"), "--out-model", path("back.safetensors")])
    #expect(unfold.status == 0, "\(unfold.stderr)")
    let back = try SafetensorsFile.read(url("back.safetensors")), original = try SafetensorsFile.read(url("biased.safetensors"))
    #expect(back.tensors == original.tensors)

    let forget = try CLIRunner.run(["forget", "--model", path("folded.safetensors"), "--x", path("folded.x.npy"), "--y", path("d.y.npy"),
                                    "--forget", "4", "--out", path("folded-forgot.safetensors")])
    #expect(forget.status == 0, "\(forget.stderr)")
    let forgot = try CLIRunner.run(["unfold-bias", "--model", path("folded-forgot.safetensors"), "--out-model", path("forgot.safetensors")])
    #expect(forgot.status == 0, "\(forgot.stderr)")
    #expect(try header("forgot.safetensors") == header("biased.safetensors"))
    let mismatch = try CLIRunner.run(["unfold-bias", "--model", path("folded.safetensors"), "--constant", "3", "--out-model", path("c3.safetensors")])
    #expect(mismatch.status == 65 && mismatch.stderr.contains("folding back with another c changes the network"), "\(mismatch.stderr)")
  }
}
