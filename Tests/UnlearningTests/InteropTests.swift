import Foundation
import LinearAlgebra
import Testing
import Unlearning

/// Helpers shared by the file-format tests.
enum IOTestSupport {
  /// The error's description, or `"no error"` when `body` succeeds.
  static func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return "no error"
    } catch {
      return String(describing: error)
    }
  }

  /// Little-endian float64 bytes.
  static func f64(_ values: [Double]) -> [UInt8] {
    values.flatMap { x -> [UInt8] in
      var bits = x.bitPattern.littleEndian
      return withUnsafeBytes(of: &bits) { Array($0) }
    }
  }

  /// A fresh empty directory under the system's temporary directory.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("unlearning-io-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// The file `name` of the test fixtures (written by `scripts/make-fixtures.py`).
  static func fixture(_ name: String) throws -> URL {
    let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    return folder.appendingPathComponent(name)
  }

  /// Exact contents of the fixtures: `expected.json`, every double as its Python repr.
  struct Expected: Decodable {
    let shape: [Int]
    let values: [String]
    var doubles: [Double] { values.map { Double($0) ?? .nan } }
  }

  struct ExpectedModel {
    let metadata: [String: String]
    let tensors: [String: Expected]
  }

  /// One entry of `expected.json`: an array (shape, values) or a model (metadata, tensors).
  private struct Entry: Decodable {
    let shape: [Int]?
    let values: [String]?
    let metadata: [String: String]?
    let tensors: [String: Expected]?
  }

  private static func entry(_ name: String) throws -> Entry {
    let data = try Data(contentsOf: fixture("expected.json"))
    let all = try JSONDecoder().decode([String: Entry].self, from: data)
    return try #require(all[name], "\(name) is not in expected.json")
  }

  static func expectedArray(_ name: String) throws -> Expected {
    let e = try entry(name)
    return Expected(shape: try #require(e.shape), values: try #require(e.values))
  }

  static func expectedModel(_ name: String) throws -> ExpectedModel {
    let e = try entry(name)
    return ExpectedModel(metadata: try #require(e.metadata), tensors: try #require(e.tensors))
  }

  /// Runs `python3 -c script args…`; returns (exit status, stdout), or nil when python3 cannot be started.
  static func python(_ script: String, _ arguments: [String] = []) -> (status: Int32, output: String)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// Whether `python3` can import `module`.
  static func pythonHas(_ module: String) -> Bool {
    python("import \(module)")?.status == 0
  }

  static let hasNumPy = pythonHas("numpy")
  static let hasSafetensors = hasNumPy && pythonHas("safetensors.numpy")
}

@Suite("Interop with NumPy and safetensors")
struct InteropTests {
  func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

  @Test("Every .npy fixture written by NumPy reads back exactly")
  func npyFixtures() throws {
    let expected: [(String, NumPyArray.DType)] = [
      ("x_c.npy", .float64), ("x_fortran.npy", .float64), ("x_be.npy", .float64BigEndian),
      ("x_f4.npy", .float32), ("x_f2.npy", .float16), ("vec.npy", .float64), ("y_i8.npy", .int64),
      ("y_i4.npy", .int32), ("y01.npy", .int64), ("v2.npy", .float64), ("v3.npy", .float64),
    ]
    for (name, dtype) in expected {
      let want = try IOTestSupport.expectedArray(name)
      let array = try NpyFormat.read(IOTestSupport.fixture(name))
      #expect(array.dtype == dtype, "\(name)")
      #expect(array.shape == want.shape, "\(name)")
      #expect(bits(array.values) == bits(want.doubles), "\(name)")
    }
  }

  @Test("The Swift writer produces NumPy's bytes exactly")
  func npyBytes() throws {
    for name in ["x_c.npy", "vec.npy"] {
      let want = try IOTestSupport.expectedArray(name)
      let array = try NumPyArray(shape: want.shape, values: want.doubles)
      let numpy = try [UInt8](Data(contentsOf: IOTestSupport.fixture(name)))
      #expect(NpyFormat.encode(array) == numpy, "\(name)")
    }
  }

  @Test("Label fixtures load through DatasetLoader")
  func labelFixtures() throws {
    let x = try IOTestSupport.fixture("x_c.npy")
    for name in ["y_i8.npy", "y_i4.npy"] {
      let data = try DatasetLoader.load(x: x, y: IOTestSupport.fixture(name))
      #expect(data.labels == [1, -1, -1, 1])
      #expect(bits(data.features.elements) == bits(try IOTestSupport.expectedArray("x_c.npy").doubles))
    }
    let y01 = try IOTestSupport.fixture("y01.npy")
    #expect(try DatasetLoader.load(x: x, y: y01, zeroOneLabels: true).labels == [-1, 1, 1, -1])
    #expect(
      IOTestSupport.message { _ = try DatasetLoader.load(x: x, y: y01) }
        == "\(y01.path): label 0 is 0; labels must be −1 or +1 (these labels are 0/1, which can be read as −1/+1)")
  }

  @Test("Every safetensors fixture reads back exactly, and the F64/F32 ones re-encode to the same bytes")
  func safetensorsFixtures() throws {
    let names: [(String, SafetensorsTensor.DType)] = [
      ("model_linear.safetensors", .f64), ("model_two_layer.safetensors", .f64), ("model_f32.safetensors", .f32),
      ("model_f16.safetensors", .f16), ("model_bf16.safetensors", .bf16),
    ]
    for (name, dtype) in names {
      let want = try IOTestSupport.expectedModel(name)
      let url = try IOTestSupport.fixture(name)
      let file = try SafetensorsFile.read(url)
      #expect(file.metadata == want.metadata, "\(name)")
      #expect(Set(file.tensors.keys) == Set(want.tensors.keys), "\(name)")
      for (tensorName, expected) in want.tensors {
        let tensor = try #require(file.tensors[tensorName])
        #expect(tensor.dtype == dtype, "\(name) \(tensorName)")
        #expect(tensor.shape == expected.shape, "\(name) \(tensorName)")
        #expect(bits(tensor.values) == bits(expected.doubles), "\(name) \(tensorName)")
      }
      if dtype == .f64 || dtype == .f32 {
        let reference = try [UInt8](Data(contentsOf: url))
        #expect(try file.encode(dtype: dtype) == reference, "\(name)")
      }
    }
    let linear = try SafetensorsFile.read(IOTestSupport.fixture("model_linear.safetensors"))
    #expect(linear.metadata == ["architecture": "linear", "train_output_layer": "false", "loss": "exponential"])
  }

  @Test(
    "NumPy reads the .npy files Swift writes, exactly",
    .enabled(if: IOTestSupport.hasNumPy, "python3 with numpy is not available"))
  func numpyReadsSwift() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let values = NpyFormatTests.awkward
    let matrixURL = dir.appendingPathComponent("m.npy")
    let vectorURL = dir.appendingPathComponent("v.npy")
    try NpyFormat.write(NumPyArray(Matrix(rows: 3, columns: 4, elements: values)), to: matrixURL, overwrite: false)
    try NpyFormat.write(NumPyArray(vector: values), to: vectorURL, overwrite: false)
    let script = """
      import sys, numpy as np
      for path in sys.argv[1:]:
          a = np.load(path, allow_pickle=False)
          print(a.dtype.str, a.shape, a.flags['C_CONTIGUOUS'])
          print(' '.join(repr(float(v)) for v in a.ravel()))
      """
    let result = try #require(IOTestSupport.python(script, [matrixURL.path, vectorURL.path]))
    #expect(result.status == 0)
    let lines = result.output.split(separator: "\n").map(String.init)
    #expect(lines.count == 4)
    guard lines.count == 4 else { return }
    #expect(lines[0] == "<f8 (3, 4) True")
    #expect(lines[2] == "<f8 (12,) True")
    for line in [lines[1], lines[3]] {
      let read = line.split(separator: " ").map { Double(String($0)) ?? .nan }
      #expect(bits(read) == bits(values))
    }
  }

  @Test(
    "safetensors reads the files Swift writes, exactly",
    .enabled(if: IOTestSupport.hasSafetensors, "python3 with numpy and safetensors is not available"))
  func safetensorsReadsSwift() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let values = NpyFormatTests.awkward
    let file = SafetensorsFile(
      tensors: [
        "W": SafetensorsTensor(Matrix(rows: 4, columns: 3, elements: values)),
        "u": SafetensorsTensor(vector: [0.5, -0.5, 0.5, -0.5]),
      ],
      metadata: ["architecture": "two-layer-relu", "train_output_layer": "true", "loss": "logistic"])
    let url = dir.appendingPathComponent("model.safetensors")
    try file.write(to: url, overwrite: false)
    let f32URL = dir.appendingPathComponent("model32.safetensors")
    try SafetensorsFile(tensors: ["w": SafetensorsTensor(vector: [0.1, -2, 3e-40])]).write(to: f32URL, dtype: .f32, overwrite: false)
    let script = """
      import sys
      from safetensors.numpy import load_file
      from safetensors import safe_open
      for path in sys.argv[1:]:
          with safe_open(path, framework="np") as f:
              meta = f.metadata() or {}
              print(' '.join(k + '=' + meta[k] for k in sorted(meta)))
          tensors = load_file(path)
          for name in sorted(tensors):
              a = tensors[name]
              print(name, a.dtype.str, a.shape, ' '.join(repr(float(v)) for v in a.ravel()))
      """
    let result = try #require(IOTestSupport.python(script, [url.path, f32URL.path]))
    #expect(result.status == 0)
    let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.count >= 5)
    guard lines.count >= 5 else { return }
    #expect(lines[0] == "architecture=two-layer-relu loss=logistic train_output_layer=true")
    let w = lines[1].split(separator: " ").map(String.init)
    #expect(w.prefix(4) == ["W", "<f8", "(4,", "3)"])
    #expect(bits(w.dropFirst(4).map { Double($0) ?? .nan }) == bits(values))
    #expect(lines[2] == "u <f8 (4,) 0.5 -0.5 0.5 -0.5")
    #expect(lines[3] == "")
    let f32 = lines[4].split(separator: " ").map(String.init)
    #expect(f32.prefix(3) == ["w", "<f4", "(3,)"])
    #expect(bits(f32.dropFirst(3).map { Double($0) ?? .nan }) == bits([0.1, -2, 3e-40].map { Double(Float($0)) }))
  }

  @Test(
    "NumPy reads a deep network Swift writes (W1, W2, W3, v; deep-relu) and computes the same outputs; Swift reads NumPy's",
    .enabled(if: IOTestSupport.hasSafetensors, "python3 with numpy and safetensors is not available"))
  func deepNetworkRoundTripWithNumPy() throws {
    let dir = try IOTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = DeepReLUNetwork.initialized(depth: 3, width: 6, dimension: 5, initScale: 1, seed: 7)
    let x = try SyntheticData.generate(.isotropic, count: 4, dimension: 5, seed: 2).train.features
    let url = dir.appendingPathComponent("deep.safetensors")
    try ModelFile.write(model, metadata: ModelMetadata(), to: url, overwrite: false)
    let back = dir.appendingPathComponent("deep-numpy.safetensors")
    let xs = x.elements.map { repr in String(repr) }.joined(separator: ",")
    let script = """
      import sys
      import numpy as np
      from safetensors.numpy import load_file, save_file
      from safetensors import safe_open
      with safe_open(sys.argv[1], framework="np") as f:
          meta = f.metadata()
      t = load_file(sys.argv[1])
      print(meta["architecture"], meta["depth"], ' '.join(sorted(t)))
      a = np.array([float(v) for v in sys.argv[3].split(',')]).reshape(4, 5)
      for l in range(1, 4):
          a = np.maximum(a @ t["W%d" % l].T, 0)
      print(' '.join(repr(float(v)) for v in a @ t["v"]))
      save_file({k: 2 * v for k, v in t.items()}, sys.argv[2], metadata={"architecture": "deep-relu", "depth": "3"})
      """
    let result = try #require(IOTestSupport.python(script, [url.path, back.path, xs]))
    #expect(result.status == 0, "\(result.output)")
    let lines = result.output.split(separator: "\n").map(String.init)
    guard lines.count >= 2 else { Issue.record("python printed \(result.output)"); return }
    #expect(lines[0] == "deep-relu 3 W1 W2 W3 v")
    let numpyOutputs = lines[1].split(separator: " ").map { Double($0) ?? .nan }
    // Same products in possibly different summation orders (NumPy's BLAS vs ours): ~1e-16 relative per layer.
    #expect(Fixtures.relativeError(numpyOutputs, model.outputs(x)) <= 1e-12)
    // NumPy's file: every tensor doubled, so θ doubles and N scales by 2^(L+1) = 16.
    let (read, _) = try ModelFile.read(back)
    let deep = try #require(read as? DeepReLUNetwork)
    #expect(deep.parameters == model.parameters.map { 2 * $0 })
    #expect(Fixtures.relativeError(deep.outputs(x), model.outputs(x).map { 16 * $0 }) <= 1e-14)
  }
}
